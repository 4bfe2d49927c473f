/// Which checks or relations hold each cell of a report, by the cells' flat numbers
/// (`SecrecyCellIndex`): for cell `c`, `items[start[c] ..< start[c + 1]]`, in the order they
/// were given. `SecrecySettling` finds from it the checks to run again when a cell is
/// hidden, `SecrecyTemplates` the relations a pass keeps; `SecrecyPropagation` the relations
/// of each of its unknowns (numbered as unknowns, not as cells).
///
/// Built from the (cell, item) pairs, given twice by the same `pairs` function: the first
/// time counted by cell, the second placed. Two flat arrays instead of an array per cell: a
/// national report has a million cells and millions of pairs.
struct SecrecyIncidence {
    private(set) var start: [Int32]
    private(set) var items: [Int32]

    /// `pairs` calls its argument with each (cell, item) pair, the same ones in the same
    /// order each time it is called.
    init(cellCount: Int, pairs: (_ add: (_ cell: Int, _ item: Int32) -> Void) -> Void) {
        var next = [Int32](repeating: 0, count: cellCount + 1)
        pairs { cell, _ in next[cell + 1] += 1 }
        for c in 0..<cellCount { next[c + 1] += next[c] }
        start = next
        var items = [Int32](repeating: 0, count: Int(next[cellCount]))
        pairs { cell, item in
            items[Int(next[cell])] = item
            next[cell] += 1
        }
        self.items = items
    }

    /// The positions in `items` of the items that hold `cell`.
    func range(of cell: Int) -> Range<Int> {
        Int(start[cell])..<Int(start[cell + 1])
    }
}
