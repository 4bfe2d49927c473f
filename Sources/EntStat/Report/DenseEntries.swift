/// A dense `SimplexTableau`'s entries, column-major, with its pivot's working storage, in
/// memory this class allocates and frees itself (the entries in a block of
/// `TableauMemory.shared`, kept for the next tableau when this one is freed). A pivot's
/// update is offered to the helper thread (`SimplexTeam`) in one call and awaited in
/// another, the ratio test of the next pivot running between them (`BoundedSimplex`): the
/// helper holds pointers to the entries and to the working storage all that time, which a
/// pointer lent by an array's `withUnsafeMutableBufferPointer` may not outlive. Its owner
/// copies it before writing it if a copy of the tableau shares it (`copy`).
///
/// Unchecked: an index must be below the counts given.
final class DenseEntries {
    let rowCount: Int
    let columnCount: Int
    /// Every entry, column-major: (i, j) at `j × rowCount + i`, in a block of
    /// `TableauMemory.shared`, given back when the entries are freed.
    let entries: UnsafeMutablePointer<Double>
    private let block: TableauMemory.Block
    /// Each row's factor: the entering column's entry as it was, zero in the pivot row.
    let factors: UnsafeMutablePointer<Double>
    /// The rows of the nonzero factors, ascending, and those factors.
    let rows: UnsafeMutablePointer<Int32>
    let rowFactors: UnsafeMutablePointer<Double>
    /// The pivot row's nonzero columns, ascending, then the entering column (the update may
    /// move one of them last).
    let columns: UnsafeMutablePointer<Int64>

    /// Zeros in `rows` × `columns` entries.
    init(rows: Int, columns: Int) {
        rowCount = rows
        columnCount = columns
        let m = max(rows, 1)
        block = TableauMemory.shared.take(atLeast: rows * columns)
        entries = block.start
        entries.initialize(repeating: 0, count: rows * columns)
        factors = .allocate(capacity: m)
        factors.initialize(repeating: 0, count: m)
        self.rows = .allocate(capacity: m)
        self.rows.initialize(repeating: 0, count: m)
        rowFactors = .allocate(capacity: m)
        rowFactors.initialize(repeating: 0, count: m)
        self.columns = .allocate(capacity: columns + 1)
        self.columns.initialize(repeating: 0, count: columns + 1)
    }

    deinit {
        TableauMemory.shared.give(block)
        factors.deallocate()
        rows.deallocate()
        rowFactors.deallocate()
        columns.deallocate()
    }

    /// A copy with its own memory: the same entries (the working storage is not copied).
    func copy() -> DenseEntries {
        let copy = DenseEntries(rows: rowCount, columns: columnCount)
        copy.entries.update(from: entries, count: rowCount * columnCount)
        return copy
    }

    /// Every entry back to zero.
    func clear() {
        entries.update(repeating: 0, count: rowCount * columnCount)
    }
}
