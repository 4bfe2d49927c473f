import Foundation
import Testing
@testable import EntStat

/// SPEC §2.3: every period is in Europe/Paris local time (DST days have 23 or 25 hours);
/// weeks are ISO weeks; school years run 1 September – 31 August. Expected values come from
/// Foundation's time-zone database and ISO-8601 calendar, an independent implementation.
@Suite struct ParisClockTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let start = utcEpoch(2000, 1, 1)
    static let end = utcEpoch(2041, 1, 1)

    static var parisCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        return calendar
    }

    @Test func utcOffsetMatchesFoundationEveryHour2000To2040() {
        var mismatches: [Int64] = []
        var t = Self.start
        while t < Self.end {
            // Each hour, plus the instants just before and after a possible transition.
            for probe in [t, t + 1, t + 3599] {
                let expected = Self.paris.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(probe)))
                if ParisClock.utcOffset(at: probe) != expected { mismatches.append(probe) }
            }
            t += 3600
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func localInstantMatchesFoundationEveryHour2000To2040() {
        let calendar = Self.parisCalendar
        var mismatches: [String] = []
        var t = Self.start
        var currentDay: (start: Int64, next: Int64, components: DateComponents)?
        while t < Self.end {
            // Foundation tells when the local day containing t started (recomputed once a day).
            if currentDay == nil || t >= currentDay!.next {
                let date = Date(timeIntervalSince1970: TimeInterval(t))
                let dayStart = calendar.startOfDay(for: date)
                let nextStart = calendar.date(byAdding: .day, value: 1, to: dayStart)!
                currentDay = (Int64(dayStart.timeIntervalSince1970), Int64(nextStart.timeIntervalSince1970),
                              calendar.dateComponents([.year, .month, .day], from: date))
            }
            let local = ParisClock.localInstant(t)
            let civil = CivilDate(dayNumber: local.day)
            let c = currentDay!.components
            if civil.year != c.year || civil.month != c.month || civil.day != c.day
                || local.secondOfDay != Int(t - currentDay!.start) {
                mismatches.append("\(t): \(civil) +\(local.secondOfDay)s")
            }
            if ParisClock.midnight(ofDay: local.day) != currentDay!.start {
                mismatches.append("\(t): midnight \(ParisClock.midnight(ofDay: local.day)) vs \(currentDay!.start)")
            }
            if ParisClock.length(ofDay: local.day) != Int(currentDay!.next - currentDay!.start) {
                mismatches.append("\(t): length of \(civil)")
            }
            t += 3600
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func localHourMatchesFoundationAroundTransitions() {
        let calendar = Self.parisCalendar
        for year in [2000, 2018, 2019, 2024, 2037, 2040] {
            for month in [3, 10] {
                // Every 15 minutes of the last week of March and October.
                var t = utcEpoch(year, month, 24)
                let stop = utcEpoch(year, month, 31, 23)
                while t <= stop {
                    let expected = calendar.component(.hour, from: Date(timeIntervalSince1970: TimeInterval(t)))
                    #expect(ParisClock.localHour(t) == expected, "\(t)")
                    t += 900
                }
            }
        }
    }

    @Test func dstDayLengths() {
        let spring = CivilDate(year: 2018, month: 3, day: 25).dayNumber
        let autumn = CivilDate(year: 2018, month: 10, day: 28).dayNumber
        #expect(ParisClock.length(ofDay: spring) == 23 * 3600)
        #expect(ParisClock.length(ofDay: autumn) == 25 * 3600)
        #expect(ParisClock.length(ofDay: spring - 1) == 24 * 3600)
        #expect(ParisClock.length(ofDay: spring + 1) == 24 * 3600)
        #expect(ParisClock.length(ofDay: autumn - 1) == 24 * 3600)
        #expect(ParisClock.length(ofDay: autumn + 1) == 24 * 3600)
        // Midnights: 2018-03-25 00:00 CET = 03-24 23:00 UTC; 2018-10-28 00:00 CEST = 10-27 22:00 UTC.
        #expect(ParisClock.midnight(ofDay: spring) == utcEpoch(2018, 3, 24, 23))
        #expect(ParisClock.midnight(ofDay: autumn) == utcEpoch(2018, 10, 27, 22))
        #expect(ParisClock.midnight(ofDay: autumn + 1) == utcEpoch(2018, 10, 28, 23))
    }

    @Test func transitionInstants() {
        // 2018-03-25 01:00 UTC: 02:00 CET becomes 03:00 CEST.
        let springForward = utcEpoch(2018, 3, 25, 1)
        #expect(ParisClock.utcOffset(at: springForward - 1) == 3600)
        #expect(ParisClock.utcOffset(at: springForward) == 7200)
        #expect(ParisClock.localHour(springForward - 1) == 1)
        #expect(ParisClock.localHour(springForward) == 3)
        // 2018-10-28 01:00 UTC: 03:00 CEST becomes 02:00 CET; 02:xx happens twice.
        let fallBack = utcEpoch(2018, 10, 28, 1)
        #expect(ParisClock.utcOffset(at: fallBack - 1) == 7200)
        #expect(ParisClock.utcOffset(at: fallBack) == 3600)
        let first = ParisClock.localInstant(fallBack - 1800)   // 02:30 CEST
        let second = ParisClock.localInstant(fallBack + 1800)  // 02:30 CET
        #expect(first.day == second.day)
        #expect(first.secondOfDay == 2 * 3600 + 1800)
        #expect(second.secondOfDay == 3 * 3600 + 1800)
        #expect(ParisClock.localHour(fallBack - 1800) == 2)
        #expect(ParisClock.localHour(fallBack + 1800) == 2)
        // The last second of the 25-hour day.
        let last = ParisClock.localInstant(utcEpoch(2018, 10, 28, 22, 59, 59))
        #expect(CivilDate(dayNumber: last.day) == CivilDate(year: 2018, month: 10, day: 28))
        #expect(last.secondOfDay == 90_000 - 1)
    }

    @Test func localMidnightBelongsToTheNewDay() {
        // 2018-11-01 00:00 Paris = 2018-10-31 23:00 UTC.
        let t = utcEpoch(2018, 10, 31, 23)
        #expect(ParisClock.localInstant(t) == ParisClock.LocalInstant(day: CivilDate(year: 2018, month: 11, day: 1).dayNumber, secondOfDay: 0))
        #expect(CivilDate(dayNumber: ParisClock.localInstant(t - 1).day) == CivilDate(year: 2018, month: 10, day: 31))
        // New Year in summer-time-free January.
        let newYear = utcEpoch(2018, 12, 31, 23)
        #expect(CivilDate(dayNumber: ParisClock.localInstant(newYear).day) == CivilDate(year: 2019, month: 1, day: 1))
        #expect(CivilDate(dayNumber: ParisClock.localInstant(newYear - 1).day) == CivilDate(year: 2018, month: 12, day: 31))
    }

    // MARK: - CivilDate

    @Test func civilDatesAndIsoWeeksMatchFoundationEveryDay2000To2040() {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = TimeZone(identifier: "UTC")!
        var mismatches: [String] = []
        let first = Int(Self.start / 86_400), last = Int(Self.end / 86_400)
        for dayNumber in first..<last {
            let date = Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86_400 + 43_200)
            let c = iso.dateComponents([.year, .month, .day, .weekday, .weekOfYear, .yearForWeekOfYear], from: date)
            let civil = CivilDate(dayNumber: dayNumber)
            let expectedWeek = String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
            let expectedWeekday = (c.weekday! + 5) % 7 + 1  // Foundation: 1 = Sunday
            if civil.year != c.year || civil.month != c.month || civil.day != c.day {
                mismatches.append("day \(dayNumber): \(civil)")
            }
            if civil.isoWeekLabel != expectedWeek { mismatches.append("\(civil): \(civil.isoWeekLabel) vs \(expectedWeek)") }
            if civil.isoWeekday != expectedWeekday { mismatches.append("\(civil): weekday \(civil.isoWeekday)") }
            if CivilDate(year: c.year!, month: c.month!, day: c.day!).dayNumber != dayNumber {
                mismatches.append("dayNumber of \(civil)")
            }
            if civil.description != String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) {
                mismatches.append("label \(civil)")
            }
            if civil.monthLabel != String(format: "%04d-%02d", c.year!, c.month!) { mismatches.append("month \(civil)") }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func knownIsoWeeks() {
        #expect(CivilDate(year: 2018, month: 10, day: 28).isoWeekLabel == "2018-W43")  // a Sunday
        #expect(CivilDate(year: 2018, month: 10, day: 29).isoWeekLabel == "2018-W44")  // the Monday after
        #expect(CivilDate(year: 2018, month: 12, day: 31).isoWeekLabel == "2019-W01")
        #expect(CivilDate(year: 2021, month: 1, day: 3).isoWeekLabel == "2020-W53")
        #expect(CivilDate(year: 2016, month: 1, day: 1).isoWeekLabel == "2015-W53")
        #expect(CivilDate(year: 2026, month: 1, day: 1).isoWeekLabel == "2026-W01")
    }

    @Test func schoolYears() {
        #expect(CivilDate(year: 2018, month: 8, day: 31).schoolYearLabel == "2017-2018")
        #expect(CivilDate(year: 2018, month: 9, day: 1).schoolYearLabel == "2018-2019")
        #expect(CivilDate(year: 2019, month: 1, day: 1).schoolYearLabel == "2018-2019")
        #expect(CivilDate(year: 2019, month: 8, day: 31).schoolYearLabel == "2018-2019")
        #expect(CivilDate(year: 2018, month: 12, day: 31).schoolYearLabel == "2018-2019")
    }

    @Test func isoDateParsingIsStrict() {
        #expect(CivilDate(iso: "2018-10-28") == CivilDate(year: 2018, month: 10, day: 28))
        #expect(CivilDate(iso: "2016-02-29") == CivilDate(year: 2016, month: 2, day: 29))
        #expect(CivilDate(iso: "2000-02-29") != nil)
        for bad in ["2018-02-29", "1900-02-29", "2018-13-01", "2018-00-10", "2018-01-00", "2018-04-31",
                    "2018-1-01", "18-01-01", " 2018-01-01", "2018-01-01 ", "2018/01/01", "2018-01-0a", "", "aaaa-bb-cc"] {
            #expect(CivilDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test func civilDateOrderingAndEpoch() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CivilDate(year: 1969, month: 12, day: 31).dayNumber == -1)
        #expect(CivilDate(dayNumber: -1) == CivilDate(year: 1969, month: 12, day: 31))
        #expect(CivilDate(year: 2018, month: 8, day: 31) < CivilDate(year: 2018, month: 9, day: 1))
        #expect(CivilDate(year: 2000, month: 1, day: 1).dayNumber == 10_957)
        #expect(CivilDate(year: 999, month: 1, day: 2).description == "0999-01-02")
    }
}
