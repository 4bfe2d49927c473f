import Testing
@testable import EntStat

/// `SimplexTableau`'s sparse layout against its dense one, entry by entry, and a copy of a
/// sparse tableau kept apart from the original (its lists are `SparseLists`, memory that
/// the tableau copies itself before writing when it is shared).
@Suite struct SimplexTableauTests {
    /// A random system of `rows` × `columns`, about a third of its entries nonzero,
    /// small integers (a column named twice in a row now and then).
    private static func randomRows(rows: Int, columns: Int, seed: UInt64) -> [[(column: Int, value: Double)]] {
        var random = SeededGenerator(seed: seed)
        func next() -> UInt64 { random.next() }
        return (0..<rows).map { _ in
            var terms: [(column: Int, value: Double)] = []
            for j in 0..<columns where next() % 3 == 0 {
                terms.append((j, Double(Int(next() % 7) - 3)))
                if next() % 8 == 0 { terms.append((j, 1)) }
            }
            return terms
        }
    }

    private static func entries(_ tableau: SimplexTableau) -> [Double] {
        (0..<tableau.columnCount).flatMap { j in (0..<tableau.rowCount).map { i in tableau.entry(row: i, column: j) } }
    }

    /// A pivot on the first nonzero entry of row `r`'s columns from `from` on.
    private static func pivotColumn(_ tableau: SimplexTableau, row r: Int, from: Int) -> Int? {
        (0..<tableau.columnCount).lazy.map { ($0 + from) % tableau.columnCount }
            .first { abs(tableau.entry(row: r, column: $0)) > 1e-7 }
    }

    /// The same pivots on a sparse tableau (its rows' lists made again at every chance)
    /// and a dense one leave the same entries to the bit; a copy of the sparse tableau taken
    /// before them still holds the laid entries, and pivots of its own give it what a dense
    /// tableau given those pivots holds, while the original is left as it was.
    @Test func aCopyOfASparseTableauIsItsOwn() throws {
        let rows = Self.randomRows(rows: 12, columns: 9, seed: 42)
        var sparse = SimplexTableau(rows: 12, columns: 9, denseLimit: 0, renameSlack: 0)
        var dense = SimplexTableau(rows: 12, columns: 9, denseLimit: .max)
        sparse.lay(rows)
        dense.lay(rows)
        #expect(sparse.isSparse && !dense.isSparse)
        let laid = Self.entries(dense)
        #expect(Self.entries(sparse) == laid)
        #expect(laid.filter { $0 != 0 }.count > 20)

        var copy = sparse
        var copyDense = dense
        var pivotRow: [(column: Int, value: Double)] = [], pivotRows: [Int32] = [], pivotFactors: [Double] = []
        var pivots = 0
        for r in 0..<12 {
            guard let s = Self.pivotColumn(dense, row: r, from: r) else { continue }
            sparse.pivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
            dense.pivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
            pivots += 1
        }
        #expect(pivots >= 8)
        let pivoted = Self.entries(dense)
        #expect(pivoted != laid)
        #expect(Self.entries(sparse) == pivoted)
        #expect(sparse.renamings > 0)
        #expect(Self.entries(copy) == laid)
        #expect(Self.entries(copyDense) == laid)

        for r in stride(from: 11, through: 0, by: -2) {
            guard let s = Self.pivotColumn(copyDense, row: r, from: 3 * r) else { continue }
            copy.pivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
            copyDense.pivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
        }
        let copyPivoted = Self.entries(copyDense)
        #expect(copyPivoted != laid && copyPivoted != pivoted)
        #expect(Self.entries(copy) == copyPivoted)
        #expect(Self.entries(sparse) == pivoted)
    }

    /// A dense pivot in three steps (`beginPivot`, `startUpdate`, `finishUpdate`), its
    /// update shared with a helper thread: the column asked first holds its updated entries
    /// when `startUpdate` returns, while the helper may still be updating the others, and
    /// after `finishUpdate` every entry is the one-call pivot's, to the bit; whether the
    /// column asked first is one the pivot row has an entry in, the entering one (the
    /// leaving variable's after the pivot), one the pivot row leaves alone, or none.
    @Test func aPivotInThreeStepsUpdatesTheColumnAskedFirst() throws {
        let team = try #require(SimplexTeam())
        let m = 1024, n = 48
        var tableau = SimplexTableau(rows: m, columns: n, denseLimit: .max, team: team)
        tableau.lay(Self.randomRows(rows: m, columns: n, seed: 7))
        var pivotRow: [(column: Int, value: Double)] = [], pivotRows: [Int32] = [], pivotFactors: [Double] = []
        var checked = 0
        for (k, r) in [5, 100, 700, 1000].enumerated() {
            let s = try #require(Self.pivotColumn(tableau, row: r, from: r))
            var reference = tableau
            reference.pivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
            let expected = Self.entries(reference)
            let inRow = (0..<n).filter { $0 != s && tableau.entry(row: r, column: $0) != 0 }
            let outOfRow = (0..<n).filter { tableau.entry(row: r, column: $0) == 0 }
            #expect(inRow.count >= 8 && !outOfRow.isEmpty)
            let first: Int? = [inRow[inRow.count / 2], s, outOfRow[0], nil][k]
            tableau.beginPivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
            tableau.startUpdate(updatingFirst: first)
            if let first {
                let differing = (0..<m).filter { tableau.entry(row: $0, column: first).bitPattern != expected[first * m + $0].bitPattern }
                #expect(differing.isEmpty, "column \(first) asked first, rows \(differing.prefix(8)) not updated yet")
                checked += 1
            }
            tableau.finishUpdate()
            #expect(zip(Self.entries(tableau), expected).allSatisfy { $0.bitPattern == $1.bitPattern })
        }
        #expect(checked == 3)
    }

    /// `SparseLists`: appends past the first capacity, truncation, an exchange of two
    /// lists, a clear that frees a list's memory, and a copy that later writes leave alone.
    @Test func sparseListsKeepEachListsValues() {
        let lists = SparseLists<Int32>(count: 3)
        for v in 0..<10 { lists.append(Int32(v), to: 0) }
        lists.append(7, to: 2)
        #expect(Array(lists.values(of: 0)) == Array(0..<10))
        #expect(lists.values(of: 1).isEmpty && Array(lists.values(of: 2)) == [7])
        let copy = lists.copy()
        lists.truncate(0, to: 4)
        lists.swapLists(0, 1)
        #expect(lists.values(of: 0).isEmpty && Array(lists.values(of: 1)) == [0, 1, 2, 3])
        [Int32](arrayLiteral: 5, 6).withUnsafeBufferPointer { lists.append(contentsOf: $0, to: 1) }
        #expect(Array(lists.values(of: 1)) == [0, 1, 2, 3, 5, 6])
        lists.clear(1, keepingCapacityFor: 0)
        #expect(lists.values(of: 1).isEmpty)
        lists.values(of: 2)[0] = 9
        #expect(Array(copy.values(of: 0)) == Array(0..<10) && copy.values(of: 1).isEmpty && Array(copy.values(of: 2)) == [7])
    }
}
