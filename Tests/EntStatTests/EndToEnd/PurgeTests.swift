import Foundation
import Testing

/// Issue 6, retention: after `entstat purge`, exports and reports of the purged months are
/// unchanged, no per-user row older than the limit remains, and straddling periods are
/// flagged as incomplete.
@Suite("Retention purge")
struct PurgeTests {
    @Test func purgedMonthsKeepTheirFiguresAndNoPerUserRowRemains() throws {
        let dir = try E2E.scratch()
        // 2018-10-01 … 2018-11-09: October whole, then nine days of November.
        try NightlyTests.writeDays(dir, days: 40)
        let ingest = try E2E.run(["ingest", "--db", "s.sqlite", "-q", "logs"], in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let exports: [[String]] = [
            ["--period", "month", "--by", "role,source"],
            ["--period", "day", "--by", "feature"],
            ["--period", "week", "--by", "school,role"],
            ["--period", "month", "--from", "2018-10-01", "--to", "2018-10-31"],
        ]
        let before = try exports.map { try E2E.export($0, in: dir) }
        let reportBefore = try E2E.run(["report", "--db", "s.sqlite", "--from", "2018-10-01", "--to", "2018-10-31", "--out", "before"], in: dir)
        #expect(reportBefore.status == 0, "\(reportBefore.stderr)")

        // A dry run says what the purge will do and changes nothing: 31 days, the five weeks
        // of 1 October – 4 November (the week of 29 October straddles the limit, but the data
        // go past its end: it is frozen whole now, or it never could be), one month.
        let dry = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-11-01", "--dry-run"], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == """
            purge (essai) : limite au 2018-11-01 ; données par utilisateur qui seraient supprimées : du 2018-10-01 au 2018-10-31 (rien n'a été modifié)
              seraient gelés, par jour : 31 périodes (2018-10-01, 2018-10-02, 2018-10-03 … 2018-10-30, 2018-10-31)
              seraient gelés, par semaine : 5 périodes (2018-W40, 2018-W41, 2018-W42, 2018-W43, 2018-W44)
              seraient gelés, par mois : 1 période (2018-10), avec leurs tableaux de rapport

            """, "\(dry.stdout)")
        #expect(try exports.map { try E2E.export($0, in: dir) } == before, "nothing changed")

        let purge = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-11-01"], in: dir)
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout.hasPrefix("purge : données par utilisateur antérieures au 2018-11-01 supprimées"), "\(purge.stdout)")
        #expect(purge.stdout.contains("; 37 périodes gelées"), "as the dry run said: \(purge.stdout)")

        // Months, days and weeks before the limit, and the week across it: same figures, none
        // incomplete. The school year in progress straddles the limit and is not closed: its
        // figures are those of the days kept, flagged as incomplete.
        for (arguments, figures) in zip(exports, before) {
            let r = try E2E.run(["export", "--db", "s.sqlite"] + arguments, in: dir)
            #expect(r.stdout == figures, "\(arguments)")
            #expect(r.stderr.isEmpty, "\(arguments): \(r.stderr)")
        }
        let year = try E2E.run(["export", "--db", "s.sqlite", "--period", "school-year"], in: dir)
        #expect(year.stderr.contains("période incomplète 2018-2019"), "\(year.stderr)")

        let reportAfter = try E2E.run(["report", "--db", "s.sqlite", "--from", "2018-10-01", "--to", "2018-10-31", "--out", "after"], in: dir)
        #expect(reportAfter.status == 0, "\(reportAfter.stderr)")
        #expect(reportAfter.stderr.isEmpty, "a frozen month is complete: \(reportAfter.stderr)")
        try E2E.expectSameReportTables("after", as: "before", in: dir, " changed after the purge")

        // No per-user row before 2018-11-01 (day 17836), and the pseudonyms of October-only users are gone.
        try E2E.write("""
            SELECT (SELECT COUNT(*) FROM timeline WHERE day < 17836) + (SELECT COUNT(*) FROM activity WHERE day < 17836)
                 + (SELECT COUNT(*) FROM person_day WHERE day < 17836) + (SELECT COUNT(*) FROM visit_start WHERE day < 17836) AS old_rows,
                   (SELECT COUNT(*) FROM identity WHERE id NOT IN (SELECT identity FROM timeline)) AS orphan_identities;
            """, to: dir.appendingPathComponent("old.sql"))
        let old = try E2E.run(["query", "--db", "s.sqlite", "old.sql"], in: dir)
        #expect(E2E.lines(old.stdout) == ["old_rows,orphan_identities", "0,0"], "\(old.stdout) \(old.stderr)")

        // A report over dates that straddle the limit says it is incomplete.
        let partial = try E2E.run(["report", "--db", "s.sqlite", "--from", "2018-10-15", "--to", "2018-11-09", "--out", "partial"], in: dir)
        #expect(partial.status == 0)
        #expect(partial.stderr.contains("chiffres incomplets"), "\(partial.stderr)")

        // Purging again to the same limit does nothing; status shows the retention limit.
        let again = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-11-01"], in: dir)
        #expect(again.stdout.hasPrefix("purge : rien à faire"), "\(again.stdout)")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.stdout.contains("conservation  données par utilisateur à partir du 2018-11-01"), "\(status.stdout)")

        // The report with no dates covers the days kept, and says why it starts there.
        let kept = try E2E.run(["report", "--db", "s.sqlite", "--out", "kept"], in: dir)
        #expect(kept.status == 0)
        #expect(kept.stderr.contains("période par défaut : les jours conservés, depuis le 1er novembre 2018"), "\(kept.stderr)")

        // Everything purged: the frozen month's report is still there, given its dates.
        #expect(try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-12-01"], in: dir).status == 0)
        let frozen = try E2E.run(["report", "--db", "s.sqlite", "--from", "2018-10-01", "--to", "2018-10-31", "--out", "frozen"], in: dir)
        #expect(frozen.status == 0, "\(frozen.stderr)")
        try E2E.expectSameReportTables("frozen", as: "before", in: dir, " changed once nothing per user is left")
    }

    /// A purge killed right after its commit (docs/operations.md, "Stopped or killed"): the per-user
    /// rows are deleted and the figures frozen, but the rollups' update is left to do. Until
    /// an `ingest` with no file finishes it, `status` says « calcul inachevé » (exit 3) and
    /// exports refuse the store; then every export, every report table of the purged month,
    /// and the per-person rollups are those of the same purge run to its end.
    @Test func aPurgeKilledAfterItsCommitIsFinishedByTheNextIngest() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 40)
        for name in ["killed", "whole"] {
            let ingest = try E2E.run(["ingest", "--db", "\(name).sqlite", "-q", "logs"], in: dir)
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }
        let whole = try E2E.run(["purge", "--db", "whole.sqlite", "--before", "2018-11-01", "--queries", ReportFixture.queriesDirectory], in: dir)
        #expect(whole.status == 0, "\(whole.stderr)")
        struct Killed: Error {}
        do {
            let store = try Store(writingTo: dir.appendingPathComponent("killed.sqlite").path,
                                  secretPath: dir.appendingPathComponent("killed.secret").path, lockTimeoutSeconds: 10)
            #expect(throws: Killed.self) {
                try Purge.run(store: store, limitDay: CivilDate(year: 2018, month: 11, day: 1).dayNumber, keepMonths: nil,
                              queriesDirectory: ReportFixture.queriesDirectory, afterCommit: { throw Killed() })
            }
        }
        // The per-person rollups of October, per-user rows, are still there.
        try E2E.write("SELECT kind, first_day, COUNT(*) AS persons FROM person_period GROUP BY kind, first_day ORDER BY 1, 2;",
                      to: dir.appendingPathComponent("rollups.sql"))
        func rollups(_ name: String) throws -> String {
            let r = try E2E.run(["query", "--db", "\(name).sqlite", "rollups.sql"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        let stale = try Database(path: dir.appendingPathComponent("killed.sqlite").path, readOnly: true)
        #expect(try stale.scalarInt("SELECT COUNT(*) FROM person_period WHERE first_day < \(CivilDate(year: 2018, month: 10, day: 29).dayNumber)") ?? 0 > 0)
        #expect(try stale.scalarInt("SELECT COUNT(*) FROM timeline WHERE day < \(CivilDate(year: 2018, month: 11, day: 1).dayNumber)") == 0)

        let status = try E2E.run(["status", "--db", "killed.sqlite"], in: dir)
        #expect(status.status == 3 && status.stdout.contains("calcul   inachevé"), "\(status.stdout)")
        let exports: [[String]] = [
            ["--period", "month", "--by", "role,source"],
            ["--period", "week", "--by", "school,role"],
            ["--period", "day", "--by", "feature"],
            ["--period", "school-year", "--by", "level"],
        ]
        #expect(try E2E.run(["export", "--db", "killed.sqlite"] + exports[0], in: dir).status == 1, "exports refuse it")

        let finish = try E2E.run(["ingest", "--db", "killed.sqlite"], in: dir)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try E2E.run(["status", "--db", "killed.sqlite"], in: dir).status == 0)
        #expect(try rollups("killed") == rollups("whole"))
        for arguments in exports {
            let killed = try E2E.run(["export", "--db", "killed.sqlite"] + arguments, in: dir)
            let complete = try E2E.run(["export", "--db", "whole.sqlite"] + arguments, in: dir)
            #expect(killed.status == 0 && complete.status == 0, "\(arguments): \(killed.stderr) \(complete.stderr)")
            #expect(killed.stdout == complete.stdout && !killed.stdout.isEmpty, "\(arguments)")
            #expect(killed.stderr.replacingOccurrences(of: "killed.sqlite", with: "whole.sqlite") == complete.stderr, "\(arguments)")
        }
        for name in ["killed", "whole"] {
            let report = try E2E.run(["report", "--db", "\(name).sqlite", "--from", "2018-10-01", "--to", "2018-10-31", "--out", "report-\(name)"], in: dir)
            #expect(report.status == 0, "\(report.stderr)")
        }
        try E2E.expectSameReportTables("report-killed", as: "report-whole", in: dir)
    }
}

@testable import EntStat
import EntStatSimulator

/// The retention limit: first day of the month after the day N months ago.
@Suite("Retention limit")
struct PurgeLimitTests {
    /// Monthly purges: the school year that ended is frozen whole at the first purge that cuts
    /// it, while all its days are still there; the next purge keeps those figures (before,
    /// each monthly purge cut the school year before it could be frozen, and its figures were
    /// lost).
    @Test func monthlyPurgesFreezeTheSchoolYearThatEnded() throws {
        let dir = try E2E.scratch()
        // 2019-08-20 … 2019-09-10 (day 323 after 2018-10-01 is 2019-08-20).
        try NightlyTests.writeDays(dir, from: 323, days: 22)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "-q", "logs"], in: dir).status == 0)
        let years = ["--period", "school-year", "--by", "role,source"]
        let before = try E2E.export(years, in: dir)
        #expect(E2E.lines(before).contains { $0.hasPrefix("2018-2019,") } && E2E.lines(before).contains { $0.hasPrefix("2019-2020,") })
        for limit in ["2019-08-26", "2019-09-01"] {
            let r = try E2E.run(["purge", "--db", "s.sqlite", "--before", limit], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let after = try E2E.run(["export", "--db", "s.sqlite"] + years, in: dir)
        #expect(E2E.lines(after.stdout).filter { $0.hasPrefix("2018-2019,") } == E2E.lines(before).filter { $0.hasPrefix("2018-2019,") })
        #expect(!after.stderr.contains("2018-2019"), "\(after.stderr)")
    }

    @Test func limitNeverKeepsMoreThanNMonths() {
        #expect(Purge.limit(today: CivilDate(year: 2021, month: 1, day: 15), keepMonths: 25) == CivilDate(year: 2019, month: 1, day: 1))
        #expect(Purge.limit(today: CivilDate(year: 2021, month: 1, day: 1), keepMonths: 25) == CivilDate(year: 2018, month: 12, day: 1))
        #expect(Purge.limit(today: CivilDate(year: 2020, month: 3, day: 31), keepMonths: 1) == CivilDate(year: 2020, month: 3, day: 1))
        #expect(Purge.limit(today: CivilDate(year: 2020, month: 12, day: 31), keepMonths: 12) == CivilDate(year: 2020, month: 1, day: 1))
    }
}

/// The purge computes what it freezes on connections of its own, on every core, and stores
/// it in its transaction: every figure of every grouping, and every report table of every
/// territory, must be stored under the right key.
@Suite("Retention purge, every grouping and territory")
struct PurgeEveryGroupingTests {
    /// Two weeks around the end of September 2018 (24 September – 7 October), simulated for
    /// `schools` schools (every line well formed) and ingested into `dir/s.sqlite`.
    private static func simulatedFortnight(in dir: URL, schools: Int) throws {
        let (_, ingest) = try E2E.simulateAndIngest(in: dir, schools: schools, from: CivilDate(year: 2018, month: 9, day: 24),
                                                    to: CivilDate(year: 2018, month: 10, day: 7), ingestOptions: ["-q"]) {
            $0.malformedRate = 0
            $0.activity = 0.3
        }
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    /// A simulated month with schools, communes, EPCIs, levels, both logs and many services:
    /// after a purge of September, the export of every period kind frozen (day, week,
    /// month) by every set of dimensions gives the rows it gave before, and each
    /// territory's frozen report tables are the tables its queries gave before.
    @Test func everyGroupingAndTerritoryKeepsItsFigures() throws {
        let dir = try E2E.scratch("purgeall")
        try Self.simulatedFortnight(in: dir, schools: 5)
        let path = dir.appendingPathComponent("s.sqlite").path
        let library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
        let september = (from: CivilDate(year: 2018, month: 9, day: 1), to: CivilDate(year: 2018, month: 9, day: 30))
        let kinds: [Period] = [.day, .week, .month]

        func exports(_ store: Store) throws -> [[FigureRow]] {
            try kinds.flatMap { kind in
                try (0..<FrozenFigures.groupings).map { mask in
                    let dims = FrozenFigures.dimensions(ofGrouping: mask)
                    return try FigureQuery.rows(store: store, request: ExportRequest(period: kind, dimensions: dims, from: september.from, to: september.to))
                }
            }
        }
        func scopes(_ store: Store) throws -> [ReportScope] {
            var scopes: [ReportScope] = [.everything]
            let s = try store.db.prepare("""
                SELECT code_commune, epci FROM person_place WHERE code_commune != ''
                UNION SELECT code_commune, epci FROM account_place WHERE code_commune != '' ORDER BY 1
                """)
            var epcis = Set<String>()
            while try s.step() {
                scopes.append(.commune(code: s.text(0)))
                epcis.insert(s.text(1))
            }
            return scopes + epcis.sorted().map { .epci(name: $0) }
        }
        // Every query over September, and the comparison over the 30 days before it.
        let august = (from: CivilDate(year: 2018, month: 8, day: 2), to: CivilDate(year: 2018, month: 8, day: 31))
        let runs = library.queries.keys.sorted().map { ($0, september) } + [("synthese_roles", august)]
        func tables(_ store: Store, _ scope: ReportScope) throws -> [[[DatabaseValue]]] {
            try runs.map { name, range in
                try library.query(name).run(on: store, parameters: scope.parameters(from: range.from, to: range.to)).rows
            }
        }

        let live = try Store(readingFrom: path)
        let before = try exports(live)
        let territories = try scopes(live)
        #expect(territories.count >= 4, "\(territories)")
        let reportsBefore = try territories.map { try tables(live, $0) }
        #expect(before.allSatisfy { !$0.isEmpty })

        let purge = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-10-01", "--queries", ReportFixture.queriesDirectory], in: dir)
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout.contains("; 9 périodes gelées"), "7 days, 1 week, 1 month: \(purge.stdout)")

        let purged = try Store(readingFrom: path)
        #expect(try purged.db.scalarInt("SELECT COUNT(*) FROM timeline WHERE day < \(CivilDate(year: 2018, month: 10, day: 1).dayNumber)") == 0)
        let after = try exports(purged)
        for (i, (a, b)) in zip(before, after).enumerated() where a != b {
            Issue.record("\(kinds[i / FrozenFigures.groupings]) grouping \(i % FrozenFigures.groupings): \(a.count) rows before, \(b.count) after")
        }
        for (scope, expected) in zip(territories, reportsBefore) {
            for ((name, range), rows) in zip(runs, expected) {
                let frozen = try FrozenTable.load(from: purged, scope: scope, from: range.from.dayNumber, to: range.to.dayNumber, query: name)
                #expect(frozen?.rows == rows, "\(scope) \(name) \(range)")
            }
        }
    }

    /// When no thread can be started, a purge computes what it freezes on its own thread,
    /// one grouping and territory after the other: the same frozen figures, periods and
    /// report tables, row for row, as the purge on other threads (the binary's).
    @Test func aPurgeWithoutThreadsFreezesTheSameFigures() throws {
        let dir = try E2E.scratch("purgealone")
        try Self.simulatedFortnight(in: dir, schools: 3)
        for suffix in ["sqlite", "secret"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent("s.\(suffix)"), to: dir.appendingPathComponent("alone.\(suffix)"))
        }
        let purge = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-10-01", "--queries", ReportFixture.queriesDirectory], in: dir)
        #expect(purge.status == 0, "\(purge.stderr)")
        do {
            let store = try Store(writingTo: dir.appendingPathComponent("alone.sqlite").path,
                                  secretPath: dir.appendingPathComponent("alone.secret").path, lockTimeoutSeconds: 10)
            let result = try Purge.run(store: store, limitDay: CivilDate(year: 2018, month: 10, day: 1).dayNumber, keepMonths: nil,
                                       queriesDirectory: ReportFixture.queriesDirectory, otherThreads: false, afterCommit: {})
            #expect(result.frozenPeriods == 9 && result.frozenReportTables > 0, "\(result)")
        }
        func frozen(_ name: String) throws -> [[[String]]] {
            let db = try Database(path: dir.appendingPathComponent(name).path, readOnly: true)
            return try [
                db.textRows("SELECT period_kind, period, dimensions, groups, active_users, connections, logins, requests, listed_active FROM frozen_figure ORDER BY 1, 2, 3, 4"),
                db.textRows("SELECT period_kind, period, first_day, last_day FROM frozen_period ORDER BY 1, 2"),
                db.textRows("SELECT scope, from_day, to_day, query, columns, hex(cells) FROM frozen_report_table ORDER BY 1, 2, 3, 4"),
            ]
        }
        let threaded = try frozen("s.sqlite"), alone = try frozen("alone.sqlite")
        #expect(threaded.allSatisfy { !$0.isEmpty })
        for (i, (a, b)) in zip(threaded, alone).enumerated() {
            let same = a == b  // not in #expect: it would print every row
            #expect(same, "table \(i): \(a.count) rows on other threads, \(b.count) on one")
        }
    }
}
