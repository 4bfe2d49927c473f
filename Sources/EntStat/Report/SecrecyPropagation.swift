/// Statistical secrecy across every relation at once: what a reader can deduce about the
/// hidden cells of a period's tables by chaining the relations (a total and its parts, the
/// migration equation, the same figure in two places), each hidden cell within its bounds
/// (1 to `minCell − 1` for `< 5`, `minCell` or more for `s`).
///
/// `ReportSuppression` checks each relation alone; a chain can still fix a cell: 10 teachers
/// in élémentaire shown and primaire hidden (so at least 5) make the teachers at least 15,
/// and a total of 17 over teachers, staff and commune agents then leaves 1 and 1. This type
/// tightens every hidden cell's interval from the others, relation by relation, until
/// nothing moves (bounds propagation: it finds such chains, though not every deduction a
/// linear solver would), and names a cell to hide when an interval closes on one value.
struct SecrecyPropagation {
    /// A linear relation Σ coefficient × value, equal to, at least or at most 0.
    struct Constraint {
        enum Kind { case equal, atLeast, atMost }
        var kind: Kind
        /// Hidden cells (variables) with their coefficient (±1).
        var variables: [(index: Int, coefficient: Double)]
        /// The sum of the shown cells' terms.
        var constant: Double
        /// The shown cells, any of which could be hidden to loosen the relation.
        var shown: [ReportSuppression.CellRef]
    }

    private var lower: [Double] = []
    private var upper: [Double] = []
    private var constraints: [Constraint] = []

    /// A shown cell whose hiding loosens a relation that fixes a hidden cell to one value;
    /// nil when no hidden cell can be deduced exactly.
    static func cellToHide(_ tables: [ReportTable], relations: [ReportSuppression.Relation],
                           equations: [ReportSuppression.Equation], groups: [[ReportSuppression.CellRef]],
                           minCell: Int) -> ReportSuppression.CellRef? {
        var propagation = SecrecyPropagation()
        propagation.build(tables, relations: relations, equations: equations, groups: groups, minCell: minCell)
        guard let pinned = propagation.pinnedVariable() else { return nil }
        // The smallest shown cell of a relation that holds the pinned cell.
        func value(_ ref: ReportSuppression.CellRef) -> Int { tables[ref.table].rows[ref.row][ref.column].count }
        let candidates = propagation.constraints.filter { $0.variables.contains { $0.index == pinned } }.flatMap(\.shown)
        return candidates.filter { value($0) > 0 }.min { value($0) < value($1) }
    }

    private mutating func build(_ tables: [ReportTable], relations: [ReportSuppression.Relation],
                                equations: [ReportSuppression.Equation], groups: [[ReportSuppression.CellRef]], minCell: Int) {
        func cell(_ ref: ReportSuppression.CellRef) -> ReportCell { tables[ref.table].rows[ref.row][ref.column] }
        var variableOf: [ReportSuppression.CellRef: Int] = [:]
        func variable(_ ref: ReportSuppression.CellRef) -> Int? {
            let c = cell(ref)
            guard c.isSuppressed, c.count > 0 else { return nil }
            if let known = variableOf[ref] { return known }
            variableOf[ref] = lower.count
            let known = ReportSuppression.bounds(c, minCell: minCell)
            lower.append(known.lo)
            upper.append(known.hi)
            return lower.count - 1
        }
        // The same figure in two places is one unknown: equal to each other.
        for group in groups {
            let hidden = group.compactMap(variable)
            for pair in zip(hidden, hidden.dropFirst()) {
                constraints.append(Constraint(kind: .equal, variables: [(pair.0, 1), (pair.1, -1)], constant: 0, shown: []))
            }
        }
        func add(_ kind: Constraint.Kind, _ terms: [(ref: ReportSuppression.CellRef, coefficient: Double)]) {
            var constraint = Constraint(kind: kind, variables: [], constant: 0, shown: [])
            for term in terms {
                if let v = variable(term.ref) {
                    constraint.variables.append((v, term.coefficient))
                } else {
                    constraint.constant += term.coefficient * Double(cell(term.ref).count)
                    constraint.shown.append(term.ref)
                }
            }
            guard !constraint.variables.isEmpty else { return }
            constraints.append(constraint)
        }
        for relation in relations {
            let residual = cell(relation.total).count - relation.parts.reduce(0) { $0 + cell($1).count }
            let kind: Constraint.Kind = residual == 0 ? .equal : residual > 0 ? .atLeast : .atMost
            add(kind, [(relation.total, 1)] + relation.parts.map { ($0, -1) })
            // Each part is a subset of the total (a school's users are of its commune, a
            // service's users of their role): never more.
            for part in relation.parts { add(.atLeast, [(relation.total, 1), (part, -1)]) }
        }
        for equation in equations {
            add(.equal, equation.terms.map { ($0.ref, Double($0.sign)) })
        }
        // Within a row: a figure never exceeds the one it is a part of.
        for (t, table) in tables.enumerated() {
            let pairs = SecrecyPropagation.atMost.compactMap { pair -> (Int, Int)? in
                guard let small = table.column(pair.part), let large = table.column(pair.whole) else { return nil }
                return (small, large)
            }
            guard !pairs.isEmpty else { continue }
            for r in table.rows.indices {
                for (small, large) in pairs {
                    add(.atLeast, [(.init(table: t, row: r, column: large), 1), (.init(table: t, row: r, column: small), -1)])
                }
            }
        }
    }

    /// Figures of one row that never exceed another of the same row: listed active users
    /// are active users, activated accounts are accounts, a service's users are users of
    /// their role, each active user has a visit and each visit a request…
    static let atMost: [(part: String, whole: String)] = [
        ("utilisateurs_actifs_inscrits", "utilisateurs_actifs"), ("comptes_actives", "comptes"),
        ("utilisateurs_actifs_inscrits", "comptes"), ("utilisateurs_actifs", "connexions"), ("connexions", "requetes"),
        ("utilisateurs", "connexions"), ("utilisateurs", "utilisateurs_actifs_role"),
        ("parents_actifs_inscrits", "parents_actifs"), ("parents_actifs_inscrits", "comptes_parents"),
        ("parents_actifs", "utilisateurs_actifs"), ("parents_services_commune", "parents_actifs"),
        ("parents_cantine", "parents_services_commune"), ("parents_transport", "parents_services_commune"),
        ("parents_periscolaire", "parents_services_commune"), ("parents_services_commune", "connexions_parents_services_commune"),
        ("agents_communaux_actifs", "connexions_agents_communaux"),
        ("utilisateurs_retrouves", "utilisateurs_ancien_ent"), ("utilisateurs_retrouves", "utilisateurs_nouvel_ent"),
        ("utilisateurs_jour_max", "connexions_jour_max"), ("connexions_jour_max", "connexions"),
        ("pic_utilisateurs_simultanes", "utilisateurs_actifs"),
    ]

    /// Tightens the intervals until nothing moves; the first hidden cell left with one
    /// possible value, if any.
    private mutating func pinnedVariable() -> Int? {
        var moved = true
        var passes = 0
        while moved && passes < 100 {
            moved = false
            passes += 1
            for constraint in constraints where tighten(constraint) { moved = true }
        }
        return lower.indices.first { lower[$0] == upper[$0] }
    }

    /// One constraint's bounds on each of its unknowns; true when one moved.
    private mutating func tighten(_ c: Constraint) -> Bool {
        // Each term's range: coefficient × value.
        func range(_ v: (index: Int, coefficient: Double)) -> (lo: Double, hi: Double) {
            v.coefficient > 0 ? (lower[v.index], upper[v.index]) : (-upper[v.index], -lower[v.index])
        }
        let ranges = c.variables.map(range)
        let sumLo = ranges.reduce(c.constant) { $0 + $1.lo }, sumHi = ranges.reduce(c.constant) { $0 + $1.hi }
        var moved = false
        for (k, v) in c.variables.enumerated() {
            // What the others leave for this term: Σ ≥ 0 needs term ≥ −(others' max); Σ ≤ 0
            // needs term ≤ −(others' min). Infinite sums leave the bound open.
            let othersHi = ranges[k].hi.isInfinite ? nonInfiniteSum(excluding: k, ranges, c.constant, \.hi) : sumHi - ranges[k].hi
            let othersLo = ranges[k].lo.isInfinite ? nonInfiniteSum(excluding: k, ranges, c.constant, \.lo) : sumLo - ranges[k].lo
            var termLo = -Double.infinity, termHi = Double.infinity
            if c.kind != .atMost { termLo = -othersHi }
            if c.kind != .atLeast { termHi = -othersLo }
            let (lo, hi) = v.coefficient > 0 ? (termLo, termHi) : (-termHi, -termLo)
            if lo > lower[v.index] && lo.isFinite { lower[v.index] = lo.rounded(.up); moved = true }
            if hi < upper[v.index] && hi.isFinite { upper[v.index] = hi.rounded(.down); moved = true }
        }
        return moved
    }

    /// The sum of the constant and of every term's bound but term `k`'s.
    private func nonInfiniteSum(excluding k: Int, _ ranges: [(lo: Double, hi: Double)], _ constant: Double,
                                _ bound: KeyPath<(lo: Double, hi: Double), Double>) -> Double {
        ranges.indices.reduce(constant) { $1 == k ? $0 : $0 + ranges[$1][keyPath: bound] }
    }
}
