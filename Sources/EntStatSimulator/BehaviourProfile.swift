/// How one kind of user (role, and level for school communities) adopts and uses the ENT.
struct BehaviourProfile {
    /// Share of accounts carried over from the old ENT (with a legacy id).
    var legacyShare: Double
    /// Share of accounts that ever activate in the new ENT.
    var activationShare: Double
    /// Mean delay in days between the new ENT's opening and activation (legacy accounts).
    var activationDelay: Double
    /// Share of accounts that never really use the ENT.
    var dormantShare: Double
    /// Probability of at least one visit on an ordinary school day (typical engagement).
    var dailyVisit: Double
    /// Probability of each further visit the same day.
    var extraVisit: Double
    /// Mean number of pages per visit.
    var pagesMean: Double
    /// Cumulative feature weights (indexed by `Feature.rawValue`).
    var features: [Double]
    /// Day factor per `DayKind.rawValue`.
    var dayFactor: [Double]
    /// Cumulative hour-of-day weights for school days, Wednesdays and free days.
    var hours: [[Double]]
}
