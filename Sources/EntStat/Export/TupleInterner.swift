/// Numbers tuples of small integers, all of one width, in the order first seen: the groups
/// of place columns of `person_place` (each column's text numbered by a
/// `RollupFigures.TextInterner`) looked up row by row without an array or a string per row.
struct TupleInterner {
    /// How many integers each tuple holds.
    let width: Int
    /// How many distinct tuples were seen.
    private(set) var count = 0
    /// The tuples, one after another, `width` integers each.
    private var tuples: [Int32] = []
    /// Open-addressing table of tuple numbers by hash (−1: empty), a power of two long.
    private var table = [Int32](repeating: -1, count: 64)

    init(width: Int) {
        self.width = width
    }

    /// The number of `tuple` (its `width` integers), and whether it was seen for the first
    /// time.
    mutating func id(of tuple: UnsafeBufferPointer<Int32>) -> (id: Int, isNew: Bool) {
        precondition(tuple.count == width)
        var mask = table.count - 1
        var position = slot(of: tuple, mask: mask)
        while true {
            let known = Int(table[position])
            if known < 0 { break }
            if equals(known, tuple) { return (known, false) }
            position = (position + 1) & mask
        }
        let id = count
        tuples.append(contentsOf: tuple)
        count += 1
        table[position] = Int32(id)
        if count * 2 > table.count {
            table = [Int32](repeating: -1, count: table.count * 2)
            mask = table.count - 1
            for known in 0..<count {
                var s = slot(of: tuples[known * width ..< (known + 1) * width], mask: mask)
                while table[s] >= 0 { s = (s + 1) & mask }
                table[s] = Int32(known)
            }
        }
        return (id, true)
    }

    private func equals(_ known: Int, _ tuple: UnsafeBufferPointer<Int32>) -> Bool {
        let start = known * width
        for i in 0..<width where tuples[start + i] != tuple[i] { return false }
        return true
    }

    private func slot<Tuple: Collection<Int32>>(of tuple: Tuple, mask: Int) -> Int {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for x in tuple { h = (h ^ UInt64(UInt32(bitPattern: x))) &* 0x9E37_79B9_7F4A_7C15 }
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }
}
