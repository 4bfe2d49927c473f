/// The CSV files of the report, for spreadsheets used in France: UTF-8 with BOM, `;`
/// separator, decimal comma, one header row, CRLF, text neutralised against formulas
/// (SPEC §4), hidden cells written `< N` or `s` exactly as in the HTML.
public enum ReportCSV {
    /// Decimals of a rate and of the change of a rate (a fraction: 0,0713).
    public static let rateDigits = 4

    /// The CSV file of `table`: the column names as header, then its rows, a hidden cell
    /// written `< minCell` or `s`.
    public static func document(_ table: ReportTable, minCell: Int) -> String {
        var out = "\u{FEFF}" + CSVText.line(table.columns.map(\.name), separator: ";") + "\r\n"
        for row in table.rows {
            let fields = row.enumerated().map { field($0.element, column: table.columns[$0.offset], minCell: minCell) }
            out += CSVText.line(fields, separator: ";") + "\r\n"
        }
        return out
    }

    static func field(_ cell: ReportCell, column: ReportColumn, minCell: Int) -> String {
        if cell.isSuppressed { return FrenchText.hidden(cell.secrecy, minCell: minCell) }
        switch cell {
        case .text(let t): return CSVText.neutralized(t)
        case .ordinal(let n): return String(n)
        case .users(let n, _): return String(n)
        case .volume(let v, _):
            return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : FrenchText.decimal(v, digits: 2)
        case .rate(let v, _): return v.map { FrenchText.decimal($0, digits: rateDigits) } ?? ""
        case .change(let v, let isRate, _):
            guard let v else { return "" }
            return isRate ? FrenchText.decimal(v, digits: rateDigits) : String(Int(v))
        case .empty: return ""
        }
    }
}
