/// The condensed tableau of `BoundedSimplex`: `rowCount` rows, a column per nonbasic
/// variable. Laid out one of two ways, chosen when it is made, with the same entries to
/// the bit either way:
/// - **dense**, column-major (entry (i, j) at `j × rowCount + i`), for a group of a
///   commune's or an EPCI's report (up to about a thousand rows and cells), where a pivot
///   updates its entries in place faster than it would merge sparse columns (commune
///   80383's report: 11 807 pivots of 14 columns × 113 rows on average; 0.20 s dense,
///   0.43 s with every group sparse); a pivot that updates many of the rows does so
///   down whole columns in vector instructions (`SimplexKernel`), the others through
///   their list of rows; either way its columns are shared between this thread and a
///   helper thread (`SimplexTeam`), and a caller can read one column, updated first,
///   while the helper updates the others (`beginPivot`, `startUpdate`, `finishUpdate`);
/// - **sparse**, each column's nonzero entries by ascending row and each row's columns
///   that hold one, for the large groups of a territory's report: 1 800 schools (a month)
///   tie 5 266 hidden cells by 11 329 relations, a dense tableau of 59.7 M entries
///   (477 MB, zeroed, and a row scan of 5 266 columns per pivot) of which 72 429 were
///   nonzero after its 5 303 pivots. A pivot touches the entries of the pivot row's
///   columns in the entering column's rows, nothing else.
///
/// A pivot gives each entry the operations the dense tableau gives it, in the same order;
/// an entry absent from the sparse layout is one the dense layout holds at zero, which only
/// ever adds zeros. An entry that a division leaves at zero (an underflow) may stay present
/// at zero, which every reader treats as the dense layout does.
struct SimplexTableau {
    /// The largest tableau (rows × columns) laid out dense.
    static let denseLimit = 1 << 22

    /// One nonzero entry of a column.
    struct Entry {
        var row: Int32
        var value: Double
    }

    let rowCount: Int
    let columnCount: Int
    /// Whether the tableau is laid out sparse (more than `denseLimit` entries).
    let isSparse: Bool
    /// Dense: the instructions a pivot that updates many rows updates whole columns with
    /// (from one row in `SimplexKernel.wholeColumnDivisor`), and whether every pivot does
    /// (tests: even with the scalar kernel).
    let kernel: SimplexKernel
    let everyPivotWholeColumns: Bool
    /// Dense: the helper thread that takes part of each large pivot (nil: this thread alone).
    let team: SimplexTeam?
    /// How many pivots updated whole columns (for tests and measurements).
    private(set) var wholeColumnPivots = 0
    /// Dense: every entry, column-major, and the pivot's working storage (none until
    /// `lay`). Shared by copies of the tableau until one writes (`makeUnique`).
    private var dense = DenseEntries(rows: 0, columns: 0)
    /// Dense: the pivot begun whose update is not started yet (`beginPivot`), and whether
    /// an update started is shared with the helper (`startUpdate`, until `finishUpdate`).
    private var pendingUpdate: PendingUpdate?
    private var updating = false
    /// Sparse: each column's entries, by ascending row; one more list past the last column
    /// holds a column being merged (kept to reuse its memory). Shared by copies of the
    /// tableau until one writes (`makeUnique`).
    private var entries = SparseLists<Entry>(count: 0)
    /// Sparse: each row's columns with an entry, in no order, and possibly with columns
    /// whose entry in that row has since gone, or twice: a pivot that empties an entry does
    /// not look for its column in the row; `compactRow` drops them before the row is read.
    /// Rows seldom read would keep them (a territory of 10 000 schools' group ended with
    /// 360 625 entries and 564 M names of columns, the report's 3.5 GB), so every row's
    /// list is made again from the columns when the names pass twice the entries
    /// (`renameRows`). Compacting a row whenever its list doubled instead held that report
    /// to 1.65 GB but took 74–81 s instead of 33–37 s (a search per column named).
    private var rowColumns = SparseLists<Int32>(count: 0)
    /// Sparse: how many names of columns the rows' lists hold, and past how many
    /// `renameRows` makes them again.
    private var rowNames = 0
    private var renameAt = 0
    /// Stale names allowed beyond the entries' count (`SimplexTableau.renameSlack`).
    private let renameSlack: Int
    /// How many times `renameRows` made the rows' lists again (for tests and measurements).
    private(set) var renamings = 0
    /// The position of row `i`'s entry in each of its columns, as the last `compactRow(i)`
    /// left them (each column's entry is found once for a read of the row, or a pivot).
    private var rowPositions: [Int] = []
    /// Per column, the last `compactRow` that met it (to drop a column named twice).
    private var seenBy: [Int] = []
    private var compactions = 0

    /// A tableau of zeros, dense when it has at most `denseLimit` entries; sparse, its
    /// rows' lists are made again past `renameSlack` stale names (tests lower it). Dense,
    /// a pivot that updates many rows updates whole columns with `kernel`, and every pivot
    /// does with `everyPivotWholeColumns` (tests name each kernel, and make every pivot go
    /// down whole columns).
    init(rows: Int, columns: Int, denseLimit: Int = SimplexTableau.denseLimit, renameSlack: Int = SimplexTableau.renameSlack,
         kernel: SimplexKernel = .current, everyPivotWholeColumns: Bool = false, team: SimplexTeam? = .shared) {
        self.kernel = kernel
        self.team = team
        self.everyPivotWholeColumns = everyPivotWholeColumns
        precondition(rows <= Int(Int32.max) && columns <= Int(Int32.max))
        rowCount = rows
        columnCount = columns
        self.renameSlack = renameSlack
        let size = rows.multipliedReportingOverflow(by: columns)
        isSparse = size.overflow || size.partialValue > denseLimit
        if isSparse {
            entries = SparseLists(count: columns + 1)
            rowColumns = SparseLists(count: rows)
            seenBy = [Int](repeating: 0, count: columns)
        }
        // (A dense tableau's storage, zeros, is made by `lay`.)
    }

    /// Lays the tableau afresh: row i is the sum of `rows[i]`'s terms (a column named
    /// twice in a row gets the sum of its values, added in order to zero).
    mutating func lay<Rows: Sequence, Terms: Sequence>(_ rows: Rows) where Rows.Element == Terms,
        Terms.Element == (column: Int, value: Double) {
        let m = rowCount
        precondition(pendingUpdate == nil && !updating, "a pivot's update is not finished")
        guard isSparse else {
            // Storage of its own, zeros: made when the tableau has none of its size yet or
            // shares it with a copy (whose entries it would only copy to clear them).
            if dense.rowCount == m && dense.columnCount == columnCount && isKnownUniquelyReferenced(&dense) {
                dense.clear()
            } else {
                dense = DenseEntries(rows: m, columns: columnCount)
            }
            let t = dense.entries
            for (i, terms) in rows.enumerated() {
                for term in terms { t[term.column * m + i] += term.value }
            }
            return
        }
        makeUnique()
        for j in 0..<columnCount { entries.truncate(j, to: 0) }
        for (i, terms) in rows.enumerated() {
            let row = Int32(i)
            for term in terms {
                let column = entries.values(of: term.column)
                if let last = column.last, last.row == row {
                    column[column.count - 1].value += term.value
                } else {
                    entries.append(Entry(row: row, value: 0 + term.value), to: term.column)
                }
            }
        }
        for j in 0..<columnCount {
            let column = entries.values(of: j)
            var kept = 0
            for entry in column where entry.value != 0 {
                column[kept] = entry
                kept += 1
            }
            entries.truncate(j, to: kept)
        }
        nameRows()
    }

    /// How many stale names the rows may hold beyond the entries' count before they are
    /// made again (16 MB of them; then twice the entries).
    static let renameSlack = 1 << 22

    /// Every row's list of columns made from the columns (by ascending column), a name
    /// per entry and no more storage than that, and the next renaming set past twice
    /// their count (plus `renameSlack`). Laying the tableau names its rows this way.
    private mutating func nameRows() {
        var counts = [Int](repeating: 0, count: rowCount)
        for j in 0..<columnCount {
            for entry in entries.values(of: j) { counts[Int(entry.row)] += 1 }
        }
        for i in 0..<rowCount { rowColumns.clear(i, keepingCapacityFor: counts[i]) }
        for j in 0..<columnCount {
            for entry in entries.values(of: j) { rowColumns.append(Int32(j), to: Int(entry.row)) }
        }
        rowNames = counts.reduce(0, +)
        renameAt = 2 * rowNames + renameSlack
    }

    /// The rows' lists made again (`nameRows`), without the names of entries gone. Each
    /// renaming costs a pass over the entries, and comes after at least as many new names
    /// as there are entries: a constant per name, amortised.
    private mutating func renameRows() {
        nameRows()
        renamings += 1
    }

    /// Calls `body` with the row and value of each nonzero entry of column `j`, by
    /// ascending row.
    @inline(__always)
    func forEachNonzero(inColumn j: Int, _ body: (Int, Double) -> Void) {
        if isSparse {
            for entry in entries.values(of: j) where entry.value != 0 { body(Int(entry.row), entry.value) }
        } else {
            let m = rowCount
            let column = dense.entries + j * m
            for i in 0..<m where column[i] != 0 { body(i, column[i]) }
        }
    }

    /// Calls `body` with the column and value of each nonzero entry of row `i`, by
    /// ascending column when dense, in no order when sparse.
    @inline(__always)
    mutating func forEachNonzero(inRow i: Int, _ body: (Int, Double) -> Void) {
        if isSparse {
            makeUnique()
            compactRow(i)
            for (j, k) in zip(rowColumns.values(of: i), rowPositions) {
                let value = entries.values(of: Int(j))[k].value
                if value != 0 { body(Int(j), value) }
            }
        } else {
            let m = rowCount, t = dense.entries
            for j in 0..<columnCount where t[j * m + i] != 0 { body(j, t[j * m + i]) }
        }
    }

    /// Entry (i, j).
    func entry(row i: Int, column j: Int) -> Double {
        guard isSparse else { return dense.entries[j * rowCount + i] }
        guard let k = position(ofRow: Int32(i), inColumn: j) else { return 0 }
        return entries.values(of: j)[k].value
    }

    private func position(ofRow row: Int32, inColumn j: Int) -> Int? {
        let column = UnsafeBufferPointer(entries.values(of: j))
        let k = Self.lowerBound(row, in: column, from: 0)
        return k < column.count && column[k].row == row ? k : nil
    }

    /// The first position at or after `from` whose row is `row` or more: galloping from
    /// `from` (a pivot walks a column down its pivot rows, often a few entries apart),
    /// then halving.
    private static func lowerBound(_ row: Int32, in column: UnsafeBufferPointer<Entry>, from: Int) -> Int {
        guard from < column.count, column[from].row < row else { return from }
        var low = from + 1, step = 1
        while low + step <= column.count && column[low + step - 1].row < row {
            low += step
            step *= 2
        }
        var high = min(low + step - 1, column.count)
        while low < high {
            let middle = (low + high) / 2
            if column[middle].row < row { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Row `i`'s columns each once, those with an entry in it (sparse), and the position
    /// of that entry in each (`rowPositions`, in the same order).
    private mutating func compactRow(_ i: Int) {
        compactions += 1
        let stamp = compactions, row = Int32(i)
        var kept = 0
        let columns = rowColumns.values(of: i)
        rowPositions.removeAll(keepingCapacity: true)
        for (t, j) in columns.enumerated() where seenBy[Int(j)] != stamp {
            prefetchColumns(after: t, of: columns.count) { Int(columns[$0]) }
            guard let k = position(ofRow: row, inColumn: Int(j)) else { continue }
            seenBy[Int(j)] = stamp
            columns[kept] = j
            kept += 1
            rowPositions.append(k)
        }
        rowNames -= columns.count - kept
        rowColumns.truncate(i, to: kept)
    }

    /// Pivots on entry (`r`, `s`), nonzero: the pivot row divided by it, column `s` made
    /// the column of the variable leaving row `r` (whose column was the unit vector of row
    /// `r`: now 1 / pivot in row r and −f / pivot in a row whose entry in `s` was f), and
    /// f × the new pivot row taken from every other row, what rounding leaves within 1e-12
    /// of zero made zero. `pivotRow` is left with the pivot row's nonzero columns and
    /// their new entries in row `r`, column `s` last. `pivotRows` and `pivotFactors` are
    /// working storage (of the sparse layout; the dense one keeps its own).
    mutating func pivot(row r: Int, column s: Int, pivotRow: inout [(column: Int, value: Double)],
                        pivotRows: inout [Int32], pivotFactors: inout [Double]) {
        beginPivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
        startUpdate(updatingFirst: nil)
        finishUpdate()
    }

    /// `pivot`, in three steps: this one divides the pivot row and takes the entering
    /// column, and leaves `pivotRow` as `pivot` does; `startUpdate` then updates the other
    /// rows, and `finishUpdate` returns when they are. (Sparse: this step pivots whole and
    /// the two others do nothing.) Between `startUpdate` and `finishUpdate`, the tableau
    /// may only be read, in the column it was asked to update first or in a column the pivot
    /// row has no entry in (those the helper thread leaves alone).
    mutating func beginPivot(row r: Int, column s: Int, pivotRow: inout [(column: Int, value: Double)],
                             pivotRows: inout [Int32], pivotFactors: inout [Double]) {
        precondition(pendingUpdate == nil && !updating, "a pivot's update is not finished")
        if isSparse {
            sparsePivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &pivotFactors)
            return
        }
        makeUnique()
        let n = columnCount, m = rowCount
        pivotRow.removeAll(keepingCapacity: true)
        let kernel = self.kernel, d = dense
        let t = d.entries, factors = d.factors, rows = d.rows, rowFactors = d.rowFactors, columns = d.columns
        let p = t[s * m + r]
        let entering = t + s * m
        // The pivot row divided by the pivot: its nonzero columns, ascending.
        let listedCount = kernel.divideRow(t, rows: m, columns: n, row: r, skipping: s, by: p, listing: columns)
        // The rows to update, by their entry in the entering column, which becomes the
        // leaving variable's: 0 (its unit column) before the update. Every factor is
        // written (zero in the pivot row); the nonzero ones are listed with their rows, but
        // when the update goes down whole columns with a kernel that takes in vectors
        // (which lists none).
        let count = kernel.takesInVectors
            ? kernel.takeColumn(entering, into: factors, rows: m, keeping: r)
            : SimplexKernel.takeColumn(entering, into: factors, rows: m, keeping: r, listingRows: rows, factors: rowFactors)
        // A pivot updating at least one row in the kernel's divisor goes down whole
        // columns.
        let wholeColumns = count > 0 && (everyPivotWholeColumns || kernel.wholeColumnDivisor.map { count * $0 >= m } == true)
        if wholeColumns { wholeColumnPivots += 1 }
        if kernel.takesInVectors && !wholeColumns {
            var c = 0
            for i in 0..<m where factors[i] != 0 {
                rows[c] = Int32(i)
                rowFactors[c] = factors[i]
                c += 1
            }
        }
        var one = 1.0
        one /= p
        entering[r] = one
        // The pivot row's columns (column s last) with their entries in it, which the update
        // leaves as they are.
        columns[listedCount] = Int64(s)
        for k in 0...listedCount { pivotRow.append((Int(columns[k]), t[Int(columns[k]) * m + r])) }
        if count > 0 { pendingUpdate = PendingUpdate(row: r, columns: listedCount + 1, rows: count, wholeColumns: wholeColumns) }
    }

    /// Starts the update of the pivot begun (`beginPivot`): each column of the pivot row
    /// updated, down the whole column or in the rows listed, on this thread and the team's
    /// helper. Column `first`, if the pivot row has an entry in it, is updated on this
    /// thread before this returns; the helper may still be updating the others
    /// (`finishUpdate` waits for them).
    mutating func startUpdate(updatingFirst first: Int?) {
        guard let job = pendingUpdate else { return }
        pendingUpdate = nil
        let d = dense
        updating = SimplexTeam.begin(team, kernel: kernel, tableau: d.entries, rows: rowCount, row: job.row, columns: d.columns,
                                     count: job.columns, factors: d.factors, listedRows: job.wholeColumns ? nil : d.rows,
                                     listedFactors: d.rowFactors, listedCount: job.rows, first: first ?? -1)
    }

    /// Returns when every column of the update started (`startUpdate`) is updated.
    mutating func finishUpdate() {
        guard updating, let team else { return }
        SimplexTeam.finish(team)
        updating = false
    }

    /// A dense pivot's update, between `beginPivot` and `startUpdate`: the pivot row, how
    /// many columns (`DenseEntries.columns`) and rows (listed, or nonzero factors) it
    /// updates, and whether down whole columns.
    private struct PendingUpdate {
        var row: Int
        var columns: Int
        var rows: Int
        var wholeColumns: Bool
    }

    private mutating func sparsePivot(row r: Int, column s: Int, pivotRow: inout [(column: Int, value: Double)],
                                      pivotRows: inout [Int32], pivotFactors: inout [Double]) {
        makeUnique()
        let row = Int32(r)
        let p = entry(row: r, column: s)
        compactRow(r)
        pivotRow.removeAll(keepingCapacity: true)
        for (j, k) in zip(rowColumns.values(of: r), rowPositions) where Int(j) != s {
            let column = entries.values(of: Int(j))
            guard column[k].value != 0 else { continue }
            column[k].value /= p
            pivotRow.append((Int(j), column[k].value))
        }
        var one = 1.0
        one /= p
        pivotRows.removeAll(keepingCapacity: true)
        pivotFactors.removeAll(keepingCapacity: true)
        for entry in entries.values(of: s) where entry.row != row && entry.value != 0 {
            pivotRows.append(entry.row)
            pivotFactors.append(entry.value)
        }
        // Column s: the leaving variable's unit column, less f × the new pivot row's 1 / p
        // (its rows are those of the entering column: the same or fewer).
        let column = entries.values(of: s)
        var kept = 0
        for k in column.indices {
            var entry = column[k]
            if entry.row == row {
                entry.value = one
            } else {
                guard entry.value != 0 else { continue }
                let x = 0 - entry.value * one
                guard !Self.isResidue(x) else { continue }
                entry.value = x
            }
            column[kept] = entry
            kept += 1
        }
        entries.truncate(s, to: kept)
        pivotRow.append((s, one))
        // Every other column of the pivot row: its entries in the pivot rows updated where
        // they are; merged into a new column from the first that appears or goes.
        pivotRows.withUnsafeBufferPointer { pivotRows in
            pivotFactors.withUnsafeBufferPointer { factors in
                let columns = pivotRow.count - 1
                for t in 0..<columns {
                    prefetchColumns(after: t, of: columns) { pivotRow[$0].column }
                    let (j, pivotEntry) = pivotRow[t]
                    var from = 0, q = 0, changed = false
                    let column = entries.values(of: j)
                    while q < pivotRows.count {
                        let i = pivotRows[q]
                        from = Self.lowerBound(i, in: UnsafeBufferPointer(column), from: from)
                        let present = from < column.count && column[from].row == i
                        let x = (present ? column[from].value : 0) - factors[q] * pivotEntry
                        if present == Self.isResidue(x) { changed = true; break }
                        if present { column[from].value = x; from += 1 }
                        q += 1
                    }
                    if changed { merge(column: j, from: from, pivotRows: pivotRows, factors: factors, at: q, pivotEntry: pivotEntry) }
                }
            }
        }
        if rowNames > renameAt { renameRows() }
    }

    /// How many columns ahead a loop over scattered columns asks for their entries.
    private static let prefetchDistance = 4

    /// Asks the CPU for the columns a loop over scattered columns (the pivot row's, a
    /// row's being compacted) reaches next, which it would otherwise wait on one after the
    /// other: the header of the column `2 × prefetchDistance` steps after step `t`, the
    /// first entries of the one `prefetchDistance` after it. `column(u)` is the column of
    /// step `u`, of `count` steps.
    @inline(__always)
    private func prefetchColumns(after t: Int, of count: Int, _ column: (Int) -> Int) {
        if t + 2 * Self.prefetchDistance < count { entries.prefetchHeader(of: column(t + 2 * Self.prefetchDistance)) }
        if t + Self.prefetchDistance < count { entries.prefetchValues(of: column(t + Self.prefetchDistance)) }
    }

    /// Gives this tableau storage of its own before it writes, when a copy shares it.
    private mutating func makeUnique() {
        guard isSparse else {
            if !isKnownUniquelyReferenced(&dense) { dense = dense.copy() }
            return
        }
        if !isKnownUniquelyReferenced(&entries) { entries = entries.copy() }
        if !isKnownUniquelyReferenced(&rowColumns) { rowColumns = rowColumns.copy() }
    }

    /// Column `j` from its position `from` on, merged with the pivot rows from `q` on:
    /// an entry of a pivot row updated (and dropped when it is now zero), one absent made
    /// when it is no longer zero.
    private mutating func merge(column j: Int, from: Int, pivotRows: UnsafeBufferPointer<Int32>,
                                factors: UnsafeBufferPointer<Double>, at q: Int, pivotEntry: Double) {
        // The column's values moved to the spare list past the last column, whose memory
        // (emptied) the column is made again in.
        let spare = columnCount
        entries.truncate(spare, to: 0)
        entries.swapLists(j, spare)
        let merged = UnsafeBufferPointer(entries.values(of: spare))
        entries.append(contentsOf: UnsafeBufferPointer(rebasing: merged[0..<from]), to: j)
        var a = from, q = q
        while a < merged.count || q < pivotRows.count {
            if q == pivotRows.count || (a < merged.count && merged[a].row < pivotRows[q]) {
                entries.append(merged[a], to: j)
                a += 1
                continue
            }
            let i = pivotRows[q]
            let present = a < merged.count && merged[a].row == i
            let x = (present ? merged[a].value : 0) - factors[q] * pivotEntry
            if !Self.isResidue(x) {
                entries.append(Entry(row: i, value: x), to: j)
                if !present {
                    rowColumns.append(Int32(j), to: Int(i))
                    rowNames += 1
                }
            }
            if present { a += 1 }
            q += 1
        }
    }

    /// Whether an updated entry is only what rounding leaves of zero (within 1e-12), made
    /// zero by a pivot.
    @inline(__always)
    private static func isResidue(_ x: Double) -> Bool { x < 1e-12 && x > -1e-12 }

    /// How many entries are nonzero (for tests and measurements).
    var nonzeroCount: Int {
        guard isSparse else { return UnsafeBufferPointer(start: dense.entries, count: rowCount * columnCount).lazy.filter { $0 != 0 }.count }
        return (0..<columnCount).reduce(0) { $0 + entries.values(of: $1).lazy.filter { $0.value != 0 }.count }
    }
}
