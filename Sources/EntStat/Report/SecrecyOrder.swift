/// The row order of the tables sorted by a count, once that count may be hidden.
///
/// `services_par_role` lists each role's services from the most used, `heures_chargees` the
/// hours from the busiest, `volumes_par_role` the roles from the most requests: their
/// queries sort by the true counts, so a hidden count's place told its range (a teachers'
/// service shown `s` between 109 and 107 users was 107 to 109; a hidden hour after one of 16
/// visits had at most 16), which no relation of the secrecy states. Within each group of
/// rows, the rows whose count is hidden go last, in the order of their key (service, hour,
/// role), which tells nothing of their counts; the shown rows keep their order.
enum SecrecyOrder {
    /// How one table is ordered: the count it is sorted by, what makes a group of rows
    /// (consecutive rows with the same value), and the key that orders its hidden rows.
    struct Rule: Sendable {
        let count: String
        let group: @Sendable (ReportTable, [ReportCell]) -> String
        let key: String
    }

    static let rules: [String: Rule] = [
        "services_par_role": Rule(count: "utilisateurs", group: { t, row in t.cell(row, "role").textValue }, key: "service"),
        "heures_chargees": Rule(count: "connexions", group: { _, _ in "" }, key: "heure"),
        // The total row (`*`) apart from the roles.
        "volumes_par_role": Rule(count: "requetes", group: { t, row in t.cell(row, "role").textValue == "*" ? "*" : "" }, key: "role"),
    ]

    /// Moves, in each table a rule names, the rows whose count is hidden after the shown
    /// rows of their group.
    static func apply(to tables: inout [ReportTable]) {
        for t in tables.indices {
            guard let rule = rules[tables[t].name] else { continue }
            tables[t].rows = ordered(tables[t], rule)
        }
    }

    static func ordered(_ table: ReportTable, _ rule: Rule) -> [[ReportCell]] {
        guard table.column(rule.count) != nil, table.column(rule.key) != nil else { return table.rows }
        func group(_ row: [ReportCell]) -> String { rule.group(table, row) }
        func key(_ row: [ReportCell]) -> (Int, String) {
            let cell = table.cell(row, rule.key)
            if case .ordinal(let n) = cell { return (n, "") }
            return (0, cell.textValue)
        }
        var result: [[ReportCell]] = []
        var start = 0
        while start < table.rows.count {
            var end = start + 1
            while end < table.rows.count && group(table.rows[end]) == group(table.rows[start]) { end += 1 }
            let rows = table.rows[start..<end]
            result += rows.filter { !table.cell($0, rule.count).isSuppressed }
            result += rows.filter { table.cell($0, rule.count).isSuppressed }.sorted { key($0) < key($1) }
            start = end
        }
        return result
    }
}
