import Foundation
import Testing
@testable import EntStat

/// `MultiRowInsert` runs a plain `INSERT` as `INSERT OR IGNORE` (no statement journal):
/// a row that is not inserted must still be an error, never a silent loss.
@Suite struct MultiRowInsertTests {
    static func table() throws -> Database {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (day INTEGER NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, name)) WITHOUT ROWID")
        return db
    }

    @Test func everyRowGoesIn() throws {
        let db = try Self.table()
        var insert = MultiRowInsert(db: db, table: "t", columns: ["day", "name", "n"], rowsPerStatement: 4)
        for i in 0..<10 { try insert.add(i / 3, "x\(i)", i) }
        try insert.flush()
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 10)
        #expect(try db.scalarInt("SELECT SUM(n) FROM t") == 45)
    }

    /// Texts and blobs are bound from one buffer without a copy: each row must keep its own
    /// bytes, empty ones included, across statements and flushes.
    @Test func textsAndBlobsKeepTheirBytes() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE b (k INTEGER PRIMARY KEY, t TEXT NOT NULL, v BLOB NOT NULL)")
        var insert = MultiRowInsert(db: db, table: "b", columns: ["k", "t", "v"], rowsPerStatement: 3)
        let texts = ["École", "", "Vie scolaire", "x", "Cahier de textes numérique", ""]
        for (k, text) in texts.enumerated() { try insert.add(k, text, [UInt8](repeating: UInt8(k), count: k % 3)) }
        try insert.flush()
        let s = try db.prepare("SELECT t, hex(v), typeof(v) FROM b ORDER BY k")
        var rows: [String] = []
        while try s.step() { rows.append("\(s.text(0))|\(s.text(1))|\(s.text(2))") }
        #expect(rows == ["École||blob", "|01|blob", "Vie scolaire|0202|blob", "x||blob",
                         "Cahier de textes numérique|04|blob", "|0505|blob"])
    }

    @Test func aDuplicateKeyIsAnErrorAndTheTransactionRollsBack() throws {
        let db = try Self.table()
        try db.execute("INSERT INTO t VALUES (1, 'kept', 7)")
        #expect(throws: DatabaseError.self) {
            try db.transaction {
                var insert = MultiRowInsert(db: db, table: "t", columns: ["day", "name", "n"], rowsPerStatement: 4)
                try insert.add(1, "a", 1)
                try insert.add(1, "kept", 2)   // the key of the row already stored
                try insert.add(1, "b", 3)
                try insert.flush()
            }
        }
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 1)
        #expect(try db.scalarInt("SELECT n FROM t") == 7)
        // Within one full statement too.
        #expect(throws: DatabaseError.self) {
            try db.transaction {
                var insert = MultiRowInsert(db: db, table: "t", columns: ["day", "name", "n"], rowsPerStatement: 2)
                try insert.add(2, "a", 1)
                try insert.add(2, "a", 2)
            }
        }
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 1)
    }
}
