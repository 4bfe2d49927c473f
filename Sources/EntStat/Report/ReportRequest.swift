/// What `entstat report` is asked for: period, territory, small-cell threshold and where the
/// query files are.
public struct ReportRequest: Sendable {
    /// First day included; nil = first day with activity.
    public var from: CivilDate?
    /// Last day included; nil = last day with activity.
    public var to: CivilDate?
    /// The small-cell threshold: user and account counts from 1 to `minCell` − 1 are hidden
    /// (0: no secrecy).
    public var minCell: Int
    /// The territory covered: the whole store, one commune or one EPCI.
    public var scope: ReportScope
    /// The folder of `.sql` files (see `QueryLibrary`).
    public var queriesDirectory: String
    /// The page's style sheet, inlined into the HTML.
    public var styleSheet: String
    /// The moment the report is written, as shown in its footer (`2019-03-01 10:12`).
    public var generatedAt: String
    /// The threshold asked for, when `minCell` was raised from it because hidden cells
    /// stayed deducible at it (`ReportBuilder.buildRaisingMinCell`): the page says so. Nil
    /// otherwise.
    public var minCellRaisedFrom: Int?
    /// The reports this one is published with (`--published-with`): the figures it shares
    /// with them are hidden where they hide them and shown where they show them.
    public var publishedWith = PublishedReports.none
    /// The largest group of tied hidden cells (rows × cells) the secrecy's linear solver
    /// takes on (`ReportSuppression.tableauLimit`); a larger group's cells are checked by
    /// bounds only and counted in `ReportOutput.uncheckedCells`. Lowered by tests only, to
    /// get such a group from a small store.
    var solverTableauLimit = ReportSuppression.tableauLimit

    /// The report of `from`…`to` (the first and last days with activity when nil), cells under
    /// `minCell` masked, over `scope`.
    public init(from: CivilDate? = nil, to: CivilDate? = nil, minCell: Int = 5, scope: ReportScope = .everything,
                queriesDirectory: String, styleSheet: String = "", generatedAt: String = "") {
        self.from = from
        self.to = to
        self.minCell = minCell
        self.scope = scope
        self.queriesDirectory = queriesDirectory
        self.styleSheet = styleSheet
        self.generatedAt = generatedAt
    }
}
