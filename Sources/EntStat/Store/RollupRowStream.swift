import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Rows (person, source, feature, days, requests, logins, visits) read in
/// (person, source, feature) byte order from packed rows (`PackedPeriodRow`): a statement
/// over `person_period` or `person_day_activity` whose columns are person, days (1 for a
/// day), requests, logins, visits and detail (which a stream of the totals alone,
/// `classes` `.total`, does not read, so its statement need not select it), in person
/// order. Each packed row is expanded into its total row and the rows of its detail,
/// keeping only `classes`.
///
/// Source and feature are bytes valid until the next call to `next()`: SQLite's own for a
/// detail without escapes (the statement is not stepped until every row of the detail is
/// read), a scratch buffer's otherwise.
///
/// A detail entstat cannot have written, or a count beyond `largestCount`, stops the
/// reading with `StoreError.damaged` naming `table` and the person.
final class RollupRowStream {
    let statement: Statement
    /// The table the packed rows come from, named by the errors.
    let table: String
    private let classes: PeriodRowClasses

    /// The largest count (days, requests, logins or visits) of one person in one period
    /// the stream accepts: no one makes four billion requests in a school year, and with
    /// at most `PersonIDLimit.largest` persons, sums of such counts over every person
    /// (and their differences) cannot overflow. A larger or negative count is damage.
    static let largestCount: Int64 = 0xFFFF_FFFF

    private(set) var person: Int64 = 0
    private(set) var source = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var feature = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var days: Int64 = 0
    private(set) var requests: Int64 = 0
    private(set) var logins: Int64 = 0
    private(set) var visits: Int64 = 0

    /// The current packed row's rows, in key order.
    private var entries: [Entry] = []
    private var position = 0
    /// Unescaped strings of the current packed row (rare: a name with `"`, `\` or a
    /// control byte).
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var scratchUsed = 0
    /// The entries of the current packed row when it is of one source (`decodeOneSource`).
    private var oneSource: [Entry] = []

    private struct Entry {
        var source: UnsafeRawBufferPointer
        var feature: UnsafeRawBufferPointer
        var days: Int64, requests: Int64, logins: Int64, visits: Int64
    }

    /// "*", from a static string (its bytes never move).
    private static var star: UnsafeRawBufferPointer {
        let text: StaticString = "*"
        return UnsafeRawBufferPointer(start: text.utf8Start, count: 1)
    }

    /// The rows of `classes` of the packed rows of a statement whose columns are person,
    /// days, requests, logins, visits and detail, in person order: in key order through
    /// `next()`, in the order of each detail through `forEachRow`.
    init(packed statement: Statement, table: String, classes: PeriodRowClasses) {
        self.statement = statement
        self.table = table
        self.classes = classes
    }

    deinit { scratch.deallocate() }

    /// Moves to the next row; false at the end.
    func next() throws -> Bool {
        while position == entries.count {
            guard try statement.step() else { return false }
            try decode()
        }
        let e = entries[position]
        position += 1
        source = e.source; feature = e.feature
        days = e.days; requests = e.requests; logins = e.logins; visits = e.visits
        return true
    }

    @inline(__always)
    private static func text(_ h: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        let start = sqlite3_column_text(h, column)
        return UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(h, column)))
    }

    /// Steps the statement to its end, handing every row of `classes` of every packed row
    /// to `body` (person, source, feature, days, requests, logins, visits) as it is decoded,
    /// in the order of each detail, the total first, unchecked: for a reader that only sums
    /// them, without keeping each packed row's rows first. On an error, rows of the damaged
    /// packed row may have been handed over already. With `keep`, the packed rows of the
    /// persons it refuses are skipped, their detail not decoded (nor checked).
    func forEachRow(keeping keep: ((Int64) -> Bool)? = nil,
                    _ body: (Int64, UnsafeRawBufferPointer, UnsafeRawBufferPointer, Int64, Int64, Int64, Int64) -> Void) throws {
        guard let keep else {
            while try statement.step() {
                _ = try decodeRow(ordered: false) { e in body(person, e.source, e.feature, e.days, e.requests, e.logins, e.visits) }
            }
            return
        }
        while try statement.step() {
            guard keep(sqlite3_column_int64(statement.handle, 0)) else { continue }
            _ = try decodeRow(ordered: false) { e in body(person, e.source, e.feature, e.days, e.requests, e.logins, e.visits) }
        }
    }

    /// Expands the statement's current packed row into `entries`.
    private func decode() throws {
        entries.removeAll(keepingCapacity: true)
        position = 0
        if try !decodeRow(ordered: true, emit: { entries.append($0) }) { entries.sort(by: Self.precedes) }
    }

    /// Decodes the statement's current packed row, handing each of its rows of `classes` to
    /// `emit`: in key order when `ordered`, unless the detail is not (then false: the caller
    /// sorts), otherwise in the order of the detail, the total first.
    @inline(__always)
    private func decodeRow(ordered: Bool, emit: (Entry) -> Void) throws -> Bool {
        let h = statement.handle
        person = sqlite3_column_int64(h, 0)
        let totalDays = sqlite3_column_int64(h, 1)
        var totalPending = totalDays > 0 && classes.contains(.total)
        let total = Entry(source: Self.star, feature: Self.star, days: totalDays,
                          requests: sqlite3_column_int64(h, 2), logins: sqlite3_column_int64(h, 3),
                          visits: sqlite3_column_int64(h, 4))
        try checkCounts(total, at: nil)
        // The totals alone: the detail is not read (the statement may not select it).
        guard classes != .total else {
            if totalPending { emit(total) }
            return true
        }
        let detail = Self.text(h, 5)
        if scratch.count < detail.count {
            scratch.deallocate()
            scratch = .allocate(byteCount: max(detail.count, 256), alignment: 1)
        }
        scratchUsed = 0
        if totalPending && !ordered {
            emit(total)
            totalPending = false
        }
        var sorted = true
        // The last row kept (for the order check), when `emitted`.
        var emitted = false
        var lastSource = Self.star, lastFeature = Self.star
        var cursor = DetailCursor(detail)
        if cursor.take(UInt8(ascii: "{")) {
            return try decodeOneSource(&cursor, total: total, totalPending: totalPending, ordered: ordered, emit: emit)
        }
        guard cursor.take(UInt8(ascii: "[")) else { throw corrupt(cursor.expected("[")) }
        if !cursor.take(UInt8(ascii: "]")) {
            while true {
                let entryAt = cursor.i
                guard cursor.take(UInt8(ascii: "[")) else { throw corrupt(cursor.expected("[")) }
                let source = try string(&cursor)
                guard cursor.take(UInt8(ascii: ",")) else { throw corrupt(cursor.expected(",")) }
                let feature = try string(&cursor)
                if totalPending && Self.compare(Self.star, Self.star, source, feature) < 0 {
                    emit(total)
                    totalPending = false
                    emitted = true
                    (lastSource, lastFeature) = (Self.star, Self.star)
                }
                if classes.contains(PeriodRowClasses.of(source: source, feature: feature)) {
                    let entry = try counts(&cursor, source: source, feature: feature, entryAt: entryAt)
                    if ordered {
                        if emitted && Self.compare(lastSource, lastFeature, source, feature) >= 0 { sorted = false }
                        (lastSource, lastFeature) = (source, feature)
                        emitted = true
                    }
                    emit(entry)
                } else {
                    // A row this reader does not want: its four counts skipped.
                    guard cursor.skipCounts() else { throw corrupt(cursor.expected("]")) }
                }
                if cursor.take(UInt8(ascii: ",")) { continue }
                guard cursor.take(UInt8(ascii: "]")) else { throw corrupt(cursor.expected("]")) }
                break
            }
        }
        guard cursor.atEnd else { throw corrupt("octets en trop à l'octet \(cursor.i)") }
        if totalPending { emit(total) }
        return sorted
    }

    /// Decodes a detail of one log source (`{"S":[[feature, days, requests, logins,
    /// visits], …]}`, its `{` taken): each entry is the row ('*', feature) and the row
    /// (S, feature), and the total is also the row (S, '*'), handed to `emit` in that
    /// order (key order when S sorts after '*' and the features come in byte order, as
    /// entstat writes them; otherwise false when `ordered`, and the caller sorts). Not
    /// `ordered`: the total, then each entry's rows as the entry is read, then (S, '*').
    private func decodeOneSource(_ cursor: inout DetailCursor, total: Entry, totalPending: Bool, ordered: Bool,
                                 emit: (Entry) -> Void) throws -> Bool {
        let sourceAt = cursor.i
        let source = try string(&cursor)
        guard !PackedPeriodRow.isStar(source) else { throw corrupt("source « * » d'un détail d'une seule source à l'octet \(sourceAt)") }
        guard cursor.take(UInt8(ascii: ":")) else { throw corrupt(cursor.expected(":")) }
        guard cursor.take(UInt8(ascii: "[")) else { throw corrupt(cursor.expected("[")) }
        oneSource.removeAll(keepingCapacity: true)
        // In no particular order (a reader that sums; the total went first): each entry's
        // rows handed over as it is read, not kept, so that only (S, '*') is left below.
        let direct = !ordered
        let byFeature = classes.contains(.byFeature), bySourceFeature = classes.contains(.bySourceFeature)
        if !cursor.take(UInt8(ascii: "]")) {
            while true {
                let entryAt = cursor.i
                guard cursor.take(UInt8(ascii: "[")) else { throw corrupt(cursor.expected("[")) }
                let featureAt = cursor.i
                let feature = try string(&cursor)
                guard !PackedPeriodRow.isStar(feature) else { throw corrupt("service « * » d'un détail d'une seule source à l'octet \(featureAt)") }
                let entry = try counts(&cursor, source: source, feature: feature, entryAt: entryAt)
                if direct {
                    if byFeature { emit(Entry(source: Self.star, feature: feature, days: entry.days, requests: entry.requests, logins: entry.logins, visits: entry.visits)) }
                    if bySourceFeature { emit(entry) }
                } else {
                    oneSource.append(entry)
                }
                if cursor.take(UInt8(ascii: ",")) { continue }
                guard cursor.take(UInt8(ascii: "]")) else { throw corrupt(cursor.expected("]")) }
                break
            }
        }
        guard cursor.take(UInt8(ascii: "}")) else { throw corrupt(cursor.expected("}")) }
        guard cursor.atEnd else { throw corrupt("octets en trop à l'octet \(cursor.i)") }
        guard total.days > 0 else { throw corrupt("détail d'une seule source sans total, à l'octet 0") }
        // In key order when the source sorts after '*' and the features, after '*' too,
        // come in byte order.
        var sorted = true
        if ordered {
            var last = Self.star
            sorted = Self.compare(Self.star, source) < 0
            for entry in oneSource where sorted {
                sorted = Self.compare(last, entry.feature) < 0
                last = entry.feature
            }
        }
        if totalPending { emit(total) }
        if byFeature {
            for var entry in oneSource {
                entry.source = Self.star
                emit(entry)
            }
        }
        if classes.contains(.bySource) {
            var sourceTotal = total
            sourceTotal.source = source
            emit(sourceTotal)
        }
        if bySourceFeature {
            for entry in oneSource { emit(entry) }
        }
        return sorted
    }

    /// A JSON string of the detail at the cursor: its bytes in place, or unescaped into
    /// the scratch buffer.
    @inline(__always)
    private func string(_ cursor: inout DetailCursor) throws -> UnsafeRawBufferPointer {
        guard cursor.take(UInt8(ascii: "\"")) else { throw corrupt(cursor.expected("\"")) }
        if let plain = cursor.plainString() { return plain }
        return try unescaped(&cursor)
    }

    /// A string with escapes (or without an end), its opening quote taken: unescaped into
    /// the scratch buffer (never longer than the text).
    @inline(never)
    private func unescaped(_ cursor: inout DetailCursor) throws -> UnsafeRawBufferPointer {
        let start = cursor.i
        let bytes = cursor.bytes
        let n = bytes.count
        var i = start
        let out = scratchUsed
        while true {
            guard i < n else { throw corrupt("chaîne non terminée à l'octet \(start)") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c != UInt8(ascii: "\\") { scratch[scratchUsed] = c; scratchUsed += 1; i += 1; continue }
            guard i + 1 < n else { throw corrupt("échappement incomplet à l'octet \(i)") }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch[scratchUsed] = e; scratchUsed += 1
            case UInt8(ascii: "b"): scratch[scratchUsed] = 8; scratchUsed += 1
            case UInt8(ascii: "f"): scratch[scratchUsed] = 12; scratchUsed += 1
            case UInt8(ascii: "n"): scratch[scratchUsed] = 10; scratchUsed += 1
            case UInt8(ascii: "r"): scratch[scratchUsed] = 13; scratchUsed += 1
            case UInt8(ascii: "t"): scratch[scratchUsed] = 9; scratchUsed += 1
            case UInt8(ascii: "u"):
                guard i + 4 <= n, let code = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + 4)]), as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(code) else { throw corrupt("échappement \\u invalide à l'octet \(i - 2)") }
                i += 4
                // At most 3 UTF-8 bytes for 6 escaped ones.
                for byte in String(Character(scalar)).utf8 { scratch[scratchUsed] = byte; scratchUsed += 1 }
            default:
                throw corrupt("échappement invalide à l'octet \(i - 2)")
            }
        }
        cursor.i = i
        return UnsafeRawBufferPointer(rebasing: scratch[out..<scratchUsed])
    }

    /// Key order: source, then feature, as SQLite's BINARY collation (bytes, then length).
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        let s = compare(a.source, b.source)
        return s != 0 ? s < 0 : compare(a.feature, b.feature) < 0
    }

    /// The order of two (source, feature) keys: negative, zero or positive.
    static func compare(_ sourceA: UnsafeRawBufferPointer, _ featureA: UnsafeRawBufferPointer,
                        _ sourceB: UnsafeRawBufferPointer, _ featureB: UnsafeRawBufferPointer) -> Int {
        let s = compare(sourceA, sourceB)
        return s != 0 ? s : compare(featureA, featureB)
    }

    /// The order of two texts as SQLite's BINARY collation: bytes, then length.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// The four counts of a detail entry (`, days, requests, logins, visits]`, after its
    /// names), each checked to be within a person's bounds.
    @inline(__always)
    private func counts(_ cursor: inout DetailCursor, source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer,
                        entryAt: Int) throws -> Entry {
        // Nearly every entry: four one-digit counts, within bounds by their width.
        if let (days, requests, logins, visits) = cursor.oneDigitCounts() {
            return Entry(source: source, feature: feature, days: days, requests: requests, logins: logins, visits: visits)
        }
        guard cursor.take(UInt8(ascii: ",")), let days = cursor.integer(),
              cursor.take(UInt8(ascii: ",")), let requests = cursor.integer(),
              cursor.take(UInt8(ascii: ",")), let logins = cursor.integer(),
              cursor.take(UInt8(ascii: ",")), let visits = cursor.integer(),
              cursor.take(UInt8(ascii: "]")) else { throw corrupt(cursor.expected("nombre")) }
        let entry = Entry(source: source, feature: feature, days: days, requests: requests, logins: logins, visits: visits)
        try checkCounts(entry, at: entryAt)
        return entry
    }

    /// Refuses an entry of the detail starting at byte `at` (or, `at` nil, the total's
    /// columns) with a count outside 0…`largestCount`: one test, as every count within it
    /// has the same high bits clear.
    @inline(__always)
    private func checkCounts(_ e: Entry, at offset: Int?) throws {
        guard UInt64(bitPattern: e.days | e.requests | e.logins | e.visits) > UInt64(Self.largestCount) else { return }
        throw countOutOfRange(e, at: offset)
    }

    @inline(never)
    private func countOutOfRange(_ e: Entry, at offset: Int?) -> StoreError {
        let (name, value) = [("days", e.days), ("requests", e.requests), ("logins", e.logins), ("visits", e.visits)]
            .first { !(0...Self.largestCount).contains($0.1) }!
        let place = offset.map { " dans l'entrée du détail à l'octet \($0)" } ?? ""
        return corrupt("\(name) \(value) hors de 0 à \(FrenchText.integer(Int(Self.largestCount)))\(place)")
    }

    private func corrupt(_ reason: String) -> StoreError {
        .damaged(path: statement.database.path, table: table, reason: "détail illisible pour la personne \(person) (\(reason))")
    }
}
