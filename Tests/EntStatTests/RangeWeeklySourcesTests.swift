import Testing
@testable import EntStat

/// `activite_hebdo_source`, which `migration_hebdo.sql` reads: week by week, the persons of
/// the place active in each log source and in either, as SQLite counts them from the day
/// rows' JSON (the `activity` view), whichever way the engine reads the week rows.
@Suite struct RangeWeeklySourcesTests {
    /// The rows (week, source, users, listed users, visits, logins, requests) counted from
    /// the day rows in SQL: the days of [from, to] by ISO week, each person of the place once
    /// per week and source.
    static func expected(_ store: Store, _ from: String, _ to: String, _ commune: String, _ epci: String) throws -> [String] {
        let s = try store.db.prepare("""
            SELECT c.iso_week, a.source, COUNT(DISTINCT a.person),
                   COUNT(DISTINCT a.person) FILTER (WHERE a.person IN (SELECT id FROM person WHERE account IS NOT NULL)),
                   SUM(a.visits), SUM(a.logins), SUM(a.requests)
            FROM activity a JOIN calendar c ON c.day = a.day
            WHERE c.date BETWEEN ?1 AND ?2 AND a.feature = '*'
              AND a.person IN (SELECT person FROM person_place WHERE (?3 = '' OR code_commune = ?3) AND (?4 = '' OR epci = ?4))
            GROUP BY 1, 2 ORDER BY 1, 2
            """)
        try s.bind(.text(from), .text(to), .text(commune), .text(epci))
        var rows: [String] = []
        while try s.step() { rows.append((0..<7).map { s.value($0) }.map(AnalystQuery.cell).joined(separator: ",")) }
        return rows
    }

    static func lines(_ built: RangeWeeklySources.Built) -> [String] {
        built.rows.map { r in
            [r.period, r.groups[0], String(r.activeUsers), String(r.listedActiveUsers), String(r.connections),
             String(r.logins), String(r.requests)].joined(separator: ",")
        }
    }

    /// For the territory, a commune and an EPCI, over the school year and over a range that
    /// cuts a week at each end (and a single day): the table the engine builds, its place's
    /// persons searched by their key or every person's rows read, is the count from the
    /// day rows.
    @Test func theWeeksAreThoseOfTheDayRows() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let places = [("", ""), ("80021", ""), ("", "CA de la Baie de Somme")]
        let ranges = [("2018-09-01", "2019-07-06"), ("2018-10-03", "2018-11-20"), ("2018-11-06", "2018-11-06")]
        var weeksSeen = Set<String>()
        for (commune, epci) in places {
            for (from, to) in ranges {
                let expected = try Self.expected(store, from, to, commune, epci)
                #expect(expected.contains { $0.contains(",access,") } && expected.contains { $0.contains(",events,") }
                        || from == to, "\(commune) \(epci) \(from)")
                #expect(!expected.isEmpty, "\(commune) \(epci) \(from)")
                let range = RangeActivity.DayRange(parameters: ["from": from, "to": to, "commune": commune, "epci": epci])
                for below in [0.0, 1.0] {
                    let built = try RangeWeeklySources.build(range, store: store, searchBelow: below)
                    #expect(Self.lines(built) == expected, "\(commune) \(epci) \(from)–\(to) searched below \(below)")
                }
                weeksSeen.formUnion(expected.map { String($0.split(separator: ",")[0]) })
            }
        }
        #expect(weeksSeen.count >= 10)
    }

    /// `migration_hebdo.sql` through the engine's table: each week's old, new and both ENTs
    /// from the day rows' counts, and no week without activity.
    @Test func theQueryReadsTheTable() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let query = try #require(try QueryLibrary(directory: ReportFixture.queriesDirectory).queries["migration_hebdo"])
        let (from, to, commune) = ("2018-10-03", "2019-02-14", "80021")
        let table = try query.run(on: store, parameters: ["from": from, "to": to, "commune": commune, "epci": ""])
        #expect(table.columns.first == "semaine")
        let rows = table.rows.map { $0.map(AnalystQuery.cell) }
        var users: [String: [String: Int]] = [:]
        for line in try Self.expected(store, from, to, commune, "") {
            let f = line.split(separator: ",").map(String.init)
            users[f[0], default: [:]][f[1]] = Int(f[2])!
        }
        #expect(rows.map { $0[0] } == users.keys.sorted())
        for row in rows {
            let u = try #require(users[row[0]])
            let (o, n, e) = (u["access"] ?? 0, u["events"] ?? 0, u["*"] ?? 0)
            #expect(row[2] == String(o) && row[3] == String(n) && row[4] == String(o + n - e), "\(row)")
        }
        #expect(rows.contains { Int($0[4])! > 0 }, "some week with both ENTs")
    }
}
