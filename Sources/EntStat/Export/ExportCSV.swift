/// Formats figure rows as the CSV of `entstat export` (SPEC §3): comma, `.` decimal point,
/// header row, no BOM, rates with 4 decimals (empty when there are no accounts), and
/// small-cell suppression when `minCell` > 0.
public enum ExportCSV {
    public static func header(for request: ExportRequest) -> [String] {
        var h = ["period"] + request.dimensions.map(\.rawValue) + ["active_users", "connections", "logins", "requests"]
        if request.includesAccounts { h += ["accounts", "activated_accounts", "activation_rate", "active_rate"] }
        return h
    }

    public static func fields(_ row: FigureRow, request: ExportRequest) -> [String] {
        let suppressed = "< \(request.minCell)"
        func count(_ n: Int) -> String { Suppression.isSmall(n, minCell: request.minCell) ? suppressed : String(n) }
        func rate(_ value: Double?, from counts: Int...) -> String {
            guard let value else { return "" }
            if counts.contains(where: { Suppression.isSmall($0, minCell: request.minCell) }) { return suppressed }
            return formatRate(value)
        }
        var f = [row.period] + row.groups.map(CSVText.neutralized)
        f += [count(row.activeUsers), String(row.connections), String(row.logins), String(row.requests)]
        if request.includesAccounts {
            f += [count(row.accounts), count(row.activatedAccounts),
                  rate(row.activationRate, from: row.accounts, row.activatedAccounts),
                  rate(row.activeRate, from: row.accounts, row.listedActiveUsers)]
        }
        return f
    }

    /// A number with 4 decimals, `.` as decimal point, rounded half away from zero.
    public static func formatRate(_ value: Double) -> String {
        let scaled = Int((abs(value) * 10_000).rounded(.toNearestOrAwayFromZero))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return "\(sign)\(scaled / 10_000).\(String(scaled % 10_000).leftPadded(to: 4))"
    }

    /// The whole CSV document.
    public static func document(_ rows: [FigureRow], request: ExportRequest) -> String {
        var out = CSVText.line(header(for: request)) + "\r\n"
        for row in rows { out += CSVText.line(fields(row, request: request)) + "\r\n" }
        return out
    }
}
