import Testing
@testable import EntStat

/// `Database.transaction` and `inTransaction`: a body that throws leaves nothing of its
/// writes, one that returns leaves them all; `inTransaction` inside an open transaction
/// neither commits nor rolls back what that transaction holds.
@Suite struct DatabaseTransactionTests {
    private struct Stop: Error {}

    private static func table() throws -> Database {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (n INTEGER NOT NULL)")
        return db
    }

    @Test func aBodyThatThrowsLeavesNothing() throws {
        let db = try Self.table()
        #expect(throws: Stop.self) { try db.transaction { try db.execute("INSERT INTO t VALUES (1)"); throw Stop() } }
        #expect(throws: Stop.self) { try db.inTransaction { try db.execute("INSERT INTO t VALUES (2)"); throw Stop() } }
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 0)
        #expect(!db.isInTransaction)
        try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
        try db.inTransaction { try db.execute("INSERT INTO t VALUES (4)") }
        #expect(try db.scalarInt("SELECT SUM(n) FROM t") == 7)
        #expect(!db.isInTransaction)
    }

    /// Inside the caller's transaction, `inTransaction` writes into it: still open after
    /// the body, rolled back with it.
    @Test func insideAnOpenTransactionItStaysTheCallers() throws {
        let db = try Self.table()
        try db.execute("BEGIN")
        try db.inTransaction { try db.execute("INSERT INTO t VALUES (5)") }
        #expect(db.isInTransaction)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 1)
        try db.execute("ROLLBACK")
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 0)
    }
}
