/// The least and the greatest value a variable can take under linear relations, each
/// variable within a range: what a reader with a linear solver can deduce about a hidden
/// cell of the report from the published ones (`SecrecyPropagation`'s second pass).
///
/// A bounded-variable primal simplex on a condensed tableau. It starts from a point known to
/// meet every relation (for the report, the true values of the hidden cells): each
/// inequality's slack is basic there, and each equality's artificial variable, held at
/// zero, leaves the basis at the first pivot that can take its row, so no first phase is
/// needed. A nonbasic variable rests at a bound or, until it first moves, at its starting
/// value; ranges cost no rows of their own. The entering variable is the one of greatest
/// reduced cost (Dantzig), and Bland's smallest index after a run of degenerate pivots,
/// which cannot cycle. The tableau is kept between calls: the next optimum starts from
/// the last basis, a few pivots away on the report's systems. A cost names one cell or a
/// few, so the reduced costs are nonzero on a few columns only: those are kept in a list
/// (`priced`), and each step of an optimisation, and each check of its optimum, reads the
/// columns, relations and cells it touched, never all of them (a territory's group holds
/// tens of thousands of cells, solved two by two).
///
/// The tableau holds the nonbasic columns only (Tucker's condensed form): a basic
/// column is a unit vector, exactly, so storing it adds nothing. A pivot puts the leaving
/// variable's column where the entering one's was. `SimplexTableau` lays it out dense
/// for a commune's or an EPCI's groups and sparse for a territory's large ones, whose
/// combinations of relations stay sparse (a territory of 1 800 schools: 72 429 nonzero
/// entries of 59.7 M after 5 303 pivots), with the same entries to the bit either way.
///
/// Rounding accumulates over thousands of pivots on one tableau. A pivot on an entry that
/// is only a rounding residue (below `pivotTolerance`) is never taken: on the largest group
/// of a commune's whole-year report (562 cells, 1 068 rows) such pivots once led to
/// optima that broke a relation by 96, and a deducible cell was taken as free to move.
/// Every optimum is also checked against the relations as given (`meetsEveryRelation`):
/// one that fails them is solved again from a tableau laid afresh at the start point, and
/// reported as not ended (nil) if it fails again. A caller never sees a point that breaks
/// a relation.
struct BoundedSimplex {
    /// One relation Σ coefficient × variable + constant, equal to, at least or at most 0.
    struct Relation {
        enum Kind { case equal, atLeast, atMost }
        var kind: Kind
        var terms: [(variable: Int, coefficient: Double)]
        var constant: Double

        /// Σ coefficient × variable + constant at `point`.
        func sum(at point: [Double]) -> Double {
            terms.reduce(constant) { $0 + $1.coefficient * point[$1.variable] }
        }

        /// Whether a point of that `sum` meets the relation, within `epsilon`.
        func isMet(bySum sum: Double, within epsilon: Double) -> Bool {
            switch kind {
            case .equal: return abs(sum) <= epsilon
            case .atLeast: return sum >= -epsilon
            case .atMost: return sum <= epsilon
            }
        }
    }

    private let rowCount: Int
    /// Every variable: the cells, then one slack or artificial per row.
    private let columnCount: Int
    private let variableCount: Int
    /// The relations in terms of the current basis, a column per nonbasic variable
    /// (`variableAt`): `variableCount` columns of `rowCount` entries, sparse.
    private var tableau: SimplexTableau
    /// The nonbasic variable of each column of `tableau`, and the column of each nonbasic
    /// variable (−1 when basic).
    private var variableAt: [Int]
    private var columnOf: [Int]
    private var lower: [Double]
    private var upper: [Double]
    private var value: [Double]
    /// The basic column of each row, and the row of each basic column (−1 when nonbasic).
    private var basis: [Int]
    private var rowOf: [Int]
    /// The cost being minimised, by variable: zero but for `costed` (ascending, distinct).
    private var cost: [Double]
    private var costed: [Int] = []
    /// The reduced costs, by variable. Every nonzero one is in `priced` (which may also
    /// hold some gone back to zero): an optimisation touches only the columns of its cost's
    /// rows and of its pivot rows, a few of a territory's hundreds of thousands, so its
    /// choice of the entering variable, the relations and bounds an optimum rests on and
    /// the next cost's reset read those, not every column.
    private var reduced: [Double]
    private var priced = VariableLog()
    /// The cells whose value may have changed since every relation was last known met
    /// (`meetsEveryRelation` checks the relations of those only), and those since a caller
    /// last read the moves (`takeMoves`).
    private var unchecked = VariableLog()
    private var unreported = VariableLog()
    /// The relations each cell is a term of, and a stamp per relation (checked once).
    private let relationsOf: [[Int32]]
    private var checkedBy: [Int]
    private var checks = 0
    /// The pivot row's nonzero columns with their entries, and the other rows' nonzero
    /// entries in the entering column with those entries (kept to reuse their storage).
    private var pivotRow: [(column: Int, value: Double)] = []
    private var pivotRows: [Int32] = []
    private var pivotFactors: [Double] = []

    /// The relations, ranges and start point as given, to check each optimum against and to
    /// lay the tableau again from.
    private let relations: [Relation]
    private let start: [Double]
    /// How many times an optimum broke a relation and was solved again from a fresh tableau.
    private(set) var restarts = 0

    private static let tolerance = 1e-9
    /// The least magnitude of a pivot: a smaller entry of the tableau is taken for a
    /// rounding residue of zero, never divided by.
    static let pivotTolerance = 1e-7
    /// How far a point may miss a relation or a range, by rounding, and still meet it.
    static let feasibilityTolerance = 1e-6

    /// Nil when `start` is outside a range or fails a relation (by more than 1e-7).
    /// `upper` may be infinite. The tableau is dense up to `denseLimit` entries, and its
    /// sparse rows' lists are made again past `renameSlack` stale names (`SimplexTableau`;
    /// tests lay it out both ways, rename at every chance, name each `kernel`, make
    /// every pivot go down whole columns, and pivot with and without the `team`'s helper).
    init?(lower: [Double], upper: [Double], start: [Double], relations: [Relation],
          denseLimit: Int = SimplexTableau.denseLimit, renameSlack: Int = SimplexTableau.renameSlack,
          kernel: SimplexKernel = .current, everyPivotWholeColumns: Bool = false, team: SimplexTeam? = .shared) {
        precondition(lower.count == upper.count && start.count == lower.count)
        guard zip(start, zip(lower, upper)).allSatisfy({ $0 >= $1.0 - 1e-7 && $0 <= $1.1 + 1e-7 }) else { return nil }
        let n = lower.count, m = relations.count
        variableCount = n
        rowCount = m
        // One extra column per row: the inequality's slack, or the equality's artificial.
        columnCount = n + m
        self.relations = relations
        self.start = start
        tableau = SimplexTableau(rows: m, columns: n, denseLimit: denseLimit, renameSlack: renameSlack, kernel: kernel,
                                 everyPivotWholeColumns: everyPivotWholeColumns, team: team)
        variableAt = []
        columnOf = []
        self.lower = lower + [Double](repeating: 0, count: m)
        self.upper = upper + relations.map { $0.kind == .equal ? 0 : .infinity }
        value = []
        basis = []
        rowOf = []
        cost = [Double](repeating: 0, count: n + m)
        reduced = cost
        priced = VariableLog(count: n + m)
        var relationsOf = [[Int32]](repeating: [], count: n)
        for (i, relation) in relations.enumerated() {
            for term in relation.terms where relationsOf[term.variable].last != Int32(i) { relationsOf[term.variable].append(Int32(i)) }
        }
        self.relationsOf = relationsOf
        checkedBy = [Int](repeating: 0, count: m)
        unchecked = VariableLog(count: n)
        unreported = VariableLog(count: n)
        guard layTableau() else { return nil }
    }

    /// Lays the tableau at the start point, every slack and artificial basic: row i is
    /// Σ a x − slack = −constant (at least), Σ a x + slack = −constant (at most),
    /// Σ a x + artificial = −constant (equal), scaled so that its basic column is 1. False
    /// when the start fails a relation.
    private mutating func layTableau() -> Bool {
        let n = variableCount, m = rowCount
        value = start + [Double](repeating: 0, count: m)
        basis = Array(n..<(n + m))
        rowOf = [Int](repeating: -1, count: n) + Array(0..<m)
        variableAt = Array(0..<n)
        columnOf = Array(0..<n) + [Int](repeating: -1, count: m)
        clearReducedCosts()
        // Back at the start, which meets every relation (checked below); a caller reading
        // the moves is told of every cell.
        unchecked.clear()
        for k in 0..<n { unreported.note(k) }
        // (The row's slack or artificial, basic, is its unit column: not stored.)
        tableau.lay(relations.lazy.map { relation in
            let sign: Double = relation.kind == .atLeast ? -1 : 1
            return relation.terms.lazy.map { (column: $0.variable, value: sign * $0.coefficient) }
        })
        for (i, relation) in relations.enumerated() {
            let sum = relation.sum(at: start)
            guard relation.isMet(bySum: sum, within: 1e-7) else { return false }
            switch relation.kind {
            case .equal: break
            case .atLeast: value[n + i] = max(0, sum)
            case .atMost: value[n + i] = max(0, -sum)
            }
        }
        return true
    }

    /// Whether the current point meets every relation as given and every variable's range,
    /// within `feasibilityTolerance`: computed from the relations, not from the tableau.
    /// Only the relations and ranges of the cells that moved since they were last all met
    /// are computed again: the others' sums are those that met them then.
    mutating func meetsEveryRelation() -> Bool {
        let epsilon = Self.feasibilityTolerance
        for k in unchecked.variables where value[k] < lower[k] - epsilon || value[k] > upper[k] + epsilon { return false }
        checks += 1
        for k in unchecked.variables {
            for i in relationsOf[k] where checkedBy[Int(i)] != checks {
                checkedBy[Int(i)] = checks
                let relation = relations[Int(i)]
                guard relation.isMet(bySum: relation.sum(at: value), within: epsilon) else { return false }
            }
        }
        unchecked.clear()
        return true
    }

    /// Calls `body` with each cell whose value may have changed since the last call (or
    /// since the solver was made), and its value: a caller that notes every point the
    /// solver goes through need not read the cells that did not move.
    mutating func takeMoves(_ body: (Int, Double) -> Void) {
        for k in unreported.variables { body(k, value[k]) }
        unreported.clear()
    }

    /// How many entries of the tableau are nonzero (for tests and measurements).
    var tableauEntries: Int { tableau.nonzeroCount }
    /// How many times the sparse tableau made its rows' lists again (for tests).
    var tableauRenamings: Int { tableau.renamings }
    /// How many pivots of the dense tableau updated whole columns (for tests).
    var wholeColumnPivots: Int { tableau.wholeColumnPivots }

    /// The variables' values at the last optimum (or the first feasible point).
    var values: ArraySlice<Double> { value[0..<variableCount] }

    /// The least value of variable `k`; nil if the pivots did not end. With `target`, the
    /// first value at or below it that the pivots reach on the way, if they do: a point
    /// that meets every relation, not an optimum (`bindingRelations` then names nothing of
    /// use), for a caller that only asks whether `k` can go that low.
    mutating func minimum(of k: Int, stoppingAt target: Double = -.infinity) -> Double? {
        setCost([(k, 1)])
        switch checkedOptimum(stoppingAt: target) {
        case .optimal, .reached: return value[k]
        case .unbounded: return -.infinity
        case .stalled: return nil
        }
    }

    /// The greatest value of variable `k` (infinite when nothing bounds it); nil if the
    /// pivots did not end. With `target`, the first value at or above it that the pivots
    /// reach on the way, if they do.
    mutating func maximum(of k: Int, stoppingAt target: Double = .infinity) -> Double? {
        setCost([(k, -1)])
        switch checkedOptimum(stoppingAt: -target) {
        case .optimal, .reached: return value[k]
        case .unbounded: return .infinity
        case .stalled: return nil
        }
    }

    /// The relations the last optimum rests on: those of nonzero dual value (their slack
    /// or artificial nonbasic with a nonzero reduced cost). Loosening any other leaves that
    /// optimum where it is.
    func bindingRelations() -> [Int] {
        priced.variables.filter { $0 >= variableCount && rowOf[$0] < 0 && abs(reduced[$0]) > Self.tolerance }
            .map { $0 - variableCount }.sorted()
    }

    /// The variables the last optimum holds at a bound of their range (nonbasic, with a
    /// nonzero reduced cost), and which bound: a range that binds like a relation. A caller
    /// that drew a range from a relation of one variable names that relation from this.
    func bindingBounds() -> [(variable: Int, atUpper: Bool)] {
        priced.variables.sorted().compactMap { k in
            guard k < variableCount, rowOf[k] < 0, abs(reduced[k]) > Self.tolerance else { return nil }
            // Minimising: a variable whose rise would lower the cost sits at its upper bound.
            return (k, reduced[k] < 0)
        }
    }

    /// Moves to a point of least Σ weight × variable (weights by variable); false if the
    /// pivots did not end or nothing bounds it. The point is then `values`.
    mutating func minimize(_ weights: [(variable: Int, weight: Double)]) -> Bool {
        setCost(weights)
        return checkedOptimum() == .optimal
    }

    /// Makes Σ weight × variable the cost (a variable named twice gets the sum of its
    /// weights, added in order to zero).
    private mutating func setCost(_ weights: [(variable: Int, weight: Double)]) {
        for k in costed { cost[k] = 0 }
        for w in weights { cost[w.variable] += w.weight }
        costed = Array(Set(weights.map(\.variable))).sorted()
    }

    /// Every reduced cost back to zero.
    private mutating func clearReducedCosts() {
        for j in priced.variables { reduced[j] = 0 }
        priced.clear()
    }

    /// Subtracts `amount` from variable `j`'s reduced cost.
    @inline(__always)
    private mutating func lowerReducedCost(of j: Int, by amount: Double) {
        priced.note(j)
        reduced[j] -= amount
    }

    /// Notes that cell `k` (or a slack, ignored) may have a new value.
    @inline(__always)
    private mutating func moved(_ k: Int) {
        guard k < variableCount else { return }
        unchecked.note(k)
        unreported.note(k)
    }

    /// `reached`: the cost came down to the threshold asked for, before an optimum.
    private enum Outcome { case optimal, reached, unbounded, stalled }

    /// `optimize`, its point checked against the relations as given, and its cost against
    /// the start's (which meets them all, so an optimum costs no more): one that fails
    /// (rounding gathered over the pivots) is solved again from a tableau laid afresh at the
    /// start point; failing again, it is given as not ended.
    private mutating func checkedOptimum(stoppingAt threshold: Double = -.infinity) -> Outcome {
        func trusted(_ outcome: Outcome) -> Bool {
            guard outcome != .stalled, meetsEveryRelation() else { return false }
            guard outcome == .optimal || outcome == .reached else { return true }
            var atOptimum = 0.0, atStart = 0.0
            for k in costed where k < variableCount && cost[k] != 0 {
                atOptimum += cost[k] * value[k]
                atStart += cost[k] * start[k]
            }
            return atOptimum <= atStart + Self.feasibilityTolerance
        }
        let outcome = optimize(stoppingAt: threshold)
        guard outcome != .stalled, !trusted(outcome) else { return outcome }
        restarts += 1
        guard layTableau() else { return .stalled }
        let again = optimize(stoppingAt: threshold)
        return again == .stalled || trusted(again) ? again : .stalled
    }

    /// Minimises Σ cost × variable from the current basis, or until it is at most
    /// `threshold`.
    private mutating func optimize(stoppingAt threshold: Double) -> Outcome {
        let n = columnCount, tolerance = Self.tolerance
        // Reduced costs: cost − (basic costs) × tableau, each summed over the rows in
        // order (row by row, each over its nonzero columns: for one column, the same sums
        // in the same order); a basic variable's is 0.
        clearReducedCosts()
        for k in costed where cost[k] != 0 {
            priced.note(k)
            reduced[k] = cost[k]
        }
        for i in costed.compactMap({ rowOf[$0] >= 0 && cost[$0] != 0 ? rowOf[$0] : nil }).sorted() {
            let c = cost[basis[i]]
            // (`lowerReducedCost` written out: the tableau is being accessed, so only the
            // other stored properties can be, not a mutating method of self.)
            tableau.forEachNonzero(inRow: i) { j, entry in
                priced.note(variableAt[j])
                reduced[variableAt[j]] -= c * entry
            }
        }
        for k in costed where rowOf[k] >= 0 { reduced[k] = 0 }
        var degenerateRun = 0
        var step = nextStep(stoppingAt: threshold, bland: false)
        for _ in 0..<(50 * (rowCount + n) + 1000) {
            let move: Move
            switch step {
            case let .end(outcome): return outcome
            case let .move(next): move = next
            }
            let entering = move.entering, direction = move.direction, length = move.length
            guard length.isFinite else { return .unbounded }
            degenerateRun = length > tolerance ? 0 : degenerateRun + 1
            let bland = degenerateRun > 30
            if length > 0 {
                value[entering] += direction * length
                moved(entering)
                tableau.forEachNonzero(inColumn: columnOf[entering]) { i, alpha in
                    value[basis[i]] -= direction * alpha * length
                    moved(basis[i])
                }
            }
            guard let leaving = move.leaving else {
                // The entering variable reached its other bound first: no change of basis.
                value[entering] = direction > 0 ? upper[entering] : lower[entering]
                moved(entering)
                step = nextStep(stoppingAt: threshold, bland: bland)
                continue
            }
            let out = basis[leaving]
            value[out] = move.leavingToUpper ? upper[out] : lower[out]
            moved(out)
            // The pivot, and the next step chosen while its update runs: the reduced costs
            // follow from the pivot row alone, so the next entering variable is known
            // before the other rows are updated; its column is updated first, on this
            // thread, and its ratio test runs while the helper thread updates the other
            // columns (`SimplexTableau.startUpdate`). The same steps as one after the other.
            tableau.beginPivot(row: leaving, column: columnOf[entering], pivotRow: &pivotRow, pivotRows: &pivotRows,
                               pivotFactors: &pivotFactors)
            exchange(row: leaving, entering: entering)
            switch price(stoppingAt: threshold, bland: bland) {
            case let .enter(next, nextDirection):
                tableau.startUpdate(updatingFirst: columnOf[next])
                step = ratioTest(entering: next, direction: nextDirection, bland: bland)
            case let .end(outcome):
                tableau.startUpdate(updatingFirst: nil)
                step = .end(outcome)
            }
            tableau.finishUpdate()
        }
        return .stalled
    }

    /// A step of `optimize`: a move of the entering variable, or the end.
    private enum Step {
        case move(Move)
        case end(Outcome)
    }

    /// The entering variable, which way it moves (+1 up, −1 down) and how far; the row whose
    /// basic variable leaves (nil: the entering variable meets its own other bound first),
    /// and to which of its bounds.
    private struct Move {
        var entering: Int
        var direction: Double
        var length: Double
        var leaving: Int?
        var leavingToUpper: Bool
    }

    /// What the pricing found: the variable to enter and its direction, or the end.
    private enum Pricing {
        case enter(Int, direction: Double)
        case end(Outcome)
    }

    /// The next step from the current basis: the pricing, then the ratio test.
    private mutating func nextStep(stoppingAt threshold: Double, bland: Bool) -> Step {
        switch price(stoppingAt: threshold, bland: bland) {
        case let .enter(entering, direction): return ratioTest(entering: entering, direction: direction, bland: bland)
        case let .end(outcome): return .end(outcome)
        }
    }

    /// The end when the cost is down to `threshold`; else the entering variable: a
    /// nonbasic variable whose move off its bound lowers the cost, of greatest reduced
    /// cost, the first of those by index (Dantzig), or the first (`bland`); the optimum when
    /// there is none. Only priced variables can have one; those back at zero are dropped.
    /// Reads no entry of the tableau.
    private mutating func price(stoppingAt threshold: Double, bland: Bool) -> Pricing {
        let tolerance = Self.tolerance
        // The cost at the current point (a cost names a cell or a few).
        if threshold > -.infinity && costed.reduce(0, { $0 + cost[$1] * value[$1] }) <= threshold { return .end(.reached) }
        var entering = -1, best = 0.0, direction = 0.0
        priced.keep { j in
            let d = reduced[j]
            guard d != 0 else { return false }
            guard rowOf[j] < 0 && upper[j] > lower[j] else { return true }
            let up = d < -tolerance && value[j] < upper[j]
            guard up || (d > tolerance && value[j] > lower[j]) else { return true }
            let better = bland ? j < entering : abs(d) > best || (abs(d) == best && j < entering)
            if entering < 0 || better {
                entering = j; best = abs(d); direction = up ? 1 : -1
            }
            return true
        }
        return entering >= 0 ? .enter(entering, direction: direction) : .end(.optimal)
    }

    /// The ratio test: how far `entering` can move in `direction` before it or a basic
    /// variable meets a bound, and which row's variable leaves then. Reads the entering
    /// variable's column of the tableau, no other.
    private func ratioTest(entering: Int, direction: Double, bland: Bool) -> Step {
        var step = direction > 0 ? upper[entering] - value[entering] : value[entering] - lower[entering]
        var leaving = -1, leavingToUpper = false, leavingPivot = 0.0
        tableau.forEachNonzero(inColumn: columnOf[entering]) { i, alpha in
            guard abs(alpha) > Self.pivotTolerance else { return }
            let rate = -direction * alpha
            let b = basis[i]
            let limit: Double
            let toUpper: Bool
            if rate < 0 {
                limit = max(0, (value[b] - lower[b]) / -rate); toUpper = false
            } else {
                guard upper[b].isFinite else { return }
                limit = max(0, (upper[b] - value[b]) / rate); toUpper = true
            }
            let tie = abs(limit - step) <= 1e-12
            let better = limit < step - 1e-12
                || (tie && leaving >= 0 && (bland ? b < basis[leaving] : abs(alpha) > abs(leavingPivot)))
            if better { step = limit; leaving = i; leavingToUpper = toUpper; leavingPivot = alpha }
        }
        return .move(Move(entering: entering, direction: direction, length: step, leaving: leaving >= 0 ? leaving : nil,
                          leavingToUpper: leavingToUpper))
    }

    /// Makes variable `e` basic in row `r`, the row's basic variable leaving into `e`'s
    /// column of the tableau, once the tableau's pivot has begun (`SimplexTableau.beginPivot`,
    /// which leaves the new pivot row in `pivotRow`), and updates the reduced costs by that
    /// row.
    private mutating func exchange(row r: Int, entering e: Int) {
        let s = columnOf[e], leaving = basis[r]
        // (Column s is the leaving variable's from here.)
        variableAt[s] = leaving
        let f = reduced[e]
        if f != 0 {
            for (j, entry) in pivotRow { lowerReducedCost(of: variableAt[j], by: f * entry) }
            reduced[e] = 0
        }
        columnOf[leaving] = s
        columnOf[e] = -1
        rowOf[leaving] = -1
        basis[r] = e
        rowOf[e] = r
    }

    /// A set of variables, noted in any order and cleared in time proportional to its size
    /// (not to the variables' count).
    private struct VariableLog {
        private var isNoted: [Bool]
        private(set) var variables: [Int] = []

        init(count: Int = 0) {
            isNoted = [Bool](repeating: false, count: count)
        }

        @inline(__always)
        mutating func note(_ k: Int) {
            guard !isNoted[k] else { return }
            isNoted[k] = true
            variables.append(k)
        }

        mutating func clear() {
            for k in variables { isNoted[k] = false }
            variables.removeAll(keepingCapacity: true)
        }

        /// Keeps the variables for which `isKept` is true, in their order; each is passed
        /// once, in order.
        mutating func keep(_ isKept: (Int) -> Bool) {
            var kept = 0
            for q in variables.indices {
                let k = variables[q]
                guard isKept(k) else { isNoted[k] = false; continue }
                variables[kept] = k
                kept += 1
            }
            variables.removeLast(variables.count - kept)
        }
    }
}
