/// Rollup rows summed per (source, feature) in memory: one person's rows over a few days
/// or months, in any order (a few dozen keys).
struct RowSums {
    struct Key: Hashable { var source: [UInt8]; var feature: [UInt8] }
    typealias Values = (days: Int64, requests: Int64, logins: Int64, visits: Int64)
    private var sums: [Key: Values] = [:]

    /// Adds the stream's current row.
    mutating func add(_ row: RollupRowStream) {
        let key = Key(source: [UInt8](row.source), feature: [UInt8](row.feature))
        let old = sums[key] ?? (0, 0, 0, 0)
        sums[key] = (old.days + row.days, old.requests + row.requests, old.logins + row.logins, old.visits + row.visits)
    }

    /// The sums in (source, feature) byte order.
    func sorted() -> [(key: Key, values: Values)] {
        sums.map { ($0.key, $0.value) }.sorted { a, b in
            a.key.source != b.key.source ? a.key.source.lexicographicallyPrecedes(b.key.source)
                                         : a.key.feature.lexicographicallyPrecedes(b.key.feature)
        }
    }
}
