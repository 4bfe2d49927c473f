import Foundation
import Testing
@testable import EntStat

/// Issue 5, report: the territory's totals per day and role (`visit_hour_role`,
/// `activity_day_role`) that `rythmes_semaine_heure` and `volumes_par_role` read without a
/// commune or EPCI must always equal the day rows grouped by the persons' current roles:
/// after a first ingest, a nightly run with a late file, a directory that changes a role
/// or merges two persons, and a purge. Day-level exports without a place grouping read
/// them too (`DayRoleFigures`; `RollupTests.expectFastEqualsDirect` compares them with the
/// direct SQL). The same holds for the totals per period and role
/// (`activity_period_role`) against the rollups, which week, month and school-year exports
/// without a place grouping read (`PeriodRoleFigures`), and per period, role and level
/// (`activity_period_level`), also after a directory that changes a person's level; and the
/// totals per day, commune and EPCI (`activity_day_place`, `visit_day_place`, `peak_day_place`), also after a
/// directory that moves a person to another commune.
@Suite("Totals per day and role")
struct RoleDayTotalsTests {
    typealias Fixture = RollupTests

    /// The stored totals equal a direct grouping of the day rows by role, and '*' counts
    /// each person once (a person is in '*' when they have at least one role).
    static func expectRoleDaysMatchDays(_ store: Store) throws {
        func rows(_ sql: String, _ columns: Int) throws -> [String] {
            let s = try store.db.prepare(sql)
            var out: [String] = []
            while try s.step() { out.append((0..<columns).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            return out
        }
        let roles = "(SELECT DISTINCT person, role FROM person_place)"
        let visits = try rows("SELECT day, role, hour, visits FROM visit_hour_role ORDER BY 1, 2, 3", 4)
        let expectedVisits = try rows("""
            SELECT day, role, hour, SUM(visits) FROM visit_start JOIN \(roles) USING (person) GROUP BY 1, 2, 3
            UNION ALL
            SELECT day, '*', hour, SUM(visits) FROM visit_start WHERE person IN (SELECT person FROM person_place) GROUP BY 1, 3
            ORDER BY 1, 2, 3
            """, 4)
        #expect(!visits.isEmpty)
        #expect(visits == expectedVisits)
        let volumes = try rows("""
            SELECT day, role, source, feature, users, listed_users, visits, logins, requests FROM activity_day_role ORDER BY 1, 2, 3, 4
            """, 9)
        let listed = "(SELECT account IS NOT NULL FROM person WHERE id = a.person)"
        let expectedVolumes = try rows("""
            SELECT a.day, r.role, a.source, a.feature, COUNT(*), SUM(\(listed)), SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity a JOIN \(roles) r ON r.person = a.person GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT a.day, '*', a.source, a.feature, COUNT(DISTINCT a.person), SUM(\(listed)), SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity a WHERE a.person IN (SELECT person FROM person_place) GROUP BY 1, 3, 4
            ORDER BY 1, 2, 3, 4
            """, 9)
        #expect(volumes == expectedVolumes)
        // Per commune and EPCI: the persons with a row of person_place there, in each role they
        // hold there, and once in '*'.
        let places = """
            (SELECT DISTINCT person, role, 'commune' AS kind, code_commune AS place FROM person_place WHERE code_commune != ''
             UNION SELECT DISTINCT person, role, 'epci', epci FROM person_place WHERE epci != '')
            """
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM visit_day_place WHERE json_array_length(hours) != 24") == 0)
        let placeVisits = try rows("""
            SELECT v.kind, v.place, v.day, v.role, j.key, j.value FROM visit_day_place v, json_each(v.hours) j
            WHERE j.value != 0 ORDER BY 1, 2, 3, 4, 5
            """, 6)
        let expectedPlaceVisits = try rows("""
            SELECT p.kind, p.place, v.day, p.role, v.hour, SUM(v.visits) FROM visit_start v JOIN \(places) p ON p.person = v.person
            GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT p.kind, p.place, v.day, '*', v.hour, SUM(v.visits)
            FROM visit_start v JOIN (SELECT DISTINCT person, kind, place FROM \(places)) p ON p.person = v.person
            GROUP BY 1, 2, 3, 5
            ORDER BY 1, 2, 3, 4, 5
            """, 6)
        #expect(!placeVisits.isEmpty)
        #expect(placeVisits == expectedPlaceVisits)
        let placeVolumes = try rows("""
            SELECT kind, place, day, role, users, visits, logins, requests FROM activity_day_place ORDER BY 1, 2, 3, 4
            """, 8)
        let expectedPlaceVolumes = try rows("""
            SELECT p.kind, p.place, a.day, p.role, COUNT(*), SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity a JOIN \(places) p ON p.person = a.person WHERE a.source = '*' AND a.feature = '*'
            GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT p.kind, p.place, a.day, '*', COUNT(*), SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity a JOIN (SELECT DISTINCT person, kind, place FROM \(places)) p ON p.person = a.person
            WHERE a.source = '*' AND a.feature = '*'
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3, 4
            """, 8)
        #expect(!placeVolumes.isEmpty)
        #expect(placeVolumes == expectedPlaceVolumes)
        // Each place's daily peak: the persons of the place counted in their busiest window
        // (by the SQL aggregate, itself checked against the ingest's day_window).
        let peaks = try rows("SELECT kind, place, day, users FROM peak_day_place ORDER BY 1, 2, 3", 4)
        let expectedPeaks = try rows("""
            SELECT p.kind, p.place, d.day, peak_window_users(d.windows)
            FROM person_day d JOIN (SELECT DISTINCT person, kind, place FROM \(places)) p ON p.person = d.person
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """, 4)
        #expect(!peaks.isEmpty)
        #expect(peaks == expectedPeaks)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM pending_role_day") == 0)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM pending_role_person") == 0)
        try expectRolePeriodsMatchRollups(store)
    }

    /// The totals per period and role (`activity_period_role`) equal a direct grouping of
    /// the rollup rows by the persons' current roles, '*' counting each person once.
    static func expectRolePeriodsMatchRollups(_ store: Store) throws {
        func rows(_ sql: String) throws -> [String] {
            let s = try store.db.prepare(sql)
            var out: [String] = []
            while try s.step() { out.append((0..<10).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            return out
        }
        let stored = try rows("""
            SELECT kind, first_day, role, source, feature, users, listed_users, visits, logins, requests FROM activity_period_role
            ORDER BY 1, 2, 3, 4, 5
            """)
        let listed = "(SELECT account IS NOT NULL FROM person WHERE id = a.person)"
        let expected = try rows("""
            SELECT a.kind, a.first_day, r.role, a.source, a.feature, COUNT(*), SUM(\(listed)), SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity_period a JOIN (SELECT DISTINCT person, role FROM person_place) r ON r.person = a.person GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT a.kind, a.first_day, '*', a.source, a.feature, COUNT(*), SUM(\(listed)), SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity_period a WHERE a.person IN (SELECT person FROM person_place) GROUP BY 1, 2, 4, 5
            ORDER BY 1, 2, 3, 4, 5
            """)
        #expect(!stored.isEmpty)
        #expect(stored == expected)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM pending_role_period") == 0)
        // Per (role, level) pair of person_place, the persons with a total row.
        let storedLevels = try rows("""
            SELECT kind, first_day, role, level, users, listed_users, 0, 0, 0, 0 FROM activity_period_level ORDER BY 1, 2, 3, 4
            """)
        let expectedLevels = try rows("""
            SELECT a.kind, a.first_day, l.role, l.level, COUNT(*), SUM(\(listed)), 0, 0, 0, 0
            FROM activity_period a JOIN (SELECT DISTINCT person, role, level FROM person_place) l ON l.person = a.person
            WHERE a.source = '*' AND a.feature = '*'
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """)
        #expect(!storedLevels.isEmpty)
        #expect(storedLevels == expectedLevels)
    }

    /// Visits per role in the rhythm query (territory), summed over the week grid.
    static func rhythmVisits(_ store: Store, role: String) throws -> Int {
        let library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
        let table = try library.query("rythmes_semaine_heure").run(on: store, parameters: [
            "from": "2018-09-01", "to": "2019-08-31", "commune": "", "epci": ""])
        let roleColumn = try #require(table.columns.firstIndex(of: "role"))
        let visitsColumn = try #require(table.columns.firstIndex(of: "connexions"))
        return table.rows.filter { $0[roleColumn] == .text(role) }.reduce(0) { sum, row in
            if case .integer(let n) = row[visitsColumn] { return sum + Int(n) }
            return sum
        }
    }

    @Test func aFirstIngestFillsThem() throws {
        let store = try Fixture.store(try Fixture.ingestedStore())
        try Self.expectRoleDaysMatchDays(store)
    }

    @Test func aNightlyRunWithALateFileUpdatesTheirDays() throws {
        let dir = try Fixture.storeOfAllButLastDay("role-days-nightly")
        let before = try Fixture.store(dir)
        let parentVisits = try Self.rhythmVisits(before, role: "parent")
        // One more day, and a late file that adds a parent's visit to an existing day.
        try Fixture.ingestNextNight(dir)
        let store = try Fixture.store(dir)
        try Self.expectRoleDaysMatchDays(store)
        let newDay = Int(try store.db.scalarInt(
            "SELECT SUM(visits) FROM visit_start WHERE day = \(Fixture.lastDay) AND person IN (SELECT person FROM person_place WHERE role = 'parent')") ?? 0)
        #expect(try Self.rhythmVisits(store, role: "parent") == parentVisits + newDay + 1)
    }

    @Test func aDirectoryThatChangesARoleMovesThePersonsDays() throws {
        let dir = try Fixture.ingestedStore()
        let before = try Fixture.store(dir)
        let teacherVisits = try Self.rhythmVisits(before, role: "teacher")
        // t1 is the only teacher of school B.
        let t1Visits = Int(try before.db.scalarInt("""
            SELECT SUM(visits) FROM visit_start
            WHERE person IN (SELECT person FROM person_place WHERE role = 'teacher' AND uai = '0800002T')
            """) ?? 0)
        #expect(t1Visits > 0)
        #expect(try Self.rhythmVisits(before, role: "staff") == 0)
        // t1 becomes a member of staff.
        try E2E.write(Fixture.accounts.replacingOccurrences(of: "t1;;teacher", with: "t1;;staff"),
                      to: dir.appendingPathComponent("accounts2.csv"))
        try Fixture.ingest(dir, ["--accounts", "accounts2.csv"])
        let store = try Fixture.store(dir)
        try Self.expectRoleDaysMatchDays(store)
        #expect(try Self.rhythmVisits(store, role: "staff") == t1Visits)
        #expect(try Self.rhythmVisits(store, role: "teacher") == teacherVisits - t1Visits)
    }

    /// A parent who changes school level keeps their role: only the totals per level move.
    @Test func aDirectoryThatChangesALevelMovesThePersonsLevelTotals() throws {
        let dir = try Fixture.ingestedStore()
        func parentsPerLevel(_ store: Store) throws -> [String: Int] {
            let s = try store.db.prepare("""
                SELECT level, users FROM activity_period_level
                WHERE kind = 'school-year' AND first_day = (SELECT MIN(first_day) FROM activity_period WHERE kind = 'school-year')
                  AND role = 'parent'
                """)
            var out: [String: Int] = [:]
            while try s.step() { out[s.text(0)] = s.int(1) }
            return out
        }
        // p1: schools A (maternelle) and B (élémentaire); p2: school C (primaire).
        #expect(try parentsPerLevel(try Fixture.store(dir)) == ["maternelle": 1, "elementaire": 1, "primaire": 1])
        // p2 moves to school A.
        try E2E.write(Fixture.accounts.replacingOccurrences(of: "p2;;parent;0800003U", with: "p2;;parent;0800001S"),
                      to: dir.appendingPathComponent("accounts2.csv"))
        try Fixture.ingest(dir, ["--accounts", "accounts2.csv"])
        let store = try Fixture.store(dir)
        try Self.expectRoleDaysMatchDays(store)
        #expect(try parentsPerLevel(store) == ["maternelle": 2, "elementaire": 1])
    }

    /// A commune agent who changes commune keeps their role and level: only the totals per
    /// place move.
    @Test func aDirectoryThatChangesACommuneMovesThePersonsPlaceTotals() throws {
        let dir = try Fixture.ingestedStore()
        func agentDays(_ store: Store, _ place: String) throws -> Int {
            Int(try store.db.scalarInt("""
                SELECT COUNT(*) FROM activity_day_place WHERE kind = 'commune' AND place = ?1 AND role = 'commune'
                """, .text(place)) ?? 0)
        }
        let before = try Fixture.store(dir)
        // c1, the only commune agent, works for Amiens (80021) and is active on some days.
        let c1Days = Int(try before.db.scalarInt("""
            SELECT COUNT(*) FROM activity
            WHERE source = '*' AND feature = '*' AND person IN (SELECT person FROM person_place WHERE role = 'commune')
            """) ?? 0)
        #expect(c1Days > 0)
        #expect(try agentDays(before, "80021") == c1Days)
        #expect(try agentDays(before, "80620") == 0)
        // c1 moves to Péronne (80620).
        try E2E.write(Fixture.accounts.replacingOccurrences(of: "c1;;commune;;80021", with: "c1;;commune;;80620"),
                      to: dir.appendingPathComponent("accounts2.csv"))
        try Fixture.ingest(dir, ["--accounts", "accounts2.csv"])
        let store = try Fixture.store(dir)
        try Self.expectRoleDaysMatchDays(store)
        #expect(try agentDays(store, "80021") == 0)
        #expect(try agentDays(store, "80620") == c1Days)
    }

    @Test func aDirectoryThatMergesTwoPersonsUpdatesTheirDays() throws {
        let dir = try Fixture.ingestedStore()
        func requests(_ store: Store, _ role: String) throws -> Int {
            Int(try store.db.scalarInt("""
                SELECT COALESCE(SUM(requests), 0) FROM activity_day_role WHERE role = ?1 AND source = '*' AND feature = '*'
                """, .text(role)) ?? -1)
        }
        let before = try Fixture.store(dir)
        // L-o1's requests (old ENT, no profile): the only unknown person's.
        let unknownBefore = try requests(before, "unknown"), teacherBefore = try requests(before, "teacher")
        #expect(unknownBefore > 0)
        // L-o1 (an unknown person of the old ENT) becomes o1's legacy id: its requests are
        // a teacher's from then on, on the same days.
        try E2E.write(Fixture.accountsRelinked, to: dir.appendingPathComponent("accounts2.csv"))
        try Fixture.ingest(dir, ["--accounts", "accounts2.csv"])
        let store = try Fixture.store(dir)
        try Self.expectRoleDaysMatchDays(store)
        #expect(try requests(store, "unknown") == 0)
        #expect(try requests(store, "teacher") == teacherBefore + unknownBefore)
    }

    @Test func aPurgeRemovesThePurgedDaysAndKeepsTheOthersExact() throws {
        let dir = try Fixture.ingestedStore()
        let purge = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-11-01", "--queries", ReportFixture.queriesDirectory], in: dir)
        #expect(purge.status == 0, "\(purge.stderr)")
        let store = try Fixture.store(dir)
        try Self.expectRoleDaysMatchDays(store)
        let limit = CivilDate(year: 2018, month: 11, day: 1).dayNumber
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM visit_hour_role WHERE day < \(limit)") == 0)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM activity_day_role WHERE day < \(limit)") == 0)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM activity_day_role WHERE day >= \(limit)") ?? 0 > 0)
    }

    @Test func readersRefuseAStoreWhoseTotalsAreNotUpToDate() throws {
        let dir = try Fixture.ingestedStore()
        let path = dir.appendingPathComponent("s.sqlite").path
        // As if a run had been killed before the totals of a day were recomputed.
        try Database(path: path).execute("INSERT INTO pending_role_day(day) VALUES (\(Fixture.firstDay))")
        #expect(throws: StoreError.self) { try Store(readingFrom: path) }
        try Fixture.ingest(dir, [])
        try Self.expectRoleDaysMatchDays(try Fixture.store(dir))
    }

    @Test func dayExportsWithoutAPlaceGroupingReadTheTotals() throws {
        let dir = try Fixture.ingestedStore()
        let store = try Fixture.store(dir)
        let all = (Int(Int32.min), Int(Int32.max))
        let groupings: [[EntStat.Dimension]] = [[], [.role], [.feature], [.source], [.source, .feature], [.role, .feature],
                                                [.feature, .role, .source]]
        for dims in groupings {
            let request = ExportRequest(period: .day, dimensions: dims)
            let fast = try #require(try DayRoleFigures.compute(store: store, request: request, fromDay: all.0, toDay: all.1))
            let direct = try FigureQuery.rows(store: store, request: request, includeAccounts: false, includeFrozen: false, direct: true)
            #expect(!direct.isEmpty)
            #expect(fast.keyed == Dictionary(uniqueKeysWithValues: direct.map { ([$0.period] + $0.groups, $0) }), "\(dims)")
        }
        // Not for a place grouping or a longer period.
        for request in [ExportRequest(period: .day, dimensions: [.commune]), ExportRequest(period: .week, dimensions: [.feature])] {
            #expect(try DayRoleFigures.compute(store: store, request: request, fromDay: all.0, toDay: all.1) == nil)
        }
        // Nor when a person has no place (role '*' would leave them out).
        try Database(path: dir.appendingPathComponent("s.sqlite").path).execute("""
            DELETE FROM person_place WHERE person = (SELECT MIN(person) FROM person_place);
            DELETE FROM pending_role_person;
            """)
        #expect(try DayRoleFigures.compute(store: Fixture.store(dir), request: ExportRequest(period: .day, dimensions: [.feature]),
                                           fromDay: all.0, toDay: all.1) == nil)
    }

    @Test func periodExportsWithoutAPlaceGroupingReadTheTotalsPerPeriod() throws {
        let dir = try Fixture.ingestedStore()
        let all = (Int(Int32.min), Int(Int32.max))
        let groupings: [[EntStat.Dimension]] = [[], [.role], [.feature], [.source, .feature], [.role, .source, .feature]]
        func compare(_ store: Store) throws -> [String] {
            var differing: [String] = []
            for period in [Period.week, .month, .schoolYear, .all] {
                for dims in groupings {
                    let request = ExportRequest(period: period, dimensions: dims)
                    let fast = try #require(try RollupFigures.compute(store: store, request: request, fromDay: all.0, toDay: all.1))
                    let direct = try FigureQuery.rows(store: store, request: request, includeAccounts: false, includeFrozen: false, direct: true)
                    #expect(!direct.isEmpty)
                    if fast.keyed != Dictionary(uniqueKeysWithValues: direct.map { ([$0.period] + $0.groups, $0) }) {
                        differing.append("\(period) \(dims)")
                    }
                }
            }
            return differing
        }
        let store = try Fixture.store(dir)
        #expect(try PeriodRoleFigures.usable(store: store, request: ExportRequest(period: .week, dimensions: [.feature])))
        #expect(try !PeriodRoleFigures.usable(store: store, request: ExportRequest(period: .week, dimensions: [.commune])))
        #expect(try compare(store) == [])
        // The figures do come from the totals: one more user in every stored total shows in
        // every grouping.
        try Database(path: dir.appendingPathComponent("s.sqlite").path).execute("UPDATE activity_period_role SET users = users + 1")
        #expect(try compare(Fixture.store(dir)).count == 20)
    }
}
