/// The log a record came from: the old ENT's access log or the new ENT's event log.
public enum LogSource: String, Sendable, CaseIterable {
    case access
    case events
}
