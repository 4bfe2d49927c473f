/// Statistical secrecy for report tables (SPEC §3).
///
/// 1. **Primary**: a distinct-user or account count `n` with `0 < n < minCell` is hidden
///    (`< minCell`). Zero reveals nobody and is shown.
/// 2. **Complementary**: wherever a table holds a total row (a key column equal to `*`)
///    and its detail rows (same other keys), a single hidden detail cell could be recomputed
///    as total minus the others. So in each column, when exactly one detail cell is hidden,
///    the smallest other non-zero detail cell is hidden too; when there is no such cell, the
///    total is hidden instead. This repeats until nothing changes. Queries that break a
///    total down always include that total in the same table, so this within-table rule
///    also covers the breakdowns shown in other tables.
/// 3. **Rates**: a rate is hidden when its numerator or denominator column (see
///    `ReportColumn.rateBasis`) is hidden, or, for a rate of unknown basis, when any count
///    of its row is hidden.
public enum ReportSuppression {
    public static func apply(to table: inout ReportTable, minCell: Int) {
        guard minCell > 0 else { return }
        let userColumns = table.columns.indices.filter { table.columns[$0].kind == .users }
        for r in table.rows.indices {
            for c in userColumns {
                if case .users(let n, _) = table.rows[r][c], Suppression.isSmall(n, minCell: minCell) {
                    table.rows[r][c] = .users(n, suppressed: true)
                }
            }
        }
        complementary(&table, userColumns: userColumns)
        rates(&table)
    }

    static func complementary(_ table: inout ReportTable, userColumns: [Int]) {
        let keyColumns = table.columns.indices.filter { table.columns[$0].kind == .text || table.columns[$0].kind == .ordinal }
        var changed = true
        var rounds = 0
        while changed && rounds < 20 {
            changed = false
            rounds += 1
            for k in keyColumns where table.columns[k].kind == .text {
                // The rows by their other key cells (which this rule never changes): each
                // total row ('*' in column k) and its detail rows, in row order; one pass
                // over the table instead of one per total row.
                let others = keyColumns.filter { $0 != k }
                var details: [[ReportCell]: [Int]] = [:]
                var totals: [(row: Int, key: [ReportCell])] = []
                for r in table.rows.indices {
                    let key = others.map { table.rows[r][$0] }
                    if table.rows[r][k].textValue == "*" {
                        totals.append((r, key))
                    } else {
                        details[key, default: []].append(r)
                    }
                }
                for (t, key) in totals {
                    let details = details[key] ?? []
                    for c in userColumns {
                        let hidden = details.filter { table.rows[$0][c].isSuppressed }
                        guard hidden.count == 1 else { continue }
                        let candidates = details.filter { !table.rows[$0][c].isSuppressed && table.rows[$0][c].count > 0 }
                        if let smallest = candidates.min(by: { table.rows[$0][c].count < table.rows[$1][c].count }) {
                            table.rows[smallest][c] = .users(table.rows[smallest][c].count, suppressed: true)
                            changed = true
                        } else if !table.rows[t][c].isSuppressed, table.rows[t][c].count > 0 {
                            table.rows[t][c] = .users(table.rows[t][c].count, suppressed: true)
                            changed = true
                        }
                    }
                }
            }
        }
    }

    static func rates(_ table: inout ReportTable) {
        for (c, column) in table.columns.enumerated() where column.kind == .rate {
            let basis = ReportColumn.rateBasis(column.name).map { (table.column($0.numerator), table.column($0.denominator)) }
            for r in table.rows.indices {
                guard case .rate(let v, _) = table.rows[r][c], v != nil else { continue }
                let row = table.rows[r]
                let hide: Bool
                if let basis, let n = basis.0, let d = basis.1 {
                    hide = row[n].isSuppressed || row[d].isSuppressed
                } else {
                    hide = row.contains { $0.isSuppressed }
                }
                if hide { table.rows[r][c] = .rate(v, suppressed: true) }
            }
        }
    }
}
