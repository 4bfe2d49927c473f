/// A proleptic Gregorian calendar date, convertible to and from a day number
/// (days since 1970-01-01), with the labels of every reporting period (SPEC §2.3).
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (1–9999 where a store is concerned), month (1–12) and day of the month.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, from 1.
    public let day: Int

    /// The date of `year`, `month` and `day`, as given (not checked).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day numbers of the years 1 to 9999, every date a log can write (its years have
    /// four digits): `init(dayNumber:)` needs one of them, and a day of the store outside
    /// them is damage.
    public static let supportedDayNumbers = -719_162...2_932_896

    /// The date of a day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Parses `YYYY-MM-DD` strictly (a real calendar date).
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysInMonth(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// The ISO 8601 week, e.g. `2018-W44` (Monday first; week 1 holds the first Thursday).
    public var isoWeekLabel: String {
        let thursday = CivilDate(dayNumber: dayNumber - isoWeekday + 4)
        let firstOfYear = CivilDate(year: thursday.year, month: 1, day: 1).dayNumber
        let week = (thursday.dayNumber - firstOfYear) / 7 + 1
        return "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)"
    }

    /// `YYYY-MM`.
    public var monthLabel: String { "\(CivilDate.pad4(year))-\(CivilDate.pad2(month))" }

    /// The school year, 1 September to 31 August: `2018-2019`.
    public var schoolYearLabel: String {
        let start = month >= 9 ? year : year - 1
        return "\(start)-\(start + 1)"
    }

    /// `YYYY-MM-DD`.
    public var description: String { "\(CivilDate.pad4(year))-\(CivilDate.pad2(month))-\(CivilDate.pad2(day))" }

    /// Earlier dates first (by day number).
    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    /// True for a leap year of the Gregorian calendar.
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// 28 to 31.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `v` on two digits at least (`07`).
    public static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func pad4(_ v: Int) -> String {
        let s = "\(v)"
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}
