/// One log line before formatting, kept small so a shard-day of them sorts fast.
struct LogRecord {
    /// Instant, milliseconds since the Unix epoch.
    var ms: Int64
    /// Write order: the instant plus a little jitter (files are only roughly in time order).
    var order: Int64
    /// Index into `World.accounts`; -1 for anonymous traffic.
    var account: Int32
    /// Visit number within the work item (session id, IP address).
    var visit: UInt32
    var bytes: Int32
    var status: UInt16
    /// Page variant number.
    var sub: UInt16
    var kind: RecordKind
    var feature: UInt8
    /// Feature of the previous page (referer), 255 when none.
    var previous: UInt8
    /// Index of an asset or bot, depending on kind.
    var extra: UInt8
    var ipNet: UInt8
    var ipHost: UInt8
}
