import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// Instants shown to operators, in Paris wall-clock time to the minute (« 2026-12-01
/// 03:00 »): the store keeps them in UTC (`2026-12-01T02:00:00Z`), which an operator in
/// France would have to convert.
enum ParisTime {
    /// The Paris wall-clock time of a Unix instant.
    static func text(epochSeconds: Int64) -> String {
        let local = epochSeconds + Int64(ParisClock.utcOffset(at: epochSeconds))
        let day = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let second = Int(local - Int64(day) * 86_400)
        let (h, m) = (second / 3600, second / 60 % 60)
        return "\(CivilDate(dayNumber: day)) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    /// A store timestamp (`YYYY-MM-DDTHH:MM:SSZ`) in Paris time; kept as it is when it is
    /// not one.
    static func text(utc timestamp: String) -> String {
        let parts = timestamp.split(whereSeparator: { $0 == "T" || $0 == ":" || $0 == "Z" })
        guard timestamp.hasSuffix("Z"), parts.count == 4, let date = CivilDate(iso: parts[0]),
              let h = Int(parts[1]), let m = Int(parts[2]), let s = Int(parts[3]) else { return timestamp }
        return text(epochSeconds: Int64(date.dayNumber) * 86_400 + Int64(h * 3600 + m * 60 + s))
    }
}
