import CSQLite

/// A thin, honest connection to one SQLite database: prepared statements, explicit
/// transactions, errors that carry the SQL and SQLite's message.
public final class Database {
    let handle: OpaquePointer
    /// The database file's path, as opened.
    public let path: String
    private var cache: [String: Statement] = [:]
    /// The rows `temp.activite_periode` reads on this connection (`RangeRowsTable`).
    let rangeRows = RangeRowsTable.Slot()
    /// What the engine's tables of each group (`RangeActivity`, `RangeMonthlySums`,
    /// `RangeWeeklySources`, `RangeAccounts`) hold on this connection: the range and place they were made for.
    var engineTables: [String: AnyHashable] = [:]

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        _ = Database.configured
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let status = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "ouverture impossible"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: status, message: message, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 0)
        if !readOnly {
            // The write-ahead log and its index stay beside the store when the last writer
            // closes (emptied, see `Store.walSizeLimit`): readers who may not write in the
            // store's folder (analysts, when the nightly job owns it) can then open it, which
            // SQLite allows only when those two files exist.
            var persist: Int32 = 1
            sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
        let registered = PeakWindowUsersFunction.register(on: db)
        guard registered == SQLITE_OK else {
            throw DatabaseError(code: registered, message: lastMessage, sql: "sqlite3_create_function_v2(\(PeakWindowUsersFunction.name))")
        }
        let collation = FrenchCollation.register(on: db)
        guard collation == SQLITE_OK else {
            throw DatabaseError(code: collation, message: lastMessage, sql: "sqlite3_create_collation_v2(\(FrenchCollation.name))")
        }
        let module = RangeRowsTable.register(on: db, slot: rangeRows)
        guard module == SQLITE_OK else {
            throw DatabaseError(code: module, message: lastMessage, sql: "sqlite3_create_module_v2(\(RangeRowsTable.moduleName))")
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection opens.
    ///
    /// SQLite does not count its memory use (entstat never asks for it): counting takes one
    /// process-wide mutex on every allocation, shared by the writer and the threads reading
    /// on other connections (first ingest of the national access week: 55.4 s → 49.2 s).
    ///
    /// Statement journals keep SQLite's default (in memory up to 64 KiB, then a temporary
    /// file). The writer's multi-row inserts need none (`MultiRowInsert`); with that
    /// default they made millions of small writes to such files. Kept in memory without a
    /// bound, a night's upsert of a month's rollups grew the run by 30 MB (and more on a
    /// larger store); with a 4 MiB bound, the spill failed on this machine with SQLITE_FULL
    /// on a disk with 18 GB free (SQLite 3.40.1; not investigated further: perhaps the
    /// write-ahead log's growth that `WALCheckpointer` now bounds, found in session 62).
    private static let configured: Int32 = entstat_sqlite3_config_memstatus(0)

    /// Kept alive until this connection is closed, then released: the store's `StoreLock`,
    /// whose descriptor on the store's file must not be closed while SQLite holds locks on
    /// it (closing any descriptor on a file drops all the process's POSIX locks on it).
    var closesBefore: AnyObject?

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
        // `closesBefore` is released after this body, so after the close above.
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw DatabaseError(code: status, message: message, sql: sql)
        }
    }

    /// Copies the committed pages of the write-ahead log that no reader needs into the
    /// database file, without waiting for any lock.
    func passiveCheckpoint() throws {
        let status = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        guard status == SQLITE_OK else {
            throw DatabaseError(code: status, message: lastMessage, sql: "sqlite3_wal_checkpoint_v2(PASSIVE)")
        }
    }

    /// A prepared statement, cached by its SQL text for reuse.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        let fresh = try Statement(database: self, sql: sql)
        cache[sql] = fresh
        return fresh
    }

    /// A prepared statement that is not cached (for one-off analyst queries).
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try committed(after: "BEGIN IMMEDIATE", body)
    }

    /// Runs `body` inside a deferred `BEGIN … COMMIT` (rolled back if it throws), or inside
    /// the transaction already open, which then stays open: for writes to the connection's
    /// temporary tables, many rows in one transaction whatever the caller holds.
    func inTransaction<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else { return try body() }
        return try committed(after: "BEGIN", body)
    }

    /// Runs `body` between the statement `begin` and `COMMIT`; `ROLLBACK` instead when it
    /// throws, and its error is thrown again.
    private func committed<T>(after begin: String, _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rowid of the last inserted row.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while a transaction is open: false after COMMIT or ROLLBACK, and after an error
    /// that made SQLite roll the transaction back by itself.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// After an `INSERT OR IGNORE` that stands for a plain `INSERT` (see `MultiRowInsert`):
    /// throws the constraint error SQLite would have raised when a row was not inserted.
    func expectInserted(_ rows: Int, by statement: Statement, into table: String) throws {
        let inserted = changes
        guard inserted == rows else {
            throw DatabaseError(code: SQLITE_CONSTRAINT,
                                message: "contrainte UNIQUE ou NOT NULL non respectée : \(rows - inserted) \(FrenchText.agreeing(rows - inserted, "ligne", "lignes")) sur \(rows) non \(FrenchText.agreeing(rows - inserted, "insérée", "insérées")) dans \(table)",
                                sql: statement.sql)
        }
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Sets how long a statement waits for another connection's lock before failing.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Convenience: the first column of the first row as an integer; nil when there is no
    /// row or the value is NULL.
    public func scalarInt(_ sql: String, _ bindings: DatabaseValue...) throws -> Int64? {
        let statement = try self.statement(sql)
        try statement.bind(bindings)
        defer { statement.reset() }
        // NULL (MIN or MAX over no row) is nil, as callers expect, never 0 (day 0 is 1970-01-01).
        guard try statement.step(), !statement.isNull(0) else { return nil }
        return statement.int64(0)
    }
}
