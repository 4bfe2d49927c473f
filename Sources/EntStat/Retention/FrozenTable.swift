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
        guard let rows = decode(Array(s.blob(1)), width: columns.count) else {
            throw StoreError.damaged(path: store.path, table: "frozen_report_table",
                                     reason: "tableau « \(query) » gelé du \(CivilDate(dayNumber: from)) au \(CivilDate(dayNumber: to)) : cellules illisibles")
        }
        return AnalystQuery.Table(columns: columns, rows: rows)
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

    /// The rows `encode` wrote, `width` cells each; nil for bytes it cannot have written
    /// (cut short, an unknown tag, a row left incomplete): a damaged store.
    static func decode(_ data: [UInt8], width: Int) -> [[DatabaseValue]]? {
        var rows: [[DatabaseValue]] = []
        var row: [DatabaseValue] = []
        var i = 0
        func u64() -> UInt64? {
            guard data.count - i >= 8 else { return nil }
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(data[i + k]) << (8 * UInt64(k)) }
            i += 8
            return v
        }
        func bytes() -> [UInt8]? {
            guard data.count - i >= 4 else { return nil }
            var n = 0
            for k in 0..<4 { n |= Int(data[i + k]) << (8 * k) }
            i += 4
            guard data.count - i >= n else { return nil }
            defer { i += n }
            return Array(data[i..<(i + n)])
        }
        while i < data.count {
            let tag = data[i]
            i += 1
            switch tag {
            case 0: row.append(.null)
            case 1: guard let v = u64() else { return nil }; row.append(.integer(Int64(bitPattern: v)))
            case 2: guard let v = u64() else { return nil }; row.append(.real(Double(bitPattern: v)))
            case 3: guard let b = bytes() else { return nil }; row.append(.text(String(decoding: b, as: UTF8.self)))
            case 4: guard let b = bytes() else { return nil }; row.append(.blob(b))
            default: return nil
            }
            if row.count == width {
                rows.append(row)
                row = []
            }
        }
        return row.isEmpty ? rows : nil
    }
}
