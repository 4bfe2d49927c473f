import Testing
@testable import EntStat

/// SPEC §2.4: visits (gap ≤ 1800 s continues, 1801 s starts a new one; counted once per
/// feature and source touched, once in total), requests, logins, 5-minute windows.
@Suite struct DayActivityTests {
    typealias Key = DayActivity.Key
    static let total = Key(source: nil, featureID: nil)
    static let day = CivilDate(year: 2018, month: 11, day: 5).dayNumber  // an ordinary Monday
    static var dayStart: Int64 { ParisClock.midnight(ofDay: day) }

    private func entry(_ second: Int, feature: Int = 0, login: Bool = false, source: LogSource = .access, count: UInt32 = 1) -> TimelineEntry {
        TimelineEntry(second: second, featureID: feature, isLogin: login, source: source, count: count)
    }

    private func activity(_ entries: [TimelineEntry], dayStart: Int64 = DayActivityTests.dayStart) -> DayActivity {
        var sorted = entries
        TimelineEntry.normalize(&sorted)
        return DayActivity(entries: sorted, dayStart: dayStart)
    }

    @Test func gapOfExactly1800SecondsContinuesTheVisit() {
        #expect(activity([entry(36_000), entry(36_000 + 1800)]).visits == 1)
        #expect(activity([entry(36_000), entry(36_000 + 1801)]).visits == 2)
        #expect(activity([entry(36_000), entry(36_000 + 1799)]).visits == 1)
        // A chain of 1800 s gaps is one long visit.
        #expect(activity((0..<10).map { entry(30_000 + $0 * 1800) }).visits == 1)
        #expect(activity((0..<10).map { entry(30_000 + $0 * 1801) }).visits == 10)
    }

    @Test func emptyTimelineHasNothing() {
        let a = DayActivity(entries: [], dayStart: Self.dayStart)
        #expect(a.visits == 0)
        #expect(a.counts.isEmpty)
        #expect(a.visitStartHours.isEmpty)
        #expect(a.windows.allSatisfy { $0 == 0 })
    }

    @Test func visitTouchingTwoFeaturesCountsOnceForEachAndOnceInTotal() {
        let a = activity([entry(36_000, feature: 3), entry(36_100, feature: 5), entry(36_200, feature: 3)])
        #expect(a.visits == 1)
        #expect(a.counts[Key(source: nil, featureID: 3)]?.visits == 1)
        #expect(a.counts[Key(source: nil, featureID: 5)]?.visits == 1)
        #expect(a.counts[Key(source: .access, featureID: nil)]?.visits == 1)
        #expect(a.counts[Key(source: .access, featureID: 3)]?.visits == 1)
        #expect(a.counts[Key(source: .events, featureID: nil)] == nil)
        #expect(a.counts[Key(source: nil, featureID: 3)]?.requests == 2)
        #expect(a.counts[Key(source: nil, featureID: 5)]?.requests == 1)
        #expect(a.counts[Self.total]?.requests == 3)
    }

    @Test func visitsAcrossBothSources() {
        // Access log at 10:00, event log 20 minutes later, then event log 2 hours later.
        let a = activity([entry(36_000, feature: 1, source: .access),
                          entry(37_200, feature: 1, source: .events),
                          entry(44_400, feature: 2, source: .events)])
        #expect(a.visits == 2)
        #expect(a.counts[Key(source: .access, featureID: nil)]?.visits == 1)
        #expect(a.counts[Key(source: .events, featureID: nil)]?.visits == 2)
        #expect(a.counts[Key(source: nil, featureID: 1)]?.visits == 1)
        #expect(a.counts[Key(source: nil, featureID: 2)]?.visits == 1)
        #expect(a.counts[Key(source: .events, featureID: 1)]?.visits == 1)
        #expect(a.counts[Key(source: .events, featureID: 2)]?.visits == 1)
        #expect(a.counts[Key(source: .access, featureID: 2)] == nil)
    }

    @Test func requestsAndLoginsAreSums() {
        let a = activity([entry(1000, feature: 7, login: true, count: 2),
                          entry(1000, feature: 7, login: true),           // merged with the line above
                          entry(1000, feature: 7, login: false, count: 4),
                          entry(5000, feature: 8, login: true, source: .events, count: 5)])
        #expect(a.counts[Self.total] == DayActivity.Counts(requests: 12, logins: 8, visits: 2))
        #expect(a.counts[Key(source: nil, featureID: 7)] == DayActivity.Counts(requests: 7, logins: 3, visits: 1))
        #expect(a.counts[Key(source: .events, featureID: 8)] == DayActivity.Counts(requests: 5, logins: 5, visits: 1))
        #expect(a.counts[Key(source: .access, featureID: nil)] == DayActivity.Counts(requests: 7, logins: 3, visits: 1))
    }

    @Test func twoVisitsOnTheSameFeature() {
        let a = activity([entry(3600, feature: 4), entry(3600 + 1801, feature: 4), entry(30_000, feature: 9)])
        #expect(a.visits == 3)
        #expect(a.counts[Key(source: nil, featureID: 4)]?.visits == 2)
        #expect(a.counts[Key(source: nil, featureID: 9)]?.visits == 1)
    }

    @Test func orderAndSplitDoNotMatter() {
        let entries = [entry(36_000, feature: 1), entry(36_500, feature: 2, login: true, source: .events),
                       entry(40_000, feature: 1, count: 3), entry(36_000, feature: 1), entry(80_000, feature: 3)]
        let reference = activity(entries)
        #expect(activity(entries.reversed()) == reference)
        #expect(activity([entries[4], entries[2], entries[0], entries[3], entries[1]]) == reference)
        #expect(reference.counts[Self.total] == DayActivity.Counts(requests: 7, logins: 1, visits: 3))
    }

    private func windowSet(_ a: DayActivity) -> [Int] {
        (0..<DayActivity.windowCount).filter { a.windows[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 }
    }

    @Test func fiveMinuteWindows() {
        let a = activity([entry(0), entry(299), entry(300), entry(3599), entry(86_399)])
        #expect(windowSet(a) == [0, 1, 11, 287])
        #expect(a.windows.count == 38)
        // The last windows of a 25-hour day.
        let long = activity([entry(89_999), entry(86_400)], dayStart: ParisClock.midnight(ofDay: CivilDate(year: 2018, month: 10, day: 28).dayNumber))
        #expect(windowSet(long) == [288, 299])
    }

    @Test func visitStartHoursOnOrdinaryDay() {
        let a = activity([entry(8 * 3600 + 59 * 60), entry(9 * 3600 + 10 * 60), entry(14 * 3600), entry(23 * 3600 + 59 * 60)])
        #expect(a.visitStartHours == [8: 1, 14: 1, 23: 1])
    }

    @Test func visitStartHoursOnThe25HourDay() {
        // 2018-10-28: 00:00–02:59 CEST, then 02:00–23:59 CET; real seconds run to 90 000.
        let day = CivilDate(year: 2018, month: 10, day: 28).dayNumber
        let start = ParisClock.midnight(ofDay: day)
        #expect(start == utcEpoch(2018, 10, 27, 22))
        let a = activity([entry(2 * 3600 + 600),          // 02:10 CEST
                          entry(3 * 3600 + 1200),         // 02:20 CET, 70 min later: new visit
                          entry(4 * 3600 + 300),          // 03:05 CET, 45 min later: new visit
                          entry(24 * 3600 + 1800)],       // 23:30 CET
                         dayStart: start)
        #expect(a.visits == 4)
        #expect(a.visitStartHours == [2: 2, 3: 1, 23: 1])
    }

    @Test func visitStartHoursOnThe23HourDay() {
        // 2018-03-25: 00:00–01:59 CET, then 03:00 CEST; real second 7200 is 03:00.
        let day = CivilDate(year: 2018, month: 3, day: 25).dayNumber
        let a = activity([entry(3600 + 600), entry(2 * 3600 + 2400), entry(22 * 3600 + 3000)], dayStart: ParisClock.midnight(ofDay: day))
        #expect(a.visitStartHours == [1: 1, 3: 1, 23: 1])
    }

    // MARK: - TimelineEntry

    @Test func codeBitsRoundTrip() {
        for feature in [0, 1, 14, 0x3FFF] {
            for login in [false, true] {
                for source in LogSource.allCases {
                    let e = TimelineEntry(second: 12, featureID: feature, isLogin: login, source: source)
                    #expect(e.featureID == feature)
                    #expect(e.isLogin == login)
                    #expect(e.source == source)
                }
            }
        }
    }

    @Test func normalizeSortsAndMerges() {
        var entries = [entry(50, feature: 2), entry(10, feature: 1), entry(50, feature: 2, count: 4),
                       entry(50, feature: 1), entry(10, feature: 1, source: .events)]
        TimelineEntry.normalize(&entries)
        #expect(entries.map(\.second) == [10, 10, 50, 50])
        #expect(entries.map(\.count) == [1, 1, 1, 5])
        #expect(entries.map(\.featureID) == [1, 1, 1, 2])
        #expect(entries.map(\.source) == [.access, .events, .access, .access])
        var empty: [TimelineEntry] = []
        TimelineEntry.normalize(&empty)
        #expect(empty.isEmpty)
    }

    @Test func encodeDecodeRoundTrip() {
        let entries = [entry(0), entry(89_999, feature: 0x3FFF, login: true, source: .events, count: .max), entry(300, feature: 5, count: 70_000)]
        let bytes = TimelineEntry.encode(entries)
        #expect(bytes.count == 30)
        // Little-endian layout: second (4), code (2), count (4).
        #expect(Array(bytes[10..<20]) == [0x8F, 0x5F, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        var decoded: [TimelineEntry] = [entry(7)]
        bytes.withUnsafeBytes { TimelineEntry.decode($0, appendingTo: &decoded) }
        #expect(decoded == [entry(7)] + entries)
    }
}
