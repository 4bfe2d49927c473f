/// How log files are cut in time.
public enum Rotation: String, Sendable, CaseIterable {
    /// One file per server and local day.
    case daily
    /// One file per server and local hour.
    case hourly
    /// Daily, except the event log of every second front server, which rotates hourly.
    case mixed
}
