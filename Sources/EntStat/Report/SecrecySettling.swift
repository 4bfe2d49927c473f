/// Steps 2, 3 and 5 of `ReportSuppression` repeated until nothing changes: each table's
/// group volumes, each relation, each equation, each group of cells that are the same
/// figure, in that order, round after round while a round hides a cell.
///
/// A check looks only at its own cells (a table's volumes at that table's), and a cell is
/// only ever hidden, never shown again. So a check whose cells did not change since it last
/// found nothing to hide would find nothing again: the worklist runs a check again only when
/// one of its cells was hidden since it last ran, in the order and the rounds the full
/// rounds would run it (a check made dirty by a later one in a round runs in the next round;
/// by an earlier one, later in the same round). The cells hidden are the same as the full
/// rounds', in the same order; a national report's 500 000 checks are not all run again at
/// each round and after each pass of `SecrecyPropagation` (0.3 s a round).
struct SecrecySettling {
    private let relations: [ReportSuppression.Relation]
    private let equations: [ReportSuppression.Equation]
    private let groups: [[ReportSuppression.CellRef]]
    private let minCell: Int
    /// Checks are numbered: the tables' volumes (one per table), then the relations, the
    /// equations and the groups.
    private let tableCount: Int
    /// The cells' flat numbering.
    private let cells: SecrecyCellIndex
    /// The checks that hold each cell, tables' volumes aside.
    private let checks: SecrecyIncidence
    /// The cells never hidden as complements (`SecrecySharedRows.fixed`), by flat number;
    /// empty: none.
    private let fixed: [Bool]
    /// Whether each cell was hidden when the worklist last looked at it.
    private var hidden: [Bool] = []
    /// The checks to run again, one bit each.
    private var dirty: [UInt64] = []

    /// Every check starts dirty: the first `settle` runs each once at least.
    init(tables: [ReportTable], relations: [ReportSuppression.Relation], equations: [ReportSuppression.Equation],
         groups: [[ReportSuppression.CellRef]], minCell: Int, fixed: [Bool] = []) {
        self.relations = relations
        self.fixed = fixed
        self.equations = equations
        self.groups = groups
        self.minCell = minCell
        tableCount = tables.count
        let cells = SecrecyCellIndex(tables)
        self.cells = cells
        let cellCount = cells.count
        var hidden = [Bool](repeating: false, count: cellCount)
        cells.forEachCell(of: tables) { index, cell in hidden[index] = cell.isSuppressed }
        self.hidden = hidden
        // The checks of each cell, from the cells of each check.
        let checkCount = tableCount + relations.count + equations.count + groups.count
        let tableCount = tableCount
        checks = SecrecyIncidence(cellCount: cellCount) { add in
            for (i, relation) in relations.enumerated() {
                for ref in [relation.total] + relation.parts { add(cells.flat(ref), Int32(tableCount + i)) }
            }
            for (i, equation) in equations.enumerated() {
                for ref in equation.terms.map(\.ref) + equation.preferred { add(cells.flat(ref), Int32(tableCount + relations.count + i)) }
            }
            for (i, group) in groups.enumerated() {
                for ref in group { add(cells.flat(ref), Int32(tableCount + relations.count + equations.count + i)) }
            }
        }
        dirty = [UInt64](repeating: 0, count: (checkCount + 63) / 64)
        for check in 0..<checkCount { dirty[check >> 6] |= 1 << UInt64(check & 63) }
    }

    /// Runs the dirty checks, round after round, until none is left. Cells hidden since the
    /// last call (by `SecrecyPropagation`'s passes) make their checks dirty first.
    mutating func settle(_ tables: inout [ReportTable]) {
        for t in tables.indices { noteHidden(inTable: t, tables) }
        var position = 0
        while let check = nextDirty(from: position) ?? nextDirty(from: 0) {
            dirty[check >> 6] &= ~(1 << UInt64(check & 63))
            position = check + 1
            run(check, &tables)
        }
    }

    /// Cells the caller shows again (`SecrecyRevealing`): the checks that hold them, and
    /// their tables' volumes, run again at the next `settle`, which hides them again if one
    /// of those checks needs it.
    mutating func reveal(_ refs: [ReportSuppression.CellRef]) {
        for ref in refs {
            let cell = cells.flat(ref)
            guard hidden[cell] else { continue }
            hidden[cell] = false
            markDirty(cell, table: ref.table)
        }
    }

    /// Runs one check; the cells it hid make their checks dirty (itself included, for the
    /// next round).
    private mutating func run(_ check: Int, _ tables: inout [ReportTable]) {
        var index = check
        if index < tableCount {
            if ReportSuppression.hideGroupVolumes(&tables[index], minCell: minCell) { noteHidden(inTable: index, tables) }
            return
        }
        index -= tableCount
        if index < relations.count {
            let relation = relations[index]
            if ReportSuppression.protect(relation, in: &tables, minCell: minCell, fixed: isFixed) { noteHidden([relation.total] + relation.parts, tables) }
            return
        }
        index -= relations.count
        if index < equations.count {
            let equation = equations[index]
            if ReportSuppression.protect(equation, in: &tables, minCell: minCell, fixed: isFixed) { noteHidden(equation.terms.map(\.ref) + equation.preferred, tables) }
            return
        }
        index -= equations.count
        let group = groups[index]
        guard group.contains(where: { tables[$0.table].rows[$0.row][$0.column].isSuppressed }) else { return }
        var changed = false
        for ref in group where ReportSuppression.hide(&tables[ref.table].rows[ref.row][ref.column], minCell: minCell) { changed = true }
        if changed { noteHidden(group, tables) }
    }

    /// Whether a cell is never hidden as a complement.
    private func isFixed(_ ref: ReportSuppression.CellRef) -> Bool { !fixed.isEmpty && fixed[cells.flat(ref)] }

    /// Marks dirty the checks of each of `refs` hidden since the worklist last looked.
    private mutating func noteHidden(_ refs: [ReportSuppression.CellRef], _ tables: [ReportTable]) {
        for ref in refs where tables[ref.table].rows[ref.row][ref.column].isSuppressed {
            note(cells.flat(ref), table: ref.table)
        }
    }

    /// The same for every cell of table `t`.
    private mutating func noteHidden(inTable t: Int, _ tables: [ReportTable]) {
        for (r, row) in tables[t].rows.enumerated() {
            for (c, cell) in row.enumerated() where cell.isSuppressed { note(cells.flat(table: t, row: r, column: c), table: t) }
        }
    }

    /// A cell found hidden: when it was not before, the checks that hold it (and its table's
    /// volumes) are dirty.
    private mutating func note(_ cell: Int, table: Int) {
        guard !hidden[cell] else { return }
        hidden[cell] = true
        markDirty(cell, table: table)
    }

    /// The checks that hold `cell`, and its table's volumes, run again.
    private mutating func markDirty(_ cell: Int, table: Int) {
        dirty[table >> 6] |= 1 << UInt64(table & 63)
        for i in checks.range(of: cell) {
            let check = Int(checks.items[i])
            dirty[check >> 6] |= 1 << UInt64(check & 63)
        }
    }

    /// The first dirty check at `position` or after, if any.
    private func nextDirty(from position: Int) -> Int? {
        var word = position >> 6
        guard word < dirty.count else { return nil }
        var bits = dirty[word] & (~0 << UInt64(position & 63))
        while true {
            if bits != 0 { return word << 6 + bits.trailingZeroBitCount }
            word += 1
            guard word < dirty.count else { return nil }
            bits = dirty[word]
        }
    }
}
