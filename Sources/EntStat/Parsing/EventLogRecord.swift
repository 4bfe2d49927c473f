/// One parsed line of the new ENT's JSON event log (SPEC §1.4).
///
/// String fields are decoded (JSON escapes resolved): slices of the line itself when they
/// hold no escape, else of the parser's scratch storage. They are valid only while the line
/// is, and until the parser reads the next one.
public struct EventLogRecord {
    /// Unix time in whole seconds (the `date` milliseconds, floored).
    public var epochSeconds: Int64 = 0
    /// `userId`, empty when missing, null or "".
    public var user = UnsafeRawBufferPointer(start: nil, count: 0)
    /// True when `event-type` is `LOGIN`.
    public var isLogin = false
    /// `module`, empty when missing.
    public var module = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `profil`, empty when missing.
    public var profil = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The raw bytes of the `structures` value as written (to notice a change cheaply); the
    /// decoded elements are in `EventLogParser.structures`.
    public var structuresRaw = UnsafeRawBufferPointer(start: nil, count: 0)

    /// An empty record, for `EventLogParser.parse` to fill.
    public init() {}
}
