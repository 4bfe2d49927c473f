/// What `ReportBuilder` produces: the HTML page and one CSV file per table, ready to be
/// written to the output folder.
public struct ReportOutput: Sendable {
    /// File name of the page in the output folder.
    public static let htmlFileName = "rapport.html"

    /// The self-contained page (`rapport.html`).
    public var html: String
    /// Every table of the report, in the order they appear.
    public var tables: [ReportTable]
    /// `(file name, content)` of every CSV file.
    public var csvFiles: [(name: String, content: String)]
    /// First and last day covered.
    public var from: CivilDate
    /// Last day covered.
    public var to: CivilDate
    /// Why the figures need a caution (days purged, a secret rotation inside the period),
    /// in French: in the page's footer, and for the command to say on standard error.
    public var notes: [String]
    /// Hidden cells a reader can still deduce exactly, because no other cell to hide would
    /// prevent it (`SecrecyPropagation.Memory.unfreeable`): for the command to say on
    /// standard error, never in the page.
    public var deducibleCells = 0
    /// Hidden cells of a group of tied cells too large for the linear solver
    /// (`ReportSuppression.Outcome.unchecked`): for the command to say on standard error.
    public var uncheckedCells = 0
    /// Hidden cells of such a group still deducible by chaining relations
    /// (`ReportSuppression.Outcome.deducibleUnsolved`): for the command to say on standard
    /// error.
    public var deducibleUnsolvedCells = 0
    /// The small-cell threshold the report is written at (`ReportRequest.minCell`).
    public var minCell = 0
    /// When the report is written at a threshold raised so that no hidden cell stays
    /// deducible (`ReportBuilder.buildRaisingMinCell`): the threshold asked for, and how
    /// many hidden cells stayed deducible at it. Nil otherwise.
    public var raisedFrom: (minCell: Int, deducibleCells: Int)?
    /// When hidden cells stay deducible (`deducibleCells`): the smallest higher threshold
    /// tried at which none does, for the command to advise it; nil when none was tried or
    /// none did.
    public var publishableMinCell: Int?
    /// When hidden cells stay deducible and higher thresholds were tried in vain: the
    /// highest tried, for the command to say so; nil otherwise.
    public var triedUpTo: Int?
    /// True when a reader can deduce a hidden cell from the others (`deducibleCells`,
    /// `deducibleUnsolvedCells`): what a higher threshold may cure.
    public var leavesCellsDeducible: Bool { deducibleCells > 0 || deducibleUnsolvedCells > 0 }
    /// The file `entstat report` writes beside the page of a report that must not be
    /// published as it is (`mustNotBePublished`), saying why; removed when a report fit to
    /// publish is written into the same folder. A folder of reports given to
    /// `--published-with` leaves such a report out (`PublishedReports`).
    public static let unpublishableFileName = "A-NE-PAS-PUBLIER.txt"
    /// True when the report must not be published as it is: a reader can deduce a hidden
    /// cell from the others, or some hidden cells could not be checked against every
    /// relation at once (`uncheckedCells`: the secrecy cannot say they are safe; a higher
    /// threshold does not help, reports by EPCI or commune do).
    public var mustNotBePublished: Bool { leavesCellsDeducible || uncheckedCells > 0 }
    /// How long each step of the build took, in the order the steps started: each query
    /// job (named after its table) and the statistical secrecy (when applied: `minCell` above
    /// 0). For the command to log at
    /// level info, so that an analyst sees which query to look at.
    public var timings: [StepTiming] = []

    /// One step of `ReportBuilder.build` on the clock.
    public struct StepTiming: Equatable, Sendable {
        /// What the step was.
        public enum Kind: Equatable, Sendable {
            /// A query file run over a range, named after the table it fills.
            case table(String)
            /// `ReportSuppression.apply`, over every table at once.
            case secrecy
        }
        /// The query file's table, or the secrecy.
        public var kind: Kind
        /// Seconds from the start of the first query to the start of this step.
        public var start: Double
        /// How long the step took.
        public var seconds: Double
    }
}
