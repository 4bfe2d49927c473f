/// One parsed line of the old ENT's web access log (SPEC §1.3), as slices of the line.
///
/// The slices point into the line's bytes and are valid only while the line is.
public struct AccessLogRecord {
    /// Unix time in whole seconds (UTC), the writer's offset applied.
    public var epochSeconds: Int64 = 0
    /// The authenticated user (`legacy_id`), empty when the log says `-`.
    public var user = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The request target's path, query string included; empty when there is no request.
    public var path = UnsafeRawBufferPointer(start: nil, count: 0)
    /// HTTP status.
    public var status: Int = 0

    /// An empty record, for `AccessLogParser.parse` to fill.
    public init() {}
}
