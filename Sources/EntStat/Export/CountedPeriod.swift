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

    /// Where a cell's value of one dimension of the request is: the source or feature of its
    /// combo, or value c of its group.
    enum Column: Equatable {
        case source
        case feature
        case place(Int)
    }

    /// The column of each of `dimensions`, in order (place dimensions numbered as
    /// `groupValues` holds them).
    static func columns(of dimensions: [Dimension]) -> [Column] {
        var places = 0
        return dimensions.map { d in
            switch d {
            case .source: return .source
            case .feature: return .feature
            default: places += 1; return .place(places - 1)
            }
        }
    }

    /// The cells as rows, with the values of `dimensions` in their order.
    func rows(dimensions: [Dimension]) -> [FigureRow] {
        let columns = Self.columns(of: dimensions)
        var rows: [FigureRow] = []
        rows.reserveCapacity(cells.count)
        for cell in cells {
            let place = groupValues[Int(cell.group)]
            let combo = combos[Int(cell.combo)]
            let groups = columns.map { column in
                switch column {
                case .source: return combo.source
                case .feature: return combo.feature
                case .place(let c): return place[c]
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
