import EntStat

/// The French school calendar of zone B (académie d'Amiens) and public holidays.
///
/// Known years use the official dates; other years follow the usual pattern (Toussaint around
/// 20 October, Noël over the new year, winter and spring breaks mid-February and mid-April).
public struct SchoolCalendar: Sendable {
    /// Holiday periods as half-open serial ranges: first day off ..< first day back.
    let breaks: [Range<Int>]
    /// Public holidays (day serials).
    let publicHolidays: Set<Int>

    /// The calendar covering the school years that touch `from...to`.
    public init(from: CivilDate, to: CivilDate) {
        var breaks: [Range<Int>] = []
        var holidays = Set<Int>()
        let firstYear = (from.month >= 9 ? from.year : from.year - 1)
        let lastYear = (to.month >= 9 ? to.year : to.year - 1)
        for y in firstYear...lastYear {
            breaks += SchoolCalendar.breaks(schoolYearStarting: y)
            for cal in [y, y + 1] { holidays.formUnion(SchoolCalendar.publicHolidays(year: cal)) }
        }
        self.breaks = breaks
        self.publicHolidays = holidays
    }

    /// The kind of a day.
    public func kind(of serial: Int) -> DayKind {
        for (i, b) in breaks.enumerated() where b.contains(serial) {
            return i % 5 == 4 ? .summer : .holiday
        }
        if publicHolidays.contains(serial) { return .publicHoliday }
        switch CivilDate(dayNumber: serial).isoWeekday {
        case 3: return .wednesday
        case 6: return .saturday
        case 7: return .sunday
        default: return .schoolDay
        }
    }

    /// Toussaint, Noël, hiver, printemps, then the summer that ends the school year (5 ranges).
    static func breaks(schoolYearStarting y: Int) -> [Range<Int>] {
        func d(_ yy: Int, _ m: Int, _ dd: Int) -> Int { CivilDate(year: yy, month: m, day: dd).dayNumber }
        switch y {
        case 2017:
            return [d(2017, 10, 21)..<d(2017, 11, 6), d(2017, 12, 23)..<d(2018, 1, 8),
                    d(2018, 2, 24)..<d(2018, 3, 12), d(2018, 4, 21)..<d(2018, 5, 7),
                    d(2018, 7, 7)..<d(2018, 9, 3)]
        case 2018:
            return [d(2018, 10, 20)..<d(2018, 11, 5), d(2018, 12, 22)..<d(2019, 1, 7),
                    d(2019, 2, 9)..<d(2019, 2, 25), d(2019, 4, 6)..<d(2019, 4, 23),
                    d(2019, 7, 6)..<d(2019, 9, 2)]
        case 2019:
            return [d(2019, 10, 19)..<d(2019, 11, 4), d(2019, 12, 21)..<d(2020, 1, 6),
                    d(2020, 2, 15)..<d(2020, 3, 2), d(2020, 4, 11)..<d(2020, 4, 27),
                    d(2020, 7, 4)..<d(2020, 9, 1)]
        default:
            // Saturday on or after a date, as holidays start on Saturdays.
            func saturday(_ yy: Int, _ m: Int, _ dd: Int) -> Int {
                let s = d(yy, m, dd)
                return s + (6 - CivilDate(dayNumber: s).isoWeekday + 7) % 7
            }
            let toussaint = saturday(y, 10, 17)
            let noel = saturday(y, 12, 18)
            let hiver = saturday(y + 1, 2, 8)
            let printemps = saturday(y + 1, 4, 8)
            let summer = saturday(y + 1, 7, 1)
            let rentree = saturday(y + 1, 8, 28) + 2
            return [toussaint..<toussaint + 16, noel..<noel + 16, hiver..<hiver + 16,
                    printemps..<printemps + 16, summer..<rentree]
        }
    }

    /// French public holidays of a calendar year, Easter-based ones included.
    static func publicHolidays(year y: Int) -> [Int] {
        func d(_ m: Int, _ dd: Int) -> Int { CivilDate(year: y, month: m, day: dd).dayNumber }
        // Anonymous Gregorian algorithm for Easter Sunday.
        let a = y % 19, b = y / 100, c = y % 100, dd = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - dd - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        let easter = CivilDate(year: y, month: month, day: day).dayNumber
        return [d(1, 1), easter + 1, d(5, 1), d(5, 8), easter + 39, easter + 40, easter + 50,
                d(7, 14), d(8, 15), d(11, 1), d(11, 11), d(12, 25)]
    }
}
