import Foundation
import Testing
@testable import EntStat

/// `activite_periode` shared between connections (`RangeActivity.SharedTables`): a
/// connection that attaches another's copy reads the same rows as one that builds its own,
/// and each connection always reads the range its query asks for, whatever it held before.
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

        // a builds the autumn in its own temporary table; b attaches a's copy.
        try prepare(a, autumn.0, autumn.1)
        try prepare(b, autumn.0, autumn.1)
        #expect(try Self.sums(a) == autumnSums)
        #expect(try Self.sums(b) == autumnSums)
        #expect(try b.db.isAttached(RangeActivity.schema))
        #expect(try b.db.scalarInt("SELECT COUNT(*) FROM temp.sqlite_schema WHERE name = 'activite_periode'") == 0)
        // b needs October (built in its temporary table, the copy detached), then the
        // autumn again (the copy attached again, its temporary table dropped).
        try prepare(b, october.0, october.1)
        #expect(try Self.sums(b) == octoberSums)
        #expect(try !b.db.isAttached(RangeActivity.schema))
        try prepare(b, autumn.0, autumn.1)
        #expect(try Self.sums(b) == autumnSums)
        // a, which built the autumn, reads October from b's copy, then the autumn again.
        try prepare(a, october.0, october.1)
        #expect(try Self.sums(a) == octoberSums)
        try prepare(a, autumn.0, autumn.1)
        #expect(try Self.sums(a) == autumnSums)
        // Without sharing, each connection builds its own, with the same rows.
        let c = try Store(readingFrom: ReportFixture.shared)
        try RangeActivity.prepare(store: c, sql: sql, parameters: ["from": october.0, "to": october.1])
        #expect(try Self.sums(c) == octoberSums)
    }
}
