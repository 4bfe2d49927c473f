/// Europe/Paris local time, computed from the European Union summer-time rule without
/// Foundation: summer time (UTC+2) from the last Sunday of March 01:00 UTC to the last
/// Sunday of October 01:00 UTC, standard time (UTC+1) otherwise. The rule has been in force
/// since 1996; earlier instants use it too (the tool reads ENT logs, which are all younger).
///
/// A local day is a calendar day in Paris; it lasts 23, 24 or 25 hours. Positions inside a
/// day are counted in real seconds from the instant of local midnight, so the two 02:xx
/// hours of the last Sunday of October stay distinct.
public enum ParisClock {
    /// The local day of an instant and the real seconds elapsed since that day's midnight.
    public struct LocalInstant: Equatable, Sendable {
        /// Local calendar day (days since 1970-01-01).
        public let day: Int
        /// Real seconds since the local midnight that began `day` (0 ..< 90 000).
        public let secondOfDay: Int
    }

    /// The UTC offset in seconds (3600 or 7200) in force at a Unix instant.
    @inline(__always)
    public static func utcOffset(at epochSeconds: Int64) -> Int {
        let (start, end) = summerTime(containing: epochSeconds)
        return epochSeconds >= start && epochSeconds < end ? 7200 : 3600
    }

    /// The local day and position in it of a Unix instant.
    @inline(__always)
    public static func localInstant(_ epochSeconds: Int64) -> LocalInstant {
        let local = epochSeconds + Int64(utcOffset(at: epochSeconds))
        let day = Int(floorDiv(local, 86_400))
        return LocalInstant(day: day, secondOfDay: Int(epochSeconds - midnight(ofDay: day)))
    }

    /// The Unix instant at which local day `day` begins.
    public static func midnight(ofDay day: Int) -> Int64 {
        // DST never changes at midnight in Paris (it changes at 02:00 or 03:00 local), so
        // the offset one hour before a UTC+1 midnight tells which one applies.
        let winterMidnight = Int64(day) * 86_400 - 3600
        return utcOffset(at: winterMidnight) == 7200 ? Int64(day) * 86_400 - 7200 : winterMidnight
    }

    /// Number of real seconds in a local day: 82 800, 86 400 or 90 000.
    public static func length(ofDay day: Int) -> Int {
        Int(midnight(ofDay: day + 1) - midnight(ofDay: day))
    }

    /// The Paris wall clock of an instant, as people read the time: its local day and the
    /// seconds the clock shows past midnight (0 ..< 86 400; the two 02:xx hours of the last
    /// Sunday of October both read 02:xx, unlike `localInstant`'s real seconds).
    public static func wallClock(_ epochSeconds: Int64) -> (day: Int, second: Int) {
        let local = epochSeconds + Int64(utcOffset(at: epochSeconds))
        return (Int(floorDiv(local, 86_400)), Int(floorMod(local, 86_400)))
    }

    /// The local wall-clock hour (0–23) of an instant.
    public static func localHour(_ epochSeconds: Int64) -> Int {
        let local = epochSeconds + Int64(utcOffset(at: epochSeconds))
        return Int(floorMod(local, 86_400) / 3600)
    }

    /// The Unix instant at which the wall clock of local day `day` shows `wallClockSeconds`
    /// past midnight (0 ..< 86 400), the inverse of `localInstant` in wall-clock terms.
    ///
    /// On the last Sunday of October the hour 02:00–03:00 happens twice: `secondOccurrence`
    /// picks the later one (standard time) rather than the earlier (summer time); on other
    /// days it is ignored. A time in the hour skipped on the last Sunday of March
    /// (02:00–03:00) is read as standard time, so it lands one hour later (02:30 → 03:30 CEST).
    public static func instant(ofDay day: Int, wallClockSeconds: Int, secondOccurrence: Bool) -> Int64 {
        let wall = Int64(day) * 86_400 + Int64(wallClockSeconds)
        let summer = wall - 7200
        let standard = wall - 3600
        let summerConsistent = utcOffset(at: summer) == 7200
        let standardConsistent = utcOffset(at: standard) == 3600
        if summerConsistent && standardConsistent { return secondOccurrence ? standard : summer }
        return summerConsistent ? summer : standard
    }

    /// The Unix instants at which summer time starts and ends in `year` (half-open: the
    /// offset is 7200 from `start` inclusive to `end` exclusive).
    public static func summerTime(year: Int) -> (start: Int64, end: Int64) {
        let (start, end) = computeSummerTime(year: year)
        return (start, end)
    }

    // MARK: - Summer time of a year

    private static let firstTabulatedYear = 1970
    private static let table: [(Int64, Int64)] = (1970...2200).map { computeSummerTime(year: $0) }

    @inline(__always)
    private static func summerTime(containing epochSeconds: Int64) -> (Int64, Int64) {
        // Year of the instant (UTC is close enough: transitions are far from New Year).
        let days = Int(floorDiv(epochSeconds, 86_400))
        let approximateYear = 1970 + Int(floorDiv(Int64(days) * 400, 146_097))
        var index = approximateYear - firstTabulatedYear
        if index < 0 || index >= table.count {
            return computeSummerTime(year: CivilDate(dayNumber: days).year)
        }
        // The approximation can be one year off near 1 January; transitions are in spring
        // and autumn, so either neighbour's table entry gives the right answer there.
        index = min(max(index, 0), table.count - 1)
        return table[index]
    }

    static func computeSummerTime(year: Int) -> (Int64, Int64) {
        func lastSunday(month: Int) -> Int {
            let last = CivilDate(year: year, month: month, day: 31)
            return last.dayNumber - (last.isoWeekday % 7)
        }
        let start = Int64(lastSunday(month: 3)) * 86_400 + 3600
        let end = Int64(lastSunday(month: 10)) * 86_400 + 3600
        return (start, end)
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inline(__always)
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
