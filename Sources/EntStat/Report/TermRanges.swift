/// The terms of one linear relation Σ aᵢ·xᵢ + constant (equal to, at least or at most 0),
/// each unknown xᵢ within what is known of it, and what the relation then leaves each
/// unknown. The one computation behind the single-relation check
/// (`ReportSuppression.protect(_:in:minCell:)` for an `Equation`) and bounds propagation
/// (`SecrecyPropagation`): a coefficient other than ±1 ("visits ≤ 7 × the busiest day's")
/// scales its term's range, and the bound derived for its unknown is divided by it.
///
/// Sums are kept apart from the count of infinite bounds, so that each term's "the others"
/// is one subtraction, never ∞ − ∞.
struct TermRanges {
    typealias Kind = BoundedSimplex.Relation.Kind

    /// Each term's range, aᵢ·xᵢ within [lo, hi].
    private(set) var ranges: [(lo: Double, hi: Double)] = []
    private var finiteLo = 0.0, finiteHi = 0.0
    private var infiniteLo = 0, infiniteHi = 0

    /// Starts a relation over, with its constant (the sum of its shown terms, or 0).
    mutating func reset(constant: Double) {
        ranges.removeAll(keepingCapacity: true)
        finiteLo = constant
        finiteHi = constant
        infiniteLo = 0
        infiniteHi = 0
    }

    /// Adds the term a·x, x within [lo, hi] (hi may be +∞).
    mutating func append(coefficient a: Double, lo: Double, hi: Double) {
        let range = a > 0 ? (lo: a * lo, hi: a * hi) : a < 0 ? (lo: a * hi, hi: a * lo) : (lo: 0.0, hi: 0.0)
        ranges.append(range)
        if range.lo.isInfinite { infiniteLo += 1 } else { finiteLo += range.lo }
        if range.hi.isInfinite { infiniteHi += 1 } else { finiteHi += range.hi }
    }

    /// The least and greatest value the relation (`kind`) leaves the unknown of term `k`,
    /// whose coefficient is `a` (nonzero), from the other terms' ranges alone; unrounded,
    /// infinite on an open side. Σ ≥ 0 needs a·x ≥ −(the others' greatest), Σ ≤ 0 needs
    /// a·x ≤ −(the others' least).
    func bounds(ofTerm k: Int, coefficient a: Double, kind: Kind) -> (lo: Double, hi: Double) {
        let own = ranges[k]
        let othersLo = infiniteLo - (own.lo.isInfinite ? 1 : 0) > 0 ? -Double.infinity : finiteLo - (own.lo.isInfinite ? 0 : own.lo)
        let othersHi = infiniteHi - (own.hi.isInfinite ? 1 : 0) > 0 ? Double.infinity : finiteHi - (own.hi.isInfinite ? 0 : own.hi)
        let termLo = kind == .atMost ? -Double.infinity : -othersHi
        let termHi = kind == .atLeast ? Double.infinity : -othersLo
        return a > 0 ? (termLo / a, termHi / a) : (termHi / a, termLo / a)
    }
}
