import Foundation
import Testing
@testable import EntStat

/// `PeriodRollupMerge`, which sums a period rebuilt in one pass (a first ingest) by
/// merging its days instead of a `GROUP BY`: hand-counted sums on hand-made day rows, and
/// every period of an ingested store rebuilt from nothing equals the SQL grouping.
@Suite struct PeriodRollupMergeTests {
    static func rows(_ db: Database, _ sql: String) throws -> [String] {
        let s = try db.prepare(sql)
        var out: [String] = []
        while try s.step() { out.append((0..<s.columnCount).map { AnalystQuery.cell(s.value($0)) }.joined(separator: ",")) }
        return out
    }

    /// Merged rows of one period, as "person,source,feature,days,requests,logins,visits".
    static func merged(_ db: Database, _ kind: Store.RollupKind, first: Int, last: Int) throws -> [String] {
        var out: [String] = []
        try PeriodRollupMerge(db: db, kind: kind, first: first, last: last).run { batch in
            for i in 0..<batch.count {
                out.append("\(batch.person[i]),\(batch.texts[Int(batch.source[i])]),\(batch.texts[Int(batch.feature[i])]),"
                           + "\(batch.days[i]),\(batch.requests[i]),\(batch.logins[i]),\(batch.visits[i])")
            }
            return true
        }
        return out
    }

    /// Three days of a week (Monday 2018-10-01 is day 17 805). The texts arrive in an
    /// order unlike their byte order ("Blog2" before "Blog", "École" after "Vie scolaire"
    /// in bytes: 0xC3 > 'V'), and person 2 has no row on the second day.
    @Test func itSumsEqualKeysOfEveryDayInKeyOrder() throws {
        let db = try Database(path: ":memory:")
        try db.execute("""
            \(Migrations.v14.components(separatedBy: "INSERT INTO person_day_activity")[0])
            CREATE TABLE activity (day INTEGER NOT NULL, person INTEGER NOT NULL, source TEXT NOT NULL, feature TEXT NOT NULL,
                requests INTEGER NOT NULL, logins INTEGER NOT NULL, visits INTEGER NOT NULL,
                PRIMARY KEY (day, person, source, feature)) WITHOUT ROWID;
            INSERT INTO activity VALUES
                (17805, 1, 'events', 'Blog2', 4, 0, 1), (17805, 1, 'events', 'École', 1, 0, 1), (17805, 1, '*', '*', 5, 0, 1),
                (17805, 2, 'access', 'Blog', 2, 1, 1), (17805, 2, '*', '*', 2, 1, 1),
                (17806, 1, 'events', 'Blog', 3, 0, 1), (17806, 1, 'events', 'Blog2', 1, 0, 1), (17806, 1, '*', '*', 4, 0, 2),
                (17807, 1, 'events', 'Vie scolaire', 7, 2, 3), (17807, 1, '*', '*', 7, 2, 3),
                (17807, 2, 'access', 'Blog', 1, 0, 1), (17807, 2, 'events', 'École', 6, 1, 2), (17807, 2, '*', '*', 7, 1, 3),
                (17812, 1, '*', '*', 100, 100, 100);
            \(PackedRollupFixture.insertDays("SELECT * FROM activity"));
            """)
        #expect(try Self.merged(db, .week, first: 17805, last: 17811) == [
            "1,*,*,3,16,2,6",
            "1,events,Blog,1,3,0,1",
            "1,events,Blog2,2,5,0,2",
            "1,events,Vie scolaire,1,7,2,3",
            "1,events,École,1,1,0,1",
            "2,*,*,2,9,2,4",
            "2,access,Blog,2,3,1,2",
            "2,events,École,1,6,1,2",
        ])
        // The same rows as SQLite's own grouping (day 17 812 is in the next week).
        #expect(try Self.merged(db, .week, first: 17805, last: 17811) == Self.rows(db, """
            SELECT person, source, feature, COUNT(*), SUM(requests), SUM(logins), SUM(visits) FROM activity
            WHERE day BETWEEN 17805 AND 17811 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """))
        #expect(try Self.merged(db, .week, first: 17819, last: 17825).isEmpty)
    }

    /// School years sum their months' rollups, days included.
    @Test func aSchoolYearSumsItsMonths() throws {
        let db = try Database(path: ":memory:")
        let september = CivilDate(year: 2018, month: 9, day: 1).dayNumber
        let october = CivilDate(year: 2018, month: 10, day: 1).dayNumber
        let august = CivilDate(year: 2019, month: 8, day: 1).dayNumber
        let nextSeptember = CivilDate(year: 2019, month: 9, day: 1).dayNumber
        try db.execute("""
            CREATE TABLE person_period (kind TEXT NOT NULL, first_day INTEGER NOT NULL, person INTEGER NOT NULL,
                days INTEGER NOT NULL, requests INTEGER NOT NULL, logins INTEGER NOT NULL, visits INTEGER NOT NULL,
                detail TEXT NOT NULL, PRIMARY KEY (kind, first_day, person)) WITHOUT ROWID;
            INSERT INTO person_period VALUES
                ('month', \(september), 5, 3, 10, 1, 4, '[["*","blog",1,2,0,1],["access","*",3,10,1,4]]'),
                ('month', \(october), 5, 2, 5, 0, 2, '[["access","*",2,5,0,2],["events","blog",1,1,0,0]]'),
                ('month', \(october), 6, 1, 1, 1, 1, '[]'),
                ('month', \(august), 6, 4, 8, 0, 4, '[["*","a\\"b",4,8,0,4]]'),
                ('month', \(nextSeptember), 6, 9, 9, 9, 9, '[]'),
                ('week', \(october), 5, 7, 7, 7, 7, '[]');
            """)
        let year = Store.RollupKind.schoolYear.bounds(of: october)
        #expect(try Self.merged(db, .schoolYear, first: year.first, last: year.last) == [
            "5,*,*,5,15,1,6", "5,*,blog,1,2,0,1", "5,access,*,5,15,1,6", "5,events,blog,1,1,0,0",
            "6,*,*,5,9,1,5", "6,*,a\"b,4,8,0,4",
        ])
    }

    /// Every period of an ingested store, emptied and rebuilt in one pass by the merge (months
    /// before school years, as `refreshActivityPeriods` does), equals the grouping of its day
    /// rows: merged on one thread, or on two, each its half of the persons.
    @Test(arguments: [1, 2])
    func everyPeriodRebuiltByMergingEqualsTheGroupingOfItsDays(workers: Int) throws {
        let dir = try RollupTests.ingestedStore()
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(writingTo: path, secretPath: Store.defaultSecretPath(forStore: path), lockTimeoutSeconds: 5)
        let before = try Self.rows(store.db, "SELECT * FROM activity_period ORDER BY 1, 2, 3, 4, 5")
        try store.db.transaction { try store.db.execute("DELETE FROM person_period") }
        var merged = 0
        for kind in [Store.RollupKind.week, .month, .schoolYear] {
            let periods = try Self.rows(store.db, """
                SELECT first_day || ',' || last_day FROM period WHERE kind = '\(kind.rawValue)'
                  AND last_day >= (SELECT MIN(day) FROM activity) AND first_day <= (SELECT MAX(day) FROM activity)
                ORDER BY first_day
                """).map { $0.split(separator: ",").map { Int($0)! } }
            for period in periods {
                try store.db.transaction {
                    if try store.appendMergedPeriod(kind, first: period[0], last: period[1], workers: workers) { merged += 1 }
                }
            }
        }
        #expect(merged > 8)
        try RollupTests.expectRollupsMatchDays(store)
        #expect(try Self.rows(store.db, "SELECT * FROM activity_period ORDER BY 1, 2, 3, 4, 5") == before)
    }
}
