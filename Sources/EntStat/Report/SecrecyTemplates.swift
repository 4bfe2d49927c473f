/// The linear relations `SecrecyPropagation` chains, over the cells' flat numbers
/// (`SecrecyCellIndex`), built once per report: each pass keeps those that hold a hidden
/// cell, in this order, with their hidden cells as unknowns and their shown cells summed.
///
/// Counts never change from one pass to the next, only which cells are hidden; so a
/// relation's terms and kind (a total equal to, more or less than its parts') are known
/// once, and a pass finds the relations to keep from its hidden cells (`holding`) instead
/// of going through every relation of the report: a national report has millions of terms
/// and a few hundred thousand hidden cells.
struct SecrecyTemplates {
    typealias Kind = BoundedSimplex.Relation.Kind

    let cells: SecrecyCellIndex
    /// Each cell's count, shown or not (`ReportCell.count`), by flat number.
    let counts: [Int]
    /// Whether each cell is in a total row (a `*` in one of its cells), by flat number: the
    /// cells a pass hides last.
    let inTotalRow: [Bool]
    /// Whether each cell is never to be hidden as a complement, by flat number: published by
    /// other reports too (`SecrecySharedRows.fixed`; all false when none is).
    let fixed: [Bool]
    /// The groups of cells that are the same figure (`ReportSuppression.sameFigures`):
    /// which of their cells are unknowns changes from pass to pass.
    let groups: [[ReportSuppression.CellRef]]
    /// Each relation's kind, and its terms: `cell[start[r] ..< start[r + 1]]` with their
    /// coefficients.
    let kinds: [Kind]
    let start: [Int]
    let cell: [Int32]
    let coefficient: [Double]
    /// Whether each relation is a total against parts a person can be in several of
    /// (`Relation.disjoint` false), whose kind the true values give (equal when the parts
    /// add up to the total) where a reader only knows the total is at most their sum.
    let overlappingTotal: [Bool]
    /// The relations holding each cell, ascending.
    private let holding: SecrecyIncidence

    /// In the order `SecrecyPropagation` numbers its constraints: for each relation, the
    /// total against its parts, then the total against each part; each equation; then,
    /// table by table and row by row, each pair of `SecrecyPropagation.atMost`.
    init(_ tables: [ReportTable], relations: [ReportSuppression.Relation], equations: [ReportSuppression.Equation],
         groups: [[ReportSuppression.CellRef]], fixed: [Bool] = []) {
        let cells = SecrecyCellIndex(tables)
        self.cells = cells
        self.fixed = fixed.isEmpty ? [Bool](repeating: false, count: cells.count) : fixed
        var counts = [Int](repeating: 0, count: cells.count)
        cells.forEachCell(of: tables) { index, cell in counts[index] = cell.count }
        self.counts = counts
        var inTotalRow = [Bool](repeating: false, count: cells.count)
        for (t, table) in tables.enumerated() {
            for (r, row) in table.rows.enumerated() where row.contains(where: { if case .text("*") = $0 { true } else { false } }) {
                for c in row.indices { inTotalRow[cells.flat(table: t, row: r, column: c)] = true }
            }
        }
        self.inTotalRow = inTotalRow
        self.groups = groups
        var kinds: [Kind] = [], start = [0], cell: [Int32] = [], coefficient: [Double] = [], overlappingTotal: [Bool] = []
        /// Adds a term to the relation being built.
        func term(_ ref: ReportSuppression.CellRef, _ factor: Double) {
            cell.append(Int32(cells.flat(ref)))
            coefficient.append(factor)
        }
        /// Ends the relation being built.
        func close(_ kind: Kind, overlapping: Bool = false) {
            kinds.append(kind)
            start.append(cell.count)
            overlappingTotal.append(overlapping)
        }
        for relation in relations {
            var residual = counts[cells.flat(relation.total)]
            for part in relation.parts { residual -= counts[cells.flat(part)] }
            term(relation.total, 1)
            for part in relation.parts { term(part, -1) }
            close(residual == 0 ? .equal : residual > 0 ? .atLeast : .atMost, overlapping: !relation.disjoint)
            // Each part is a subset of the total (a school's users are of its commune, a
            // service's users of their role): never more.
            for part in relation.parts {
                term(relation.total, 1)
                term(part, -1)
                close(.atLeast)
            }
        }
        for equation in equations {
            for t in equation.terms { term(t.ref, Double(t.coefficient)) }
            close(equation.kind)
        }
        // Within a row: a figure never exceeds the one it is a part of.
        for (t, table) in tables.enumerated() {
            let pairs = SecrecyPropagation.atMost.compactMap { pair -> (Int, Int)? in
                guard let small = table.column(pair.part), let large = table.column(pair.whole) else { return nil }
                return (small, large)
            }
            for r in table.rows.indices {
                for (small, large) in pairs {
                    term(.init(table: t, row: r, column: large), 1)
                    term(.init(table: t, row: r, column: small), -1)
                    close(.atLeast)
                }
            }
        }
        (self.kinds, self.start, self.cell, self.coefficient, self.overlappingTotal) = (kinds, start, cell, coefficient, overlappingTotal)
        // The relations of each cell, each once however many times it names the cell.
        holding = SecrecyIncidence(cellCount: cells.count) { add in
            var last = [Int32](repeating: -1, count: cells.count)
            for r in kinds.indices {
                for i in start[r]..<start[r + 1] where last[Int(cell[i])] != Int32(r) {
                    last[Int(cell[i])] = Int32(r)
                    add(Int(cell[i]), Int32(r))
                }
            }
        }
    }

    /// The relations that hold one of the cells `isUnknown` says yes to, ascending.
    func relations(holding isUnknown: [Bool]) -> [Int] {
        var marked = [UInt64](repeating: 0, count: (kinds.count + 63) / 64)
        for c in isUnknown.indices where isUnknown[c] {
            for i in holding.range(of: c) {
                let r = Int(holding.items[i])
                marked[r >> 6] |= 1 << UInt64(r & 63)
            }
        }
        var result: [Int] = []
        for (w, word) in marked.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }
}
