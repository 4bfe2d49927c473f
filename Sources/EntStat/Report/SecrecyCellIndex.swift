/// The cells of a period's tables numbered one after another, table by table and row by
/// row: secrecy's passes keep what they know of each cell (hidden since when, which unknown
/// it is) in flat arrays indexed by this number, instead of dictionaries keyed by
/// `ReportSuppression.CellRef` or lookups through the tables' nested arrays.
struct SecrecyCellIndex {
    /// The first flat index of each table's cells, and each table's row width: a cell's flat
    /// index is `offset[table] + row × width[table] + column`.
    private let offset: [Int]
    private let width: [Int]
    /// How many cells the tables hold in all (flat indices are below it).
    let count: Int

    init(_ tables: [ReportTable]) {
        var offset: [Int] = [], width: [Int] = [], count = 0
        for table in tables {
            offset.append(count)
            let w = max(table.columns.count, table.rows.map(\.count).max() ?? 0)
            width.append(w)
            count += w * table.rows.count
        }
        self.offset = offset
        self.width = width
        self.count = count
    }

    /// The flat index of a cell.
    func flat(_ ref: ReportSuppression.CellRef) -> Int {
        flat(table: ref.table, row: ref.row, column: ref.column)
    }

    func flat(table: Int, row: Int, column: Int) -> Int {
        offset[table] + row * width[table] + column
    }

    /// The cell of a flat number.
    func ref(_ index: Int) -> ReportSuppression.CellRef {
        // The last table that starts at `index` or before (an empty table starts where the
        // next one does).
        var low = 0, high = offset.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offset[middle] <= index { low = middle } else { high = middle - 1 }
        }
        let within = index - offset[low]
        return ReportSuppression.CellRef(table: low, row: within / width[low], column: within % width[low])
    }

    /// Calls `body` with each cell of the tables and its flat index, table by table.
    func forEachCell(of tables: [ReportTable], _ body: (_ index: Int, _ cell: ReportCell) -> Void) {
        for t in tables.indices {
            for (r, row) in tables[t].rows.enumerated() {
                let start = offset[t] + r * width[t]
                for (c, cell) in row.enumerated() { body(start + c, cell) }
            }
        }
    }
}
