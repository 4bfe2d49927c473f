/// What happened to one log file: ingested (with its counts), skipped as a repeat, or
/// failed (contributing nothing).
public struct FileReport: Sendable {
    /// How the file ended.
    public enum Outcome: Sendable, Equatable {
        /// Its records are in the store (its transaction was committed).
        case ingested
        /// The same content was already ingested, under this name.
        case skipped(previousName: String)
        /// It contributed nothing; the failure says what went wrong and where.
        case failed(FileFailure)
    }

    /// The file as named on the command line (or found in a folder).
    public var name: String
    /// Ingested, skipped or failed, and why.
    public var outcome: Outcome = .ingested
    /// `access`, `events`, or nil when no record was well-formed.
    public var source: LogSource?
    /// Non-blank lines.
    public var lines = 0
    /// Lines that became facts (SPEC §2.2).
    public var qualifying = 0
    /// Well-formed lines that do not count (SPEC §2.2: status, static assets, no user…).
    public var filtered = 0
    /// Malformed lines, reported with an excerpt and never counted.
    public var rejected = 0
    /// Bytes of the file as stored on disk, and of its decompressed text.
    public var compressedBytes = 0
    /// Bytes of its decompressed text.
    public var decodedBytes = 0
    /// Wall time spent on the file.
    public var seconds = 0.0
    /// The earlier, shorter copy of this file whose whole content this file starts with
    /// (a log fetched again once complete): only the lines after it were read.
    public var completes: String?
    /// The earlier, longer copy whose content starts with this file's whole content (a
    /// shorter copy read after the complete one): nothing in this file was counted.
    public var containedIn: String?
    /// First and last local day (days since 1970-01-01, Paris) of its qualifying records.
    public var firstDay: Int?
    /// Last local day of its qualifying records.
    public var lastDay: Int?
    /// When the file was written but lost with the transaction it shared with other files
    /// (its commit failed, a full disk; or SQLite rolled it back): that transaction's files
    /// that are not stored, each of which carries this. Lets the caller say it once.
    public var lostTransaction: LostTransaction?

    /// The files of one shared transaction that were lost with it, in order.
    public struct LostTransaction: Sendable, Equatable {
        /// How many files were lost with the transaction (at least 2).
        public var files: Int
        /// The first and last of them.
        public var first: String
        public var last: String
    }

    /// A file about to be read: ingested until something says otherwise.
    public init(name: String) { self.name = name }
}
