import Foundation
import Testing
@testable import EntStat

/// The cells of an export period come in export order (SPEC §3: rows sorted by the values
/// of the grouping, dimension by dimension), whether their ranks are packed into one
/// integer (the usual path) or compared column by column (ranks wider than 64 bits, which
/// small data cannot reach: the test lowers the limit to take that path).
@Suite struct CellOrderTests {
    @Test func packedAndComparedSortsGiveTheExportOrder() throws {
        let store = try TestSupport.scratchStore()
        let db = store.db
        // Persons 1–6 with (role, school) places; person 3 in two schools.
        let places: [(Int, String, String)] = [
            (1, "teacher", "0800002T"), (2, "parent", "0800002T"), (3, "parent", "0800001S"), (3, "parent", "0800003U"),
            (4, "teacher", "0800001S"), (5, "parent", "0800001S"), (6, "student", "0800003U"),
        ]
        for (person, _, _) in places { try db.execute("INSERT OR IGNORE INTO person(id) VALUES (\(person))") }
        for (person, role, uai) in places {
            try db.execute("INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES (\(person), 0, '\(role)', '\(uai)', '', '', '')")
        }
        let people = try #require(try RollupFigures.People(db: db, placeColumns: ["uai", "role"]))
        let combos: [(source: String, feature: String)] = [("*", "*"), ("events", "blog"), ("access", "blog"), ("events", "agenda")]
        func period(keyBits: Int) -> [String] {
            var aggregator = RollupFigures.Aggregator(people: people)
            // Every person in several combos, added in an order unlike the export's.
            for (combo, persons) in [(3, [6, 1]), (1, [5, 4, 3]), (0, [6, 5, 4, 3, 2, 1]), (2, [2, 3])] {
                for person in persons { aggregator.add(person: Int64(person), combo: combo, 1, 0, 1) }
            }
            aggregator.flush(period: "p", dimensions: [.school, .role, .source, .feature], combos: combos, keyBits: keyBits)
            let rows = aggregator.takeRows(dimensions: [.school, .role, .source, .feature])
            return rows.map { $0.groups.joined(separator: "|") }
        }
        let packed = period(keyBits: 64), compared = period(keyBits: 0)
        #expect(packed == compared)
        // By school, role, source, feature, each in ascending order ('*' first).
        let expected = [
            "0800001S|parent|*|*", "0800001S|parent|access|blog", "0800001S|parent|events|blog",
            "0800001S|teacher|*|*", "0800001S|teacher|events|blog",
            "0800002T|parent|*|*", "0800002T|parent|access|blog",
            "0800002T|teacher|*|*", "0800002T|teacher|events|agenda",
            "0800003U|parent|*|*", "0800003U|parent|access|blog", "0800003U|parent|events|blog",
            "0800003U|student|*|*", "0800003U|student|events|agenda",
        ]
        #expect(packed == expected)
    }

    /// The cells of a period whose combo ids keep growing (each new largest one moves the
    /// cells counted so far to a wider row per group): every sum where a dictionary puts it.
    @Test func cellsKeepTheirSumsWhenLargerComboIDsCome() throws {
        let store = try TestSupport.scratchStore()
        let db = store.db
        // Persons 1–12 (listed: multiples of 3), each in one or two of three schools.
        func schools(_ person: Int) -> Set<String> { Set(person % 4 == 0 ? ["S1", "S\(person % 3 + 1)"] : ["S\(person % 3 + 1)"]) }
        for person in 1...12 {
            try db.execute("INSERT INTO person(id, account) VALUES (\(person), \(person % 3 == 0 ? "1" : "NULL"))")
            for uai in schools(person) {
                try db.execute("INSERT OR IGNORE INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES (\(person), 0, 'parent', '\(uai)', '', '', '')")
            }
        }
        let people = try #require(try RollupFigures.People(db: db, placeColumns: ["uai"]))
        var aggregator = RollupFigures.Aggregator(people: people)
        // (school, combo) -> users, listed, requests.
        var expected: [[String]: [Int]] = [:]
        // Combo ids 0, 5, 9, 14, 22, 40: 5 fits the first rows of 8, 9 and 22 widen them,
        // 40 again; each added after cells of the smaller ones.
        for (step, combo) in [0, 5, 9, 14, 22, 40].enumerated() {
            for person in stride(from: 1 + step % 2, through: 12, by: 1 + step % 3) {
                let requests = person * 10 + combo
                aggregator.add(person: Int64(person), combo: combo, requests, 0, 0)
                for school in schools(person) {
                    var sums = expected[[school, String(combo)], default: [0, 0, 0]]
                    sums[0] += 1
                    sums[1] += person % 3 == 0 ? 1 : 0
                    sums[2] += requests
                    expected[[school, String(combo)]] = sums
                }
            }
        }
        let combos = (0...40).map { (source: "*", feature: "f\($0)") }
        aggregator.flush(period: "p", dimensions: [.school, .feature], combos: combos)
        var got: [[String]: [Int]] = [:]
        for cell in aggregator.periods[0].cells {
            let key = [people.groupValues[Int(cell.group)][0], String(cell.combo)]
            #expect(got[key] == nil, "\(key) once")
            got[key] = [cell.users, cell.listed, cell.requests]
        }
        #expect(got == expected)
        #expect(expected.count > 15)
    }

    /// Hundreds of cells (sorted by `RadixSort`), a place column after the feature's, and a
    /// second period whose new features widen the feature's ranks (every place column's
    /// bits move): both periods in export order, as the column-by-column comparison gives.
    @Test func aPlaceAfterTheFeatureAndWiderRanksInALaterPeriodKeepTheOrder() throws {
        let store = try TestSupport.scratchStore()
        let db = store.db
        let roles = ["parent", "student", "teacher"]
        for person in 1...400 {
            try db.execute("INSERT INTO person(id) VALUES (\(person))")
            for uai in Set([person % 37, person % 11 == 0 ? (person * 7) % 37 : person % 37]) {
                try db.execute("INSERT OR IGNORE INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES (\(person), 0, '\(roles[person % 3])', 'S\(String(uai + 100))', '', '', '')")
            }
        }
        let people = try #require(try RollupFigures.People(db: db, placeColumns: ["uai", "role"]))
        let dimensions: [EntStat.Dimension] = [.feature, .school, .role]
        // Combo 0 is the total; the second period brings features 4…8 (ranks of 4 bits).
        let features = ["*", "messagerie", "blog", "agenda", "cantine", "annuaire", "documents", "portail", "transport"]
        let combos = features.map { (source: "*", feature: $0) }
        func periods(keyBits: Int) -> [[String]] {
            var aggregator = RollupFigures.Aggregator(people: people)
            for (label, featureCount) in [("p1", 4), ("p2", 9)] {
                for person in stride(from: 400, through: 1, by: -1) {
                    aggregator.add(person: Int64(person), combo: 0, 1, 0, 1)
                    for combo in 1..<featureCount where (person + combo) % 3 != 0 {
                        aggregator.add(person: Int64(person), combo: combo, 1, 0, 1)
                    }
                }
                aggregator.flush(period: label, dimensions: dimensions, combos: Array(combos.prefix(featureCount)), keyBits: keyBits)
            }
            return aggregator.periods.map { period in
                period.rows(dimensions: dimensions).map { $0.groups.joined(separator: "|") }
            }
        }
        let packed = periods(keyBits: 64), compared = periods(keyBits: 0)
        #expect(packed == compared)
        for rows in packed {
            #expect(rows.count > 300)
            // Feature, then school, then role, each in byte order ('*' first).
            let tuples = rows.map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            #expect(tuples == tuples.sorted { $0.lexicographicallyPrecedes($1) { $0.utf8.lexicographicallyPrecedes($1.utf8) } })
            #expect(Set(rows).count == rows.count)
        }
        #expect(packed[1].contains { $0.hasPrefix("transport|") } && !packed[0].contains { $0.hasPrefix("transport|") })
    }
}
