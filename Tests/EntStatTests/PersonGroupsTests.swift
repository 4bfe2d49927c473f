import Foundation
import Testing
@testable import EntStat

/// `RollupFigures.People`: each person's groups of place columns read from `person_place`,
/// and `TupleInterner`, which numbers those groups.
@Suite struct PersonGroupsTests {
    /// The groups of each person of a store built here, against what the rows say: texts
    /// read as strings (bytes that are not UTF-8 repaired, a text cut at its first NUL),
    /// equal strings one group, each of a person's groups once, a person without a row of
    /// `person` left out.
    @Test func eachPersonGetsTheGroupsOfItsPlaceRows() throws {
        let store = try TestSupport.scratchStore()
        let db = store.db
        // Persons 1–9 (9 listed), 10–49 one school each; 50 has places but is no person.
        for person in 1...49 { try db.execute("INSERT INTO person(id, account) VALUES (\(person), \(person == 9 ? "7" : "NULL"))") }
        func place(_ person: Int, _ role: String, _ uai: String) throws {
            try db.execute("INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES (\(person), 0, '\(role)', \(uai), '', '', '')")
        }
        try place(1, "teacher", "'A'")
        try place(2, "parent", "'A'")
        try place(3, "parent", "'A'")
        try place(3, "parent", "'C'")
        try place(4, "parent", "CAST(X'FF' AS TEXT)")   // both read as U+FFFD
        try place(5, "parent", "CAST(X'FE' AS TEXT)")
        // Rows that give a group a person already has: other bytes read as the same
        // string, the same row twice. The person counts once in it.
        try place(5, "parent", "CAST(X'FF' AS TEXT)")
        try place(2, "parent", "'A'")
        try place(6, "parent", "CAST(X'420043' AS TEXT)")   // "B", NUL, "C": read as "B"
        try place(7, "parent", "'B'")
        try place(9, "staff", "'A'")
        // Rows in descending order of person (the groups are read in the table's order).
        for person in (10...49).reversed() { try place(person, "student", "'U\(person)'") }
        try place(50, "parent", "'A'")
        let people = try #require(try RollupFigures.People(db: db, placeColumns: ["uai", "role"]))

        func groups(_ person: Int) -> [[String]] {
            let s = Int(people.slot[person])
            guard s >= 0 else { return [] }
            return (Int(people.groupStart[s])..<Int(people.groupStart[s + 1])).map { people.groupValues[Int(people.groupList[$0])] }
        }
        #expect(groups(1) == [["A", "teacher"]])
        #expect(groups(2) == [["A", "parent"]] && groups(3) == [["A", "parent"], ["C", "parent"]])
        #expect(groups(4) == [["\u{FFFD}", "parent"]] && groups(5) == groups(4))
        #expect(groups(6) == [["B", "parent"]] && groups(7) == groups(6))
        #expect(groups(8).isEmpty && people.slot[8] == -1 && people.slot.count == 50)
        #expect(groups(9) == [["A", "staff"]])
        for person in 10...49 { #expect(groups(person) == [["U\(person)", "student"]]) }
        // Each group once: A teacher, A parent, C parent, U+FFFD parent, B parent, A staff, 40 schools.
        #expect(people.groupValues.count == 46 && Set(people.groupValues).count == 46)
        #expect(people.listed.count == 48)
        #expect((1...49).filter { people.slot[$0] >= 0 && people.listed[Int(people.slot[$0])] } == [9])
    }

    /// Tuples numbered in the order first seen, the same number every time, through the
    /// table's growth: against a dictionary.
    @Test func tuplesAreNumberedInTheOrderFirstSeen() {
        var interner = TupleInterner(width: 3)
        var oracle: [[Int32]: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let tuple = (0..<3).map { _ in Int32.random(in: -3...20, using: &generator) }
            let expected = oracle[tuple] ?? oracle.count
            let isNew = oracle[tuple] == nil
            oracle[tuple] = expected
            let got = tuple.withUnsafeBufferPointer { interner.id(of: $0) }
            #expect(got.id == expected && got.isNew == isNew, "\(tuple)")
        }
        #expect(interner.count == oracle.count && oracle.count > 1_000)
    }
}
