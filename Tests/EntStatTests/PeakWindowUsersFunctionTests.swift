import Foundation
import Testing
@testable import EntStat

/// `peak_window_users(windows)`, the aggregate the scoped `peak_concurrent_users` query
/// counts with: hand-made bitmaps, and the ingest's own per-day peaks (`day_window`).
@Suite struct PeakWindowUsersFunctionTests {
    @Test func itCountsTheRowsOfTheBusiestWindow() throws {
        let db = try Database(path: ":memory:")
        // Day 1: A in windows 0 and 5, B in 5 and 299 (byte 37, bit 3), C in 5: three in
        // window 5. Day 2: one person in window 0, another in window 1: one at a time.
        // Day 3: no bitmap.
        let b = "X'" + String(repeating: "00", count: 37) + "'"
        let bWith299 = "X'20" + String(repeating: "00", count: 36) + "08'"
        try db.execute("""
            CREATE TABLE t(day INTEGER, windows BLOB);
            INSERT INTO t VALUES (1, X'21'), (1, \(bWith299)), (1, X'20'), (2, X'01'), (2, X'02'), (3, NULL), (4, \(b));
            """)
        #expect(try db.textRows("SELECT day, peak_window_users(windows) FROM t GROUP BY day ORDER BY day")
                == [["1", "3"], ["2", "1"], ["3", "0"], ["4", "0"]])
        #expect(try db.textRows("SELECT peak_window_users(windows) FROM t WHERE day = 99") == [[""]])
        // A bitmap longer than 512 windows is an error, not a silent truncation.
        try db.execute("INSERT INTO t VALUES (5, zeroblob(65))")
        #expect(throws: DatabaseError.self) { try db.textRows("SELECT peak_window_users(windows) FROM t WHERE day = 5") }
    }

    @Test func overEveryPersonDayItGivesTheIngestsDailyPeaks() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let fromBitmaps = try store.db.textRows("SELECT day, peak_window_users(windows) FROM person_day GROUP BY day ORDER BY day")
        let fromIngest = try store.db.textRows("SELECT day, MAX(users) FROM day_window GROUP BY day ORDER BY day")
        #expect(fromBitmaps.count > 30)
        #expect(fromBitmaps == fromIngest)
    }
}
