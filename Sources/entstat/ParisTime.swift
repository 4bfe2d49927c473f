import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// Instants shown to operators, in Paris wall-clock time to the minute (« 2026-12-01
/// 03:00 »): the store keeps them in UTC (`2026-12-01T02:00:00Z`), which an operator in
/// France would have to convert.
enum ParisTime {
    /// The Paris day and the seconds since its midnight of a Unix instant, from the
    /// rules of `ParisClock` (no time-zone database needed: a minimal cron host may have none).
    static func wallClock(epochSeconds: Int64) -> (day: CivilDate, second: Int) {
        let (day, second) = ParisClock.wallClock(epochSeconds)
        return (CivilDate(dayNumber: day), second)
    }

    /// Today in Paris.
    static func today() -> CivilDate {
        wallClock(epochSeconds: Int64(time(nil))).day
    }

    /// The Paris wall-clock time of a Unix instant.
    static func text(epochSeconds: Int64) -> String {
        let (day, second) = wallClock(epochSeconds: epochSeconds)
        return "\(day) \(hourMinute(second))"
    }

    /// The Paris time of a Unix instant as a French report says it, as its other dates:
    /// « 3 décembre 2026 à 10 h 48 ».
    static func french(epochSeconds: Int64) -> String {
        let (day, second) = wallClock(epochSeconds: epochSeconds)
        return "\(FrenchText.date(day)) à \(FrenchText.clockTime(second))"
    }

    /// `HH:MM` of a number of seconds since midnight.
    private static func hourMinute(_ second: Int) -> String {
        "\(CivilDate.pad2(second / 3600)):\(CivilDate.pad2(second / 60 % 60))"
    }

    /// A store timestamp (`YYYY-MM-DDTHH:MM:SSZ`, `Store.epochSeconds(ofTimestamp:)`) in
    /// Paris time; kept as it is when it is not one.
    static func text(utc timestamp: String) -> String {
        Store.epochSeconds(ofTimestamp: timestamp).map { text(epochSeconds: $0) } ?? timestamp
    }
}
