/// The log a record came from: the old ENT's access log or the new ENT's event log.
public enum LogSource: String, Sendable, CaseIterable {
    /// The old ENT's web access log (SPEC §1.3).
    case access
    /// The new ENT's JSON event log (SPEC §1.4).
    case events
}

extension LogSource {
    /// The format of a log, told by its first non-blank line: an event line starts with `{`
    /// (after any spaces and tabs), anything else is read as an access-log line.
    public static func of(firstLine line: UnsafeRawBufferPointer) -> LogSource {
        var i = 0
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
        return i < line.count && line[i] == UInt8(ascii: "{") ? .events : .access
    }
}
