import Foundation
import Testing
@testable import EntStat

/// `activite_periode` shared between connections (`RangeActivity.SharedTables`): a
/// connection that reads another's rows reads the same as one that builds its own, and each
/// connection always reads the range its query asks for, whatever it held before.
@Suite struct RangeActivityTests {
    /// Sums of the table as a connection sees it (unqualified, as queries name it).
    static func sums(_ store: Store) throws -> [Int64] {
        let s = try store.db.prepare("""
            SELECT COUNT(*), COALESCE(SUM(requests), 0), COALESCE(SUM(visits), 0), COUNT(DISTINCT person) FROM activite_periode
            """)
        _ = try s.step()
        return (0..<4).map { s.int64($0) }
    }

    /// The same sums straight from the day rows.
    static func direct(_ store: Store, _ from: String, _ to: String) throws -> [Int64] {
        let s = try store.db.prepare("""
            SELECT COUNT(*), COALESCE(SUM(r), 0), COALESCE(SUM(v), 0), COUNT(DISTINCT person) FROM (
                SELECT person, source, feature, SUM(requests) AS r, SUM(visits) AS v FROM activity
                WHERE day BETWEEN (SELECT day FROM calendar WHERE date = ?1) AND (SELECT day FROM calendar WHERE date = ?2)
                  AND (source = '*' OR feature = '*')
                GROUP BY person, source, feature)
            """)
        try s.bind(.text(from), .text(to))
        _ = try s.step()
        return (0..<4).map { s.int64($0) }
    }

    @Test func aConnectionReadingAnotherOnesCopySeesTheSameRowsAndSwitchesRangesCorrectly() throws {
        let shared = RangeActivity.SharedTables()
        let a = try Store(readingFrom: ReportFixture.shared), b = try Store(readingFrom: ReportFixture.shared)
        let sql = "SELECT * FROM activite_periode"
        func prepare(_ store: Store, _ from: String, _ to: String) throws {
            try RangeActivity.prepare(store: store, sql: sql, parameters: ["from": from, "to": to], shared: shared)
        }
        let autumn = ("2018-09-01", "2018-11-30"), october = ("2018-10-01", "2018-10-31")
        let autumnSums = try Self.direct(a, autumn.0, autumn.1), octoberSums = try Self.direct(a, october.0, october.1)
        #expect(autumnSums[0] > 0 && octoberSums[0] > 0 && autumnSums != octoberSums)

        // a builds the autumn; b reads a's rows (the same object, not a copy).
        try prepare(a, autumn.0, autumn.1)
        try prepare(b, autumn.0, autumn.1)
        #expect(try Self.sums(a) == autumnSums)
        #expect(try Self.sums(b) == autumnSums)
        #expect(a.db.rangeRows.rows != nil && a.db.rangeRows.rows === b.db.rangeRows.rows)
        let autumnRows = try #require(a.db.rangeRows.rows)
        #expect(autumnRows.isSorted)
        // b needs October (built), then the autumn again (a's rows again).
        try prepare(b, october.0, october.1)
        #expect(try Self.sums(b) == octoberSums)
        #expect(b.db.rangeRows.rows !== autumnRows)
        try prepare(b, autumn.0, autumn.1)
        #expect(try Self.sums(b) == autumnSums)
        #expect(b.db.rangeRows.rows === autumnRows)
        // a, which built the autumn, reads October as b built it, then the autumn again.
        try prepare(a, october.0, october.1)
        #expect(try Self.sums(a) == octoberSums)
        try prepare(a, autumn.0, autumn.1)
        #expect(try Self.sums(a) == autumnSums)
        // Without sharing, each connection builds its own, with the same rows.
        let c = try Store(readingFrom: ReportFixture.shared)
        try RangeActivity.prepare(store: c, sql: sql, parameters: ["from": october.0, "to": october.1])
        #expect(try Self.sums(c) == octoberSums)
    }

    /// Every row of the table, as text, sorted.
    static func rows(_ store: Store, _ sql: String, _ from: String = "", _ to: String = "") throws -> [String] {
        let s = try store.db.prepare(sql)
        if !from.isEmpty || !to.isEmpty { try s.bind(.text(from), .text(to)) }
        var out: [String] = []
        while try s.step() { out.append((0..<6).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
        return out.sorted()
    }

    /// Built from rollups (whole, or minus the days outside the range) and day rows, the
    /// table holds exactly the day rows of the range summed per person, source and
    /// feature: row for row, for ranges whose plans differ.
    @Test func theTableIsTheDayRowsOfTheRangeSummedForEveryPlan() throws {
        let dir = try RollupTests.ingestedStore()
        // Keys active only on a day that a range leaves out: "solo" only on 24 September,
        // p2's exercises only on 6 November. Taken away from the school year, they must
        // vanish, not stay as rows of zeros.
        func event(_ user: String, _ module: String, _ date: CivilDate, _ schools: String = "\"0800003U\"") -> String {
            let ms = (Int64(date.dayNumber) * 86_400 + 36_000) * 1000
            return "{\"event-type\":\"ACCESS\",\"module\":\"\(module)\",\"date\":\(ms),\"userId\":\"\(user)\",\"profil\":\"Teacher\",\"structures\":[\(schools)]}"
        }
        // "multi", not in accounts.csv, has a maternelle school in Amiens and a primaire one
        // in Péronne: Amiens's counts by level have it under maternelle only.
        try E2E.write(event("solo", "Blog", CivilDate(year: 2018, month: 9, day: 24)) + "\n"
                      + event("p2", "Exercizer", CivilDate(year: 2018, month: 11, day: 6)) + "\n"
                      + event("multi", "Blog", CivilDate(year: 2018, month: 10, day: 10), "\"0800001S\",\"0800003U\"") + "\n",
                      to: dir.appendingPathComponent("edges.jsonl"))
        try RollupTests.ingest(dir, ["edges.jsonl"])
        let store = try RollupTests.store(dir)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM activity WHERE feature = 'exercices'") ?? 0 > 0)
        // The exports, which plan the same subtractions, equal the direct SQL too.
        try RollupTests.expectFastEqualsDirect(store)
        let ranges = [
            ("2018-09-25", "2018-11-05"),  // the school year minus two days: one rollup, two days taken away
            ("2018-09-26", "2018-11-02"),  // the school year minus six days
            ("2018-10-03", "2018-10-17"),  // inside one month: day rows
            ("2018-10-01", "2018-10-31"),  // a whole month: its rollup alone
            ("2018-09-01", "2019-08-31"),  // the whole school year
            ("2018-10-10", "2018-10-10"),  // one day
        ]
        let activeDays = try RollupFigures.activeDays(store.db, from: RollupTests.firstDay - 10, to: RollupTests.lastDay + 10)
        var subtractions = 0
        for (from, to) in ranges {
            let a = CivilDate(iso: from)!.dayNumber, b = CivilDate(iso: to)!.dayNumber
            let plan = RollupFigures.plan(request: ExportRequest(period: .all), fromDay: a, toDay: b, activeDays: activeDays)
            subtractions += plan.flatMap(\.1).filter(\.subtracted).count
            try RangeActivity.prepare(store: store, sql: "SELECT * FROM activite_periode", parameters: ["from": from, "to": to])
            let built = try Self.rows(store, "SELECT person, source, feature, requests, logins, visits FROM activite_periode")
            let direct = try Self.rows(store, """
                SELECT person, source, feature, SUM(requests), SUM(logins), SUM(visits) FROM activity
                WHERE day BETWEEN (SELECT day FROM calendar WHERE date = ?1) AND (SELECT day FROM calendar WHERE date = ?2)
                  AND (source = '*' OR feature = '*')
                GROUP BY person, source, feature
                """, from, to)
            #expect(!direct.isEmpty)
            #expect(built == direct, "\(from)–\(to)")
            try Self.expectRoleAndLevelCountsAreTheirDefinition(store, from, to)
        }
        // The first two ranges take days away from the school year's rollup.
        #expect(subtractions == 4)
    }

    /// Every row of a statement, its values as text joined by commas, sorted.
    static func table(_ store: Store, _ sql: String, _ values: DatabaseValue...) throws -> [String] {
        let s = try store.db.prepare(sql)
        try s.bind(values)
        var out: [String] = []
        while try s.step() { out.append((0..<s.columnCount).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
        return out.sorted()
    }

    /// `activite_periode_role`, `activite_periode_niveau` and `activite_periode_lieu` for the
    /// range, over the territory, its largest commune and its largest EPCI, equal their
    /// definition in SQL:
    /// the day rows of the range summed per person, counted by the distinct roles (and
    /// roles and levels) of the person's rows of person_place there; role '*' counts each
    /// person with such a row once. Over the territory, a whole rollup's rows are copied
    /// from `activity_period_role` and `activity_period_level`; otherwise they are counted.
    static func expectRoleAndLevelCountsAreTheirDefinition(_ store: Store, _ from: String, _ to: String) throws {
        func largest(_ column: String) throws -> String {
            try table(store, "SELECT \(column) FROM person_place WHERE \(column) != '' GROUP BY 1 ORDER BY COUNT(DISTINCT person) DESC, 1 LIMIT 1")[0]
        }
        let summed = """
            WITH a AS (SELECT person, source, feature, SUM(requests) AS q, SUM(logins) AS l, SUM(visits) AS v FROM activity
                       WHERE day BETWEEN (SELECT day FROM calendar WHERE date = ?1) AND (SELECT day FROM calendar WHERE date = ?2)
                         AND (source = '*' OR feature = '*')
                       GROUP BY person, source, feature),
            pp AS (SELECT * FROM person_place WHERE (?3 = '' OR code_commune = ?3) AND (?4 = '' OR epci = ?4)),
            sp AS (SELECT DISTINCT person, role FROM pp),
            spl AS (SELECT DISTINCT person, role, level FROM pp)
            """
        for (commune, epci) in [("", ""), (try largest("code_commune"), ""), ("", try largest("epci"))] {
            let values: [DatabaseValue] = [.text(from), .text(to), .text(commune), .text(epci)]
            try RangeActivity.prepare(store: store, sql: "SELECT * FROM activite_periode_role",
                                      parameters: ["from": from, "to": to, "commune": commune, "epci": epci])
            let roles = try table(store, "SELECT * FROM activite_periode_role")
            let levels = try table(store, "SELECT * FROM activite_periode_niveau")
            let s = try store.db.prepare(summed + """
                SELECT sp.role, a.source, a.feature, COUNT(*), SUM(p.account IS NOT NULL), SUM(v), SUM(l), SUM(q)
                FROM a JOIN sp ON sp.person = a.person JOIN person p ON p.id = a.person GROUP BY 1, 2, 3
                UNION ALL
                SELECT '*', a.source, a.feature, COUNT(*), SUM(p.account IS NOT NULL), SUM(v), SUM(l), SUM(q)
                FROM a JOIN person p ON p.id = a.person WHERE a.person IN (SELECT person FROM sp) GROUP BY 2, 3
                """)
            try s.bind(values)
            var direct: [String] = []
            while try s.step() { direct.append((0..<8).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            let l = try store.db.prepare(summed + """
                SELECT spl.role, spl.level, COUNT(*), SUM(p.account IS NOT NULL)
                FROM a JOIN spl ON spl.person = a.person JOIN person p ON p.id = a.person
                WHERE a.source = '*' AND a.feature = '*' GROUP BY 1, 2
                """)
            try l.bind(values)
            var directLevels: [String] = []
            while try l.step() { directLevels.append((0..<4).map { l.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            // By place: the persons with a total row and a row of person_place there (each
            // once per place under '*'), from the total rows.
            let places = try table(store, "SELECT * FROM activite_periode_lieu")
            let p = try store.db.prepare(summed + """
                , pl AS (SELECT DISTINCT person, 'school' AS kind, uai AS place, role FROM pp
                         UNION SELECT DISTINCT person, 'commune', code_commune, role FROM pp
                         UNION SELECT DISTINCT person, 'epci', epci, role FROM pp),
                t AS (SELECT a.person, a.q, a.l, a.v, pr.account IS NOT NULL AS listed
                      FROM a JOIN person pr ON pr.id = a.person WHERE a.source = '*' AND a.feature = '*')
                SELECT pl.kind, pl.place, pl.role, COUNT(*), SUM(t.listed), SUM(t.v), SUM(t.l), SUM(t.q)
                FROM t JOIN pl ON pl.person = t.person GROUP BY 1, 2, 3
                UNION ALL
                SELECT g.kind, g.place, '*', COUNT(*), SUM(t.listed), SUM(t.v), SUM(t.l), SUM(t.q)
                FROM t JOIN (SELECT DISTINCT person, kind, place FROM pl) g ON g.person = t.person GROUP BY 1, 2
                """)
            try p.bind(values)
            var directPlaces: [String] = []
            while try p.step() { directPlaces.append((0..<8).map { p.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            #expect(places == directPlaces.sorted(), "\(from)–\(to) \(commune) \(epci)")
            #expect(!direct.isEmpty && !directLevels.isEmpty && !directPlaces.isEmpty, "\(from)–\(to) \(commune) \(epci)")
            #expect(roles == direct.sorted(), "\(from)–\(to) \(commune) \(epci)")
            #expect(levels == directLevels.sorted(), "\(from)–\(to) \(commune) \(epci)")
        }
    }

    /// For a commune or an EPCI, the table holds the persons of that place only; no shipped
    /// query reads its person rows without the counts by role and place (which are the
    /// place's own: see `expectRoleAndLevelCountsAreTheirDefinition`); and
    /// `communes_parents_services`, which reads both, gives each commune of the place the
    /// row the territory's report gives it, and for a commune the same figures in its `*`
    /// row (its parents and agents are the commune's).
    @Test func aCommuneOrEpciTableHoldsItsPersonsAndTheQueriesAreUnchanged() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
        func largest(_ column: String) throws -> String {
            let s = try store.db.prepare("""
                SELECT \(column) FROM person_place WHERE \(column) != '' GROUP BY 1 ORDER BY COUNT(DISTINCT person) DESC, 1 LIMIT 1
                """)
            _ = try s.step()
            return s.text(0)
        }
        // The queries that read the person rows; those that read the counts by role, level and
        // place, which are the place's own, are checked against the exports (ReportFiguresTests).
        let names = library.queries.values.filter {
            $0.sql.contains(RangeActivity.tableName + " ") && !$0.sql.contains(RangeRoleSums.roleTable)
                && !$0.sql.contains(RangeRoleSums.placeTable)
        }.map(\.name).sorted()
        #expect(names.isEmpty, "\(names)")
        for scope in [ReportScope.commune(code: try largest("code_commune")), .epci(name: try largest("epci"))] {
            var parameters = scope.parameters
            parameters["from"] = "2018-09-10"
            parameters["to"] = "2018-11-20"
            var territory = parameters
            territory["commune"] = ""
            territory["epci"] = ""
            // The persons of the table: the active persons of the range who have a place there.
            try RangeActivity.prepare(store: store, sql: "SELECT * FROM activite_periode", parameters: parameters)
            let inScope = try Self.rows(store, "SELECT person, source, feature, requests, logins, visits FROM activite_periode")
            try RangeActivity.prepare(store: store, sql: "SELECT * FROM activite_periode", parameters: territory)
            let all = try Self.rows(store, "SELECT person, source, feature, requests, logins, visits FROM activite_periode")
            let persons = Set(try Self.rows(store, """
                SELECT DISTINCT person, '', '', '', '', '' FROM person_place
                WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2)
                """, scope.parameters["commune"]!, scope.parameters["epci"]!).map { $0.split(separator: ",")[0] })
            #expect(!inScope.isEmpty && inScope.count < all.count)
            #expect(inScope == all.filter { persons.contains($0.split(separator: ",")[0]) }, "\(scope)")
            let services = try library.query("communes_parents_services")
            let scoped = try services.run(on: store, parameters: parameters).rows
            let whole = try services.run(on: store, parameters: territory).rows
            let communes = scoped.filter { $0[0] != .text("*") }
            #expect(!communes.isEmpty && communes.count < whole.count - 1, "\(scope)")
            for row in communes {
                #expect(whole.contains(row), "\(scope): \(row)")
            }
            if case .commune = scope, let star = scoped.last {
                #expect(communes.count == 1 && Array(star[2...]) == Array(communes[0][2...]), "\(scoped)")
            }
        }
    }

    /// With a commune or an EPCI, the packed rows are read for its persons only, each
    /// person's row of a whole period searched by its key (`DayRange.personFilter`, which
    /// `RangeMonthlySums` and `activite_periode` use): exactly the rows of the persons with a
    /// place there, and fewer than the territory's; the monthly counts are the same whether
    /// the place's persons are searched or every person's rows read.
    @Test func aPlaceReadsItsPersonsRowsByTheirKey() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let db = store.db
        #expect(try RangeActivity.DayRange(from: 0, to: 1).personFilter(on: db, table: "scope_test") == nil)
        let month = try db.prepare("SELECT first_day FROM person_period WHERE kind = 'month' ORDER BY first_day LIMIT 1")
        #expect(try month.step())
        let piece = RollupFigures.Piece(kind: .rollup(.month, first: month.int(0)))
        let everyone = try RollupFigures.PieceReader(db: db, hasSource: false, hasFeature: false)
        func read(_ reader: RollupFigures.PieceReader) throws -> [String] {
            var rows: [String] = []
            try reader.read(piece) { person, combo, r, l, v in rows.append("\(person) \(combo) \(r) \(l) \(v)") }
            return rows.sorted()
        }
        let all = try read(everyone)
        for (commune, epci) in [("80021", ""), ("", "CA de la Baie de Somme")] {
            let range = RangeActivity.DayRange(from: 0, to: 1, commune: commune, epci: epci)
            let filter = try #require(try range.personFilter(on: db, table: "scope_test"))
            let reader = try RollupFigures.PieceReader(db: db, hasSource: false, hasFeature: false, personFilter: filter)
            let persons = Set(try Self.rows(store, """
                SELECT DISTINCT person, '', '', '', '', '' FROM person_place
                WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2)
                """, commune, epci).map { String($0.split(separator: ",")[0]) })
            let scoped = try read(reader)
            #expect(!scoped.isEmpty && scoped.count < all.count, "\(commune) \(epci)")
            #expect(scoped == all.filter { persons.contains(String($0.split(separator: " ")[0])) }, "\(commune) \(epci)")
            // A search per person, not a read of every person's row.
            let plan = try db.prepare("EXPLAIN QUERY PLAN " + reader.rollupStatement.sql)
            var steps: [String] = []
            while try plan.step() { steps.append(plan.text(3)) }
            #expect(steps.contains { $0.contains("person_period") && $0.contains("person=?") }, "\(steps)")
            // The monthly counts, searched or read whole: the same rows.
            for (from, to) in [("2018-09-01", "2019-07-06"), ("2018-10-02", "2018-11-20")] {
                let months = RangeActivity.DayRange(parameters: ["from": from, "to": to, "commune": commune, "epci": epci])
                let searched = try RangeMonthlySums.build(months, store: store, searchBelow: 1)
                let whole = try RangeMonthlySums.build(months, store: store, searchBelow: 0)
                #expect(!searched.levels.isEmpty && searched.roles == whole.roles && searched.levels == whole.levels,
                        "\(commune) \(epci) \(from)")
            }
            // Read whole, the place's persons are not inserted into a temporary table for
            // nothing (on a connection of its own: the one above has it from the search).
            let other = try Store(readingFrom: ReportFixture.shared)
            let months = RangeActivity.DayRange(parameters: ["from": "2018-09-01", "to": "2019-07-06", "commune": commune, "epci": epci])
            _ = try RangeMonthlySums.build(months, store: other, searchBelow: 0)
            let scopeTables = "SELECT COUNT(*) FROM sqlite_temp_master WHERE name = 'activite_mensuelle_niveau_scope'"
            #expect(try other.db.scalarInt(scopeTables) == 0, "\(commune) \(epci)")
            _ = try RangeMonthlySums.build(months, store: other, searchBelow: 1)
            #expect(try other.db.scalarInt("SELECT COUNT(*) FROM temp.activite_mensuelle_niveau_scope") == Int64(persons.count),
                    "\(commune) \(epci)")
        }
    }

    /// `activite_periode` is a virtual table over rows in memory: every read of it (lookups
    /// by person, source and feature, with values of other types and other collations, IN
    /// lists, scans in both orders, a self-join, correlated subqueries, and the shipped
    /// queries that read it) gives what the same read gives over a plain copy of its rows.
    @Test func theVirtualTableAnswersAsATableWould() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
        let parameters = ["from": "2018-09-10", "to": "2018-11-20", "commune": "", "epci": ""]
        try RangeActivity.prepare(store: store, sql: "SELECT * FROM activite_periode", parameters: parameters)
        try store.db.execute("CREATE TEMP TABLE plain_copy AS SELECT * FROM activite_periode")
        let person = try #require(try store.db.scalarInt("""
            SELECT person FROM activite_periode GROUP BY person HAVING COUNT(*) > 3 ORDER BY person LIMIT 1 OFFSET 5
            """))
        let reads = [
            "SELECT * FROM {T} WHERE person = \(person)",
            "SELECT * FROM {T} WHERE person = '\(person)'",
            "SELECT * FROM {T} WHERE person = \(person).0 AND source = '*'",
            "SELECT * FROM {T} WHERE person = \(person) AND source = '*' AND feature = '*'",
            "SELECT * FROM {T} WHERE source = 'ACCESS' COLLATE NOCASE AND feature = '*'",
            "SELECT * FROM {T} WHERE source = 'ACCESS'",
            "SELECT * FROM {T} WHERE feature = 'pas un service'",
            "SELECT * FROM {T} WHERE person = -1",
            "SELECT * FROM {T} WHERE person IN (SELECT person FROM person_place WHERE code_commune = '80021') AND source = '*' AND feature = '*'",
            "SELECT person, feature, visits FROM {T} WHERE source = '*' ORDER BY person DESC, feature LIMIT 50",
            "SELECT COUNT(*), SUM(requests), SUM(logins), SUM(visits) FROM {T} WHERE person > 100 AND feature != '*'",
            "SELECT p.id, (SELECT a.visits FROM {T} a WHERE a.person = p.id AND a.source = '*' AND a.feature = '*') FROM person p",
            // Persons looked up in descending and in scrambled order (each lookup starts
            // from where the last one found its person: `RangeRows.rows(of:hint:)`).
            "SELECT p.id, (SELECT a.visits FROM {T} a WHERE a.person = p.id AND a.source = '*' AND a.feature = '*') FROM person p ORDER BY p.id DESC",
            "SELECT p.id, (SELECT COUNT(*) || '/' || SUM(a.visits) FROM {T} a WHERE a.person = p.id) FROM person p ORDER BY (p.id * 7919) % 101, p.id",
            "SELECT a.person, b.feature, b.visits FROM {T} a JOIN {T} b ON b.person = a.person AND b.source = a.source WHERE a.feature = '*' AND b.feature != '*'",
            "SELECT source, feature, COUNT(*), SUM(visits) FROM {T} GROUP BY source, feature",
            // IN lists on source and feature, read whole in one pass: still in person order,
            // so a GROUP BY or ORDER BY person is not sorted again (`orderByConsumed`).
            "SELECT person, COUNT(*), MAX(feature = 'cantine'), SUM(visits) FROM {T} WHERE source = '*' AND feature IN ('cantine', 'transport', 'periscolaire') GROUP BY person ORDER BY person",
            "SELECT person, COUNT(*), SUM(visits) FROM {T} WHERE source IN ('*', 'events', 'nothing') AND feature IN ('*', 'cantine') GROUP BY person",
            "SELECT DISTINCT person FROM {T} WHERE feature IN ('messagerie', 'cantine') ORDER BY person",
            "SELECT person, source, feature FROM {T} WHERE feature IN ('cantine', 5, 'transport') ORDER BY person, source, feature",
            "SELECT person FROM {T} WHERE feature IN ('pas un service', 'ni celui-ci') ORDER BY person",
            "SELECT person, SUM(visits) FROM {T} WHERE person IN (SELECT person FROM person_place WHERE code_commune = '80021' ORDER BY person DESC) GROUP BY person ORDER BY person",
            "SELECT person, visits FROM {T} WHERE source = '*' AND feature = '*' ORDER BY person DESC LIMIT 20",
            // Vector INs (SQLite 3.40 checks them row by row; one handed to the table a value
            // at a time would not let it promise person order).
            "SELECT person, COUNT(*), SUM(visits) FROM {T} WHERE (source, feature) IN (VALUES ('*', 'transport'), ('*', 'cantine'), ('events', '*')) GROUP BY person ORDER BY person",
            "SELECT person, COUNT(*), SUM(visits) FROM {T} WHERE source = '*' AND (feature, 1) IN (VALUES ('transport', 1), ('cantine', 1)) GROUP BY person ORDER BY person",
        ]
        func rows(_ sql: String) throws -> [String] {
            let s = try store.db.prepare(sql)
            var out: [String] = []
            while try s.step() { out.append((0..<s.columnCount).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
            return sql.contains("ORDER BY") ? out : out.sorted()
        }
        for read in reads {
            let virtual = try rows(read.replacingOccurrences(of: "{T}", with: "activite_periode"))
            let plain = try rows(read.replacingOccurrences(of: "{T}", with: "temp.plain_copy"))
            #expect(virtual == plain, "\(read)")
        }
        #expect(try rows("SELECT * FROM activite_periode WHERE person = \(person)").count > 3)
        // The GROUP BY person of `communes_parents_services` reads the rows in their order
        // (its IN list handed whole): no temporary tree sorts them.
        let plan = try rows("""
            EXPLAIN QUERY PLAN SELECT person, SUM(visits) FROM activite_periode
            WHERE source = '*' AND feature IN ('cantine', 'transport', 'periscolaire') GROUP BY person
            """)
        #expect(!plan.joined().isEmpty && !plan.joined().contains("B-TREE"), "\(plan)")
        // With the source a bound parameter (no value known to the plan: the order is not
        // promised, SQLite sorts), the same rows.
        let bound = try store.db.prepare("""
            SELECT person, SUM(visits) FROM activite_periode WHERE source = ?1 AND feature IN ('cantine', 'transport') GROUP BY person
            """)
        try bound.bind(.text("*"))
        var boundRows: [String] = []
        while try bound.step() { boundRows.append("\(bound.int64(0)),\(bound.int64(1))") }
        #expect(boundRows.sorted() == (try rows("""
            SELECT person, SUM(visits) FROM temp.plain_copy WHERE source = '*' AND feature IN ('cantine', 'transport') GROUP BY person
            """)))
        #expect(try !rows("SELECT * FROM activite_periode WHERE source = 'ACCESS' COLLATE NOCASE").isEmpty)
        for name in ["communes_parents_services"] {
            let sql = try library.query(name).sql
            let virtual = try library.query(name).run(on: store, parameters: parameters)
            let copySQL = sql.replacingOccurrences(of: "activite_periode ", with: "temp.plain_copy ")
                .replacingOccurrences(of: "activite_periode\n", with: "temp.plain_copy\n")
            #expect(copySQL != sql && !copySQL.contains("activite_periode\n") && !copySQL.contains("activite_periode "))
            let plain = try AnalystQuery(sql: copySQL, file: name).run(on: store, parameters: parameters)
            #expect(!virtual.rows.isEmpty)
            #expect(virtual.rows == plain.rows, "\(name)")
        }
    }

    /// A lookup by person finds the same rows whatever its hint (the lower bound of the
    /// previous lookup, possibly of other rows): in range, past the end, before or after the
    /// person, on a person with no row; checked against a plain scan.
    @Test func aLookupByPersonFindsItsRowsFromAnyHint() {
        let rows = RangeRows()
        let star = rows.id(of: "*")
        let persons: [Int64] = [2, 2, 3, 5, 5, 5, 6, 9, 9, 10, 14, 20, 20, 21]
        for p in persons { rows.append(person: p, source: star, feature: star, requests: 0, logins: 0, visits: 0) }
        var checked = 0
        for p in Int64(0)...22 {
            let first = persons.firstIndex(where: { $0 >= p }) ?? persons.count
            let end = persons.firstIndex(where: { $0 > p }) ?? persons.count
            for hint in -1...(persons.count + 2) {
                #expect(rows.rows(of: p, hint: hint) == first..<end, "person \(p), hint \(hint)")
                checked += 1
            }
        }
        #expect(checked == 23 * 18)
        #expect(rows.rows(of: 5, hint: 1) == 3..<6)
        #expect(rows.rows(of: 20, hint: 0) == 11..<13)
        #expect(rows.rows(of: 4, hint: 3) == 3..<3)
        let empty = RangeRows()
        #expect(empty.rows(of: 1, hint: 0) == 0..<0 && empty.rows(of: 1, hint: 1) == 0..<0)
    }

    /// A query missing a parameter fails before the engine builds anything for it (a school
    /// year's rows take a second to build), with the names of the missing parameters.
    @Test func aMissingParameterFailsBeforeAnyBuild() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
        for name in ["epci", "tendance_mensuelle"] {
            #expect {
                _ = try library.query(name).run(on: store, parameters: ["from": "2018-09-10", "to": "2018-11-20"])
            } throws: { error in
                guard case AnalystQuery.Failure.missingParameters(_, let names) = error else { return false }
                return names == ["commune", "epci"]
            }
        }
        #expect(store.db.rangeRows.rows == nil)
        #expect(store.db.engineTables.isEmpty)
        // The same queries with every parameter build and answer.
        let parameters = ["from": "2018-09-10", "to": "2018-11-20", "commune": "", "epci": ""]
        #expect(try !library.query("epci").run(on: store, parameters: parameters).rows.isEmpty)
        #expect(try !library.query("tendance_mensuelle").run(on: store, parameters: parameters).rows.isEmpty)
        // (`epci` reads `activite_periode` and the accounts; `tendance_mensuelle` the monthly
        // sums and the same accounts, kept.)
        #expect(store.db.rangeRows.rows != nil && store.db.engineTables.count == 3)
        // The accounts alone need the day and the place, not `from`.
        let accounts = AnalystQuery(sql: "SELECT COUNT(*) FROM comptes_lieu", file: "c.sql")
        let fresh = try Store(readingFrom: ReportFixture.shared)
        #expect {
            _ = try accounts.run(on: fresh, parameters: ["from": "2018-09-10"])
        } throws: { error in
            guard case AnalystQuery.Failure.missingParameters(_, let names) = error else { return false }
            return names == ["to", "commune", "epci"]
        }
        #expect(fresh.db.engineTables.isEmpty)
        #expect(try accounts.run(on: fresh, parameters: ["to": "2018-11-20", "commune": "", "epci": ""]).rows.count == 1)
        #expect(fresh.db.engineTables.count == 1)
    }
}
