/// The figures of one period of an export grouped by place, as `RollupFigures` counts them:
/// one cell per (group, source and feature) with activity, in export order, held as small
/// integers. Texts are made of them only once per line written (`ExportCSV.Writer`), or as
/// `FigureRow`s for the callers that need rows.
///
/// A day-level export by school, role and feature has three million lines on the Somme; a
/// `FigureRow` each (an array of strings) cost more in allocations and reference counting
/// than counting them.
struct CountedPeriod: Sendable {
    /// One (group, combo) of the period: `group` indexes `groupValues`, `combo` `combos`.
    struct Cell: Sendable {
        var group: Int32
        var combo: Int32
        var users: Int
        var listed: Int
        var requests: Int
        var logins: Int
        var visits: Int
    }

    /// The period's label (`2018-10-08`, `2018-W41`…).
    var label: String
    /// The period's cells, in export order.
    var cells: [Cell]
    /// The values of each group, in the order of the request's place dimensions (shared by
    /// every period of one export).
    var groupValues: [[String]]
    /// The (source, feature) of each combo id ('*' for a dimension not asked for).
    var combos: [(source: String, feature: String)]

    /// The cells as rows, with the values of `dimensions` in their order.
    func rows(dimensions: [Dimension]) -> [FigureRow] {
        var rows: [FigureRow] = []
        rows.reserveCapacity(cells.count)
        for cell in cells {
            let place = groupValues[Int(cell.group)]
            let combo = combos[Int(cell.combo)]
            var placeIndex = 0
            var groups: [String] = []
            groups.reserveCapacity(dimensions.count)
            for d in dimensions {
                switch d {
                case .source: groups.append(combo.source)
                case .feature: groups.append(combo.feature)
                default: groups.append(place[placeIndex]); placeIndex += 1
                }
            }
            var row = FigureRow(period: label, groups: groups)
            row.activeUsers = cell.users
            row.listedActiveUsers = cell.listed
            row.requests = cell.requests
            row.logins = cell.logins
            row.connections = cell.visits
            rows.append(row)
        }
        return rows
    }
}
