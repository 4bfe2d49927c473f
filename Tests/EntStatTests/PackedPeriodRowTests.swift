import Testing
@testable import EntStat

/// Packed rollups (`person_period`): what `PeriodRowPacker` writes, `RollupRowStream` and
/// SQLite's `json_each` (the view `activity_period`) read back as the same rows.
@Suite struct PackedPeriodRowTests {
    typealias Row = (person: Int64, source: String, feature: String, days: Int64, requests: Int64, logins: Int64, visits: Int64)

    /// Rows in key order: names to escape, a feature that sorts before '*', a person with
    /// only a total, a person without a total (days = 0 in its packed row) whose counts are
    /// the bounds the reader accepts (0 and `RollupRowStream.largestCount`); persons 4 and 5 of one log source (packed in the form of one source); person
    /// 6 of one source too, but whose ('*', feature) row differs from its (source, feature)
    /// row, and person 7, whose (source, '*') row differs from its total (neither is ever
    /// seen in a store: both packed as arrays all the same).
    static let rows: [Row] = [
        (1, "*", "!alerte", 1, 1, 0, 1), (1, "*", "*", 3, 12, 2, 4), (1, "*", "blog", 2, 4, 0, 2),
        (1, "*", "cahier \"de\" textes\\é\n", 1, 7, 1, 1), (1, "access", "*", 3, 12, 2, 4),
        (1, "access", "blog", 2, 4, 0, 2),
        (2, "*", "*", 1, 1, 1, 1),
        (3, "events", "*", 1, 0, 0, 4_294_967_295),
        (4, "*", "*", 5, 50, 5, 6), (4, "events", "*", 5, 50, 5, 6),
        (5, "*", "*", 2, 9, 1, 3), (5, "*", "blog", 1, 4, 0, 1), (5, "*", "x\"y", 2, 5, 1, 2),
        (5, "events", "*", 2, 9, 1, 3), (5, "events", "blog", 1, 4, 0, 1), (5, "events", "x\"y", 2, 5, 1, 2),
        (6, "*", "*", 1, 3, 1, 1), (6, "*", "a", 1, 3, 1, 1), (6, "events", "*", 1, 3, 1, 1), (6, "events", "a", 1, 2, 1, 1),
        (7, "*", "*", 2, 5, 1, 1), (7, "events", "*", 1, 5, 1, 1),
    ]

    static func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }

    static func describe(_ r: Row) -> String {
        "\(r.person)|\(r.source)|\(r.feature)|\(r.days)|\(r.requests)|\(r.logins)|\(r.visits)"
    }

    /// A database with `person_period` holding `rows` packed for one week, added one row at a
    /// time and taken every `takeEvery` rows (a person's rows span two takes).
    static func packed(takeEvery: Int) throws -> Database {
        let db = try Database(path: ":memory:")
        // The table of migration 13 (without its copy of older rows), the view of migration 15.
        try db.execute(Migrations.v13.components(separatedBy: "INSERT INTO person_period")[0])
        try db.execute(Migrations.v15)
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
        let stream = RollupRowStream(packed: s, table: "person_period", classes: classes)
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
        try RollupRowStream(packed: s, table: "person_period", classes: classes).forEachRow { person, source, feature, days, r, l, v in
            out.append(describe((person, text(source), text(feature), days, r, l, v)))
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 100])
    func packedRowsReadBackAsTheRowsInKeyOrder(takeEvery: Int) throws {
        let db = try Self.packed(takeEvery: takeEvery)
        // One packed row per person; person 3 has no total row.
        #expect(try db.scalarInt("SELECT COUNT(*) FROM person_period") == 7)
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

    /// Persons 4 and 5, all of whose rows are of one log, keep each row once; the others
    /// keep the array of every row.
    @Test(arguments: [1, 2, 3, 100])
    func rowsOfOneSourceArePackedOnce(takeEvery: Int) throws {
        let db = try Self.packed(takeEvery: takeEvery)
        let detail = try db.prepare("SELECT detail FROM person_period ORDER BY person")
        var details: [String] = []
        while try detail.step() { details.append(detail.text(0)) }
        #expect(details.count == 7)
        #expect(details[0].hasPrefix("[[\"*\",\"!alerte\",1,1,0,1],"))
        #expect(details[1] == "[]")
        #expect(details[2] == "[[\"events\",\"*\",1,0,0,4294967295]]")
        #expect(details[3] == "{\"events\":[]}")
        #expect(details[4] == "{\"events\":[[\"blog\",1,4,0,1],[\"x\\\"y\",2,5,1,2]]}")
        #expect(details[5] == "[[\"*\",\"a\",1,3,1,1],[\"events\",\"*\",1,3,1,1],[\"events\",\"a\",1,2,1,1]]")
        #expect(details[6] == "[[\"events\",\"*\",1,5,1,1]]")
    }

    /// A day's groups are packed in the form of one source only when the ('*', feature)
    /// groups repeat the (source, feature) ones and (source, '*') repeats the total.
    @Test func aDayIsOfOneSourceOnlyWhenItsRowsRepeatExactly() {
        func group(_ order: Int, _ source: LogSource?, _ feature: Int?, _ r: Int, _ l: Int, _ v: Int) -> PackedDayRow.Entry {
            PackedDayRow.Entry(order: order, key: DayActivity.Key(source: source, featureID: feature),
                               counts: DayActivity.Counts(requests: r, logins: l, visits: v))
        }
        let total = (requests: 7, logins: 1, visits: 2)
        let stars = [group(1, nil, 0, 3, 1, 1), group(2, nil, 4, 4, 0, 1)]
        let events = [group(10, .events, nil, 7, 1, 2), group(11, .events, 0, 3, 1, 1), group(12, .events, 4, 4, 0, 1)]
        #expect(PackedDayRow.oneSource(of: stars + events, total: total) == .events)
        #expect(PackedDayRow.oneSource(of: [group(10, .access, nil, 7, 1, 2)], total: total) == .access)
        // The source's total differs from the total; a (source, feature) count differs; a
        // feature of one and not the other; two sources; no source.
        #expect(PackedDayRow.oneSource(of: stars + events, total: (7, 1, 3)) == nil)
        #expect(PackedDayRow.oneSource(of: stars + [events[0], events[1], group(12, .events, 4, 4, 1, 1)], total: total) == nil)
        #expect(PackedDayRow.oneSource(of: stars + [events[0], events[1], group(12, .events, 5, 4, 0, 1)], total: total) == nil)
        #expect(PackedDayRow.oneSource(of: stars + events.dropLast(), total: total) == nil)
        #expect(PackedDayRow.oneSource(of: stars + [group(9, .access, nil, 7, 1, 2)] + events, total: total) == nil)
        #expect(PackedDayRow.oneSource(of: stars, total: total) == nil)
        #expect(PackedDayRow.oneSource(of: [], total: total) == nil)
    }

    /// A detail of one source written in another order is still read in key order, by
    /// both readers; the view reads the same rows.
    @Test func aDetailOfOneSourceOutOfOrderIsReadInKeyOrder() throws {
        let db = try Self.packed(takeEvery: 100)
        try db.execute("""
            UPDATE person_period SET detail = ' { "events" : [ ["b",1,1,0,0], ["a",1,2,0,0]] } ' WHERE person = 2
            """)
        let expected = ["2|*|*|1|1|1|1", "2|*|a|1|2|0|0", "2|*|b|1|1|0|0", "2|events|*|1|1|1|1", "2|events|a|1|2|0|0", "2|events|b|1|1|0|0"]
        #expect(try Self.decoded(db, classes: .all).filter { $0.hasPrefix("2|") } == expected)
        #expect(try Self.handedOver(db, classes: .all).filter { $0.hasPrefix("2|") }.sorted() == expected)
        #expect(try Self.decoded(db, classes: .bySourceFeature).filter { $0.hasPrefix("2|") } == ["2|events|a|1|2|0|0", "2|events|b|1|1|0|0"])
        // A source that sorts before '*'.
        try db.execute("UPDATE person_period SET detail = '{\"!x\":[[\"a\",1,1,0,0]]}' WHERE person = 2")
        #expect(try Self.decoded(db, classes: .all).filter { $0.hasPrefix("2|") }
                == ["2|!x|*|1|1|1|1", "2|!x|a|1|1|0|0", "2|*|*|1|1|1|1", "2|*|a|1|1|0|0"])
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
                      "[[\"*\",\"a\",99999999999999999999,2,0,0]]",
                      "{\"*\":[]}", "{\"events\":[[\"*\",1,1,1,1]]}", "{\"events\":[[\"a\",1,1,1,1]]", "{\"events\":[[\"a\",1,1,1]]}",
                      "{\"events\":[[\"a\",1,1,1,1]]} x", "{\"events\" [[\"a\",1,1,1,1]]}", "{\"events\":[]}@",
                      // Nine bytes like four one-digit counts, but not quite.
                      "[[\"*\",\"a\",1,2,0,:]]", "[[\"*\",\"a\",1,2,/,0]]", "{\"events\":[[\"a\",1,1,1,1,1]]}",
                      "{\"events\":[[\"a\",1,1,1;1]]}"])
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
                guard case .damaged(_, let table, let reason) = error else { Issue.record("\(error)"); return }
                #expect(table == "person_period")
                #expect(reason.hasPrefix("détail illisible pour la personne 2 ("), "\(reason)")
                #expect(reason.contains("octet"))
            }
        }
    }

    /// A count outside 0…`RollupRowStream.largestCount`, in the total's columns or in an
    /// entry of a detail of either form, stops the read, naming the column: sums of such
    /// counts over every person could overflow. `largestCount` itself is read (person 3).
    @Test(arguments: [
        ("requests = 4294967296", "requests 4294967296 hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295)"),
        ("visits = -1", "visits -1 hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295)"),
        ("logins = 9223372036854775807", "logins 9223372036854775807 hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295)"),
        ("detail = '[[\"*\",\"a\",1,4294967296,0,0]]'", "requests 4294967296 hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295 dans l'entrée du détail à l'octet 1)"),
        ("detail = '[[\"*\",\"a\",-1,1,0,0]]'", "days -1 hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295 dans l'entrée du détail à l'octet 1)"),
        ("detail = '{\"events\":[[\"a\",1,1,1,99999999999]]}'", "visits 99999999999 hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295 dans l'entrée du détail à l'octet 11)"),
    ])
    func aCountBeyondAnyPersonsIsAnError(set: String, reason: String) throws {
        let db = try Self.packed(takeEvery: 100)
        try db.execute("UPDATE person_period SET \(set) WHERE person = 2")
        for handedOver in [false, true] {
            do {
                _ = handedOver ? try Self.handedOver(db, classes: .all) : try Self.decoded(db, classes: .all)
                Issue.record("no error for \(set)")
            } catch let error as StoreError {
                guard case .damaged(_, "person_period", let found) = error else { Issue.record("\(error)"); return }
                #expect(found == "détail illisible pour la personne 2 (" + reason, "\(set)")
            }
        }
    }

    /// A detail of one source needs the total it repeats: without one (days = 0), it is an
    /// error too.
    @Test func aDetailOfOneSourceWithoutATotalIsAnError() throws {
        let db = try Self.packed(takeEvery: 100)
        try db.execute("UPDATE person_period SET detail = '{\"events\":[]}' WHERE person = 3")
        #expect(throws: StoreError.self) { try Self.decoded(db, classes: .all) }
        #expect(throws: StoreError.self) { try Self.handedOver(db, classes: .bySource) }
    }
}
