/// What a simulation wrote.
public struct SimulationSummary: Sendable {
    /// Schools written to `schools.csv`.
    public var schools = 0
    /// Accounts written to `accounts.csv`.
    public var accounts = 0
    /// Log files written (reference files not included).
    public var files = 0
    /// Log lines written, malformed ones included.
    public var lines = 0
    /// Malformed lines among `lines`.
    public var malformedLines = 0
    /// Lines per log: old ENT access log, new ENT event log.
    public var accessLines = 0
    /// Lines of the new ENT's event logs.
    public var eventLines = 0
    /// Bytes written on disk, reference files included.
    public var bytes = 0
    /// Wall-clock seconds of the whole simulation.
    public var seconds = 0.0

    /// An empty summary, every count 0.
    public init() {}

    mutating func add(_ o: SimulationSummary) {
        files += o.files
        lines += o.lines
        malformedLines += o.malformedLines
        accessLines += o.accessLines
        eventLines += o.eventLines
        bytes += o.bytes
    }
}
