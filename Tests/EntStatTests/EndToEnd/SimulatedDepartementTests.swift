import EntStat
import EntStatSimulator
import Foundation
import Testing

/// The simulator's output goes through the real binary: no line is rejected but the
/// malformed ones it was asked to write, and its known properties show in the figures.
@Suite("Simulated département, ingested")
struct SimulatedDepartementTests {
    @Test func ingestsWithOnlyTheAskedForRejectsAndShowsItsProperties() throws {
        let dir = try E2E.scratch("simulated")
        let (summary, r) = try E2E.simulateAndIngest(in: dir, schools: 10, from: CivilDate(year: 2018, month: 10, day: 22),
                                                     to: CivilDate(year: 2018, month: 11, day: 11)) { $0.malformedRate = 0.002 }
        #expect(summary.malformedLines > 0)

        #expect(r.status == 0, "\(r.stderr)")
        var rejected = 0
        for line in r.stdout.split(separator: "\n") where line.hasPrefix("ingéré") {
            let words = line.split(separator: " ")
            if let i = words.firstIndex(where: { $0 == "rejetées" || $0 == "rejetée" }), let n = Int(words[i - 1].filter(\.isNumber)) { rejected += n }
        }
        #expect(rejected == summary.malformedLines)
        #expect(!r.stderr.contains("attention"), "reference files load without warnings: \(r.stderr)")

        // Parents of maternelle use the ENT more than parents of élémentaire.
        let rows = E2E.lines(try E2E.export(["--period", "all", "--by", "role,level"], in: dir)).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        func rate(_ level: String) throws -> Double {
            let row = try #require(rows.first { $0[1] == "parent" && $0[2] == level }, "\(level): \(rows)")
            return try #require(Double(row[10]), "\(row)")  // active_rate
        }
        #expect(try rate("maternelle") > rate("elementaire"), "\(rows)")

        // Wednesdays (short school day) and the Toussaint holidays (2018-10-20 → 11-04) show as
        // dips in the pupils' and teachers' daily active users.
        var school: [String: Int] = [:]
        for line in E2E.lines(try E2E.export(["--period", "day", "--by", "role"], in: dir)).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f[1] == "student" || f[1] == "teacher" { school[f[0], default: 0] += Int(f[2]) ?? 0 }
        }
        // Every day of the comparisons has activity (a missing day would be a false dip).
        func users(_ day: String) throws -> Int { try #require(school[day], "\(day): \(school)") }
        func mean(_ days: [String]) throws -> Double { Double(try days.map(users).reduce(0, +)) / Double(days.count) }
        let schoolWeek = try mean(["2018-11-05", "2018-11-06", "2018-11-08", "2018-11-09"])
        #expect(Double(try users("2018-11-07")) < 0.6 * schoolWeek, "\(school)")
        #expect(try mean(["2018-10-22", "2018-10-23", "2018-10-24", "2018-10-25", "2018-10-26"]) < 0.5 * schoolWeek, "\(school)")

        // During the overlap (before the 2018-11-04 switch) some people use both ENTs in one week.
        try E2E.write("""
            SELECT c.iso_week, COUNT(DISTINCT a.person) FROM activity a JOIN calendar c ON c.day = a.day
            WHERE a.source = 'access' AND a.feature = '*' AND a.person IN (
                SELECT b.person FROM activity b JOIN calendar d ON d.day = b.day
                WHERE b.source = 'events' AND b.feature = '*' AND d.iso_week = c.iso_week)
            GROUP BY c.iso_week ORDER BY c.iso_week
            """, to: dir.appendingPathComponent("both.sql"))
        let both = E2E.lines(try E2E.run(["query", "--db", "s.sqlite", "both.sql"], in: dir).stdout)
        #expect(both.contains { $0.hasPrefix("2018-W43,") && Int($0.split(separator: ",")[1])! > 0 }, "\(both)")
        #expect(!both.contains { $0.hasPrefix("2018-W45,") }, "no old ENT after the switch: \(both)")
    }
}
