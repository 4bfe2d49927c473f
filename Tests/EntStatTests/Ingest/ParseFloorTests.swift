import Testing
@_spi(Benchmark) @testable import EntStat

/// The parse floor's entry (`ParseFloor`, run by `bench/floor`): the counts it reports and
/// the rows its cheapest store of the facts appends, one per identity and local day.
@Suite struct ParseFloorTests {
    /// Two users over two local days (Europe/Paris), and a static asset that does not count.
    static let lines = [
        AccessLogParserTests.line(user: "u1", stamp: "14/Oct/2018:08:14:03 +0200"),
        AccessLogParserTests.line(user: "u2", stamp: "14/Oct/2018:10:00:00 +0200"),
        AccessLogParserTests.line(user: "u1", stamp: "14/Oct/2018:23:59:59 +0200"),
        AccessLogParserTests.line(user: "u2", stamp: "14/Oct/2018:10:05:00 +0200"),
        AccessLogParserTests.line(user: "u3", stamp: "14/Oct/2018:10:06:00 +0200", request: "GET /app.js HTTP/1.1"),
        // 22:00:01 UTC on the 14th is the 15th in Paris.
        AccessLogParserTests.line(user: "u1", stamp: "14/Oct/2018:22:00:01 +0000"),
    ]

    @Test func factsAppendedOnePerIdentityAndDay() throws {
        let path = try TestSupport.writeTemporaryFile(TestSupport.gzip(Self.lines.joined(separator: "\n") + "\n"), name: "access.log.gz")
        defer { TestSupport.removeTemporaryFile(path) }
        let storePath = try TestSupport.makeTemporaryDirectory().appendingPathComponent("facts.sqlite").path
        let facts = try ParseFloor.FactAppender(path: storePath)

        let stored = try ParseFloor.parse(path: path, appendingTo: facts)
        let dropped = try ParseFloor.parse(path: path)

        for counts in [stored, dropped] {
            #expect(counts.lines == 6)
            #expect(counts.qualifying == 5)
            #expect(counts.identities == 2)
            #expect(counts.timelineEntries == 5)
        }
        // (u1, 14th), (u1, 15th), (u2, 14th).
        #expect(facts.appended == 3)
        let db = try Database(path: storePath, readOnly: true)
        let days = try db.statement("SELECT COUNT(DISTINCT pseudonym), COUNT(DISTINCT day), COUNT(*) FROM fact")
        #expect(try days.step())
        #expect([days.int64(0), days.int64(1), days.int64(2)] == [2, 2, 3])
        // Each row holds that identity's entries of that day: 2 + 1 + 2.
        let rows = try db.statement("SELECT entries FROM fact ORDER BY length(entries)")
        var perRow: [Int] = []
        while try rows.step() {
            var entries: [TimelineEntry] = []
            TimelineEntry.decode(rows.blob(0), appendingTo: &entries)
            perRow.append(entries.reduce(0) { $0 + Int($1.count) })
        }
        #expect(perRow == [1, 2, 2])
    }
}
