import Foundation
import Testing
@testable import EntStat

/// The snapshots of `person_place` behind the totals per day and role (`person_role`,
/// `person_level`, `person_scope`), written by `RoleSnapshotWriter` in one scan: the rows
/// given here by hand, and those of the SQL it replaced, run on the same places.
@Suite struct RoleSnapshotWriterTests {
    /// The three `INSERT … SELECT` the writer replaced (release 12), as the independent method.
    static let sql = """
        INSERT INTO person_role(person, role, first_role, listed)
            SELECT person, role, role = MIN(role) OVER (PARTITION BY person), MAX(listed) OVER (PARTITION BY person)
            FROM (SELECT person, role, MAX(listed) AS listed FROM person_place
                  WHERE person IN (SELECT person FROM temp.chosen) GROUP BY person, role);
        INSERT INTO person_level(person, role, level)
            SELECT DISTINCT person, role, level FROM person_place WHERE person IN (SELECT person FROM temp.chosen);
        INSERT INTO person_scope(person, role, code_commune, epci)
            SELECT DISTINCT person, role, code_commune, epci FROM person_place WHERE person IN (SELECT person FROM temp.chosen);
        """

    /// A new store in a scratch folder whose `person_place` holds `places`: (person,
    /// listed, role, uai, level, commune, EPCI).
    static func store(places: [(Int, Int, String, String, String, String, String)], name: String = #function) throws -> Store {
        let store = try TestSupport.scratchStore(name)
        let insert = try store.db.prepare("INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for p in places {
            try insert.bind(.integer(Int64(p.0)), .integer(Int64(p.1)), .text(p.2), .text(p.3), .text(p.4), .text(p.5), .text(p.6))
            while try insert.step() {}
            insert.reset()
        }
        return store
    }

    @Test func snapshotsAreThoseOfTheSQLTheyReplaced() throws {
        let composed = "CA Amiens M\u{E9}tropole", decomposed = "CA Amiens Me\u{301}tropole"
        #expect(composed == decomposed && Array(composed.utf8) != Array(decomposed.utf8))
        let places: [(Int, Int, String, String, String, String, String)] = [
            // person 1: teacher (listed) and parent, two levels as a parent, a school given twice.
            (1, 0, "parent", "0800001S", "maternelle", "80021", "CA Baie de Somme"),
            (1, 0, "parent", "0800002T", "elementaire", "80021", "CA Baie de Somme"),
            (1, 1, "teacher", "0800002T", "elementaire", "80021", "CA Baie de Somme"),
            (1, 0, "parent", "0800001S", "maternelle", "80021", "CA Baie de Somme"),
            // person 2: unknown, no place at all.
            (2, 0, "unknown", "", "", "", ""),
            // person 3: one EPCI name in two byte forms (two rows for SQLite), two communes.
            (3, 1, "staff", "0800003U", "primaire", "80001", composed),
            (3, 1, "staff", "0800004V", "primaire", "80001", decomposed),
            (3, 1, "staff", "0800005W", "primaire", "80002", composed),
            // person 4: not chosen, so not written.
            (4, 0, "student", "0800001S", "maternelle", "80021", "CA Baie de Somme"),
            // person 5: roles whose byte order is not their order of arrival.
            (5, 0, "teacher", "0800001S", "maternelle", "80021", "CA Baie de Somme"),
            (5, 0, "commune", "", "", "80021", "CA Baie de Somme"),
        ]
        let store = try Self.store(places: places)
        let db = store.db
        try db.execute("CREATE TEMP TABLE chosen(person INTEGER PRIMARY KEY); INSERT INTO temp.chosen VALUES (1), (2), (3), (5);")
        func dump() throws -> [String] {
            var out: [String] = []
            for sql in ["SELECT 'role', person, role, first_role, listed FROM person_role ORDER BY 2, 3",
                        "SELECT 'level', person, role, level FROM person_level ORDER BY 2, 3, 4",
                        "SELECT 'scope', person, role, code_commune, hex(epci) FROM person_scope ORDER BY 2, 3, 4, 5"] {
                let s = try db.prepare(sql)
                while try s.step() { out.append((0..<s.columnCount).map { s.text($0) }.joined(separator: "|")) }
            }
            return out
        }
        func clear() throws { try db.execute("DELETE FROM person_role; DELETE FROM person_level; DELETE FROM person_scope;") }

        try clear()
        try RoleSnapshotWriter.write(db, persons: "temp.chosen")
        let written = try dump()
        try clear()
        try db.execute(Self.sql)
        #expect(written == (try dump()))

        let hex = { (s: String) in s.utf8.map { String(format: "%02X", $0) }.joined() }
        #expect(written.filter { $0.hasPrefix("role|") } == [
            "role|1|parent|1|1", "role|1|teacher|0|1", "role|2|unknown|1|0", "role|3|staff|1|1",
            "role|5|commune|1|0", "role|5|teacher|0|0",
        ])
        #expect(written.filter { $0.hasPrefix("level|") } == [
            "level|1|parent|elementaire", "level|1|parent|maternelle", "level|1|teacher|elementaire",
            "level|2|unknown|", "level|3|staff|primaire", "level|5|commune|", "level|5|teacher|maternelle",
        ])
        #expect(written.filter { $0.hasPrefix("scope|") } == [
            "scope|1|parent|80021|\(hex("CA Baie de Somme"))", "scope|1|teacher|80021|\(hex("CA Baie de Somme"))",
            "scope|2|unknown||", "scope|3|staff|80001|\(hex(decomposed))", "scope|3|staff|80001|\(hex(composed))",
            "scope|3|staff|80002|\(hex(composed))", "scope|5|commune|80021|\(hex("CA Baie de Somme"))",
            "scope|5|teacher|80021|\(hex("CA Baie de Somme"))",
        ].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// The roles the writer collects while it writes every row of `person_role` and
    /// `person_level` are those `PersonRoleMasks(db:)` reads from the tables afterwards:
    /// the same bits, though roles and levels arrive in another order than their byte order.
    @Test func collectedMasksAreThoseReadFromTheTables() throws {
        let composed = "\u{E9}l\u{E9}mentaire", decomposed = "e\u{301}le\u{301}mentaire"
        let places: [(Int, Int, String, String)] = [
            (7, 1, "teacher", "primaire"),            // arrives first, sorts last
            (7, 1, "commune", ""),
            (3, 0, "Parent", composed),               // 'P' sorts before 'c' and 't'
            (3, 0, "Parent", decomposed),             // another pair for SQLite (other bytes)
            (3, 0, "teacher", "maternelle"),
            (1, 0, "commune", ""),
            (9, 1, "Parent", "maternelle"),
        ]
        let store = try Self.store(places: places.map { ($0.0, $0.1, $0.2, "", $0.3, "80021", "CA") })
        let db = store.db
        try db.execute("""
            DELETE FROM person_role; DELETE FROM person_level; DELETE FROM person_scope;
            CREATE TEMP TABLE chosen(person INTEGER PRIMARY KEY); INSERT INTO temp.chosen VALUES (1), (3), (7), (9);
            """)
        let collected = try #require(try RoleSnapshotWriter.write(db, persons: "temp.chosen", collectingMasks: true))
        let read = try PersonRoleMasks(db: db)

        #expect(collected.roles.map { Array($0.utf8) } == read.roles.map { Array($0.utf8) })
        #expect(collected.levels.map { Array(($0.role + "|" + $0.level).utf8) } == read.levels.map { Array(($0.role + "|" + $0.level).utf8) })
        #expect(collected.levelBits == read.levelBits)
        for person in -1...12 { #expect(collected.mask(of: person) == read.mask(of: person), "person \(person)") }

        // By hand: roles Parent, commune, teacher (bits 0–2); pairs (Parent, e\u{301}…),
        // (Parent, maternelle), (Parent, \u{E9}…), (commune, ''), (teacher, maternelle),
        // (teacher, primaire) (bits 3–8), each in byte order.
        #expect(read.roles == ["Parent", "commune", "teacher"])
        let listed = PersonRoleMasks.listedBit
        #expect(collected.mask(of: 1) == 0b00_0100_0010)
        #expect(collected.mask(of: 3) == 0b00_1010_1101)
        #expect(collected.mask(of: 7) == listed | 0b01_0100_0110)
        #expect(collected.mask(of: 9) == listed | 0b00_0001_0001)
        #expect(collected.mask(of: 2) == 0)

        // Not asked: nothing collected.
        try db.execute("DELETE FROM person_role; DELETE FROM person_level; DELETE FROM person_scope;")
        #expect(try RoleSnapshotWriter.write(db, persons: "temp.chosen") == nil)
    }

    /// A damaged person key is refused as a damaged store, naming the table, instead of
    /// indexing the arrays of persons out of their range (a text sorts after every integer,
    /// so the table's largest person reads as 0) or sizing them by it (2^31 persons).
    @Test func damagedPersonKeysAreRefusedNotIndexedBy() throws {
        let store = try Self.store(places: [(1, 0, "Parent", "", "maternelle", "80021", "CA"), (3, 1, "teacher", "", "primaire", "80021", "CA")])
        let db = store.db
        try db.execute("CREATE TEMP TABLE chosen(person INTEGER PRIMARY KEY); INSERT INTO temp.chosen VALUES (1), (3);")
        _ = try RoleSnapshotWriter.write(db, persons: "temp.chosen", collectingMasks: false)
        #expect(try PersonRoleMasks(db: db).mask(of: 3) != 0)
        // Both tables' largest person a text: arrays of one person, whom person 3 is beyond.
        try db.execute("SAVEPOINT damage; UPDATE person_role SET person = 'zz' WHERE person = 1; UPDATE person_level SET person = 'zz' WHERE person = 1")
        #expect { try PersonRoleMasks(db: db) } throws: { error in
            "\(error)".hasSuffix("magasin endommagé, table person_role : person 3 au-delà du plus grand que donne la table (une clé qui n'est pas un nombre entier) ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux")
        }
        try db.execute("ROLLBACK TO damage; RELEASE damage")
        // (Its trigger, which queues the person, refuses a text: damage on disk would not ask it.)
        try db.execute("SAVEPOINT damage; DROP TRIGGER person_place_updated_role; UPDATE person_place SET person = 'zz' WHERE person = 1")
        #expect { try PersonPlaces(db: db) } throws: { error in
            "\(error)".contains("magasin endommagé, table person_place : person 3 au-delà du plus grand que donne la table (une clé qui n'est pas un nombre entier)")
        }
        try db.execute("ROLLBACK TO damage; RELEASE damage")
        try db.execute("UPDATE person_place SET person = 2147483648 WHERE person = 3")
        #expect { try RoleSnapshotWriter.write(db, persons: "person_place", collectingMasks: true) } throws: { error in
            "\(error)".contains("magasin endommagé, table person_place : person 2147483648 au-delà des 200\u{202F}000\u{202F}000 identifiants prévus")
        }
        #expect { try PersonPlaces(db: db) } throws: { error in
            "\(error)".contains("magasin endommagé, table person_place : person 2147483648 au-delà des 200\u{202F}000\u{202F}000 identifiants prévus")
        }
    }
}
