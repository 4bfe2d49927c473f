/// The figures of SPEC §2.4 for one period and group, before formatting.
public struct FigureRow: Equatable, Sendable {
    public var period: String
    public var groups: [String]
    public var activeUsers = 0
    public var connections = 0
    public var logins = 0
    public var requests = 0
    /// Active users listed in accounts.csv (the numerator of active_rate).
    public var listedActiveUsers = 0
    public var accounts = 0
    public var activatedAccounts = 0

    public init(period: String, groups: [String]) {
        self.period = period
        self.groups = groups
    }

    public var activationRate: Double? { accounts == 0 ? nil : Double(activatedAccounts) / Double(accounts) }
    public var activeRate: Double? { accounts == 0 ? nil : Double(listedActiveUsers) / Double(accounts) }
}
