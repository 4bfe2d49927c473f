/// A slice of the world generated and written independently: one département, its schools,
/// accounts and front servers. The Somme is a single shard.
struct WorldShard: Sendable {
    /// 0-based shard number; its front servers are `fe(2n+1)` (local time) and `fe(2n+2)` (UTC).
    var number: Int
    var schools: Range<Int>
    var accounts: Range<Int>
}
