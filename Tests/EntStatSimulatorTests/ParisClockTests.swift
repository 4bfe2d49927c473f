import Foundation
import Testing
@testable import EntStatSimulator

/// The hand-written Europe/Paris rule agrees with the tz database.
struct ParisClockTests {
    @Test func offsetsMatchTheTimeZoneDatabase() {
        let paris = TimeZone(identifier: "Europe/Paris")!
        // Every 15 minutes around each transition, every 7 hours elsewhere, 2000–2030.
        var t: Int64 = 946_684_800
        while t < 1_924_992_000 {
            let expected = paris.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
            #expect(ParisClock.offset(atEpoch: t) == expected, "at \(t)")
            let year = CivilDate(serial: Int(t / 86_400)).year
            let st = ParisClock.summerTime(year: year)
            let nearTransition = abs(t - st.start) < 7_200 || abs(t - st.end) < 7_200
            t += nearTransition ? 900 : 25_200
        }
    }

    @Test func civilDatesRoundTrip() {
        for serial in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(serial: serial).serial == serial)
        }
        #expect(CivilDate(parsing: "2018-10-28")!.weekday == 7)
        #expect(CivilDate(parsing: "2018-02-29") == nil)
        #expect(CivilDate(parsing: "2018-1-01") == nil)
    }

    @Test func repeatedAutumnHourHasTwoInstants() {
        let day = CivilDate(parsing: "2018-10-28")!.serial
        let wall = 2 * 3_600 + 30 * 60
        // 02:30 CEST = 00:30 UTC; 02:30 CET = 01:30 UTC.
        #expect(ParisClock.epoch(serial: day, wallSeconds: wall, later: false) == 1_540_686_600)
        #expect(ParisClock.epoch(serial: day, wallSeconds: wall, later: true) == 1_540_690_200)
        // Day lengths: 25 h in October, 23 h in March.
        #expect(ParisClock.midnight(serial: day + 1) - ParisClock.midnight(serial: day) == 90_000)
        let march = CivilDate(parsing: "2019-03-31")!.serial
        #expect(ParisClock.midnight(serial: march + 1) - ParisClock.midnight(serial: march) == 82_800)
    }

    @Test func secondOccurrenceIsWrittenWithWinterOffset() {
        let serial = CivilDate(parsing: "2018-10-28")!.serial
        let calendar = SchoolCalendar(from: CivilDate(parsing: "2018-10-01")!, to: CivilDate(parsing: "2018-11-30")!)
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
        let cal = SchoolCalendar(from: CivilDate(parsing: "2018-09-01")!, to: CivilDate(parsing: "2019-07-06")!)
        func kind(_ s: String) -> DayKind { cal.kind(of: CivilDate(parsing: s)!.serial) }
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
