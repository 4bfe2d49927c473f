/// The order of export rows (SPEC §3): by period, then by each dimension in the order
/// asked, texts compared by their UTF-8 bytes.
///
/// A day-level export by school and feature has millions of rows, and comparing their
/// texts at each step of a sort was most of its time. Each column's distinct texts are
/// ranked once instead (a few hundred periods, schools or features), and rows are sorted
/// by their ranks, packed into one integer when they fit in 64 bits.
enum FigureRowOrder {
    /// True when `a` comes before `b`.
    static func precedes(_ a: FigureRow, _ b: FigureRow) -> Bool {
        if a.period != b.period { return a.period.utf8.lexicographicallyPrecedes(b.period.utf8) }
        return groupsPrecede(a.groups, b.groups)
    }

    /// True when the group values `a` come before `b`: at the first value that differs,
    /// the one whose bytes come first (values equal as strings are equal here, as they
    /// have one rank in `sort`).
    static func groupsPrecede(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
        return a.count < b.count
    }

    /// Puts `rows` in export order when `rows[..<split]` and `rows[split...]` are each in it
    /// already (a period's rows of activity, then the rows of its groups of accounts
    /// without activity): one merge instead of a sort, which ranked every text of the
    /// period again. The merge is checked, and `rows` sorted when it is not in order (when
    /// a part was not).
    static func merge(_ rows: inout [FigureRow], at split: Int) {
        guard split > 0, split < rows.count else { return sort(&rows) }
        var merged: [FigureRow] = []
        merged.reserveCapacity(rows.count)
        var i = 0, j = split
        while i < split, j < rows.count {
            if precedes(rows[j], rows[i]) {
                merged.append(rows[j])
                j += 1
            } else {
                merged.append(rows[i])
                i += 1
            }
        }
        merged += rows[i..<split]
        merged += rows[j...]
        if isSorted(merged) { rows = merged } else { sort(&rows) }
    }

    /// The rank of each of `distinct` texts in byte order, and the bits those ranks need
    /// (at least 1).
    static func ranks(_ distinct: Set<String>) -> (rank: [String: Int], bits: Int) {
        let ordered = distinct.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let rank = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
        return (rank, max(1, Int.bitWidth - (ordered.count - 1).leadingZeroBitCount))
    }

    /// True when `rows` are in export order already (as `RollupFigures` hands them out).
    static func isSorted(_ rows: [FigureRow]) -> Bool {
        for i in rows.indices.dropFirst() where !precedes(rows[i - 1], rows[i]) { return false }
        return true
    }

    /// Sorts `rows` in export order.
    static func sort(_ rows: inout [FigureRow]) {
        guard rows.count > 1, !isSorted(rows) else { return }
        let width = rows[0].groups.count
        guard rows.allSatisfy({ $0.groups.count == width }) else {
            rows.sort(by: precedes)
            return
        }
        // Column 0 is the period, column c + 1 the group value c.
        var ranks = [[String: Int]](repeating: [:], count: width + 1)
        var bits = [Int](repeating: 0, count: width + 1)
        for c in 0...width {
            var distinct = Set<String>()
            var last: String?
            for row in rows {
                let text = c == 0 ? row.period : row.groups[c - 1]
                if text != last { distinct.insert(text); last = text }
            }
            (ranks[c], bits[c]) = Self.ranks(distinct)
        }
        // Rank of each row's column c, with the previous row's as a cache (rows come in
        // runs of one period, and often of one group).
        var keys = [Int](repeating: 0, count: rows.count * (width + 1))
        for c in 0...width {
            var last: String?, lastRank = 0
            for (i, row) in rows.enumerated() {
                let text = c == 0 ? row.period : row.groups[c - 1]
                if text != last { lastRank = ranks[c][text]!; last = text }
                keys[i * (width + 1) + c] = lastRank
            }
        }
        let order: [Int]
        if bits.reduce(0, +) <= 63 {
            var packed = [(key: Int, index: Int)]()
            packed.reserveCapacity(rows.count)
            for i in rows.indices {
                var key = 0
                for c in 0...width { key = key << bits[c] | keys[i * (width + 1) + c] }
                packed.append((key, i))
            }
            packed.sort { $0.key < $1.key }
            order = packed.map(\.index)
        } else {
            order = rows.indices.sorted { a, b in
                for c in 0...width where keys[a * (width + 1) + c] != keys[b * (width + 1) + c] {
                    return keys[a * (width + 1) + c] < keys[b * (width + 1) + c]
                }
                return false
            }
        }
        rows = order.map { rows[$0] }
    }
}
