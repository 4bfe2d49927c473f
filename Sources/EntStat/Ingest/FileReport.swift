/// What happened to one log file: ingested (with its counts), skipped as a repeat, or
/// failed (contributing nothing).
public struct FileReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case ingested
        /// The same content was already ingested, under this name.
        case skipped(previousName: String)
        case failed(FileFailure)
    }

    public var name: String
    public var outcome: Outcome = .ingested
    /// `access`, `events`, or nil when no record was well-formed.
    public var source: LogSource?
    /// Non-blank lines.
    public var lines = 0
    public var qualifying = 0
    public var filtered = 0
    public var rejected = 0
    public var compressedBytes = 0
    public var decodedBytes = 0
    public var seconds = 0.0
    public var firstDay: Int?
    public var lastDay: Int?

    public init(name: String) { self.name = name }
}
