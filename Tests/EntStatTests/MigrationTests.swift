import Foundation
import Testing
@testable import EntStat

/// Schema migrations applied to a store written by an older build keep its facts.
@Suite struct MigrationTests {
    @Test func version4KeysTimelinesByDayAndKeepsEveryEntry() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("old.sqlite").path
        do {
            // A store as version 3 left it: timelines keyed by (identity, day).
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 3)
            let insert = try db.statement("INSERT INTO timeline(identity, day, entries) VALUES (?1, ?2, ?3)")
            for (identity, day, count) in [(2, 17_800, 3), (1, 17_801, 1), (1, 17_800, 2), (3, 17_799, 5)] {
                let entries = (0..<count).map { TimelineEntry(second: 3_600 + $0, featureID: 1, isLogin: false, source: .events) }
                try insert.run(.int(identity), .int(day), .blob(TimelineEntry.encode(entries)))
            }
        }
        let db = try Database(path: path)
        try Migrations.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(Migrations.latestVersion))
        let s = try db.prepare("SELECT day, identity, length(entries) FROM timeline")
        var rows: [[Int]] = []
        while try s.step() { rows.append([s.int(0), s.int(1), s.int(2)]) }
        // Stored (and so scanned) in (day, identity) order, every entry kept.
        #expect(rows == [[17_799, 3, 50], [17_800, 1, 20], [17_800, 2, 30], [17_801, 1, 10]])
        let plan = try db.prepare("EXPLAIN QUERY PLAN SELECT entries FROM timeline WHERE day = 17800 AND identity = 2")
        #expect(try plan.step())
        #expect(plan.text(3).contains("PRIMARY KEY (day=? AND identity=?)"), "\(plan.text(3))")
    }

    /// Version 16 masks again the reject excerpts an earlier build stored: a user id under an
    /// escaped key and a query string disappear; an excerpt with nothing personal is unchanged.
    @Test func version16MasksStoredRejectExcerptsAgain() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v15.sqlite").path
        let leaking = #"{"user\u0049d":"ZZREJ2SECRET","date":"x"}"#
        let referer = #"- - - [14/Oct/2018:08:14:03 +0200] "GET /a?login=ZZQ HTTP/1.1" 999 1 "-" "-""#
        let harmless = #"{"module":"Blog","date":"x"}"#
        do {
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 15)
            let insert = try db.statement("INSERT INTO reject_sample(file, line, reason, excerpt) VALUES (1, ?1, 'r', ?2)")
            for (line, excerpt) in [(1, leaking), (2, referer), (3, harmless)] { try insert.run(.int(line), .text(excerpt)) }
        }
        let db = try Database(path: path)
        try Migrations.migrate(db)
        let s = try db.prepare("SELECT excerpt FROM reject_sample ORDER BY line")
        var excerpts: [String] = []
        while try s.step() { excerpts.append(s.text(0)) }
        #expect(excerpts == [#"{"user\u0049d":"‹masqué›","date":"x"}"#,
                             #"- - - [14/Oct/2018:08:14:03 +0200] "GET /a?‹masqué› HTTP/1.1" 999 1 "-" "-""#, harmless])
    }

    /// Version 18 turns the last rotation's two `meta` keys into its row of
    /// `secret_rotation`; a store never rotated gets no row.
    @Test func version18KeepsTheLastRotationAsTheFirstOfItsHistory() throws {
        let dir = try E2E.scratch()
        for (name, keys, expected) in [("rotated", [("rotated_after_day", "17834"), ("rotation_late_from", "17830")], [[17_834, 17_830]]),
                                       ("no-late", [("rotated_after_day", "17834")], [[17_834, -1]]),
                                       ("never", [], [])] {
            let path = dir.appendingPathComponent("\(name).sqlite").path
            do {
                let db = try Database(path: path)
                try Migrations.migrate(db, upTo: 17)
                for (key, value) in keys {
                    try db.statement("INSERT INTO meta(key, value) VALUES (?1, ?2)").run(.text(key), .text(value))
                }
            }
            let db = try Database(path: path)
            try Migrations.migrate(db)
            let s = try db.prepare("SELECT rotated_after_day, COALESCE(late_from, -1) FROM secret_rotation")
            var rows: [[Int]] = []
            while try s.step() { rows.append([s.int(0), s.int(1)]) }
            #expect(rows == expected, "\(name)")
            #expect(try db.scalarInt("SELECT COUNT(*) FROM meta WHERE key LIKE 'rotat%'") == 0)
        }
    }

    @Test func versions6And7QueueRollupsByAdditionAndIndexTheReportQueries() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v5.sqlite").path
        do {
            // A store as version 5 left it, with a few visit starts and weekly rollups.
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 5)
            try db.execute("""
                INSERT INTO visit_start(day, person, hour, visits) VALUES
                    (17800, 1, 8, 2), (17800, 1, 20, 1), (17800, 2, 8, 1), (17800, 3, 9, 4), (17801, 2, 8, 3);
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits) VALUES
                    ('week', 17794, 1, '*', '*', 1, 5, 1, 1), ('week', 17794, 1, '*', 'mail', 1, 3, 0, 1),
                    ('week', 17794, 1, 'access', '*', 1, 5, 1, 1), ('week', 17794, 1, 'access', 'mail', 1, 3, 0, 1),
                    ('week', 17794, 2, '*', '*', 2, 9, 2, 2), ('week', 17794, 2, 'access', '*', 1, 4, 1, 1),
                    ('week', 17794, 2, 'events', '*', 1, 5, 1, 1), ('week', 17801, 3, '*', '*', 1, 1, 1, 1),
                    ('week', 17801, 3, 'events', '*', 1, 1, 1, 1), ('month', 17775, 2, 'events', '*', 1, 5, 1, 1);
                INSERT INTO person_day(person, day, windows) VALUES (4, 17800, x'00');
                DELETE FROM pending_period_person;
                INSERT INTO pending_period_person(day, person) VALUES (17799, 9);
                """)
        }
        let db = try Database(path: path)
        try Migrations.migrate(db, upTo: 7)
        #expect(try db.scalarInt("PRAGMA user_version") == 7)

        func rows(_ sql: String) throws -> [[Int]] {
            let s = try db.prepare(sql)
            var out: [[Int]] = []
            while try s.step() { out.append((0..<s.columnCount).map { s.int($0) }) }
            return out
        }
        func plan(_ sql: String) throws -> String {
            let s = try db.prepare("EXPLAIN QUERY PLAN " + sql)
            var lines: [String] = []
            while try s.step() { lines.append(s.text(3)) }
            return lines.joined(separator: "\n")
        }

        // Migration 6: a pair queued before it may already be in the rollups (recomputed, not
        // added); afterwards an inserted day is new (0) and a deleted one was in them (1).
        #expect(try rows("SELECT day, person, removed FROM pending_period_person") == [[17799, 9, 1]])
        try db.execute("""
            INSERT INTO person_day(person, day, windows) VALUES (5, 17801, x'00');
            DELETE FROM person_day WHERE person = 4;
            """)
        #expect(try rows("SELECT day, person, removed FROM pending_period_person ORDER BY day")
                == [[17799, 9, 1], [17800, 4, 1], [17801, 5, 0]])
        #expect(try rows("SELECT COUNT(*) FROM pending_period_done") == [[0]])
        try db.execute("DELETE FROM pending_period_person")

        // Visits per (day, hour), read in index order: the same sums as from the table itself.
        let perHour = "SELECT day, hour, SUM(visits) FROM visit_start WHERE day BETWEEN 17800 AND 17801 GROUP BY day, hour"
        #expect(try rows(perHour) == [[17800, 8, 3], [17800, 9, 4], [17800, 20, 1], [17801, 8, 3]])
        #expect(try rows(perHour) == rows(perHour.replacingOccurrences(of: "FROM visit_start", with: "FROM visit_start NOT INDEXED")))
        let hourPlan = try plan(perHour)
        #expect(hourPlan.contains("COVERING INDEX visit_start_hour"), "\(hourPlan)")
        #expect(!hourPlan.contains("TEMP B-TREE"), "\(hourPlan)")

        // Users of each log, week by week, from the index entries alone.
        let perLog = """
            SELECT first_day, COUNT(*) FILTER (WHERE source = 'access'), COUNT(*) FILTER (WHERE source = 'events')
            FROM activity_period WHERE kind = 'week' AND first_day BETWEEN 17794 AND 17801
              AND feature = '*' AND source != '*' GROUP BY first_day
            """
        #expect(try rows(perLog) == [[17794, 2, 1], [17801, 0, 1]])
        let logPlan = try plan(perLog)
        #expect(logPlan.contains("COVERING INDEX activity_period_source"), "\(logPlan)")
        #expect(!logPlan.contains("TEMP B-TREE"), "\(logPlan)")
    }

    @Test func version8QueuesEveryDayAndPersonForTheTotalsPerDayAndRole() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v7.sqlite").path
        do {
            // A store as version 7 left it: person 1 a parent and a teacher, person 2 a
            // parent, person 3 without any place; two days.
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 7)
            try db.execute("""
                INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES
                    (1, 1, 'parent', 'U1', 'primaire', '80001', 'E'), (1, 1, 'teacher', 'U1', 'primaire', '80001', 'E'),
                    (1, 1, 'parent', 'U2', 'primaire', '80002', 'E'), (2, 1, 'parent', 'U1', 'primaire', '80001', 'E');
                INSERT INTO person_day(person, day, windows) VALUES (1, 17800, x'01'), (2, 17800, x'01'), (2, 17801, x'01'), (3, 17801, x'01');
                INSERT INTO visit_start(day, person, hour, visits) VALUES
                    (17800, 1, 8, 2), (17800, 1, 20, 1), (17800, 2, 8, 1), (17801, 2, 8, 3), (17801, 3, 9, 4);
                INSERT INTO activity(day, person, source, feature, requests, logins, visits) VALUES
                    (17800, 1, '*', '*', 7, 1, 3), (17800, 2, '*', '*', 2, 0, 1), (17801, 2, '*', '*', 5, 1, 3),
                    (17801, 3, '*', '*', 9, 2, 4), (17800, 1, 'events', '*', 7, 1, 3);
                """)
        }
        let db = try Database(path: path)
        try Migrations.migrate(db, upTo: 8)
        #expect(try db.scalarInt("PRAGMA user_version") == 8)
        func rows(_ sql: String) throws -> [[String]] { try db.textRows(sql) }
        #expect(try rows("SELECT day FROM pending_role_day") == [["17800"], ["17801"]])
        #expect(try rows("SELECT person FROM pending_role_person") == [["1"], ["2"]])
        // The code that fills them writes the later tables too.
        try Migrations.migrate(db)
        _ = try db.transaction { try Store.refreshRoleDays(db) }
        #expect(try rows("SELECT person, role, first_role, listed FROM person_role ORDER BY 1, 2")
                == [["1", "parent", "1", "1"], ["1", "teacher", "0", "1"], ["2", "parent", "1", "1"]])
        // Person 1 counts once under parent (two schools), once under teacher, once in '*';
        // person 3 has no place and counts nowhere.
        #expect(try rows("SELECT day, role, hour, visits FROM visit_hour_role ORDER BY 1, 2, 3") == [
            ["17800", "*", "8", "3"], ["17800", "*", "20", "1"],
            ["17800", "parent", "8", "3"], ["17800", "parent", "20", "1"],
            ["17800", "teacher", "8", "2"], ["17800", "teacher", "20", "1"],
            ["17801", "*", "8", "3"], ["17801", "parent", "8", "3"],
        ])
        #expect(try rows("""
            SELECT day, role, source, feature, users, listed_users, visits, logins, requests FROM activity_day_role ORDER BY 1, 2, 3, 4
            """) == [
            ["17800", "*", "*", "*", "2", "2", "4", "1", "9"], ["17800", "*", "events", "*", "1", "1", "3", "1", "7"],
            ["17800", "parent", "*", "*", "2", "2", "4", "1", "9"], ["17800", "parent", "events", "*", "1", "1", "3", "1", "7"],
            ["17800", "teacher", "*", "*", "1", "1", "3", "1", "7"], ["17800", "teacher", "events", "*", "1", "1", "3", "1", "7"],
            ["17801", "*", "*", "*", "1", "1", "3", "1", "5"], ["17801", "parent", "*", "*", "1", "1", "3", "1", "5"],
        ])
        #expect(try rows("SELECT COUNT(*) FROM pending_role_day UNION ALL SELECT COUNT(*) FROM pending_role_person") == [["0"], ["0"]])
        // Afterwards, a change of places queues the person (triggers).
        try db.execute("DELETE FROM person_place WHERE person = 1 AND role = 'teacher'")
        #expect(try rows("SELECT person FROM pending_role_person") == [["1"]])
        _ = try db.transaction { try Store.refreshRoleDays(db) }
        #expect(try rows("SELECT role, hour, visits FROM visit_hour_role WHERE day = 17800 AND role = 'teacher'") == [])
        #expect(try rows("SELECT role, users FROM activity_day_role WHERE day = 17800 AND source = '*' ORDER BY 1") == [["*", "2"], ["parent", "2"]])
    }

    @Test func version9QueuesEveryPeriodForTheTotalsPerPeriodAndRole() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v8.sqlite").path
        // 2018-10-01 is a Monday, the first day of October 2018, in school year 2018-2019.
        let week = CivilDate(year: 2018, month: 10, day: 1).dayNumber
        let month = week, year = CivilDate(year: 2018, month: 9, day: 1).dayNumber
        do {
            // A store as version 8 left it: person 1 a parent and a teacher (listed), person 2
            // a parent (not listed), person 3 without any place; rollups of one week.
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 8)
            try db.execute("""
                INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES
                    (1, 1, 'parent', 'U1', 'primaire', '80001', 'E'), (1, 1, 'teacher', 'U1', 'primaire', '80001', 'E'),
                    (1, 1, 'parent', 'U2', 'primaire', '80002', 'E'), (2, 0, 'parent', 'U1', 'primaire', '80001', 'E');
                INSERT INTO person_role(person, role, first_role, listed) VALUES
                    (1, 'parent', 1, 1), (1, 'teacher', 0, 1), (2, 'parent', 1, 0);
                DELETE FROM pending_role_person;
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                    SELECT k.kind, k.first_day, r.person, r.source, r.feature, 1, r.requests, r.logins, r.visits
                    FROM (SELECT 'week' AS kind, \(week) AS first_day UNION ALL SELECT 'month', \(month)
                          UNION ALL SELECT 'school-year', \(year)) k,
                         (SELECT 1 AS person, '*' AS source, '*' AS feature, 7 AS requests, 1 AS logins, 3 AS visits
                          UNION ALL SELECT 1, '*', 'cantine', 2, 0, 1
                          UNION ALL SELECT 2, '*', '*', 5, 1, 2
                          UNION ALL SELECT 3, '*', '*', 9, 2, 4) r;
                """)
        }
        let db = try Database(path: path)
        try Migrations.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(Migrations.latestVersion))
        func rows(_ sql: String) throws -> [[String]] { try db.textRows(sql) }
        #expect(try rows("SELECT kind, first_day FROM pending_role_period ORDER BY 1")
                == [["month", "\(month)"], ["school-year", "\(year)"], ["week", "\(week)"]])
        try db.transaction { try Store.refreshRolePeriods(db) }
        // Person 1 counts under parent (two schools: once), teacher, and once in '*';
        // person 3 has no role and counts nowhere.
        let expected: [[String]] = [
            ["*", "*", "*", "2", "1", "5", "2", "12"], ["*", "*", "cantine", "1", "1", "1", "0", "2"],
            ["parent", "*", "*", "2", "1", "5", "2", "12"], ["parent", "*", "cantine", "1", "1", "1", "0", "2"],
            ["teacher", "*", "*", "1", "1", "3", "1", "7"], ["teacher", "*", "cantine", "1", "1", "1", "0", "2"],
        ]
        for (kind, first) in [("week", week), ("month", month), ("school-year", year)] {
            #expect(try rows("""
                SELECT role, source, feature, users, listed_users, visits, logins, requests FROM activity_period_role
                WHERE kind = '\(kind)' AND first_day = \(first) ORDER BY 1, 2, 3
                """) == expected, "\(kind)")
        }
        #expect(try rows("SELECT COUNT(*) FROM pending_role_period") == [["0"]])
        // Person 1 stops being a teacher: their rows leave role teacher, not '*' nor parent.
        try db.execute("DELETE FROM person_place WHERE person = 1 AND role = 'teacher'")
        _ = try db.transaction { try Store.refreshRoleDays(db) }
        #expect(try rows("""
            SELECT role, feature, users, visits FROM activity_period_role WHERE kind = 'week' AND source = '*' ORDER BY 1, 2
            """) == [["*", "*", "2", "5"], ["*", "cantine", "1", "1"], ["parent", "*", "2", "5"], ["parent", "cantine", "1", "1"]])
        // Person 3 gets a place: their rows join role staff and '*'.
        try db.execute("INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES (3, 1, 'staff', 'U1', 'primaire', '80001', 'E')")
        _ = try db.transaction { try Store.refreshRoleDays(db) }
        #expect(try rows("""
            SELECT role, users, listed_users, visits FROM activity_period_role
            WHERE kind = 'school-year' AND source = '*' AND feature = '*' ORDER BY 1
            """) == [["*", "3", "2", "9"], ["parent", "2", "1", "5"], ["staff", "1", "1", "4"]])
    }

    @Test func version10QueuesEveryPeriodForTheTotalsPerPeriodRoleAndLevel() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v9.sqlite").path
        let week = CivilDate(year: 2018, month: 10, day: 1).dayNumber
        let month = week, year = CivilDate(year: 2018, month: 9, day: 1).dayNumber
        do {
            // A store as version 9 left it: person 1 (listed) a parent in a maternelle and an
            // élémentaire and a teacher in the élémentaire, person 2 (not listed) a parent in
            // the maternelle, person 3 without any place; rollups of one week.
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 9)
            try db.execute("""
                INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES
                    (1, 1, 'parent', 'U1', 'maternelle', '80001', 'E'), (1, 1, 'parent', 'U2', 'elementaire', '80001', 'E'),
                    (1, 1, 'teacher', 'U2', 'elementaire', '80001', 'E'), (2, 0, 'parent', 'U1', 'maternelle', '80001', 'E');
                INSERT INTO person_role(person, role, first_role, listed) VALUES
                    (1, 'parent', 1, 1), (1, 'teacher', 0, 1), (2, 'parent', 1, 0);
                DELETE FROM pending_role_person;
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                    SELECT k.kind, k.first_day, r.person, r.source, r.feature, 1, r.requests, r.logins, r.visits
                    FROM (SELECT 'week' AS kind, \(week) AS first_day UNION ALL SELECT 'month', \(month)
                          UNION ALL SELECT 'school-year', \(year)) k,
                         (SELECT 1 AS person, '*' AS source, '*' AS feature, 7 AS requests, 1 AS logins, 3 AS visits
                          UNION ALL SELECT 1, '*', 'cantine', 2, 0, 1
                          UNION ALL SELECT 2, '*', '*', 5, 1, 2
                          UNION ALL SELECT 3, '*', '*', 9, 2, 4) r;
                """)
        }
        let db = try Database(path: path)
        try Migrations.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(Migrations.latestVersion))
        func rows(_ sql: String) throws -> [[String]] { try db.textRows(sql) }
        #expect(try rows("SELECT person, role, level FROM person_level ORDER BY 1, 2, 3") == [
            ["1", "parent", "elementaire"], ["1", "parent", "maternelle"], ["1", "teacher", "elementaire"], ["2", "parent", "maternelle"]])
        #expect(try rows("SELECT kind, first_day FROM pending_role_period ORDER BY 1")
                == [["month", "\(month)"], ["school-year", "\(year)"], ["week", "\(week)"]])
        try db.transaction { try Store.refreshRolePeriods(db) }
        // Person 1 counts in each of their three pairs, person 2 in one; the cantine row and
        // person 3 (no place) count nowhere.
        func levels(_ kind: String, _ first: Int) throws -> [[String]] {
            try rows("""
                SELECT role, level, users, listed_users FROM activity_period_level WHERE kind = '\(kind)' AND first_day = \(first) ORDER BY 1, 2
                """)
        }
        for (kind, first) in [("week", week), ("month", month), ("school-year", year)] {
            #expect(try levels(kind, first)
                    == [["parent", "elementaire", "1", "1"], ["parent", "maternelle", "2", "1"], ["teacher", "elementaire", "1", "1"]], "\(kind)")
        }
        // Person 2 moves to the élémentaire: a parent still, so only the levels move.
        try db.execute("UPDATE person_place SET uai = 'U2', level = 'elementaire' WHERE person = 2")
        _ = try db.transaction { try Store.refreshRoleDays(db) }
        #expect(try levels("month", month)
                == [["parent", "elementaire", "2", "1"], ["parent", "maternelle", "1", "1"], ["teacher", "elementaire", "1", "1"]])
        #expect(try rows("""
            SELECT role, users FROM activity_period_role WHERE kind = 'month' AND source = '*' AND feature = '*' ORDER BY 1
            """) == [["*", "2"], ["parent", "2"], ["teacher", "1"]])
    }

    @Test func version11ComputesEveryDayPerCommuneAndEPCI() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v10.sqlite").path
        let day = CivilDate(year: 2018, month: 10, day: 1).dayNumber
        do {
            // A store as version 10 left it: person 1 a parent in commune 80001 and a teacher in
            // 80002, person 2 a parent in 80001, all in EPCI E; person 3 without a place. One
            // day of activity, with nothing queued.
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 10)
            try db.execute("""
                INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES
                    (1, 1, 'parent', 'U1', 'primaire', '80001', 'E'), (1, 1, 'teacher', 'U2', 'primaire', '80002', 'E'),
                    (2, 0, 'parent', 'U1', 'primaire', '80001', 'E');
                INSERT INTO person_day(day, person, windows) VALUES (\(day), 1, X'0000000000000000000000003000000000000000000000000000000000000000000000000000'), (\(day), 2, X'0000000000000000000000001000000000000000000000000000000000000000000000000000'), (\(day), 3, X'0000000000000000000000001000000000000000000000000000000000000000000000000000');
                INSERT INTO visit_start(day, person, hour, visits) VALUES (\(day), 1, 8, 2), (\(day), 2, 8, 1), (\(day), 3, 9, 5);
                INSERT INTO activity(day, person, source, feature, requests, logins, visits) VALUES
                    (\(day), 1, '*', '*', 10, 1, 2), (\(day), 2, '*', '*', 5, 1, 1), (\(day), 3, '*', '*', 7, 1, 5),
                    (\(day), 1, '*', 'cantine', 4, 0, 1);
                INSERT INTO person_role(person, role, first_role, listed) VALUES (1, 'parent', 1, 1), (1, 'teacher', 0, 1), (2, 'parent', 1, 0);
                INSERT INTO person_level(person, role, level) VALUES (1, 'parent', 'primaire'), (1, 'teacher', 'primaire'), (2, 'parent', 'primaire');
                DELETE FROM pending_role_person;
                DELETE FROM pending_role_day;
                """)
        }
        let db = try Database(path: path)
        try Migrations.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(Migrations.latestVersion))
        // Version 14 packed the day's rows, one per person: the view gives back the row of a
        // service.
        #expect(try db.scalarInt("SELECT COUNT(*) FROM person_day_activity WHERE day = \(day)") == 3)
        #expect(try db.scalarInt("""
            SELECT requests FROM activity WHERE source = '*' AND feature = 'cantine' AND day = \(day) AND person = 1
            """) == 4)
        func rows(_ sql: String) throws -> [[String]] { try db.textRows(sql) }
        #expect(try rows("SELECT day FROM pending_role_day") == [["\(day)"]])
        #expect(try rows("SELECT COUNT(*) FROM person_scope") == [["3"]])
        _ = try db.transaction { try Store.refreshRoleDays(db) }
        // Person 1 counts in 80001 (parent), 80002 (teacher) and once in E under '*'; the
        // cantine row and person 3 (no place) count nowhere.
        #expect(try rows("SELECT kind, place, role, users, visits, logins, requests FROM activity_day_place ORDER BY 1, 2, 3") == [
            ["commune", "80001", "*", "2", "3", "2", "15"], ["commune", "80001", "parent", "2", "3", "2", "15"],
            ["commune", "80002", "*", "1", "2", "1", "10"], ["commune", "80002", "teacher", "1", "2", "1", "10"],
            ["epci", "E", "*", "2", "3", "2", "15"], ["epci", "E", "parent", "2", "3", "2", "15"], ["epci", "E", "teacher", "1", "2", "1", "10"],
        ])
        // Persons 1 and 2 share window 100 (8:20); person 1 alone is in 101.
        #expect(try rows("SELECT kind, place, users FROM peak_day_place ORDER BY 1, 2") == [
            ["commune", "80001", "2"], ["commune", "80002", "1"], ["epci", "E", "2"],
        ])
        func hours(_ atEight: Int) -> String { "[" + (0..<24).map { $0 == 8 ? String(atEight) : "0" }.joined(separator: ",") + "]" }
        #expect(try rows("SELECT kind, place, role, hours FROM visit_day_place WHERE role = '*' ORDER BY 1, 2") == [
            ["commune", "80001", "*", hours(3)], ["commune", "80002", "*", hours(2)], ["epci", "E", "*", hours(3)],
        ])
    }

    @Test func aNewStoreHas16KiBPagesAndAnOlderOneKeepsItsOwn() throws {
        let dir = try E2E.scratch()
        let fresh = dir.appendingPathComponent("new.sqlite").path
        do {
            let store = try Store(writingTo: fresh, secretPath: Store.defaultSecretPath(forStore: fresh), lockTimeoutSeconds: 5)
            #expect(try store.db.scalarInt("PRAGMA page_size") == 16_384)
        }
        // A store created with SQLite's default pages is opened and written as it is.
        let old = dir.appendingPathComponent("old.sqlite").path
        do {
            let db = try Database(path: old)
            try db.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL")
            try Migrations.migrate(db, upTo: 7)
        }
        let store = try Store(writingTo: old, secretPath: Store.defaultSecretPath(forStore: old), lockTimeoutSeconds: 5)
        #expect(try store.db.scalarInt("PRAGMA page_size") == 4_096)
        #expect(try store.db.scalarInt("PRAGMA user_version") == Int64(Migrations.latestVersion))
    }

    /// An export at day level reads the packed rows of its days by the primary key, and
    /// the rollups of a period too: no scan of either table.
    @Test func dayAndPeriodRowsAreReadByTheirKey() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let reader = try RollupFigures.PieceReader(db: store.db, hasSource: false, hasFeature: true)
        for (sql, key) in [(reader.dayStatement.sql, "PRIMARY KEY (day>? AND day<?)"),
                           (reader.rollupStatement.sql, "PRIMARY KEY (kind=? AND first_day=?)")] {
            let plan = try store.db.prepare("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try plan.step() { details.append(plan.text(3)) }
            #expect(details.contains { $0.contains(key) }, "\(details)")
        }
    }

    /// Version 13 packs every rollup row of a person and period into one row of
    /// `person_period`, and the view `activity_period` gives back exactly the rows it held,
    /// a feature name with a quote, a backslash and an accent included; the engine's own
    /// decoder reads the same rows.
    @Test func version13PacksTheRollupsAndTheViewGivesBackEveryRow() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("v12.sqlite").path
        let rowsSQL = "SELECT kind, first_day, person, source, feature, days, requests, logins, visits FROM activity_period ORDER BY 1, 2, 3, 4, 5"
        func rows(_ db: Database) throws -> [String] {
            let s = try db.prepare(rowsSQL)
            var out: [String] = []
            while try s.step() { out.append((0..<9).map { AnalystQuery.cell(s.value($0)) }.joined(separator: "|")) }
            return out
        }
        let before: [String]
        do {
            let db = try Database(path: path)
            try Migrations.migrate(db, upTo: 12)
            try db.execute("""
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits) VALUES
                    ('week', 17794, 1, '*', '*', 2, 5, 1, 2), ('week', 17794, 1, '*', 'mail', 1, 3, 0, 1),
                    ('week', 17794, 1, '*', 'cahier "é\\x"', 1, 2, 0, 1),
                    ('week', 17794, 1, 'access', '*', 2, 5, 1, 2), ('week', 17794, 1, 'access', 'mail', 1, 3, 0, 1),
                    ('week', 17794, 1, 'access', 'cahier "é\\x"', 1, 2, 0, 1),
                    ('week', 17794, 2, '*', '*', 1, 9, 2, 2),
                    ('month', 17775, 2, '*', '*', 3, 19, 4, 5), ('month', 17775, 2, 'events', '*', 3, 19, 4, 5),
                    ('school-year', 17775, 2, '*', '*', 3, 19, 4, 5), ('school-year', 17775, 2, 'events', '*', 3, 19, 4, 5);
                """)
            before = try rows(db)
        }
        #expect(before.count == 11)
        #expect(before.contains("week|17794|1|*|cahier \"é\\x\"|1|2|0|1"))
        let db = try Database(path: path)
        try Migrations.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(Migrations.latestVersion))
        #expect(try db.scalarInt("SELECT COUNT(*) FROM person_period") == 4)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'activity_period' AND type = 'view'") == 1)
        #expect(try rows(db) == before)
        // The engine's decoder: the same rows, in key order.
        let s = try db.prepare("""
            SELECT person, days, requests, logins, visits, detail FROM person_period WHERE kind = 'week' AND first_day = 17794 ORDER BY person
            """)
        let stream = RollupRowStream(packed: s, table: "person_period", classes: .all)
        var decoded: [String] = []
        while try stream.next() {
            decoded.append("week|17794|\(stream.person)|\(String(decoding: stream.source, as: UTF8.self))|"
                           + "\(String(decoding: stream.feature, as: UTF8.self))|\(stream.days)|\(stream.requests)|\(stream.logins)|\(stream.visits)")
        }
        #expect(decoded == before.filter { $0.hasPrefix("week|") })
    }
}
