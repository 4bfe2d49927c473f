/// Sums of requests, logins and visits keyed by person and combo (`person << 16 | combo`),
/// for the pieces of a period that are not one row per person (`RollupFigures.PieceReader
/// .sumPerPerson`): a school year cut by a few days, a range of months.
///
/// An open-addressing table of plain integers (linear probing, a multiplicative hash, at
/// most half full): a `Dictionary` of tuples spent two thirds of such an export in hashing,
/// probing and growing (`perf` of `export --period all --by feature` over a school year cut
/// by a week at each end: 0.9 M keys).
struct PersonComboSums {
    /// The key of each slot, −1 when empty (keys are never negative).
    private var keys: [Int64]
    private var sums: [(requests: Int, logins: Int, visits: Int)]
    /// log2 of the number of slots.
    private var bits: Int
    /// How many keys the table holds.
    private(set) var count = 0

    init() {
        bits = 12
        keys = [Int64](repeating: -1, count: 1 << bits)
        sums = Array(repeating: (0, 0, 0), count: 1 << bits)
    }

    /// The slot of `key`, or of the empty slot where it would go.
    @inline(__always)
    private func slot(of key: Int64) -> Int {
        let mask = (1 << bits) - 1
        // The person hashed, plus the combo: a person's keys in neighbouring slots (a few
        // cache lines per person, whose rows come together, instead of one per key).
        let person = UInt64(bitPattern: key >> 16)
        var i = (Int(truncatingIfNeeded: (person &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits)) + Int(key & 0xFFFF)) & mask
        while true {
            let k = keys[i]
            if k == key || k < 0 { return i }
            i = (i + 1) & mask
        }
    }

    /// Adds `weight` times (requests, logins, visits) to the sums of `key` (≥ 0).
    mutating func add(_ key: Int64, _ r: Int, _ l: Int, _ v: Int, weight: Int) {
        precondition(key >= 0, "a person's key is not negative")
        var i = slot(of: key)
        if keys[i] < 0 {
            if (count + 1) * 2 > keys.count {
                grow()
                i = slot(of: key)
            }
            keys[i] = key
            count += 1
        }
        sums[i].requests += weight * r
        sums[i].logins += weight * l
        sums[i].visits += weight * v
    }

    /// Each key with its sums, in no particular order; without the keys whose requests sum
    /// to zero when `droppingNoRequests` (a key with no activity left once days are taken
    /// away).
    func forEach(droppingNoRequests: Bool, _ body: (Int64, Int, Int, Int) -> Void) {
        for i in keys.indices where keys[i] >= 0 {
            let s = sums[i]
            if droppingNoRequests && s.requests == 0 { continue }
            body(keys[i], s.requests, s.logins, s.visits)
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldSums = sums
        bits += 1
        keys = [Int64](repeating: -1, count: 1 << bits)
        sums = Array(repeating: (0, 0, 0), count: 1 << bits)
        for (i, key) in oldKeys.enumerated() where key >= 0 {
            let j = slot(of: key)
            keys[j] = key
            sums[j] = oldSums[i]
        }
    }
}
