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
            for migration in Migrations.all where migration.version <= 3 {
                try db.transaction {
                    try migration.apply(db)
                    try db.execute("PRAGMA user_version = \(migration.version)")
                }
            }
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
}
