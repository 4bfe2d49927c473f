import CPrefetch

/// A fixed number of growable lists of plain values (the sparse `SimplexTableau`'s columns
/// and rows' lists), each list's values in one block of memory this class allocates and
/// frees itself. A pivot of a territory's tableau reads and writes hundreds of lists: held
/// as an array of arrays, each access checked that both were not shared (Swift's
/// copy-on-write), up to a quarter of a large report's time (`perf`: 14 % of a territory
/// of 10 000 schools' report, 24 % of a national one's) for lists that never are shared.
/// Here a list is a pointer, a count and a capacity; its owner (`SimplexTableau`) copies the
/// whole storage before writing it if it is shared (`copy`), once per mutation, not per list.
///
/// Unchecked: a list's index must be below `listCount`, and a position below that list's
/// count.
final class SparseLists<Element: BitwiseCopyable> {
    /// One list: its values at `base` (nil when it never held one), `count` of them in
    /// room for `capacity`.
    private struct Header {
        var base: UnsafeMutablePointer<Element>?
        var count: Int
        var capacity: Int
    }

    let listCount: Int
    private let headers: UnsafeMutablePointer<Header>

    /// `count` empty lists.
    init(count: Int) {
        listCount = count
        headers = .allocate(capacity: max(count, 1))
        headers.initialize(repeating: Header(base: nil, count: 0, capacity: 0), count: count)
    }

    deinit {
        for j in 0..<listCount { headers[j].base?.deallocate() }
        headers.deallocate()
    }

    /// A copy with its own memory: the same values in every list.
    func copy() -> SparseLists {
        let copy = SparseLists(count: listCount)
        for j in 0..<listCount { copy.append(contentsOf: UnsafeBufferPointer(values(of: j)), to: j) }
        return copy
    }

    /// List `j`'s values, to read or change in place (valid until the list next grows).
    @inline(__always)
    func values(of j: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: headers[j].base, count: headers[j].count)
    }

    /// Asks the CPU to load list `j`'s header (where its values are) ahead of its use.
    @inline(__always)
    func prefetchHeader(of j: Int) { entstat_prefetch(headers + j) }

    /// Asks the CPU to load list `j`'s first values ahead of their use (its header is
    /// read now: `prefetchHeader` a few lists earlier keeps that from waiting).
    @inline(__always)
    func prefetchValues(of j: Int) {
        if let base = headers[j].base { entstat_prefetch(base) }
    }

    /// Appends `value` to list `j`, growing its memory by doubling.
    @inline(__always)
    func append(_ value: Element, to j: Int) {
        if headers[j].count == headers[j].capacity { reserve(max(4, 2 * headers[j].capacity), in: j) }
        headers[j].base![headers[j].count] = value
        headers[j].count += 1
    }

    /// Appends `values` to list `j`.
    func append(contentsOf values: UnsafeBufferPointer<Element>, to j: Int) {
        guard !values.isEmpty else { return }
        let needed = headers[j].count + values.count
        if needed > headers[j].capacity { reserve(max(needed, 2 * headers[j].capacity), in: j) }
        (headers[j].base! + headers[j].count).initialize(from: values.baseAddress!, count: values.count)
        headers[j].count = needed
    }

    /// Keeps list `j`'s first `count` values (its memory kept).
    @inline(__always)
    func truncate(_ j: Int, to count: Int) {
        precondition(count >= 0 && count <= headers[j].count)
        headers[j].count = count
    }

    /// Empties list `j` and makes room for `capacity` values; its memory is freed first
    /// when it holds far more than that (a row named again after many stale names).
    func clear(_ j: Int, keepingCapacityFor capacity: Int) {
        headers[j].count = 0
        if headers[j].capacity > 2 * capacity + 16 {
            headers[j].base?.deallocate()
            headers[j] = Header(base: nil, count: 0, capacity: 0)
        }
        if capacity > headers[j].capacity { reserve(capacity, in: j) }
    }

    /// Exchanges list `j`'s values and memory with list `k`'s.
    @inline(__always)
    func swapLists(_ j: Int, _ k: Int) {
        swap(&headers[j], &headers[k])
    }

    /// Room for at least `capacity` values in list `j`, its values kept.
    private func reserve(_ capacity: Int, in j: Int) {
        guard capacity > headers[j].capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        if let base = headers[j].base {
            grown.moveInitialize(from: base, count: headers[j].count)
            base.deallocate()
        }
        headers[j].base = grown
        headers[j].capacity = capacity
    }
}
