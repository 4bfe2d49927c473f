/// A generated ENT account (or an unlisted user seen in the logs only), kept compact so a whole
/// country fits in memory.
struct SimAccount: Sendable {
    /// Hash that yields the UUID-like `user_id`.
    var uid: UInt64
    /// Number of the legacy id `u<number>`; 0 when the account has none.
    var legacy: Int32
    /// School indices in `World.schools`, -1 when absent.
    var school0: Int32
    var school1: Int32
    /// Commune index (the agent's commune, or the first school's).
    var commune: Int32
    /// Day serial of activation in the new ENT; `Int32.max` when never.
    var activation: Int32
    /// Relative propensity to use the ENT (1 = typical, 0 = dormant).
    var engagement: Float
    var role: Role
    /// Level driving behaviour (parents of maternelle engage more); nil for commune agents.
    var level: SchoolLevel?
    /// False for users seen in the logs but absent from `accounts.csv`.
    var listed: Bool
    /// User-agent index.
    var ua: UInt8
}
