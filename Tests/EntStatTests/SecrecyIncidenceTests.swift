@testable import EntStat
import Testing

/// `SecrecyIncidence`: each cell's items, in the order the pairs came, cells without an
/// item empty, checked against lists written by hand.
@Suite struct SecrecyIncidenceTests {
    @Test func eachCellListsItsItemsInTheOrderGiven() {
        let pairs: [(Int, Int32)] = [(2, 7), (0, 1), (2, 3), (4, 9), (2, 7), (0, 5)]
        var calls = 0
        let incidence = SecrecyIncidence(cellCount: 6) { add in
            calls += 1
            for (cell, item) in pairs { add(cell, item) }
        }
        #expect(calls == 2)
        let lists = (0..<6).map { c in incidence.range(of: c).map { incidence.items[$0] } }
        #expect(lists == [[1, 5], [], [7, 3, 7], [], [9], []])
        #expect(incidence.start == [0, 2, 2, 5, 5, 6, 6])
    }

    @Test func noCellsNoItems() {
        let incidence = SecrecyIncidence(cellCount: 0) { _ in }
        #expect(incidence.start == [0])
        #expect(incidence.items.isEmpty)
    }
}
