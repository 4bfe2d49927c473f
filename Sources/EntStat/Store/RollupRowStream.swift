import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Rollup rows (person, source, feature, days, requests, logins, visits) read in
/// (person, source, feature) byte order, from one of two kinds of statement:
/// - `plain`: a statement whose columns are those seven, in key order (day rows of
///   `activity`, with `1` as days);
/// - `packed`: a statement over `person_period` whose columns are person, days, requests,
///   logins, visits and detail, in person order. Each packed row is expanded into its total
///   row and the rows of its detail (`PackedPeriodRow`), keeping only `classes`.
///
/// Source and feature are bytes valid until the next call to `next()`: SQLite's own for a
/// plain statement and for a packed detail without escapes (the statement is not stepped
/// until every row of the detail is read), a scratch buffer's otherwise.
final class RollupRowStream {
    let statement: Statement
    private let packed: Bool
    private let classes: PeriodRowClasses

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

    /// Rows of a statement whose columns are person, source, feature, days, requests,
    /// logins and visits, in key order.
    init(plain statement: Statement) {
        self.statement = statement
        packed = false
        classes = .all
    }

    /// The rows of `classes` of the packed rows of a statement whose columns are person,
    /// days, requests, logins, visits and detail, in person order.
    init(packed statement: Statement, classes: PeriodRowClasses) {
        self.statement = statement
        packed = true
        self.classes = classes
    }

    deinit { scratch.deallocate() }

    /// Moves to the next row; false at the end.
    func next() throws -> Bool {
        let h = statement.handle
        guard packed else {
            guard try statement.step() else { return false }
            person = sqlite3_column_int64(h, 0)
            source = Self.text(h, 1)
            feature = Self.text(h, 2)
            days = sqlite3_column_int64(h, 3)
            requests = sqlite3_column_int64(h, 4)
            logins = sqlite3_column_int64(h, 5)
            visits = sqlite3_column_int64(h, 6)
            return true
        }
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

    /// Expands the statement's current packed row into `entries`.
    private func decode() throws {
        let h = statement.handle
        person = sqlite3_column_int64(h, 0)
        entries.removeAll(keepingCapacity: true)
        position = 0
        let totalDays = sqlite3_column_int64(h, 1)
        let detail = Self.text(h, 5)
        if scratch.count < detail.count {
            scratch.deallocate()
            scratch = .allocate(byteCount: max(detail.count, 256), alignment: 1)
        }
        scratchUsed = 0
        var totalPending = totalDays > 0 && classes.contains(.total)
        let total = Entry(source: Self.star, feature: Self.star, days: totalDays,
                          requests: sqlite3_column_int64(h, 2), logins: sqlite3_column_int64(h, 3),
                          visits: sqlite3_column_int64(h, 4))
        guard classes != .total else {
            if totalPending { entries.append(total) }
            return
        }
        var sorted = true
        try parse(detail) { entry in
            if totalPending && Self.precedes(total, entry) {
                entries.append(total)
                totalPending = false
            }
            guard classes.contains(PeriodRowClasses.of(source: entry.source, feature: entry.feature)) else { return }
            if let last = entries.last, !Self.precedes(last, entry) { sorted = false }
            entries.append(entry)
        }
        if totalPending { entries.append(total) }
        if !sorted { entries.sort(by: Self.precedes) }
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

    private func corrupt(_ reason: String) -> StoreError {
        .corruptRollup(person: person, reason: reason)
    }

    /// Calls `body` with each `[source, feature, days, requests, logins, visits]` of a
    /// detail, in stored order.
    private func parse(_ bytes: UnsafeRawBufferPointer, _ body: (Entry) throws -> Void) throws {
        var i = 0
        let n = bytes.count
        func skipSpaces() {
            while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }
        func expect(_ c: UInt8) throws {
            skipSpaces()
            guard i < n, bytes[i] == c else { throw corrupt("« \(Character(Unicode.Scalar(c))) » attendu à l'octet \(i)") }
            i += 1
        }
        func integer() throws -> Int64 {
            skipSpaces()
            var negative = false
            if i < n, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let start = i
            var v: Int64 = 0
            while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(bytes[i] - 0x30))
                guard !o1, !o2 else { throw corrupt("nombre trop grand à l'octet \(start)") }
                v = s
                i += 1
            }
            guard i > start else { throw corrupt("nombre attendu à l'octet \(start)") }
            return negative ? -v : v
        }
        func string() throws -> UnsafeRawBufferPointer {
            try expect(UInt8(ascii: "\""))
            let start = i
            while i < n, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < n else { throw corrupt("chaîne non terminée à l'octet \(start)") }
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<(i - 1)])
            }
            // Escapes: unescaped into the scratch buffer (never longer than the text).
            let out = scratchUsed
            for k in start..<i { scratch[scratchUsed] = bytes[k]; scratchUsed += 1 }
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
            return UnsafeRawBufferPointer(rebasing: scratch[out..<scratchUsed])
        }
        try expect(UInt8(ascii: "["))
        skipSpaces()
        if i < n, bytes[i] == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                try expect(UInt8(ascii: "["))
                let source = try string()
                try expect(UInt8(ascii: ","))
                let feature = try string()
                try expect(UInt8(ascii: ",")); let days = try integer()
                try expect(UInt8(ascii: ",")); let requests = try integer()
                try expect(UInt8(ascii: ",")); let logins = try integer()
                try expect(UInt8(ascii: ",")); let visits = try integer()
                try expect(UInt8(ascii: "]"))
                try body(Entry(source: source, feature: feature, days: days, requests: requests, logins: logins, visits: visits))
                skipSpaces()
                guard i < n else { throw corrupt("« ] » attendu à l'octet \(i)") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                break
            }
        }
        skipSpaces()
        guard i == n else { throw corrupt("octets en trop à l'octet \(i)") }
    }
}
