import CSQLite
import Glibc

/// A prepared SQLite statement: bind, step, read columns.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    /// The SQL it was prepared from.
    public let sql: String

    /// The UTF-8 length of the first statement of `sql`, the one prepared: what follows it
    /// is not run (`AnalystQuery` refuses a file that holds more than one statement).
    public let preparedLength: Int

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer?
        var consumed = 0
        let status = sql.withCString { base -> Int32 in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(database.handle, base, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if let tail { consumed = base.distance(to: tail) }
            return status
        }
        guard status == SQLITE_OK else {
            let offset = Int(sqlite3_error_offset(database.handle))
            throw DatabaseError(code: status, message: database.lastMessage, sql: sql, offset: offset >= 0 ? offset : nil)
        }
        guard let statement else {
            // SQLite prepares nothing, without an error, from blanks and comments alone.
            throw DatabaseError(code: SQLITE_MISUSE, message: "aucune instruction SQL (texte vide ou seulement des commentaires)", sql: sql)
        }
        self.handle = statement
        self.database = database
        self.sql = sql
        self.preparedLength = consumed
    }

    deinit { sqlite3_finalize(handle) }

    /// True when the statement cannot change the database (SQLite's `sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Resets the statement so it can run again; bindings are cleared.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds values to `?1`, `?2`, … in order.
    public func bind(_ values: [DatabaseValue]) throws {
        for (i, value) in values.enumerated() {
            try bind(value, at: Int32(i + 1))
        }
    }

    /// Binds values to `?1`, `?2`, … in order.
    public func bind(_ values: DatabaseValue...) throws { try bind(values) }

    /// Binds a value to a named parameter (`:name`); returns false when the SQL has no such name.
    @discardableResult
    public func bind(_ value: DatabaseValue, named name: String) throws -> Bool {
        let index = sqlite3_bind_parameter_index(handle, name)
        guard index > 0 else { return false }
        try bind(value, at: index)
        return true
    }

    /// Names of the statement's parameters (`:from`, `:to`, …).
    public var parameterNames: [String] {
        let count = sqlite3_bind_parameter_count(handle)
        guard count > 0 else { return [] }
        return (1...count).compactMap { sqlite3_bind_parameter_name(handle, $0).map { String(cString: $0) } }
    }

    /// Binds one value to the parameter at `index` (from 1).
    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(handle, index)
        case .integer(let v): status = sqlite3_bind_int64(handle, index, v)
        case .real(let v): status = sqlite3_bind_double(handle, index, v)
        case .text(let v): status = sqlite3_bind_text(handle, index, v, -1, SQLITE_TRANSIENT)
        case .blob(let v):
            status = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
        }
        guard status == SQLITE_OK else { throw DatabaseError(code: status, message: database.lastMessage, sql: sql) }
    }

    /// Binds an integer to the parameter at `index`, without a `DatabaseValue`.
    public func bindInt(_ value: Int64, at index: Int32) throws {
        let status = sqlite3_bind_int64(handle, index, value)
        guard status == SQLITE_OK else { throw DatabaseError(code: status, message: database.lastMessage, sql: sql) }
    }

    /// Advances to the next row; returns false when there is none.
    public func step() throws -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw DatabaseError(code: status, message: database.lastMessage, sql: sql)
        }
    }

    /// Runs a statement that returns no rows.
    public func run(_ values: DatabaseValue...) throws {
        reset()
        try bind(values)
        while try step() {}
    }

    /// The number of columns of the statement's rows.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of column `i` (from 0): its `AS` alias when it has one.
    public func columnName(_ i: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(i))) }

    /// Whether column `i` of the current row is NULL.
    public func isNull(_ i: Int) -> Bool { sqlite3_column_type(handle, Int32(i)) == SQLITE_NULL }
    /// Whether the column holds an integer (not a real, a text, a blob or NULL).
    public func isInteger(_ i: Int) -> Bool { sqlite3_column_type(handle, Int32(i)) == SQLITE_INTEGER }

    /// Column `i` of the current row as a 64-bit integer (converted by SQLite).
    public func int64(_ i: Int) -> Int64 { sqlite3_column_int64(handle, Int32(i)) }

    /// Column `i` of the current row as an `Int` (converted by SQLite).
    public func int(_ i: Int) -> Int { Int(sqlite3_column_int64(handle, Int32(i))) }

    /// Column `i` of the current row as a `Double` (converted by SQLite).
    public func double(_ i: Int) -> Double { sqlite3_column_double(handle, Int32(i)) }

    /// Column `i` of the current row as a string, up to its first NUL; "" for NULL.
    public func text(_ i: Int) -> String {
        guard let p = sqlite3_column_text(handle, Int32(i)) else { return "" }
        return String(cString: p)
    }

    /// The column's text as bytes up to its first NUL, as `text(_:)` reads it (without
    /// repairing bytes that are not UTF-8), valid until the next step or reset.
    public func textUpToNUL(_ i: Int) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_text(handle, Int32(i)) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))
    }

    /// The column's bytes, valid until the next step or reset.
    public func blob(_ i: Int) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(handle, Int32(i)))
        guard let p = sqlite3_column_blob(handle, Int32(i)) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: count)
    }

    /// The column as a value (for generic CSV output of analyst queries).
    public func value(_ i: Int) -> DatabaseValue {
        switch sqlite3_column_type(handle, Int32(i)) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int64(i))
        case SQLITE_FLOAT: return .real(double(i))
        case SQLITE_BLOB: return .blob([UInt8](blob(i)))
        default: return .text(text(i))
        }
    }
}

/// SQLite's "copy this buffer now" destructor constant, which Swift does not import.
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A value that binds itself to a statement parameter without going through
/// `DatabaseValue` (the allocation-free path of hot inserts).
public protocol StatementBindable {
    /// Binds the value to the parameter at `index` (from 1) of `statement`.
    func bind(to statement: Statement, at index: Int32) throws
}

extension Int: StatementBindable {
    /// Binds the value as an SQLite integer.
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bindInt(Int64(self), at: index) }
}

extension Int64: StatementBindable {
    /// Binds the value as an SQLite integer.
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bindInt(self, at: index) }
}

extension String: StatementBindable {
    /// Binds the string as SQLite text (SQLite copies it).
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bindText(self, at: index) }
}

extension Statement {
    /// Resets, binds the values to `?1`, `?2`, … and runs a statement that returns no rows.
    public func execute<each V: StatementBindable>(_ values: repeat each V) throws {
        sqlite3_reset(handle)
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            try value.bind(to: self, at: index)
        }
        while try step() {}
    }

    /// Binds `bytes` as text without copying them (`SQLITE_STATIC`): they must stay where
    /// they are until the statement has run. No bytes bind ''.
    func bindTextInPlace(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        let status = if let base = bytes.baseAddress, bytes.count > 0 {
            sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        } else {
            sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT)
        }
        guard status == SQLITE_OK else { throw DatabaseError(code: status, message: database.lastMessage, sql: sql) }
    }

    /// Binds a string to the parameter at `index`, without a `DatabaseValue` (SQLite copies it).
    public func bindText(_ value: String, at index: Int32) throws {
        var value = value
        let status = value.withUTF8 { sqlite3_bind_text(handle, index, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count), SQLITE_TRANSIENT) }
        guard status == SQLITE_OK else { throw DatabaseError(code: status, message: database.lastMessage, sql: sql) }
    }
}
