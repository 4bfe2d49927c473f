/// What `entstat export` is asked for: a period kind, grouping dimensions, an optional
/// date range and the small-cell threshold.
public struct ExportRequest: Sendable {
    /// A request that cannot be answered.
    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case unknownDimension(String)
        case repeatedDimension(String)
        case emptyRange(from: String, to: String)

        public var description: String {
            switch self {
            case .unknownDimension(let d):
                return "dimension « \(d) » inconnue ; choisissez parmi role, level, school, commune, epci, feature, source"
            case .repeatedDimension(let d):
                return "dimension « \(d) » demandée deux fois"
            case .emptyRange(let from, let to):
                return "--from \(from) est après --to \(to)"
            }
        }
    }

    public var period: Period
    public var dimensions: [Dimension]
    public var from: CivilDate?
    public var to: CivilDate?
    public var minCell: Int

    /// An export by `period` and `dimensions` over `from`…`to` (every day with activity
    /// when nil), counts under `minCell` masked (none at 0).
    public init(period: Period, dimensions: [Dimension] = [], from: CivilDate? = nil, to: CivilDate? = nil, minCell: Int = 0) {
        self.period = period
        self.dimensions = dimensions
        self.from = from
        self.to = to
        self.minCell = minCell
    }

    /// True when rows carry account figures (no record-level dimension).
    public var includesAccounts: Bool { !dimensions.contains { !$0.isPlace } }
}
