import CSQLite

/// Inserts rows into one table several at a time (`INSERT … VALUES (…), (…), …`): one
/// statement run per `rowsPerStatement` rows instead of one per row, which is most of the
/// cost of writing small derived rows. Rows are buffered; call `flush()` at the end.
///
/// A plain `INSERT` runs as `INSERT OR IGNORE` and then checks that every row went in,
/// throwing `DatabaseError` (constraint) otherwise, so the caller's transaction rolls back
/// as it would on the constraint error. The outcome is the same, but SQLite skips the
/// statement journal it keeps for a multi-row statement that may abort half-way: a copy
/// of every page the statement changes, written to a temporary file past 64 KiB (four
/// pages of this store). Rollups of the national access week: 6.1 M `pwrite` calls and
/// 10 s of system time before, 29.7 s → 20.5 s (see `PeriodRollupAppender`).
struct MultiRowInsert {
    private let db: Database
    private let table: String
    private let columns: [String]
    private let rowsPerStatement: Int
    private var integers: [Int] = []
    /// The bytes of every buffered text and blob, one after the other: bound without a
    /// copy (`SQLITE_STATIC`) while the statement runs, instead of one allocation each.
    private var bytes: [UInt8] = []
    /// Per buffered value: `Value.integer` (the next of `integers`), or a text or blob at
    /// a range of `bytes`.
    private var kinds: [Value] = []

    private enum Value {
        case integer
        case null
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
    }
    private var rows = 0
    /// The SQL of a full statement (built once).
    private let fullSQL: String

    private let verb: String

    /// `verb` is `INSERT`, `INSERT OR IGNORE` or `INSERT OR REPLACE`.
    init(db: Database, verb: String = "INSERT", table: String, columns: [String], rowsPerStatement: Int = 32) {
        self.db = db
        self.verb = verb
        self.table = table
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        fullSQL = MultiRowInsert.sql(verb: verb == "INSERT" ? "INSERT OR IGNORE" : verb, table: table, columns: columns, rows: rowsPerStatement)
    }

    /// The verb run: `INSERT OR IGNORE` for a plain `INSERT`, whose rows are then counted.
    private var sqlVerb: String { verb == "INSERT" ? "INSERT OR IGNORE" : verb }

    private static func sql(verb: String, table: String, columns: [String], rows: Int) -> String {
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "\(verb) INTO \(table)(\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: placeholders, count: rows).joined(separator: ", ")
    }

    /// Buffers one row of integers, texts, blobs and NULLs, in column order.
    mutating func add<each V: MultiRowValue>(_ values: repeat each V) throws {
        for value in repeat each values {
            value.append(to: &self)
        }
        rows += 1
        if rows == rowsPerStatement { try flush() }
    }

    fileprivate mutating func appendInteger(_ value: Int) {
        integers.append(value)
        kinds.append(.integer)
    }

    fileprivate mutating func appendNull() {
        kinds.append(.null)
    }

    fileprivate mutating func appendBlob(_ value: [UInt8]) {
        kinds.append(.blob(start: bytes.count, count: value.count))
        bytes.append(contentsOf: value)
    }

    fileprivate mutating func appendRaw(_ value: UnsafeRawBufferPointer, isText: Bool) {
        let start = bytes.count
        bytes.append(contentsOf: value)
        kinds.append(isText ? .text(start: start, count: value.count) : .blob(start: start, count: value.count))
    }

    fileprivate mutating func appendText(bytes value: [UInt8]) {
        kinds.append(.text(start: bytes.count, count: value.count))
        bytes.append(contentsOf: value)
    }

    fileprivate mutating func appendText(_ value: String) {
        var value = value
        let start = bytes.count
        value.withUTF8 { bytes.append(contentsOf: $0) }
        kinds.append(.text(start: start, count: bytes.count - start))
    }

    /// Drops the buffered rows (their transaction was rolled back, or they were inserted).
    mutating func discard() {
        integers.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
        rows = 0
    }

    /// Inserts the buffered rows.
    mutating func flush() throws {
        guard rows > 0 else { return }
        precondition(kinds.count == rows * columns.count, "MultiRowInsert: wrong number of values for \(table)")
        let statement = try db.statement(rows == rowsPerStatement ? fullSQL : MultiRowInsert.sql(verb: sqlVerb, table: table, columns: columns, rows: rows))
        var nextInteger = 0
        try bytes.withUnsafeBufferPointer { buffer in
            // SQLITE_STATIC (nil): the bytes stay put until the statement has run, below.
            let base = UnsafeRawPointer(buffer.baseAddress)
            for (i, kind) in kinds.enumerated() {
                let index = Int32(i + 1)
                let status: Int32
                switch kind {
                case .integer:
                    status = sqlite3_bind_int64(statement.handle, index, Int64(integers[nextInteger]))
                    nextInteger += 1
                case .null:
                    status = sqlite3_bind_null(statement.handle, index)
                case .text(let start, let count):
                    try statement.bindTextInPlace(UnsafeRawBufferPointer(start: base.map { $0 + start }, count: base == nil ? 0 : count), at: index)
                    status = SQLITE_OK
                case .blob(let start, let count):
                    if let base, count > 0 {
                        status = sqlite3_bind_blob(statement.handle, index, base + start, Int32(count), nil)
                    } else {
                        status = sqlite3_bind_zeroblob(statement.handle, index, 0)
                    }
                }
                guard status == SQLITE_OK else { throw DatabaseError(code: status, message: db.lastMessage, sql: statement.sql) }
            }
            while try statement.step() {}
        }
        if verb == "INSERT" { try db.expectInserted(rows, by: statement, into: table) }
        statement.reset()
        discard()
    }
}

/// A value `MultiRowInsert` can buffer: an integer, a text or a blob, or NULL (an optional
/// one that is nil).
protocol MultiRowValue {
    func append(to insert: inout MultiRowInsert)
}

extension Optional: MultiRowValue where Wrapped: MultiRowValue {
    func append(to insert: inout MultiRowInsert) {
        if let value = self { value.append(to: &insert) } else { insert.appendNull() }
    }
}

extension Int: MultiRowValue {
    func append(to insert: inout MultiRowInsert) { insert.appendInteger(self) }
}

extension Int64: MultiRowValue {
    func append(to insert: inout MultiRowInsert) { insert.appendInteger(Int(self)) }
}

extension String: MultiRowValue {
    func append(to insert: inout MultiRowInsert) { insert.appendText(self) }
}

/// UTF-8 bytes bound as a text (a blob is `[UInt8]` itself).
struct MultiRowText: MultiRowValue {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func append(to insert: inout MultiRowInsert) { insert.appendText(bytes: bytes) }
}

/// Bytes bound as a text or a blob, read from a buffer that outlives the `add` call (they
/// are copied into the statement's buffer at once): a slice of a larger arena, without an
/// array of its own.
struct MultiRowBytes: MultiRowValue {
    let bytes: UnsafeRawBufferPointer
    let isText: Bool
    func append(to insert: inout MultiRowInsert) { insert.appendRaw(bytes, isText: isText) }
}

extension Array: MultiRowValue where Element == UInt8 {
    func append(to insert: inout MultiRowInsert) { insert.appendBlob(self) }
}
