import Testing
@testable import EntStat

/// Packed rollups (`person_period`): what `PeriodRowPacker` writes, `RollupRowStream` and
/// SQLite's `json_each` (the view `activity_period`) read back as the same rows.
@Suite struct PackedPeriodRowTests {
    typealias Row = (person: Int64, source: String, feature: String, days: Int64, requests: Int64, logins: Int64, visits: Int64)

    /// Rows in key order: names to escape, a feature that sorts before '*', a person with
    /// only a total, a person without a total (days = 0 in its packed row), a negative
    /// count.
    static let rows: [Row] = [
        (1, "*", "!alerte", 1, 1, 0, 1), (1, "*", "*", 3, 12, 2, 4), (1, "*", "blog", 2, 4, 0, 2),
        (1, "*", "cahier \"de\" textes\\é\n", 1, 7, 1, 1), (1, "access", "*", 3, 12, 2, 4),
        (1, "access", "blog", 2, 4, 0, 2),
        (2, "*", "*", 1, 1, 1, 1),
        (3, "events", "*", 1, -2, 0, 9_000_000_000),
        (4, "*", "*", 5, 50, 5, 6), (4, "events", "*", 5, 50, 5, 6),
    ]

    static func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }

    static func describe(_ r: Row) -> String {
        "\(r.person)|\(r.source)|\(r.feature)|\(r.days)|\(r.requests)|\(r.logins)|\(r.visits)"
    }

    /// A database with `person_period` holding `rows` packed for one week, added one row at a
    /// time and taken every `takeEvery` rows (a person's rows span two takes).
    static func packed(takeEvery: Int) throws -> Database {
        let db = try Database(path: ":memory:")
        // The table and the view of migration 13 (without its copy of older rows).
        let v13 = Migrations.v13
        try db.execute(v13.components(separatedBy: "INSERT INTO person_period")[0])
        try db.execute(String(v13[v13.range(of: "CREATE VIEW")!.lowerBound...]))
        var packer = PeriodRowPacker()
        let appender = PeriodRollupAppender(db: db, kind: .week, first: 17_794)
        for (i, r) in rows.enumerated() {
            var source = r.source, feature = r.feature
            source.withUTF8 { s in
                feature.withUTF8 { f in
                    packer.add(person: r.person, source: UnsafeRawBufferPointer(s), feature: UnsafeRawBufferPointer(f),
                               days: r.days, requests: r.requests, logins: r.logins, visits: r.visits)
                }
            }
            if (i + 1) % takeEvery == 0 { try appender.append(packer.take()) }
        }
        packer.finish()
        try appender.append(packer.take())
        return db
    }

    static func decoded(_ db: Database, classes: PeriodRowClasses) throws -> [String] {
        let s = try db.prepare("SELECT person, days, requests, logins, visits, detail FROM person_period ORDER BY person")
        let stream = RollupRowStream(packed: s, classes: classes)
        var out: [String] = []
        while try stream.next() {
            out.append(describe((stream.person, text(stream.source), text(stream.feature),
                                 stream.days, stream.requests, stream.logins, stream.visits)))
        }
        return out
    }

    /// The rows of `forEachRow` (in the order of each detail), as `decoded` describes them.
    static func handedOver(_ db: Database, classes: PeriodRowClasses) throws -> [String] {
        let s = try db.prepare("SELECT person, days, requests, logins, visits, detail FROM person_period ORDER BY person")
        var out: [String] = []
        try RollupRowStream(packed: s, classes: classes).forEachRow { person, source, feature, days, r, l, v in
            out.append(describe((person, text(source), text(feature), days, r, l, v)))
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 100])
    func packedRowsReadBackAsTheRowsInKeyOrder(takeEvery: Int) throws {
        let db = try Self.packed(takeEvery: takeEvery)
        // One packed row per person; person 3 has no total row.
        #expect(try db.scalarInt("SELECT COUNT(*) FROM person_period") == 4)
        #expect(try db.scalarInt("SELECT days FROM person_period WHERE person = 3") == 0)
        #expect(try Self.decoded(db, classes: .all) == Self.rows.map(Self.describe))
        // SQLite's JSON functions (the view) read the same rows.
        let view = try db.prepare("""
            SELECT person, source, feature, days, requests, logins, visits FROM activity_period ORDER BY person, source, feature
            """)
        var viewed: [String] = []
        while try view.step() {
            viewed.append(Self.describe((view.int64(0), view.text(1), view.text(2), view.int64(3), view.int64(4), view.int64(5), view.int64(6))))
        }
        #expect(viewed == Self.rows.map(Self.describe))
    }

    @Test func eachClassOfRowsIsReadAlone() throws {
        let db = try Self.packed(takeEvery: 4)
        func expected(_ keep: (Row) -> Bool) -> [String] { Self.rows.filter(keep).map(Self.describe) }
        #expect(try Self.decoded(db, classes: .total) == expected { $0.source == "*" && $0.feature == "*" })
        #expect(try Self.decoded(db, classes: .bySource) == expected { $0.source != "*" && $0.feature == "*" })
        #expect(try Self.decoded(db, classes: .byFeature) == expected { $0.source == "*" && $0.feature != "*" })
        #expect(try Self.decoded(db, classes: .bySourceFeature) == expected { $0.source != "*" && $0.feature != "*" })
        #expect(try Self.decoded(db, classes: [.total, .byFeature]) == expected { $0.source == "*" })
    }

    /// A detail written in another order (by hand, or by SQLite's grouping in migration 13)
    /// is still read in key order.
    @Test func aDetailOutOfOrderIsReadInKeyOrder() throws {
        let db = try Self.packed(takeEvery: 100)
        try db.execute("""
            UPDATE person_period SET detail = '[ ["events","*",1,1,0,0], ["*","b",1,1,0,0] ,["*","a",1,2,0,0]]' WHERE person = 2
            """)
        let person2 = try Self.decoded(db, classes: .all).filter { $0.hasPrefix("2|") }
        #expect(person2 == ["2|*|*|1|1|1|1", "2|*|a|1|2|0|0", "2|*|b|1|1|0|0", "2|events|*|1|1|0|0"])
    }

    /// Handed over for a sum (`forEachRow`), each person's rows are the same, in the order of
    /// the detail, the total first: for every class, and for a detail out of order.
    @Test func rowsReadForASumAreTheSameRows() throws {
        let db = try Self.packed(takeEvery: 3)
        try db.execute("""
            UPDATE person_period SET detail = '[ ["events","*",1,1,0,0], ["*","b",1,1,0,0] ,["*","a",1,2,0,0]]' WHERE person = 2
            """)
        for classes: PeriodRowClasses in [.all, .total, .bySource, .byFeature, .bySourceFeature, [.total, .byFeature]] {
            let inKeyOrder = try Self.decoded(db, classes: classes)
            let unordered = try Self.handedOver(db, classes: classes)
            #expect(unordered.sorted() == inKeyOrder.sorted(), "\(classes)")
            // Persons still come one after the other.
            #expect(unordered.map { $0.prefix(2) } == inKeyOrder.map { $0.prefix(2) }, "\(classes)")
        }
        let person2 = try Self.handedOver(db, classes: .all).filter { $0.hasPrefix("2|") }
        #expect(person2 == ["2|*|*|1|1|1|1", "2|events|*|1|1|0|0", "2|*|b|1|1|0|0", "2|*|a|1|2|0|0"])
    }

    /// A damaged detail stops the read with an error naming the person and the byte.
    @Test(arguments: ["[[\"*\",\"a\",1,2,0]]", "[[\"*\",\"a\",1,2,0,0]", "[[\"*\",\"a\\q\",1,2,0,0]]", "", "[[\"*\",\"a\",1,2,0,0]] x",
                      "[[\"*\",\"a\",99999999999999999999,2,0,0]]"])
    func aDamagedDetailIsAnError(detail: String) throws {
        let db = try Self.packed(takeEvery: 100)
        let update = try db.prepare("UPDATE person_period SET detail = ?1 WHERE person = 2")
        try update.bind(.text(detail))
        _ = try update.step()
        // Read in key order, or handed over row by row for a sum.
        for handedOver in [false, true] {
            do {
                _ = handedOver ? try Self.handedOver(db, classes: .all) : try Self.decoded(db, classes: .all)
                Issue.record("no error for \(detail)")
            } catch let error as StoreError {
                guard case .corruptRollup(let person, let reason) = error else { Issue.record("\(error)"); return }
                #expect(person == 2)
                #expect(reason.contains("octet"))
                #expect("\(error)".contains("personne 2"))
            }
        }
    }
}
