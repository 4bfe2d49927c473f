/// The largest person (or identity) id the store's readers accept: they keep flat arrays
/// indexed by person id (`PersonPlaces`, `PersonRoleMasks`, `RollupFigures`), so an id
/// far beyond any real count, which only a damaged or hand-edited store holds, would make
/// them allocate gigabytes. Ids are given one by one from 1: 200 million is twenty times
/// the accounts of every school of the country.
enum PersonIDLimit {
    static let largest = 200_000_000

    /// The size of an array indexed by the persons of `column` of `table`: the column's
    /// largest value (an index lookup when the column leads one) plus one, 0 for an empty
    /// table. Refused beyond `largest` as a damaged store.
    static func arrayCount(table: String, column: String, db: Database) throws -> Int {
        guard let maxID = try db.scalarInt("SELECT MAX(\(column)) FROM \(table)") else { return 0 }
        return max(0, Int(try checked(maxID, table: table, column: column, db: db)) + 1)
    }

    /// Refuses a row's `person` beyond the array of `count` persons sized by `arrayCount`:
    /// only a key that is not an integer gives one (a text sorts after every integer, so it
    /// is the column's largest value, and reads as 0).
    @inline(__always)
    static func checkIndex(_ person: Int, count: Int, table: String, db: Database) throws {
        guard person >= count else { return }
        throw StoreError.damaged(path: db.path, table: table,
                                 reason: "person \(person) au-delà du plus grand que donne la table (une clé qui n'est pas un nombre entier)")
    }

    /// `id`, read from `column` of `table`, refused beyond `largest` as a damaged store.
    @inline(__always)
    static func checked(_ id: Int64, table: String, column: String, db: Database) throws -> Int64 {
        guard id <= largest else {
            throw StoreError.damaged(path: db.path, table: table,
                                     reason: "\(column) \(id) au-delà des \(FrenchText.integer(largest)) identifiants prévus")
        }
        return id
    }

    /// Refuses a store whose identities or persons have an id beyond `largest` (two
    /// lookups of the tables' integer keys, when the store is opened): every array of
    /// persons is sized from them.
    static func check(_ db: Database) throws {
        for table in ["identity", "person"] { _ = try arrayCount(table: table, column: "id", db: db) }
    }
}
