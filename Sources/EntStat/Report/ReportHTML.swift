/// HTML building blocks of the report: tables, figures, tiles and the page around them.
/// Every text that may come from an input goes through `HTMLText.escape`.
public struct ReportHTML {
    /// Decimals of a percentage and of the change of a rate in points (14,3 %, +1,2 pt).
    public static let percentDigits = 1

    /// The small-cell threshold: a small hidden count is shown `< minCell`.
    public let minCell: Int
    /// The report's first and last days, when known: a month they cut is labelled with the
    /// days it holds (`FrenchText.monthLabel`).
    public let range: (from: CivilDate, to: CivilDate)?

    /// The blocks of a report with the threshold `minCell`, over `range` when known.
    public init(minCell: Int, range: (from: CivilDate, to: CivilDate)? = nil) {
        self.minCell = minCell
        self.range = range
    }

    /// The text of a cell as shown to a reader.
    public func display(_ cell: ReportCell, column: ReportColumn) -> String {
        if cell.isSuppressed { return FrenchText.hidden(cell.secrecy, minCell: minCell) }
        switch cell {
        case .text(let t):
            if column.holdsDays, let day = CivilDate(iso: t) { return FrenchText.shortDate(day) }
            // When a log failed: the store's UTC stamp in Paris time, as the page's other
            // dates (« Toutes les dates sont en heure de Paris »); the CSV file keeps it.
            if column.name == "date_echec", let moment = FrenchText.shortDateTime(utc: t) { return moment }
            return FrenchText.keyText(t, column: column.name, from: range?.from, to: range?.to)
        case .ordinal(let n):
            if column.name == "heure" { return "\(n) h" }
            if column.name == "jour_semaine", (1...7).contains(n) { return FrenchText.weekdays[n - 1] }
            return String(n)
        case .users(let n, _): return FrenchText.integer(n)
        // (A column of averages keeps its decimal on a whole value: « 97,0 » under « 105,9 ».)
        case .volume(let v, _): return v == v.rounded() && !column.holdsAverages ? FrenchText.integer(Int(v)) : FrenchText.displayDecimal(v, digits: 1)
        case .rate(let v, _): return v.map(FrenchText.percent) ?? "–"
        case .change(let v, let isRate, _):
            guard let v else { return "–" }
            if isRate {
                let points = FrenchText.displayDecimal(v * 100, digits: Self.percentDigits)
                return (v > 0 ? "+" : "") + points + FrenchText.thinSpace + "pt"
            }
            return (v > 0 ? "+" : "") + FrenchText.integer(Int(v))
        case .empty: return ""
        }
    }

    /// The text of a row's cell in a table of the page, whose columns `shown` are shown: a
    /// row without commune reads « — » under the commune's code and « (sans commune) » under
    /// its name (it read « (sans commune) » in both); a commune known by its code only (an
    /// agent's commune that no school of the schools file is in) reads « (nom inconnu) »
    /// under its name, not « (sans commune) » beside its code. A school the schools file
    /// lacks (a UAI of the logs only) reads « (absente du fichier des écoles) » under its
    /// name, its level and commune « (inconnu) », « (inconnue) », not « (sans école) » and
    /// « (sans commune) ». Otherwise `display`.
    func rowText(_ cell: ReportCell, column: ReportColumn, in row: [ReportCell], of table: ReportTable, shown: [Int]) -> String {
        guard case .text("") = cell else { return display(cell, column: column) }
        let code = table.column("code_commune").map { row[$0].textValue }
        if let uai = table.column("uai").map({ row[$0].textValue }), !uai.isEmpty, uai != "*" {
            switch column.name {
            case "ecole": return "(absente du fichier des écoles)"
            case "niveau": return "(inconnu)"
            case "commune": return "(inconnue)"
            default: break
            }
        }
        switch column.name {
        case "code_commune" where shown.contains { table.columns[$0].name == "commune" }:
            return "—"
        case "commune" where code.map { !$0.isEmpty && $0 != "*" } ?? false:
            return "(nom inconnu)"
        default:
            return display(cell, column: column)
        }
    }

    /// A table with its caption; `columns` limits and orders the columns shown.
    public func table(_ table: ReportTable, columns names: [String]? = nil, caption: String? = nil,
                      maxRows: Int? = nil, rowFilter: (([ReportCell]) -> Bool)? = nil) -> String {
        let indexes = names.map { $0.compactMap { table.column($0) } } ?? Array(table.columns.indices)
        var rows = table.rows
        if let rowFilter { rows = rows.filter(rowFilter) }
        var html = "<div class=\"table-wrap\"><table>"
        html += "<caption>\(HTMLText.escape(caption ?? table.title)) <span class=\"csv\">(\(HTMLText.escape(table.name)).csv)</span></caption><thead><tr>"
        for i in indexes {
            let numeric = table.columns[i].kind != .text
            html += "<th scope=\"col\"\(numeric ? " class=\"n\"" : "")>\(HTMLText.escape(table.columns[i].label))</th>"
        }
        html += "</tr></thead><tbody>"
        // A table of days says each one's weekday, unless a column beside it does.
        let weekdayShown = indexes.contains { table.columns[$0].name == "jour_semaine" }
        let shown = maxRows.map { Array(rows.prefix($0)) } ?? rows
        let headers = Self.rowHeaderCount(indexes.map { table.columns[$0] })
        for row in shown {
            let isTotal = indexes.contains { table.columns[$0].kind == .text && row[$0].textValue == "*" }
            html += isTotal ? "<tr class=\"total\">" : "<tr>"
            for (place, i) in indexes.enumerated() {
                let cell = row[i]
                let tag = place < headers ? "th scope=\"row\"" : "td", end = place < headers ? "th" : "td"
                if table.columns[i].holdsDays, let day = CivilDate(iso: cell.textValue) {
                    html += Self.dayCell(day, weekday: table.columns[i].name == "jour" && !weekdayShown, header: place < headers)
                    continue
                }
                let text = HTMLText.escape(rowText(cell, column: table.columns[i], in: row, of: table, shown: indexes))
                if table.columns[i].kind == .text {
                    html += "<\(tag)>\(isTotal && cell.textValue.isEmpty ? "" : text)</\(end)>"
                } else {
                    html += "<\(tag) class=\"n\(cell.isSuppressed ? " secret" : "")\">\(text)</\(end)>"
                }
            }
            html += "</tr>"
        }
        html += "</tbody></table></div>"
        if let maxRows, rows.count > maxRows {
            html += "<p class=\"note\">\(FrenchText.count(rows.count - maxRows, "autre ligne", "autres lignes")) dans le fichier \(HTMLText.escape(table.name)).csv.</p>"
        }
        if rows.isEmpty { html += "<p class=\"note\">Aucune donnée sur la période.</p>" }
        return html
    }

    /// The cell of a day in a table: the date in French, as the page writes its other dates
    /// (`8 oct. 2018`, or `lun. 8 oct. 2018` with `weekday`), kept on one line, its ISO date
    /// in the `datetime` of a `<time>` element for whatever sorts or reads the table (the
    /// CSV files keep `2018-10-08`); the row's header (`<th scope="row">`) when the day
    /// names the row (`header`).
    public static func dayCell(_ day: CivilDate, weekday: Bool = false, header: Bool = false) -> String {
        let text = "<time datetime=\"\(day)\">\(HTMLText.escape(FrenchText.shortDate(day, weekday: weekday)))</time>"
        return header ? "<th scope=\"row\" class=\"d\">\(text)</th>" : "<td class=\"d\">\(text)</td>"
    }

    /// The columns that may name a row after its first: its keys (a role and a level, a
    /// month and a role, a commune's code and name, a school's UAI and name…), not what
    /// describes it (a commune's EPCI, a school's level, a day's weekday, a failed log's
    /// reason).
    static let rowKeys: Set<String> = ["indicateur", "role", "niveau", "service", "source", "mois", "semaine", "jour", "heure",
                                       "epci", "code_commune", "commune", "uai", "ecole", "fichier"]

    /// How many of a table's shown `columns`, from the first, name its rows: written as row
    /// headers (`<th scope="row">`), so that a screen reader says which role, commune,
    /// school, month or day a figure is of (they were `<td>`, and a figure was read without
    /// its row). The first column when it is text (or an hour), then the keys that follow
    /// (`rowKeys`); a commune's or a school's name ends them (the EPCI or the level after it
    /// describes the row).
    static func rowHeaderCount(_ columns: [ReportColumn]) -> Int {
        var count = 0
        for (place, column) in columns.enumerated() {
            guard column.kind == .text || column.kind == .ordinal, place == 0 || rowKeys.contains(column.name) else { break }
            count += 1
            if column.name == "commune" || column.name == "ecole" { break }
        }
        return count
    }

    /// A chart with the sentence that says what it shows.
    public func figure(_ svg: String, sentence: String) -> String {
        "<figure><figcaption>\(HTMLText.escape(sentence))</figcaption>\(svg)</figure>"
    }

    /// A headline figure.
    public func tile(label: String, value: String, comparison: String) -> String {
        "<div class=\"tile\"><div class=\"tile-label\">\(HTMLText.escape(label))</div><div class=\"tile-value\">\(HTMLText.escape(value))</div><div class=\"tile-cmp\">\(HTMLText.escape(comparison))</div></div>"
    }

    /// Numbered section.
    public func section(id: String, number: Int, title: String, body: String) -> String {
        "<section id=\"\(id)\"><h2><span class=\"num\">\(number)</span> \(HTMLText.escape(title))</h2>\(body)</section>"
    }

    /// A paragraph of trusted report text (escaped anyway).
    public func paragraph(_ text: String) -> String { "<p>\(HTMLText.escape(text))</p>" }

    /// The whole document.
    public func page(title: String, subtitle: String, styleSheet: String, toc: [(String, String)], notices: [String] = [],
                     body: String, footer: String) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(FrenchTypography.apply(toHTML: HTMLText.escape(title)))</title><style>\n\(styleSheet)\n</style></head><body>"
        var text = "<header><h1>\(HTMLText.escape(title))</h1><p class=\"subtitle\">\(HTMLText.escape(subtitle))</p>"
        text += "<nav aria-label=\"Sommaire\"><ol>"
        for (id, name) in toc { text += "<li><a href=\"#\(id)\">\(HTMLText.escape(name))</a></li>" }
        text += "</ol></nav>"
        for notice in notices { text += "<p class=\"notice\" role=\"note\">\(HTMLText.escape(notice))</p>" }
        text += "</header><main>\(body)</main>"
        text += "<footer>\(HTMLText.escape(footer))</footer></body></html>\n"
        // The page's text typeset in French, the style sheet above left as it is.
        html += FrenchTypography.apply(toHTML: text)
        return html
    }
}
