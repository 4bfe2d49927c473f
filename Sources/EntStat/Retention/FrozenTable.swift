/// A report query result stored by `entstat purge` (`frozen_report_table`), replayed by
/// `entstat report` for the same territory and dates.
public enum FrozenTable {
    static func scopeKey(_ scope: ReportScope) -> String {
        switch scope {
        case .everything: return ""
        case .commune(let code): return "commune:" + code
        case .epci(let name): return "epci:" + name
        }
    }

    static func store(_ table: AnalystQuery.Table, in store: Store, scope: ReportScope, from: Int, to: Int, query: String) throws {
        try store.db.statement("""
            INSERT OR REPLACE INTO frozen_report_table(scope, from_day, to_day, query, columns, cells) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """).run(.text(scopeKey(scope)), .int(from), .int(to), .text(query),
                     .text(table.columns.joined(separator: "\u{1F}")), .blob(encode(table.rows)))
    }

    /// The frozen result of a query for a territory and dates, if any.
    public static func load(from store: Store, scope: ReportScope, from: Int, to: Int, query: String) throws -> AnalystQuery.Table? {
        let s = try store.db.prepare("""
            SELECT columns, cells FROM frozen_report_table WHERE scope = ?1 AND from_day = ?2 AND to_day = ?3 AND query = ?4
            """)
        try s.bind(.text(scopeKey(scope)), .int(from), .int(to), .text(query))
        guard try s.step() else { return nil }
        let columns = s.text(0).split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return AnalystQuery.Table(columns: columns, rows: decode(Array(s.blob(1)), width: columns.count))
    }

    /// Cells as tagged values: 0 null, 1 integer (8 bytes), 2 real (8 bytes, bit pattern),
    /// 3 text (4-byte length + UTF-8), 4 blob (4-byte length + bytes); little-endian.
    static func encode(_ rows: [[DatabaseValue]]) -> [UInt8] {
        var out: [UInt8] = []
        func u64(_ v: UInt64) { for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        func bytes(_ b: [UInt8]) {
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: b.count >> (8 * i))) }
            out += b
        }
        for row in rows {
            for cell in row {
                switch cell {
                case .null: out.append(0)
                case .integer(let v): out.append(1); u64(UInt64(bitPattern: v))
                case .real(let v): out.append(2); u64(v.bitPattern)
                case .text(let t): out.append(3); bytes(Array(t.utf8))
                case .blob(let b): out.append(4); bytes(b)
                }
            }
        }
        return out
    }

    static func decode(_ data: [UInt8], width: Int) -> [[DatabaseValue]] {
        var rows: [[DatabaseValue]] = []
        var row: [DatabaseValue] = []
        var i = 0
        func u64() -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(data[i + k]) << (8 * UInt64(k)) }
            i += 8
            return v
        }
        func bytes() -> [UInt8] {
            var n = 0
            for k in 0..<4 { n |= Int(data[i + k]) << (8 * k) }
            i += 4
            defer { i += n }
            return Array(data[i..<(i + n)])
        }
        while i < data.count {
            let tag = data[i]
            i += 1
            switch tag {
            case 1: row.append(.integer(Int64(bitPattern: u64())))
            case 2: row.append(.real(Double(bitPattern: u64())))
            case 3: row.append(.text(String(decoding: bytes(), as: UTF8.self)))
            case 4: row.append(.blob(bytes()))
            default: row.append(.null)
            }
            if row.count == width {
                rows.append(row)
                row = []
            }
        }
        return rows
    }
}
