/// A cheap proof that a hidden cell is not fixed: a point that meets every relation of its
/// group with the cell a unit or more from its true value, found by a linear solver
/// (`BoundedSimplex`) over the cell and a few cells near it, every other cell of the group
/// held at its true value.
///
/// Holding cells at their true values only narrows the system (the true values meet every
/// relation), so every point found meets every relation of the group: it proves that each
/// cell it moves can take the value it moved to, as a point of the group's own solver
/// would. It never proves a cell fixed: a cell its neighbourhood leaves where it is goes to
/// the group's solver (`SecrecyPropagation`).
///
/// The cells near a cell are those that must move with it: the cells of its tight
/// relations (equalities, and inequalities the true values meet with no slack; a relation
/// with slack lets a cell move a little alone), breadth first, the shortest relations
/// first, and of each relation only the few easiest to move (a range to move in, the fewest
/// tight relations of their own). A territory's totals run over thousands of schools'
/// cells, of which any free one can take the other side of a move: taking them all, in
/// order, filled a neighbourhood of 8 192 cells without the one needed. On the largest
/// group of a territory of 10 000 schools (25 733 cells, 50 842 relations), 32 cells, 2 of
/// each relation, prove every cell free to move, where the group's solver took 15.7 s
/// (bench/HISTORY.md, session 59).
struct SecrecyNeighbourhood {
    /// The group's relations over its cells (numbered as in the group), each cell's range,
    /// and the cells' true values (a point that meets every relation).
    private let relations: [BoundedSimplex.Relation]
    private let lower: [Double]
    private let upper: [Double]
    private let truth: [Double]
    /// Each relation's sum at the true values (0 for an equality).
    private let sumAtTruth: [Double]
    /// Every relation's terms one after another, by relation, with each term's relation
    /// and coefficient; and the terms of each cell, the shortest relations' first.
    private let termRelation: [Int32]
    private let termCoefficient: [Double]
    private let termsOf: SecrecyIncidence
    /// Whether each relation is tight at the true values (an equality, or an inequality
    /// with no slack): only those need another cell to move with a cell of theirs.
    private let tight: [Bool]
    /// Each relation's cells, the easiest to move first (`first` by relation): a cell
    /// free to move, then one of fewer tight relations, then in the relation's order.
    private let easiestFirst: [Int32]
    private let first: [Int]

    init(lower: [Double], upper: [Double], truth: [Double], relations: [BoundedSimplex.Relation]) {
        precondition(lower.count == upper.count && truth.count == lower.count)
        self.relations = relations
        self.lower = lower
        self.upper = upper
        self.truth = truth
        let sumAtTruth = relations.map { $0.sum(at: truth) }
        self.sumAtTruth = sumAtTruth
        var termRelation: [Int32] = [], termCell: [Int32] = [], termCoefficient: [Double] = []
        var first = [Int](), count = 0
        for (r, relation) in relations.enumerated() {
            first.append(count)
            count += relation.terms.count
            for term in relation.terms {
                termRelation.append(Int32(r))
                termCell.append(Int32(term.variable))
                termCoefficient.append(term.coefficient)
            }
        }
        self.termRelation = termRelation
        self.termCoefficient = termCoefficient
        first.append(count)
        self.first = first
        let tight = relations.indices.map { relations[$0].kind == .equal || abs(sumAtTruth[$0]) <= 1e-9 }
        self.tight = tight
        var tightCount = [Int](repeating: 0, count: lower.count)
        for (r, relation) in relations.enumerated() where tight[r] {
            for term in relation.terms { tightCount[term.variable] += 1 }
        }
        var easiestFirst = termCell
        for r in relations.indices {
            easiestFirst[first[r]..<first[r + 1]].sort { a, b in
                let fixedA = lower[Int(a)] == upper[Int(a)], fixedB = lower[Int(b)] == upper[Int(b)]
                return (fixedA ? 1 : 0, tightCount[Int(a)], a) < (fixedB ? 1 : 0, tightCount[Int(b)], b)
            }
        }
        self.easiestFirst = easiestFirst
        let shortestFirst = relations.indices.sorted { (relations[$0].terms.count, $0) < (relations[$1].terms.count, $1) }
        termsOf = SecrecyIncidence(cellCount: lower.count) { add in
            for r in shortestFirst {
                for t in first[r]..<first[r] + relations[r].terms.count { add(Int(termCell[t]), Int32(t)) }
            }
        }
    }

    /// The relations holding `cell`, each once, the shortest first (a cell's terms of one
    /// relation are next to each other in `termsOf`).
    private func relations(holding cell: Int) -> [Int] {
        var found: [Int] = [], last: Int32 = -1
        for t in termsOf.items[termsOf.range(of: cell)] where termRelation[Int(t)] != last {
            last = termRelation[Int(t)]
            found.append(Int(last))
        }
        return found
    }

    /// A solver over `members` (cells of the group, numbered by their place there), each
    /// within its range, started from the true values, under `relations` over them.
    private func solver(over members: [Int], _ relations: [BoundedSimplex.Relation]) -> BoundedSimplex? {
        BoundedSimplex(lower: members.map { lower[$0] }, upper: members.map { upper[$0] }, start: members.map { truth[$0] },
                       relations: relations)
    }

    /// Cell `cell` and up to `size − 1` cells near it, in the order they were reached: of
    /// each of `cell`'s tight relations, the shortest first, the `perRelation` easiest cells
    /// not taken yet; then the same from each cell taken, in turn.
    func cells(near cell: Int, size: Int, perRelation: Int) -> [Int] {
        var members = [cell], inside: Set<Int> = [cell], head = 0
        while head < members.count && members.count < size {
            let v = members[head]
            head += 1
            for r in relations(holding: v) where tight[r] {
                var taken = 0
                for c in easiestFirst[first[r]..<first[r + 1]] where inside.insert(Int(c)).inserted {
                    members.append(Int(c))
                    if members.count == size { return members }
                    taken += 1
                    if taken == perRelation { break }
                }
            }
        }
        return members
    }

    /// Solves for `cell`'s least value, then (unless that moved it a unit) its greatest,
    /// over `cell` and the cells near it (`cells(near:size:perRelation:)`), the others held at their
    /// true values. Calls `see` with each cell the points found moved and its value there.
    /// True when `cell` can move a unit or more from its true value (a value seen so, or no
    /// bound to its greatest value); false when the neighbourhood cannot tell.
    func moves(_ cell: Int, size: Int, perRelation: Int, see: (Int, Double) -> Void) -> Bool {
        let members = cells(near: cell, size: size, perRelation: perRelation)
        // Every relation holding a member, over the members: its sum at the true values
        // less the members' terms there, the others' terms held at their true values.
        var localOf = [Int32: Int](), local: [BoundedSimplex.Relation] = []
        for (k, v) in members.enumerated() {
            for t in termsOf.items[termsOf.range(of: v)] {
                let r = termRelation[Int(t)], a = termCoefficient[Int(t)]
                let l: Int
                if let known = localOf[r] {
                    l = known
                } else {
                    l = local.count
                    localOf[r] = l
                    local.append(BoundedSimplex.Relation(kind: relations[Int(r)].kind, terms: [], constant: sumAtTruth[Int(r)]))
                }
                local[l].terms.append((k, a))
                local[l].constant -= a * truth[v]
            }
        }
        guard var simplex = solver(over: members, local) else { return false }
        let v = truth[cell], epsilon = 1e-6
        func report() { simplex.takeMoves { k, x in see(members[k], x) } }
        if let least = simplex.minimum(of: 0, stoppingAt: v - 1 + epsilon) {
            report()
            if least <= v - 1 + epsilon { return true }
        }
        if let greatest = simplex.maximum(of: 0, stoppingAt: v + 1 - epsilon) {
            report()
            // Unbounded: the true value and points as large as any lie in the relations'
            // set, which is convex, so the value a unit above does too.
            if greatest == .infinity { see(cell, v + 1) }
            if greatest >= v + 1 - epsilon { return true }
        }
        return false
    }

    /// A cell's pin proven without the group's solver: the cell and up to `size − 1` cells
    /// near it, through every relation of at most `longest` cells (whole relations, the
    /// shortest first), under the relations among them only. Dropping the others loosens
    /// the system, so a cell this relaxation holds within a unit of its true value on both
    /// sides, the whole group holds too. The relations and ranges its least and greatest
    /// value rest on (as `BoundedSimplex.bindingRelations` and `bindingBounds` name them,
    /// in the group's numbering), or nil when the relaxation lets it move (which proves
    /// nothing) or does not end.
    func pin(_ cell: Int, size: Int, longest: Int) -> (relations: Set<Int>, bounds: [(cell: Int, atUpper: Bool)])? {
        var members = [cell], place = [cell: 0], head = 0
        grow: while head < members.count {
            let v = members[head]
            head += 1
            for r in relations(holding: v) {
                let terms = relations[r].terms
                guard terms.count <= longest else { continue }
                let new = Set(terms.map(\.variable).filter { place[$0] == nil })
                guard members.count + new.count <= size else { break grow }
                for term in terms where place[term.variable] == nil {
                    place[term.variable] = members.count
                    members.append(term.variable)
                }
            }
        }
        // The relations whose every cell is a member.
        var inside: [Int] = [], looked = Set<Int>()
        for v in members {
            for r in relations(holding: v) where looked.insert(r).inserted {
                if relations[r].terms.allSatisfy({ place[$0.variable] != nil }) { inside.append(r) }
            }
        }
        let local = inside.map { r in
            BoundedSimplex.Relation(kind: relations[r].kind, terms: relations[r].terms.map { (place[$0.variable]!, $0.coefficient) },
                                    constant: relations[r].constant)
        }
        guard var simplex = solver(over: members, local) else { return nil }
        let v = truth[cell], epsilon = 1e-6
        var proof = Set<Int>(), bounds: [(cell: Int, atUpper: Bool)] = []
        func note() {
            proof.formUnion(simplex.bindingRelations().map { inside[$0] })
            bounds += simplex.bindingBounds().map { (members[$0.variable], $0.atUpper) }
        }
        guard let least = simplex.minimum(of: 0), least > v - 1 + epsilon else { return nil }
        note()
        guard let greatest = simplex.maximum(of: 0), greatest < v + 1 - epsilon else { return nil }
        note()
        return (proof, bounds)
    }
}
