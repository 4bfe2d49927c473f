@testable import EntStat
import Testing

/// `COLLATE french` (`FrenchCollation`): the order of French names, checked by hand.
@Suite struct FrenchCollationTests {
    func compare(_ a: String, _ b: String) -> Int32 {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in FrenchCollation.compare(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }

    @Test func namesSortAsInAFrenchIndex() {
        let names = ["", "Abbeville", "Béthencourt-sur-Mer", "Bussy-lès-Daours", "CA Amiens Métropole",
                     "CC de l'Est de la Somme", "CC des Villes Sœurs", "CC du Grand Roye", "CC Nièvre et Somme",
                     "CC Terre de Picardie", "Cerisy", "Cerisy-Buleux", "Démuin", "Doullens", "Éaucourt-sur-Somme",
                     "Épehy", "Hangest-le-Sec", "Hangest-lès-Roye", "L'Étoile", "Lœuilly", "Long", "Saint-Ouen",
                     "Saint-Quentin", "Zoteux"]
        for (a, b) in zip(names, names.dropFirst()) {
            #expect(compare(a, b) == -1, "\(a) < \(b)")
            #expect(compare(b, a) == 1, "\(b) > \(a)")
        }
        // Byte order, SQLite's own, put them elsewhere.
        #expect(names.sorted() != names)
        #expect(names.sorted().firstIndex(of: "Béthencourt-sur-Mer")! > names.sorted().firstIndex(of: "Bussy-lès-Daours")!)
    }

    @Test func tiesAreBrokenByAccentsThenBytes() {
        #expect(compare("Cote", "Côte") == -1)
        #expect(compare("Côte", "cote") == 1, "the accents decide before the case")
        #expect(compare("cote", "Cote") == 1, "then the bytes: capitals first")
        #expect(compare("Saint-Ouen", "Saint Ouen") == 1, "a hyphen and a space tie, then the bytes")
        #expect(compare("L'Étoile", "L’Étoile") == -1)
        #expect(compare("Sœurs", "Soeurs") == 1)
        #expect(compare("Sœurs", "Soeurt") == -1, "œ is oe")
        #expect(compare("Épehy", "Épehy") == 0)
    }

    /// In SQL, on a connection of entstat.
    @Test func queriesCanSortWithIt() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(name TEXT); INSERT INTO t VALUES ('Doullens'), ('Démuin'), ('Bussy'), ('Béthencourt'), ('CC du Vimeu'), ('CC Terre de Picardie');")
        let sorted = try db.statement("SELECT name FROM t ORDER BY name COLLATE french")
        var names: [String] = []
        while try sorted.step() { names.append(sorted.text(0)) }
        #expect(names == ["Béthencourt", "Bussy", "CC du Vimeu", "CC Terre de Picardie", "Démuin", "Doullens"])
    }
}
