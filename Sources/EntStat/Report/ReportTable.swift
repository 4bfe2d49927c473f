/// A table of the report, as shown in HTML and written to `<name>.csv`: typed columns and
/// rows of cells, with statistical secrecy already applied.
public struct ReportTable: Sendable {
    /// File name without extension (the query's name).
    public var name: String
    /// The table's title (the query's `-- titre:`), its caption in the page by default.
    public var title: String
    /// What the table answers, in one sentence.
    public var question: String
    /// The columns, in order, each with its kind.
    public var columns: [ReportColumn]
    /// The rows, one cell per column.
    public var rows: [[ReportCell]]

    /// A table of these columns and rows, taken as they are (no secrecy applied).
    public init(name: String, title: String, question: String, columns: [ReportColumn], rows: [[ReportCell]]) {
        self.name = name
        self.title = title
        self.question = question
        self.columns = columns
        self.rows = rows
    }

    /// Builds a table from a query result, typing columns by name, then suppresses small
    /// cells (see `ReportSuppression`). A value no cell can show (see `cell(_:kind:)`) stops
    /// the report with the query file, the result's row and the column.
    public init(query: QueryFile, result: AnalystQuery.Table, minCell: Int) throws(ReportError) {
        let columns = result.columns.map { ReportColumn(name: $0) }
        var rows: [[ReportCell]] = []
        for (r, values) in result.rows.enumerated() {
            var row: [ReportCell] = []
            for (i, value) in values.enumerated() {
                // A count of persons is whole: 2,7 shown as 2, or a text shown as it is,
                // would be neither the figure nor protected as a count.
                if columns[i].kind == .users, let problem = ReportTable.notACount(value) {
                    throw ReportError(file: query.path, message: "ligne \(r + 1) du résultat, colonne « \(columns[i].name) » : "
                        + "\(problem), alors qu'un effectif de personnes est un nombre entier ; corrigez la requête")
                }
                guard let cell = ReportTable.cell(value, kind: columns[i].kind) else {
                    throw ReportError(file: query.path, message: "ligne \(r + 1) du résultat, colonne « \(columns[i].name) » : "
                        + "valeur \(ReportTable.numberText(value)) hors de ce qu'un rapport peut afficher (nombre infini, ou dont la partie "
                        + "entière dépasse \(FrenchText.integer(Int(ReportTable.largestShown))) en valeur absolue) ; "
                        + "corrigez la requête ; si elle est celle livrée avec entstat, le magasin est endommagé : restaurez une sauvegarde ou reconstruisez-le depuis les journaux")
                }
                row.append(cell)
            }
            rows.append(row)
        }
        self.init(name: query.name, title: query.title, question: query.question, columns: columns, rows: rows)
        ReportSuppression.apply(to: &self, minCell: minCell)
    }

    /// The largest magnitude a number of the report may have: every integer up to it is
    /// exact in a `Double`, and it keeps its four decimals within an `Int` when shown
    /// (`FrenchText.decimal`). The persons of a whole country are below 10^8.
    static let largestShown = 1e14

    /// What makes `value` no count of persons (a number with a fraction, a text, bytes), or
    /// nil: an integer, an integral real (`12.0`), NULL.
    static func notACount(_ value: DatabaseValue) -> String? {
        switch value {
        case .null, .integer: return nil
        case .real(let v): return v.rounded() == v || !v.isFinite ? nil : "valeur \(numberText(value)) non entière"
        case .text(let t): return "texte « \(t.count > 40 ? t.prefix(40) + "…" : t) »"
        case .blob(let b): return "\(FrenchText.count(b.count, "octet")) de données binaires"
        }
    }

    /// A number as a message names it (`1e+300`, `-inf`, `9223372036854775807`).
    static func numberText(_ value: DatabaseValue) -> String {
        switch value {
        case .integer(let v): return String(v)
        case .real(let v): return FrenchText.unrounded(v)
        default: return "?"
        }
    }

    /// The cell that shows `value` in a column of `kind`; nil for a number a column of
    /// figures cannot show: infinite (SQLite has no NaN), or beyond `largestShown` (only a
    /// damaged store or a query gone wrong gives one). A text column shows any value.
    static func cell(_ value: DatabaseValue, kind: ReportColumn.Kind) -> ReportCell? {
        if kind != .text {
            switch value {
            case .integer(let v) where Double(v.magnitude) > largestShown: return nil
            case .real(let v) where !(abs(v) <= largestShown): return nil
            default: break
            }
        }
        switch (kind, value) {
        case (_, .null): return kind == .rate ? .rate(nil, secrecy: .shown) : .empty
        case (.users, .integer(let v)): return .users(Int(v), secrecy: .shown)
        case (.users, .real(let v)): return .users(Int(v), secrecy: .shown)
        case (.volume, .integer(let v)): return .volume(Double(v), secrecy: .shown)
        case (.volume, .real(let v)): return .volume(v, secrecy: .shown)
        case (.rate, .integer(let v)): return .rate(Double(v), secrecy: .shown)
        case (.rate, .real(let v)): return .rate(v, secrecy: .shown)
        case (.ordinal, .integer(let v)): return .ordinal(Int(v))
        case (_, .text(let t)): return .text(t)
        case (_, .integer(let v)): return .text(String(v))
        case (_, .real(let v)): return .text(FrenchText.decimal(v, digits: 4))
        case (_, .blob(let b)): return .text("<\(b.count) octets>")
        }
    }

    /// Index of a column by name.
    public func column(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The cell of a row in a named column.
    public func cell(_ row: [ReportCell], _ name: String) -> ReportCell {
        guard let i = column(name), i < row.count else { return .empty }
        return row[i]
    }

    /// Rows whose named text column equals a value.
    public func rows(where name: String, is value: String) -> [[ReportCell]] {
        guard let i = column(name) else { return [] }
        return rows.filter { $0[i].textValue == value }
    }
}
