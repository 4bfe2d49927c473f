import Testing
@testable import EntStat

/// The rollups' count of the distinct persons queued in a period (`DistinctPersonCounter`).
@Suite struct DistinctPersonCounterTests {
    @Test func countsEachPersonOnceAndStartsAfreshEachTime() throws {
        let db = try Database(path: ":memory:")
        try db.execute("""
            CREATE TABLE q(day INTEGER, person INTEGER, PRIMARY KEY (day, person)) WITHOUT ROWID;
            INSERT INTO q VALUES (1, 5), (1, 63), (1, 64), (2, 5), (2, 64), (2, 1000000), (3, 0), (3, 5),
                                 (3, -7), (4, -7), (4, 1099511627776), (5, 1099511627776), (5, 63);
            """)
        let select = try db.prepare("SELECT person FROM q WHERE day BETWEEN ?1 AND ?2")
        var counter = DistinctPersonCounter()
        func count(_ first: Int, _ last: Int) throws -> Int {
            select.reset()
            try select.bind(.int(first), .int(last))
            return try counter.count(select)
        }
        // Days 1–2: 5, 63, 64, 1 000 000 (the bits grow for it).
        #expect(try count(1, 2) == 4)
        // Day 2 alone, after: nothing left over from the count before.
        #expect(try count(2, 2) == 3)
        // Days 3–5: 0, 5, -7, 2^40 and 63: ids outside the bits counted once too.
        #expect(try count(3, 5) == 5)
        #expect(try count(1, 5) == 7)
        #expect(try count(6, 9) == 0)
    }
}
