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
