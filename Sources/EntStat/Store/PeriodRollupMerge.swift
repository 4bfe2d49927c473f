import CSQLite

/// Sums one whole period's rollup rows (`activity_period`: per person, source and feature)
/// by merging streams that SQLite already returns in (person, source, feature) order, one
/// per day of `activity` for a week or a month, one per month's rollups for a school year,
/// instead of a `GROUP BY` over all of them.
///
/// A first ingest rebuilds each of its periods in one pass (`Store.rebuildPeriod`). With
/// a `GROUP BY`, SQLite sorted every day row of the period on the writer's thread: about
/// two thirds of the rollup step, which was half of a first ingest (national access week:
/// 6.8 M day rows, 7 s of sorting and 3 s of inserting per period). Here no row is sorted:
/// a merging thread, on its own read-only connection, reads the streams and sums equal
/// keys, and the writer only appends the sums, which come in the table's key order.
///
/// Keys compare as SQLite's `BINARY` collation does (bytes, then length): the merged
/// order is the order of each stream, so equal keys meet, and the appended rows extend
/// the B-tree at its end.
final class PeriodRollupMerge {
    /// Summed rows in key order, handed from the merging thread to the writer.
    struct Batch: Sendable {
        var person: [Int64] = []
        var source: [Int32] = []
        var feature: [Int32] = []
        var days: [Int64] = []
        var requests: [Int64] = []
        var logins: [Int64] = []
        var visits: [Int64] = []
        /// The text of each source and feature id seen so far (`texts[id]`); ids never
        /// change during a merge.
        var texts: [String] = []

        var count: Int { person.count }

        mutating func reserve(_ n: Int) {
            person.reserveCapacity(n); source.reserveCapacity(n); feature.reserveCapacity(n)
            days.reserveCapacity(n); requests.reserveCapacity(n); logins.reserveCapacity(n); visits.reserveCapacity(n)
        }
    }

    /// The sums of one (person, source, feature) key.
    private struct Sums {
        var days: Int64 = 0, requests: Int64 = 0, logins: Int64 = 0, visits: Int64 = 0
    }

    private let streams: [Statement]
    private let weights: [Int64]
    private let dropsEmptyKeys: Bool
    /// Current row of each stream: key and values (columns 0–6 of its statement).
    private var person: [Int64]
    private var source: [Int32]
    private var feature: [Int32]
    private var values: [Sums]
    /// Stream indexes ordered as a binary min-heap on their current key.
    private var heap: [Int] = []

    private var table = ByteStringTable(capacity: 64)
    private var texts: [String] = []
    private var textBytes: [[UInt8]] = []
    /// Position of each text id among all texts in byte order.
    private var rank: [Int32] = []

    /// Rows per batch handed to the writer.
    static let batchRows = 16_384

    /// A stream of the rollup rows of one period whose (source, feature, person) pass
    /// `filter`; columns: person, source, feature, days, requests, logins, visits, in key
    /// order (the primary key's, so SQLite does not sort).
    static func rollupStream(_ db: Database, kind: Store.RollupKind, first: Int, filter: String? = nil) throws -> Statement {
        let s = try db.prepare("""
            SELECT person, source, feature, days, requests, logins, visits FROM activity_period
            WHERE kind = ?1 AND first_day = ?2\(filter.map { " AND " + $0 } ?? "") ORDER BY person, source, feature
            """)
        try s.bind(.text(kind.rawValue), .int(first))
        return s
    }

    /// A stream of one day's rows of `activity` that pass `filter`, as `rollupStream`
    /// (days = 1).
    static func dayStream(_ db: Database, day: Int, filter: String? = nil) throws -> Statement {
        let s = try db.prepare("""
            SELECT person, source, feature, 1, requests, logins, visits FROM activity
            WHERE day = ?1\(filter.map { " AND " + $0 } ?? "") ORDER BY person, source, feature
            """)
        try s.bind(.int(day))
        return s
    }

    /// The values bound to each stream: every day of the period, or the first day of each
    /// month starting in the school year (the months `rebuildPeriod`'s SQL sums).
    static func streamKeys(_ kind: Store.RollupKind, first: Int, last: Int) -> [Int] {
        guard kind == .schoolYear else { return Array(first...last) }
        var keys: [Int] = []
        var date = CivilDate(dayNumber: first)
        date = CivilDate(year: date.year, month: date.month, day: 1)
        while date.dayNumber <= last {
            if date.dayNumber >= first { keys.append(date.dayNumber) }
            date = date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1)
                                    : CivilDate(year: date.year, month: date.month + 1, day: 1)
        }
        return keys
    }

    /// Prepares one stream per day of the period on `db` (a school year: one per month's
    /// rollup).
    convenience init(db: Database, kind: Store.RollupKind, first: Int, last: Int) throws {
        try self.init(streams: PeriodRollupMerge.streamKeys(kind, first: first, last: last).map { key in
            kind == .schoolYear ? try PeriodRollupMerge.rollupStream(db, kind: .month, first: key)
                                : try PeriodRollupMerge.dayStream(db, day: key)
        })
    }

    /// Merges `streams`, bound statements whose columns are person, source, feature, days,
    /// requests, logins and visits, each in (person, source, feature) order with each key
    /// at most once. `weights` (one per stream, default 1) multiply each stream's values;
    /// with a negative weight, a key whose requests sum to zero is not handed out.
    init(streams: [Statement], weights: [Int64] = []) throws {
        precondition(weights.isEmpty || weights.count == streams.count)
        self.streams = streams
        self.weights = weights
        dropsEmptyKeys = weights.contains { $0 < 0 }
        person = Array(repeating: 0, count: streams.count)
        source = Array(repeating: 0, count: streams.count)
        feature = Array(repeating: 0, count: streams.count)
        values = Array(repeating: Sums(), count: streams.count)
        for i in streams.indices where try advance(i) {
            heap.append(i)
            siftUp(heap.count - 1)
        }
    }

    /// Calls `emit` with batches of summed rows in key order until every stream is read;
    /// stops early when `emit` returns false.
    func run(_ emit: (Batch) -> Bool) throws {
        var batch = Batch()
        batch.reserve(PeriodRollupMerge.batchRows)
        while let top = heap.first {
            let key = (person[top], source[top], feature[top])
            var sums = Sums()
            repeat {
                let i = heap[0]
                let v = values[i]
                sums.days += v.days; sums.requests += v.requests; sums.logins += v.logins; sums.visits += v.visits
                if try advance(i) {
                    siftDown(0)
                } else {
                    heap[0] = heap[heap.count - 1]
                    heap.removeLast()
                    if !heap.isEmpty { siftDown(0) }
                }
            } while !heap.isEmpty && person[heap[0]] == key.0 && source[heap[0]] == key.1 && feature[heap[0]] == key.2
            if dropsEmptyKeys && sums.requests == 0 { continue }
            batch.person.append(key.0); batch.source.append(key.1); batch.feature.append(key.2)
            batch.days.append(sums.days); batch.requests.append(sums.requests)
            batch.logins.append(sums.logins); batch.visits.append(sums.visits)
            if batch.count == PeriodRollupMerge.batchRows {
                batch.texts = texts
                guard emit(batch) else { return }
                batch = Batch()
                batch.reserve(PeriodRollupMerge.batchRows)
            }
        }
        if batch.count > 0 {
            batch.texts = texts
            _ = emit(batch)
        }
    }

    /// Reads stream `i`'s next row; false at its end.
    private func advance(_ i: Int) throws -> Bool {
        let s = streams[i]
        guard try s.step() else { return false }
        person[i] = s.int64(0)
        source[i] = intern(s, column: 1)
        feature[i] = intern(s, column: 2)
        let w = weights.isEmpty ? 1 : weights[i]
        values[i] = Sums(days: w * s.int64(3), requests: w * s.int64(4), logins: w * s.int64(5), visits: w * s.int64(6))
        return true
    }

    /// The id of a text column's value, read from SQLite's bytes.
    private func intern(_ s: Statement, column: Int32) -> Int32 {
        let count = Int(sqlite3_column_bytes(s.handle, column))
        let base = sqlite3_column_text(s.handle, column)
        let bytes = UnsafeRawBufferPointer(start: base.map(UnsafeRawPointer.init), count: base == nil ? 0 : count)
        let hash = ByteStringTable.hash(bytes)
        if let id = table.find(bytes, hash: hash) { return id }
        let id = Int32(texts.count)
        table.insert(bytes, hash: hash, value: id)
        let copy = [UInt8](bytes)
        textBytes.append(copy)
        texts.append(String(decoding: copy, as: UTF8.self))
        // Ranks keep the order of the texts already seen, so the heap stays ordered.
        let order = textBytes.indices.sorted { textBytes[$0].lexicographicallyPrecedes(textBytes[$1]) }
        rank = Array(repeating: 0, count: order.count)
        for (position, textID) in order.enumerated() { rank[textID] = Int32(position) }
        return id
    }

    @inline(__always)
    private func less(_ a: Int, _ b: Int) -> Bool {
        if person[a] != person[b] { return person[a] < person[b] }
        let sa = rank[Int(source[a])], sb = rank[Int(source[b])]
        if sa != sb { return sa < sb }
        return rank[Int(feature[a])] < rank[Int(feature[b])]
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var smallest = left
            if left + 1 < n && less(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard less(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}

/// Appends `PeriodRollupMerge` batches to `activity_period`, 128 rows per statement (32:
/// 1.5 s more on the national week's rollups; `MultiRowInsert`'s rows gained nothing from 128), as
/// `INSERT OR IGNORE` whose rows are then counted (see `MultiRowInsert`: no statement
/// journal; a row not inserted is still an error).
struct PeriodRollupAppender {
    private let db: Database
    private let kind: String
    private let first: Int
    static let rowsPerStatement = 128
    private static let fullSQL = sql(rows: rowsPerStatement)
    /// The bytes of every text id, one after the other (`textRanges[id]`): bound without a
    /// copy (`SQLITE_STATIC`) while each statement runs.
    private var textBytes: [UInt8] = []
    private var textRanges: [(start: Int, count: Int)] = []

    init(db: Database, kind: Store.RollupKind, first: Int) {
        self.db = db
        self.kind = kind.rawValue
        self.first = first
    }

    static func sql(rows: Int) -> String {
        let tuple = "(?1, ?2, ?, ?, ?, ?, ?, ?, ?)"
        return "INSERT OR IGNORE INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
    }

    mutating func append(_ batch: PeriodRollupMerge.Batch) throws {
        while textRanges.count < batch.texts.count {
            var text = batch.texts[textRanges.count]
            let start = textBytes.count
            text.withUTF8 { textBytes.append(contentsOf: $0) }
            textRanges.append((start, textBytes.count - start))
        }
        let ranges = textRanges
        var start = 0
        while start < batch.count {
            let rows = min(PeriodRollupAppender.rowsPerStatement, batch.count - start)
            let statement = try db.statement(rows == PeriodRollupAppender.rowsPerStatement
                                             ? PeriodRollupAppender.fullSQL : PeriodRollupAppender.sql(rows: rows))
            try statement.bindText(kind, at: 1)
            try statement.bindInt(Int64(first), at: 2)
            try textBytes.withUnsafeBufferPointer { buffer in
                // SQLITE_STATIC (nil): the bytes stay put until the statement has run, below.
                func bindText(_ id: Int32, at index: Int32) throws {
                    let range = ranges[Int(id)]
                    let status = range.count == 0
                        ? sqlite3_bind_text(statement.handle, index, "", 0, SQLITE_TRANSIENT)
                        : sqlite3_bind_text(statement.handle, index,
                                            UnsafeRawPointer(buffer.baseAddress! + range.start).assumingMemoryBound(to: CChar.self),
                                            Int32(range.count), nil)
                    guard status == SQLITE_OK else { throw DatabaseError(code: status, message: db.lastMessage, sql: statement.sql) }
                }
                var index: Int32 = 3
                for row in start..<(start + rows) {
                    try statement.bindInt(batch.person[row], at: index)
                    try bindText(batch.source[row], at: index + 1)
                    try bindText(batch.feature[row], at: index + 2)
                    try statement.bindInt(batch.days[row], at: index + 3)
                    try statement.bindInt(batch.requests[row], at: index + 4)
                    try statement.bindInt(batch.logins[row], at: index + 5)
                    try statement.bindInt(batch.visits[row], at: index + 6)
                    index += 7
                }
                while try statement.step() {}
            }
            try db.expectInserted(rows, by: statement, into: "activity_period")
            statement.reset()
            start += rows
        }
    }
}
