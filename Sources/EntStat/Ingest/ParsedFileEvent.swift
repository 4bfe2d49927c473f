/// What a parse worker tells the store writer about one log file, in this order: one
/// `.opened`, any number of `.batch`, then one `.finished` or `.failed`.
enum ParsedFileEvent: Sendable {
    /// The file could be opened: its raw SHA-256 (nil for standard input, known only at the
    /// end), so that a renamed repeat is skipped before its records are stored.
    case opened(rawSHA256: [UInt8]?)
    case batch(ParsedBatch)
    case finished(ParsedFileSummary)
    case failed(FileFailure)
}

/// The end of a parsed file: its counts and hashes, and a sample of its rejected lines.
struct ParsedFileSummary: Sendable {
    /// Counts, format and day range (the outcome is the writer's to set).
    var report: FileReport
    /// SHA-256 of the decompressed content (the ledger key: `x.log` and `x.log.gz` are one).
    var contentSHA256: [UInt8]
    /// SHA-256 of the content's head (`LogContentHead`), nil when it has none: how a later,
    /// longer copy of this log finds it in the ledger.
    var headSHA256: [UInt8]?
    /// SHA-256 of the raw bytes.
    var rawSHA256: [UInt8]
    /// Size of the file read (bytes read, for standard input) and its modification time,
    /// taken from the open file once it was read: what the ledger compares next night.
    var size: Int
    var mtime: Int?
    var rejectSample: [RejectedLine]
    /// The earlier copy this file completes, when its last line was cut short there (and
    /// rejected) and this file read it whole: the copy's ledger row then gives that line
    /// back (`LogIngester.finishFile`), so the ledger counts it once, as the parse did.
    var completedCutLine: CompletedCutLine? = nil

    /// The earlier copy's ledger key and the number of its cut last line.
    struct CompletedCutLine: Sendable {
        var contentSHA256: [UInt8]
        var line: Int
    }
}

/// One rejected line kept as an example in the ledger.
struct RejectedLine: Sendable {
    var line: Int
    var reason: String
    var excerpt: String
}
