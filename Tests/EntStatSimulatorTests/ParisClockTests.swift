import EntStat
import Foundation
import Testing
@testable import EntStatSimulator

/// The library's Europe/Paris clock as the simulator uses it: wall-clock times of a day
/// turned into instants (both occurrences of the repeated autumn hour), the summer-time bounds
/// cached per day, and the offsets the access log writes. The rule itself is checked against
/// Foundation in `EntStatTests/ParisClockTests`.
struct ParisClockTests {
    @Test func repeatedAutumnHourHasTwoInstants() {
        let day = CivilDate(iso: "2018-10-28")!.dayNumber
        let wall = 2 * 3_600 + 30 * 60
        // 02:30 CEST = 00:30 UTC; 02:30 CET = 01:30 UTC.
        #expect(ParisClock.instant(ofDay: day, wallClockSeconds: wall, secondOccurrence: false) == 1_540_686_600)
        #expect(ParisClock.instant(ofDay: day, wallClockSeconds: wall, secondOccurrence: true) == 1_540_690_200)
        // The skipped spring hour moves one hour on: 2018-03-25 02:30 → 03:30 CEST = 01:30 UTC.
        let march = CivilDate(iso: "2018-03-25")!.dayNumber
        for later in [false, true] {
            #expect(ParisClock.instant(ofDay: march, wallClockSeconds: wall, secondOccurrence: later) == 1_521_941_400)
        }
    }

    @Test func wallClockInstantsReadBackAsTheSameWallClock() {
        // Every half hour of 2018 and 2019: the instant shows the requested local day and hour,
        // except in the skipped spring hour; only the repeated autumn hour has two instants.
        let first = CivilDate(year: 2018, month: 1, day: 1).dayNumber
        let last = CivilDate(year: 2019, month: 12, day: 31).dayNumber
        var mismatches: [String] = []
        for day in first...last {
            let length = ParisClock.length(ofDay: day)
            for wall in stride(from: 0, to: 86_400, by: 1_800) {
                let early = ParisClock.instant(ofDay: day, wallClockSeconds: wall, secondOccurrence: false)
                let late = ParisClock.instant(ofDay: day, wallClockSeconds: wall, secondOccurrence: true)
                let skipped = length == 82_800 && wall / 3_600 == 2
                let repeated = length == 90_000 && wall / 3_600 == 2
                if late - early != (repeated ? 3_600 : 0) { mismatches.append("\(day) \(wall): two instants") }
                if skipped { continue }
                for t in [early, late] where ParisClock.localInstant(t).day != day || ParisClock.localHour(t) != wall / 3_600 {
                    mismatches.append("\(CivilDate(dayNumber: day)) \(wall)")
                }
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func summerTimeBoundsAndDayArithmetic() {
        for year in 2000...2040 {
            let st = ParisClock.summerTime(year: year)
            #expect(ParisClock.utcOffset(at: st.start - 1) == 3_600 && ParisClock.utcOffset(at: st.start) == 7_200)
            #expect(ParisClock.utcOffset(at: st.end - 1) == 7_200 && ParisClock.utcOffset(at: st.end) == 3_600)
            #expect(CivilDate(dayNumber: Int(st.start / 86_400)).year == year)
        }
        let date = CivilDate(year: 2018, month: 12, day: 31)
        #expect(date.adding(days: 1) == CivilDate(year: 2019, month: 1, day: 1))
        #expect(date.adding(days: -365) == CivilDate(year: 2017, month: 12, day: 31))
        #expect(CivilDate(year: 2016, month: 3, day: 1).adding(days: -1) == CivilDate(year: 2016, month: 2, day: 29))
        #expect(date.adding(days: 0) == date)
    }

    @Test func secondOccurrenceIsWrittenWithWinterOffset() {
        let serial = CivilDate(iso: "2018-10-28")!.dayNumber
        let calendar = SchoolCalendar(from: CivilDate(iso: "2018-10-01")!, to: CivilDate(iso: "2018-11-30")!)
        let day = DayContext(serial: serial, calendar: calendar, newStart: serial, switchDay: serial)
        let world = World(schools: [], communes: [], epcis: [], accounts: [], shards: [])
        let record = LogRecord(ms: 1_540_690_200_000, order: 0, account: -1, visit: 0, bytes: 2, status: 200, sub: 0,
                               kind: .health, feature: 0, previous: 255, extra: 0, ipNet: 0, ipHost: 1)
        var local = ByteBuffer(capacity: 256)
        AccessLogFormatter(world: world, day: day, utc: false).append(record, to: &local)
        var utc = ByteBuffer(capacity: 256)
        AccessLogFormatter(world: world, day: day, utc: true).append(record, to: &utc)
        #expect(String(decoding: local.bytes, as: UTF8.self).contains("[28/Oct/2018:02:30:00 +0100]"))
        #expect(String(decoding: utc.bytes, as: UTF8.self).contains("[28/Oct/2018:01:30:00 +0000]"))
        var first = record
        first.ms = 1_540_686_600_000
        local.removeAll()
        AccessLogFormatter(world: world, day: day, utc: false).append(first, to: &local)
        #expect(String(decoding: local.bytes, as: UTF8.self).contains("[28/Oct/2018:02:30:00 +0200]"))
    }

    @Test func zoneBCalendar() {
        let cal = SchoolCalendar(from: CivilDate(iso: "2018-09-01")!, to: CivilDate(iso: "2019-07-06")!)
        func kind(_ s: String) -> DayKind { cal.kind(of: CivilDate(iso: s)!.dayNumber) }
        #expect(kind("2018-10-19") == .schoolDay)
        #expect(kind("2018-10-20") == .holiday)
        #expect(kind("2018-11-04") == .holiday)
        #expect(kind("2018-11-05") == .schoolDay)
        #expect(kind("2018-11-07") == .wednesday)
        #expect(kind("2018-11-11") == .publicHoliday)
        #expect(kind("2019-04-22") == .holiday)
        #expect(kind("2019-05-30") == .publicHoliday)
        #expect(kind("2019-07-06") == .summer)
    }
}
