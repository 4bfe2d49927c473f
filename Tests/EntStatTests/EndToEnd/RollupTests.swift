import Foundation
import Testing
@testable import EntStat

/// Issue 5: exports and reports read per-person rollups of whole periods
/// (`activity_period`) instead of every day row. Their figures must be those of the direct
/// computation from the day rows, for every period kind, grouping and range (whole or cut
/// months), and the rollups must follow every change of the store: a nightly run that adds
/// a day, a late file that completes a day, an accounts reload that re-links identities,
/// a purge.
@Suite("Rollups of whole periods")
struct RollupTests {
    static let schools = """
    uai;nom;niveau;code_commune;commune;epci
    0800001S;École A;maternelle;80021;Amiens;CA Amiens Métropole
    0800002T;École B;Élémentaire;80021;Amiens;CA Amiens Métropole
    0800003U;École C;primaire;80620;Péronne;CC Haute Somme

    """

    /// p1 is a parent of two schools of one commune; o1 has no legacy id yet (see
    /// `accountsRelinked`); c1 is a commune agent.
    static let accounts = """
    user_id;legacy_id;role;schools;code_commune;activated_on
    p1;L-p1;parent;0800001S|0800002T;;2018-09-10
    p2;;parent;0800003U;;2018-10-30
    t1;;teacher;0800002T;;2018-09-01
    o1;;teacher;0800003U;;2018-09-20
    c1;;commune;;80021;2018-10-01

    """

    static let accountsRelinked = accounts.replacingOccurrences(of: "o1;;teacher", with: "o1;L-o1;teacher")

    static let modules = ["Conversation", "Blog", "Cantine", "Workspace", "Auth"]

    /// Event records of one day (UTC noon ± a few hours): a varying subset of the users.
    static func events(day: Int) -> String {
        var lines: [String] = []
        let users = ["p1", "p2", "t1", "o1", "c1", "u9"]
        for (i, user) in users.enumerated() where (day + i) % 3 != 0 {
            for k in 0..<((day + i) % 4 + 1) {
                let seconds = Int64(day) * 86_400 + 28_800 + Int64(k) * 2_400 + Int64(i) * 60
                let module = modules[(day + k + i) % modules.count]
                let type = module == "Auth" ? "LOGIN" : "ACCESS"
                lines.append("{\"event-type\":\"\(type)\",\"module\":\"\(module)\",\"date\":\(seconds * 1000),\"userId\":\"\(user)\",\"profil\":\"Teacher\",\"structures\":[\"0800003U\"]}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Old-ENT records of one day: p1 (linked by accounts.csv) and L-o1 (linked only by
    /// `accountsRelinked`).
    static func access(day: Int) -> String {
        let date = CivilDate(dayNumber: day)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let stamp = "\(CivilDate.pad2(date.day))/\(months[date.month - 1])/\(date.year)"
        var lines: [String] = []
        if day % 2 == 0 { lines.append(LogLine.access(user: "L-p1", time: "\(stamp):09:30:00 +0000", path: "/messagerie/1")) }
        if day % 3 != 1 { lines.append(LogLine.access(user: "L-o1", time: "\(stamp):10:00:00 +0000", path: "/cantine/menu")) }
        return lines.joined(separator: "\n") + "\n"
    }

    static let firstDay = CivilDate(year: 2018, month: 9, day: 24).dayNumber
    static let lastDay = CivilDate(year: 2018, month: 11, day: 6).dayNumber

    /// Writes the logs of days [from, to] into `dir`.
    static func writeLogs(_ dir: URL, from: Int, to: Int, suffix: String = "") throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for day in from...to {
            let date = CivilDate(dayNumber: day).description
            try E2E.write(events(day: day), to: dir.appendingPathComponent("events-\(date)\(suffix).jsonl"))
            try E2E.write(access(day: day), to: dir.appendingPathComponent("access-\(date)\(suffix).log"))
        }
    }

    static func ingest(_ dir: URL, _ extra: [String]) throws {
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet"] + extra, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
    }

    static func store(_ dir: URL) throws -> Store {
        try Store(readingFrom: dir.appendingPathComponent("s.sqlite").path)
    }

    /// The rollups equal the day rows summed over each period, row for row.
    static func expectRollupsMatchDays(_ store: Store) throws {
        func rows(_ sql: String) throws -> [String] {
            let s = try store.db.prepare(sql)
            var out: [String] = []
            while try s.step() { out.append((0..<9).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            return out
        }
        let stored = try rows("""
            SELECT kind, first_day, person, source, feature, days, requests, logins, visits FROM activity_period
            ORDER BY 1, 2, 3, 4, 5
            """)
        let expected = try rows("""
            SELECT p.kind, p.first_day, a.person, a.source, a.feature, COUNT(*), SUM(a.requests), SUM(a.logins), SUM(a.visits)
            FROM activity a JOIN period p ON a.day BETWEEN p.first_day AND p.last_day
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            """)
        #expect(!stored.isEmpty)
        #expect(stored == expected)
        #expect(try store.rollupsAreCurrent())
    }

    static let groupings: [[EntStat.Dimension]] = [
        [], [.role], [.level, .role], [.school], [.commune], [.epci], [.feature], [.source, .feature], [.role, .feature],
        [.feature, .commune], [.source], [.school, .source],
    ]

    static let ranges: [(CivilDate?, CivilDate?)] = [
        (nil, nil),
        (CivilDate(year: 2018, month: 10, day: 1), CivilDate(year: 2018, month: 10, day: 31)),   // a whole month
        (CivilDate(year: 2018, month: 9, day: 26), CivilDate(year: 2018, month: 11, day: 2)),    // months cut at both ends
        (CivilDate(year: 2018, month: 10, day: 3), CivilDate(year: 2018, month: 10, day: 17)),   // inside one month
        (CivilDate(year: 2018, month: 10, day: 10), CivilDate(year: 2018, month: 10, day: 10)),  // one day
        (CivilDate(year: 2018, month: 8, day: 1), CivilDate(year: 2018, month: 9, day: 30)),     // before the data
        (CivilDate(year: 2018, month: 9, day: 1), CivilDate(year: 2019, month: 8, day: 31)),     // the school year
        // The school year, September, November and week 39 each cut by one active day:
        // their rollups minus that day's rows.
        (CivilDate(year: 2018, month: 9, day: 25), CivilDate(year: 2018, month: 11, day: 5)),
    ]

    /// Export figures from the rollups equal those of the direct SQL, for every request.
    static func expectFastEqualsDirect(_ store: Store) throws {
        for period in Period.allCases {
            for dims in groupings {
                for (from, to) in ranges {
                    let request = ExportRequest(period: period, dimensions: dims, from: from, to: to)
                    let fast = try FigureQuery.rows(store: store, request: request, includeAccounts: true, includeFrozen: true)
                    let direct = try FigureQuery.rows(store: store, request: request, includeAccounts: true, includeFrozen: true, direct: true)
                    // Every range holds active days of the fixture: never two empty answers.
                    #expect(!direct.isEmpty && fast == direct, "\(period) \(dims) \(String(describing: from))–\(String(describing: to))")
                }
            }
        }
    }

    /// A store holding every day but the last, with the references (the night before a
    /// nightly run).
    static func storeOfAllButLastDay(_ name: String) throws -> URL {
        let dir = try E2E.scratch(name)
        try E2E.write(schools, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write(accounts, to: dir.appendingPathComponent("accounts.csv"))
        try writeLogs(dir.appendingPathComponent("logs1"), from: firstDay, to: lastDay - 1)
        try ingest(dir, ["--schools", "schools.csv", "--accounts", "accounts.csv", "logs1"])
        return dir
    }

    /// The next night on `storeOfAllButLastDay`: the last day, and a late file that adds a
    /// visit of p2 (a parent) to 2018-11-05, a day p2 had no visit.
    static func ingestNextNight(_ dir: URL) throws {
        try writeLogs(dir.appendingPathComponent("logs2"), from: lastDay, to: lastDay)
        try E2E.write(LogLine.event(user: "p2", utc: "2018-11-05T18:00:00", module: "Cantine", profil: "Relative") + "\n",
                      to: dir.appendingPathComponent("logs2/late.jsonl"))
        try ingest(dir, ["logs2"])
    }

    /// The exports of `store` (`storeOfAllButLastDay` in `dir`, then `ingestNextNight`) equal
    /// those of a store that ingests the same logs at once, in a scratch folder `name`.
    static func expectSameExportsAsOneIngest(_ store: Store, of dir: URL, name: String) throws {
        let once = try E2E.scratch(name)
        try E2E.write(schools, to: once.appendingPathComponent("schools.csv"))
        try E2E.write(accounts, to: once.appendingPathComponent("accounts.csv"))
        for folder in ["logs1", "logs2"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(folder), to: once.appendingPathComponent(folder))
        }
        try ingest(once, ["--schools", "schools.csv", "--accounts", "accounts.csv", "logs1", "logs2"])
        let reference = try self.store(once)
        for period in Period.allCases {
            for dims in groupings {
                let request = ExportRequest(period: period, dimensions: dims)
                #expect(try FigureQuery.rows(store: store, request: request) == FigureQuery.rows(store: reference, request: request))
            }
        }
    }

    static func ingestedStore() throws -> URL {
        let dir = try E2E.scratch("rollups")
        try E2E.write(schools, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write(accounts, to: dir.appendingPathComponent("accounts.csv"))
        try writeLogs(dir.appendingPathComponent("logs"), from: firstDay, to: lastDay)
        try ingest(dir, ["--schools", "schools.csv", "--accounts", "accounts.csv", "logs"])
        return dir
    }

    @Test func exportFromRollupsEqualsDirectComputation() throws {
        let dir = try Self.ingestedStore()
        let store = try Self.store(dir)
        try Self.expectRollupsMatchDays(store)
        try Self.expectFastEqualsDirect(store)
    }

    /// Written period by period as it is counted, an export has the bytes of the same
    /// export computed whole (and, in `expectFastEqualsDirect`, of the direct SQL), with
    /// and without account columns, for every period kind and range.
    @Test func anExportWrittenPeriodByPeriodHasTheBytesOfTheWholeOne() throws {
        let dir = try Self.ingestedStore()
        let store = try Self.store(dir)
        var streamed = 0
        for period in Period.allCases {
            for dims in Self.groupings + [[.commune, .role], [.feature, .school, .role]] {
                for (from, to) in Self.ranges {
                    let request = ExportRequest(period: period, dimensions: dims, from: from, to: to, minCell: 2)
                    var whole: [UInt8] = [], byPeriod: [UInt8] = []
                    _ = try FigureQuery.write(store: store, request: request, streamed: false) { whole.append(contentsOf: $0) }
                    if try FigureQuery.write(store: store, request: request, streamed: true, to: { byPeriod.append(contentsOf: $0) }) {
                        streamed += 1
                    }
                    #expect(byPeriod == whole, "\(period) \(dims) \(String(describing: from))–\(String(describing: to))")
                    #expect(String(decoding: whole, as: UTF8.self) == ExportCSV.document(try FigureQuery.rows(store: store, request: request),
                                                                                         request: request))
                }
            }
        }
        // Every request grouped by school, commune, EPCI or level was written period by period.
        let placeGroupings = (Self.groupings + [[.commune, .role], [.feature, .school, .role]])
            .filter { $0.contains { [.school, .commune, .epci, .level].contains($0) } }
        #expect(streamed == Period.allCases.count * placeGroupings.count * Self.ranges.count)
    }

    /// Counted period by period, an export gives the same periods and rows, in the same
    /// order, whether the periods are claimed one at a time by two threads of their own
    /// while this one takes those counted (two workers, at most three periods ahead, so
    /// that the threads wait for the taker) or counted one after the other on the store's
    /// connection (one).
    @Test func periodsCountedAheadOnTheirOwnThreadsAreThoseCountedInTurn() throws {
        let dir = try Self.ingestedStore()
        let store = try Self.store(dir)
        var compared = 0
        for period in [Period.day, .week] {
            for dims in [[EntStat.Dimension.school, .feature], [.commune, .role], [.epci]] {
                for (from, to) in Self.ranges {
                    let request = ExportRequest(period: period, dimensions: dims, from: from, to: to)
                    let fromDay = (from ?? CivilDate(year: 2000, month: 1, day: 1)).dayNumber
                    let toDay = (to ?? CivilDate(year: 2045, month: 12, day: 31)).dayNumber
                    func periods(workers: Int) throws -> [(String, [FigureRow])] {
                        var out: [(String, [FigureRow])] = []
                        let ran = try RollupFigures.forEachPeriod(store: store, request: request, fromDay: fromDay, toDay: toDay,
                                                                  workers: workers, periodsAhead: 3, begin: { _ in }) {
                            out.append(($0.label, $0.rows(dimensions: dims)))
                        }
                        #expect(ran)
                        return out
                    }
                    let inTurn = try periods(workers: 1), ahead = try periods(workers: 2)
                    #expect(inTurn.map(\.0) == ahead.map(\.0), "\(period) \(dims)")
                    #expect(inTurn.map(\.1) == ahead.map(\.1), "\(period) \(dims)")
                    if inTurn.count > 3 { compared += 1 }
                }
            }
        }
        #expect(compared >= 6)
    }

    /// An error of the code that takes the counted periods stops the counting threads
    /// (waiting at the window or not) and comes out as it was thrown; the periods before it
    /// were taken in order.
    @Test func anErrorTakingACountedPeriodStopsTheCountingThreads() throws {
        struct Refused: Error, Equatable {}
        let dir = try Self.ingestedStore()
        let store = try Self.store(dir)
        let request = ExportRequest(period: .day, dimensions: [.school, .feature])
        var labels: [String] = []
        let all = try #require(try RollupFigures.compute(store: store, request: request, fromDay: Int(Int32.min), toDay: Int(Int32.max)))
        let days = Set(all.rows.map(\.period)).sorted()
        try #require(days.count >= 4)
        for ahead in [1, 2, 16] {
            labels = []
            #expect(throws: Refused()) {
                _ = try RollupFigures.forEachPeriod(store: store, request: request, fromDay: Int(Int32.min), toDay: Int(Int32.max),
                                                    workers: 2, periodsAhead: ahead, begin: { _ in }) {
                    if labels.count == 2 { throw Refused() }
                    labels.append($0.label)
                }
            }
            #expect(labels == Array(days.prefix(2)), "\(ahead) ahead")
        }
    }

    @Test func aParentOfTwoSchoolsCountsOnceInTheCommuneFromRollups() throws {
        let dir = try Self.ingestedStore()
        let store = try Self.store(dir)
        // p1 (schools A and B, both in Amiens) is active in October: once in the commune,
        // once in each school.
        let request = ExportRequest(period: .month, dimensions: [.commune, .role],
                                    from: CivilDate(year: 2018, month: 10, day: 1), to: CivilDate(year: 2018, month: 10, day: 31))
        let rows = try FigureQuery.rows(store: store, request: request)
        let amiensParents = try #require(rows.first { $0.groups == ["80021", "parent"] })
        #expect(amiensParents.activeUsers == 1)
        let bySchool = try FigureQuery.rows(store: store, request: ExportRequest(period: .month, dimensions: [.school, .role],
                                                                                 from: request.from, to: request.to))
        #expect(bySchool.filter { $0.groups[1] == "parent" && ["0800001S", "0800002T"].contains($0.groups[0]) }.map(\.activeUsers) == [1, 1])
    }

    @Test func aNightlyRunAddingADayUpdatesOnlyItsPeriods() throws {
        let dir = try Self.storeOfAllButLastDay("rollups-nightly")
        let before = try Self.store(dir)
        let untouched = try before.db.scalarInt("""
            SELECT COUNT(*) FROM activity_period WHERE kind = 'month' AND first_day = \(CivilDate(year: 2018, month: 10, day: 1).dayNumber)
            """)
        // The next night: one more day, and a late file that completes an existing day.
        try Self.ingestNextNight(dir)
        let store = try Self.store(dir)
        try Self.expectRollupsMatchDays(store)
        try Self.expectFastEqualsDirect(store)
        // October was not touched by November's files.
        #expect(try store.db.scalarInt("""
            SELECT COUNT(*) FROM activity_period WHERE kind = 'month' AND first_day = \(CivilDate(year: 2018, month: 10, day: 1).dayNumber)
            """) == untouched)
        // The same logs ingested at once give the same figures.
        try Self.expectSameExportsAsOneIngest(store, of: dir, name: "rollups-once")
    }

    /// A nightly run adds its new days to the rollups period by period; killed after the
    /// first period, the next run must finish before it queues its own days, so that no
    /// day is added twice and none is missed.
    @Test func aRunKilledWhileAddingDaysToTheRollupsNeverAddsADayTwice() throws {
        let dir = try Self.storeOfAllButLastDay("rollups-killed")
        // Night 2, in this process: a new day (added to the rollups) and a late file that
        // completes the day before (recomputed); the run stops after one period.
        try Self.writeLogs(dir.appendingPathComponent("logs2"), from: Self.lastDay, to: Self.lastDay)
        // (p1 is active on 2018-11-05: day 17 840, (17 840 + 0) % 3 != 0.)
        try E2E.write(LogLine.event(user: "p1", utc: "2018-11-05T18:00:00", module: "Cantine", profil: "Relative") + "\n",
                      to: dir.appendingPathComponent("logs2/late.jsonl"))
        let path = dir.appendingPathComponent("s.sqlite").path
        do {
            let store = try Store(writingTo: path, secretPath: Store.defaultSecretPath(forStore: path), lockTimeoutSeconds: 5)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("logs2").path).sorted()
                .map { dir.appendingPathComponent("logs2/" + $0).path }
            let ingester = try LogIngester(store: store, options: LogIngester.Options())
            ingester.ingest(paths: files) { _, report in #expect(report.outcome == .ingested) }
            try store.completePendingWork(rollupPeriodLimit: 1)
            #expect(try store.db.scalarInt("SELECT COUNT(*) FROM pending_period_done") == 1)
            #expect(try store.db.scalarInt("SELECT COUNT(*) FROM pending_period_person WHERE removed = 1") ?? 0 > 0)
            #expect(try store.db.scalarInt("SELECT COUNT(*) FROM pending_period_person WHERE removed = 0") ?? 0 > 0)
        }
        // Night 3 (same week and month) finishes night 2's work first.
        try Self.writeLogs(dir.appendingPathComponent("logs3"), from: Self.lastDay + 1, to: Self.lastDay + 1)
        try Self.ingest(dir, ["logs3"])
        let store = try Self.store(dir)
        try Self.expectRollupsMatchDays(store)
        try Self.expectFastEqualsDirect(store)
    }

    @Test func anAccountsReloadThatRelinksIdentitiesUpdatesTheRollups() throws {
        let dir = try Self.ingestedStore()
        let before = try Self.store(dir)
        let all = ExportRequest(period: .all, dimensions: [.role])
        let teachersBefore = try #require(try FigureQuery.rows(store: before, request: all).first { $0.groups == ["teacher"] })
        // L-o1 becomes o1's legacy id: two persons become one.
        try E2E.write(Self.accountsRelinked, to: dir.appendingPathComponent("accounts2.csv"))
        try Self.ingest(dir, ["--accounts", "accounts2.csv"])
        let store = try Self.store(dir)
        try Self.expectRollupsMatchDays(store)
        try Self.expectFastEqualsDirect(store)
        let teachers = try #require(try FigureQuery.rows(store: store, request: all).first { $0.groups == ["teacher"] })
        #expect(teachers.listedActiveUsers == teachersBefore.listedActiveUsers)
        #expect(teachers.requests > teachersBefore.requests)
    }

    @Test func aStoreWithPendingRollupsFallsBackToTheDayRows() throws {
        let dir = try Self.ingestedStore()
        let path = dir.appendingPathComponent("s.sqlite").path
        // As if a run had been killed between the derived rows and the rollups: a day whose
        // rows changed (removed = 1) is queued, and the month rollup does not match.
        let writer = try Database(path: path)
        let september = CivilDate(year: 2018, month: 9, day: 1).dayNumber
        try writer.execute("""
            CREATE TEMP TABLE victim AS SELECT MIN(person) AS person FROM person_day WHERE day = \(Self.firstDay);
            DELETE FROM person_period WHERE kind = 'month' AND first_day = \(september) AND person = (SELECT person FROM victim);
            INSERT INTO pending_period_person(day, person, removed) SELECT \(Self.firstDay), person, 1 FROM victim;
            """)
        // Readers refuse such a store (the report's queries read the rollups)…
        #expect(throws: StoreError.self) { try Store(readingFrom: path) }
        // …and the exports' own code still falls back to the day rows.
        let store = try Store(readingFrom: path, allowingPendingWork: true)
        #expect(try !store.rollupsAreCurrent())
        let request = ExportRequest(period: .month, dimensions: [.role])
        #expect(try FigureQuery.rows(store: store, request: request)
                == FigureQuery.rows(store: store, request: request, includeAccounts: true, includeFrozen: true, direct: true))
        // The next run repairs them.
        try Self.ingest(dir, [])
        try Self.expectRollupsMatchDays(try Self.store(dir))
    }

    @Test func theReportPeriodTableSumsEachPersonOverTheRange() throws {
        let dir = try Self.ingestedStore()
        let store = try Self.store(dir)
        for (from, to) in Self.ranges {
            guard let from, let to else { continue }
            let query = AnalystQuery(sql: """
                SELECT source, feature, COUNT(*), SUM(requests), SUM(logins), SUM(visits) FROM activite_periode
                WHERE :from <= :to GROUP BY 1, 2 ORDER BY 1, 2
                """, file: "t.sql")
            let fast = try query.run(on: store, parameters: ["from": from.description, "to": to.description, "commune": "", "epci": ""]).csv()
            let direct = try AnalystQuery(sql: """
                WITH p AS (SELECT person, source, feature, SUM(requests) AS requests, SUM(logins) AS logins, SUM(visits) AS visits
                           FROM activity WHERE day BETWEEN \(from.dayNumber) AND \(to.dayNumber) AND (source = '*' OR feature = '*')
                           GROUP BY person, source, feature)
                SELECT source, feature, COUNT(*), SUM(requests), SUM(logins), SUM(visits) FROM p
                WHERE :from <= :to GROUP BY 1, 2 ORDER BY 1, 2
                """, file: "d.sql").run(on: store, parameters: ["from": from.description, "to": to.description]).csv()
            #expect(fast.split(whereSeparator: \.isNewline).count > 2, "\(from)–\(to): \(fast)")
            #expect(fast == direct, "\(from)–\(to)")
        }
    }

    /// Migration 15: the rows of a person of one log keep each row once (`{"source":[…]}`),
    /// and rows written before it keep the array of every row. A store whose every detail is
    /// an array (as written before) gets the next night right: its rollups still match its
    /// days, exports equal the direct computation and a store built at once, and the periods
    /// it rewrites take the new form.
    @Test func aStoreWrittenBeforeDetailsOfOneSourceGetsTheNextNightRight() throws {
        let dir = try Self.storeOfAllButLastDay("rollups-arrays")
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            let oneSource = "substr(detail, 1, 1) = '{'"
            // This fixture has both kinds of persons: p1 and o1 in both logs, the others in one.
            #expect(try db.scalarInt("SELECT COUNT(*) FROM person_period WHERE \(oneSource)") ?? 0 > 0)
            #expect(try db.scalarInt("SELECT COUNT(*) FROM person_period WHERE NOT \(oneSource)") ?? 0 > 0)
            #expect(try db.scalarInt("SELECT COUNT(*) FROM person_day_activity WHERE \(oneSource)") ?? 0 > 0)
            // Every detail written back as the array of its rows, read through the views.
            try db.execute("""
                UPDATE person_period SET detail = (
                    SELECT COALESCE(json_group_array(json_array(a.source, a.feature, a.days, a.requests, a.logins, a.visits)), '[]')
                    FROM activity_period a
                    WHERE a.kind = person_period.kind AND a.first_day = person_period.first_day AND a.person = person_period.person
                      AND NOT (a.source = '*' AND a.feature = '*'))
                WHERE \(oneSource);
                UPDATE person_day_activity SET detail = (
                    SELECT COALESCE(json_group_array(json_array(a.source, a.feature, 1, a.requests, a.logins, a.visits)), '[]')
                    FROM activity a
                    WHERE a.day = person_day_activity.day AND a.person = person_day_activity.person
                      AND NOT (a.source = '*' AND a.feature = '*'))
                WHERE \(oneSource);
                """)
            #expect(try db.scalarInt("SELECT COUNT(*) FROM person_period WHERE \(oneSource)") == 0)
            #expect(try db.scalarInt("SELECT COUNT(*) FROM person_day_activity WHERE \(oneSource)") == 0)
        }
        try Self.expectRollupsMatchDays(try Self.store(dir))
        try Self.ingestNextNight(dir)
        let store = try Self.store(dir)
        try Self.expectRollupsMatchDays(store)
        try Self.expectFastEqualsDirect(store)
        // The periods of the new day were rewritten, the others kept their arrays.
        let november = CivilDate(year: 2018, month: 11, day: 1).dayNumber
        #expect(try store.db.scalarInt("""
            SELECT COUNT(*) FROM person_period WHERE kind = 'month' AND first_day = \(november) AND substr(detail, 1, 1) = '{'
            """) ?? 0 > 0)
        #expect(try store.db.scalarInt("""
            SELECT COUNT(*) FROM person_period WHERE kind = 'month' AND first_day < \(november) AND substr(detail, 1, 1) = '{'
            """) == 0)
        try Self.expectSameExportsAsOneIngest(store, of: dir, name: "rollups-arrays-once")
    }
}
