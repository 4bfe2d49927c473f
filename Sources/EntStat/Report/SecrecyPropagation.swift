/// Statistical secrecy across every relation at once: what a reader can deduce about the
/// hidden cells of a period's tables by chaining the relations (a total and its parts, the
/// migration equation, the same figure in two places), each hidden cell within its bounds
/// (1 to `minCell − 1` for `< 5`, `minCell` or more for `s`).
///
/// `ReportSuppression` checks each relation alone; a chain can still fix a cell: 10 teachers
/// in élémentaire shown and primaire hidden (so at least 5) make the teachers at least 15,
/// and a total of 17 over teachers, staff and commune agents then leaves 1 and 1. This type
/// tightens every hidden cell's interval from the others, relation by relation, until
/// nothing moves (bounds propagation), and names a cell to hide when an interval closes on
/// one value. Propagation misses what only relations taken together fix (a + b, a + c and
/// b + c shown fix a, b and c, though no sum alone bounds them much): when it finds
/// nothing, a linear solver (`BoundedSimplex`) takes each hidden cell's least and greatest
/// value under every relation at once, and for each cell it fixes, names the smallest shown
/// cell of the relations its proof rests on. In a large group, a cell is first tried by
/// neighbourhoods (`SecrecyNeighbourhood`): a solve over it and a few cells near it, the
/// others held at their true values, that proves most cells free to move in microseconds;
/// in a group too large for the solver, a cell that none frees is then tried by a
/// relaxation over the cells near it, which can prove it pinned.
struct SecrecyPropagation {
    /// A linear relation Σ coefficient × value, equal to, at least or at most 0. Its terms
    /// are kept with every relation's, one after another (`variables(of:)`, `shown(of:)`):
    /// a national report's pass builds 460 000 relations.
    struct Constraint {
        typealias Kind = BoundedSimplex.Relation.Kind
        var kind: Kind
        /// The sum of the shown cells' terms.
        var constant: Double
        /// Where its hidden cells (variables) are among `terms`, and its shown cells among
        /// `shownCells`.
        var variableRange: Range<Int>
        var shownRange: Range<Int>
    }

    private var lower: [Double] = []
    private var upper: [Double] = []
    /// The relation that last raised each hidden cell's least value, and lowered its
    /// greatest (nil: its mark): the steps of a deduction by propagation.
    private var lowerBy: [Int?] = []
    private var upperBy: [Int?] = []
    /// Each hidden cell's published-before-secrecy value, a point that meets every relation.
    private var truth: [Double] = []
    /// What a reader knows of each hidden cell alone (its secrecy mark), before propagation.
    private var marked: [(lo: Double, hi: Double)] = []
    private var constraints: [Constraint] = []
    /// Every constraint's hidden cells (variables) with their coefficient (±1, or a small
    /// integer), and shown cells by flat number (any of which could be hidden to loosen the
    /// relation).
    private var terms: [(index: Int, coefficient: Double)] = []
    private var shownCells: [Int32] = []
    /// The cells' flat numbering, and the unknown each cell is (by flat index; −1: none).
    private var cells = SecrecyCellIndex([])
    private var variableAt: [Int32] = []
    /// Each unknown's cell.
    private var refs: [ReportSuppression.CellRef] = []
    /// The terms of the relation `tighten` looks at, kept between calls.
    private var tightening = TermRanges()
    private var moved: [Int] = []
    /// The largest group (relations × cells) `solver(for:)` builds a solver for.
    private var tableauLimit = ReportSuppression.tableauLimit
    /// The neighbourhoods tried in turn on a hidden cell before its group's solver
    /// (`SecrecyNeighbourhood`): how many cells each holds, and how many it takes from each
    /// relation. On the largest group of a territory of 10 000 schools (25 733 cells, 50 842
    /// relations), the first proves every cell free to move (4 from each relation left
    /// 2 072 of them to the group's solver). On a national week's largest group (189 603
    /// cells, too large for the solver), the first proved 128 315 cells, the second 156 and
    /// the third 203 (that report 37.8 s with it, 28.8 s without), and 61 were left
    /// unchecked; a fourth of 32 768 cells proved none of them.
    static let neighbourhoods: [(size: Int, perRelation: Int)] = [(32, 2), (256, 3), (4096, 2)]
    /// The least group (cells) whose cells are first tried by neighbourhoods, and whose
    /// solves stop once a cell is seen a unit from its true value. A smaller group's solver
    /// is fast, and its pins' proofs (the relations of nonzero dual value, where several
    /// could be) depend on the path its solves took: a commune's or a département's groups
    /// keep theirs, and their reports the cells they hide (the sample's 22 reports
    /// differed in 7 with neighbourhoods on every group, and took 2.5 times as long).
    static let neighbourhoodFloor = 2_000
    /// The relaxation tried on a cell of a group too large for the solver that no
    /// neighbourhood frees (`SecrecyNeighbourhood.pin`): how many cells it holds, and the
    /// longest relation it follows.
    static let relaxation = (size: 512, longest: 64)
    /// The hidden cells that relations tie together (`findGroups`, once the relations are
    /// built): each group's cells in ascending order, groups ordered by their first cell;
    /// each group's relations (indices among `constraints`, ascending); each cell's group
    /// (−1 when no relation holds it) and its place among its group's cells.
    private var groupCells: [[Int]] = []
    private var groupRelations: [[Int]] = []
    private var groupOf: [Int] = []
    private var placeInGroup: [Int] = []
    /// The relations holding each hidden cell (indices among `constraints`, ascending), by
    /// the cell's unknown (`relationsOf`): flat arrays rather than one per cell, since a
    /// national report's loosest system holds nearly every cell of the report.
    private var relationsOfCells = SecrecyIncidence(cellCount: 0) { _ in }

    /// What a caller that hides the cells named and asks again carries from one pass to the
    /// next. Hiding a cell only loosens the relations (the cell's true value still meets
    /// them), so what was learnt stays true.
    struct Memory {
        /// Hidden cells the solver saw take two values a unit apart: it need not look at them
        /// again.
        var movable = Set<ReportSuppression.CellRef>()
        /// For each cell pinned in an earlier pass, the cells hidden for it. When it is pinned
        /// again, the relations holding them did not free it: another relation of its proof
        /// is loosened (a pin that many relations prove would otherwise take every cell of
        /// one of them, smallest first, one pass after another).
        var hiddenFor: [ReportSuppression.CellRef: Set<ReportSuppression.CellRef>] = [:]
        /// Pinned cells that no hiding can free (see `cellsToHide`): left as they are.
        var unfreeable = Set<ReportSuppression.CellRef>()
        /// Hidden cells of a group too large for the linear solver
        /// (`ReportSuppression.tableauLimit`) that no neighbourhood frees and no relaxation
        /// pins (`SecrecyNeighbourhood`), or whose solve did not end: checked by bounds
        /// propagation only.
        var unsolved = Set<ReportSuppression.CellRef>()
        /// Cells pinned by propagation in such a group, whose proof is therefore unknown,
        /// once the relations the propagation went through (`propagationSteps`) show no
        /// cell left to hide: left deducible, rather than hide cells of the group at random,
        /// one per pass, for ever. A cell that a later pass finds no longer pinned (a cell
        /// hidden for another pin freed it) leaves this set.
        var unfreed = Set<ReportSuppression.CellRef>()
        /// Cells that bounds propagation pins even with every cell hidden that could be
        /// (`pinnedWhateverIsHidden`; nil until the first pass): one of them hidden and
        /// pinned is unfreeable at once, instead of after hiding, pass after pass, every
        /// shown cell of every relation its proofs go through (a commune of the simulated
        /// Somme: 9 such cells, 400 passes and 590 cells hidden for nothing).
        var pinnedAnyway: Set<ReportSuppression.CellRef>?
        /// Cells to hide only when a pin's relations leave no other (their flat numbers): the
        /// synthesis' figures that `SecrecyRevealing` shows again.
        var hiddenLast = Set<Int>()
    }

    /// Shown cells whose hiding loosens the relations that fix a hidden cell to one value:
    /// about one per hidden cell that bounds propagation pins, else per hidden cell that a
    /// linear solver pins (in one pass, so that a report needs few passes: a national
    /// territory's report pins thousands); empty when no hidden cell can be deduced exactly.
    static func cellsToHide(_ tables: [ReportTable], relations: [ReportSuppression.Relation],
                            equations: [ReportSuppression.Equation], groups: [[ReportSuppression.CellRef]],
                            minCell: Int, tableauLimit: Int = ReportSuppression.tableauLimit) -> [ReportSuppression.CellRef] {
        var memory = Memory()
        return cellsToHide(tables, relations: relations, equations: equations, groups: groups, minCell: minCell,
                           tableauLimit: tableauLimit, memory: &memory)
    }

    /// The same, for a caller that hides the cells named and asks again, with what the
    /// previous passes learnt.
    ///
    /// The cell hidden for a pin is the cheapest shown cell of the relations its proof rests
    /// on (the relations that bind its least and greatest value under the solver, for a pin
    /// found by propagation too, which names only the last step of its deduction): not a
    /// total when another cell will do (the figures officials read first), then the
    /// smallest. Else of a relation that holds the pinned cell, else of any relation tied to
    /// it. A pin whose proof holds a cell already chosen in this pass waits for the next; a
    /// pin that no hiding can free is left (`Memory.unfreeable`). When the group is too
    /// large for the solver, the proof is unknown: the relations the propagation went
    /// through stand for it (`propagationSteps`), and a pin they no longer leave a cell to
    /// hide is left (`Memory.unfreed`).
    static func cellsToHide(_ tables: [ReportTable], relations: [ReportSuppression.Relation],
                            equations: [ReportSuppression.Equation], groups: [[ReportSuppression.CellRef]],
                            minCell: Int, tableauLimit: Int = ReportSuppression.tableauLimit, memory: inout Memory) -> [ReportSuppression.CellRef] {
        cellsToHide(tables, templates: SecrecyTemplates(tables, relations: relations, equations: equations, groups: groups),
                    minCell: minCell, tableauLimit: tableauLimit, memory: &memory)
    }

    /// The same, with the relations built once for every pass (`templates`, of the same
    /// tables, whose cells only ever get hidden from one pass to the next).
    static func cellsToHide(_ tables: [ReportTable], templates: SecrecyTemplates, minCell: Int,
                            tableauLimit: Int = ReportSuppression.tableauLimit, memory: inout Memory) -> [ReportSuppression.CellRef] {
        // Once per report (about 1.2 s and 220 MB on a national report; a few milliseconds
        // on a commune's).
        if memory.pinnedAnyway == nil { memory.pinnedAnyway = pinnedWhateverIsHidden(tables, templates: templates, minCell: minCell) }
        let pinnedAnyway = memory.pinnedAnyway ?? []
        var propagation = SecrecyPropagation()
        propagation.tableauLimit = tableauLimit
        propagation.build(tables, templates: templates, minCell: minCell)
        // Cells by their flat number (`SecrecyCellIndex`), whose order is the cells' order.
        let counts = templates.counts, inTotalRow = templates.inTotalRow, fixed = templates.fixed
        let hiddenLast = memory.hiddenLast
        func cost(_ cell: Int) -> (Int, Int, Int, Int) { (hiddenLast.contains(cell) ? 1 : 0, inTotalRow[cell] ? 1 : 0, counts[cell], cell) }
        // Each relation's cheapest shown cell (−1: none but zeros and cells other reports
        // publish, `SecrecyTemplates.fixed`), once per pass: a national
        // report's pins may each fall back on every relation of a group of 100 000.
        let cheapestShown = propagation.constraints.map { constraint -> Int in
            var best = -1
            for shown in propagation.shownCells[constraint.shownRange] where counts[Int(shown)] > 0 && !fixed[Int(shown)] {
                if best < 0 || cost(Int(shown)) < cost(best) { best = Int(shown) }
            }
            return best
        }
        func cheapest(_ indices: [Int]) -> Int? {
            indices.compactMap { cheapestShown[$0] >= 0 ? cheapestShown[$0] : nil }.min { cost($0) < cost($1) }
        }
        // And each group's, when a pin needs it.
        var cheapestTied: [Int: Int?] = [:]
        // A proof whose relations show no cell but zeros holds whatever else is hidden:
        // hiding more cannot free its pin (four communes with `< 5` agents each, their total
        // `< 5` too, the other communes' zeros shown: each has 1). Such a pin is left, once
        // known, rather than hide every cell tied to it one pass after another.
        func unfreeable(_ variable: Int, _ proof: Set<Int>) -> Bool {
            guard !proof.isEmpty, cheapest(Array(proof)) == nil else { return false }
            memory.unfreeable.insert(propagation.refs[variable])
            return true
        }
        // A pin left as it is: known unfreeable, or pinned whatever is hidden, or left
        // deducible in a group too large for the solver.
        func leftAsItIs(_ variable: Int) -> Bool {
            let ref = propagation.refs[variable]
            if pinnedAnyway.contains(ref) { memory.unfreeable.insert(ref) }
            return memory.unfreeable.contains(ref) || memory.unfreed.contains(ref)
        }
        let pinnedNow = propagation.pinnedVariables()
        // A pin left unfreed that the cells hidden since have freed is no longer deducible.
        if !memory.unfreed.isEmpty {
            let refs = Set(pinnedNow.map { propagation.refs[$0] })
            memory.unfreed = memory.unfreed.filter(refs.contains)
        }
        let found = pinnedNow.filter { !leftAsItIs($0) }
        let proofs = propagation.linearProofs(of: found)
        let unproven = Set(proofs.compactMap { $0.proof == nil ? $0.variable : nil })
        var pinned = proofs.map { (variable: $0.variable, proof: $0.proof ?? []) }.filter { !unfreeable($0.variable, $0.proof) }
        if pinned.isEmpty {
            pinned = propagation.linearlyPinnedVariables(movable: &memory.movable, unfreeable: memory.unfreeable, unsolved: &memory.unsolved)
                .filter { !leftAsItIs($0.variable) && !unfreeable($0.variable, $0.proof) }
        }
        var cells = Set<Int>()
        for (variable, proof) in pinned {
            // A proof the solver could not give (its group too large for it): the steps of
            // the propagation instead, and nothing farther.
            let unknown = unproven.contains(variable)
            let steps = unknown ? propagation.propagationSteps(of: variable) : proof.sorted()
            guard !steps.contains(where: { propagation.shown(of: $0).contains { cells.contains(Int($0)) } }) else { continue }
            let ref = propagation.refs[variable]
            let hiddenBefore = Set((memory.hiddenFor[ref] ?? []).compactMap(propagation.variable(of:)))
            let fresh = steps.filter { !propagation.variables(of: $0).contains { hiddenBefore.contains($0.index) } }
            let g = propagation.groupOf[variable]
            let tied = { () -> Int? in
                guard g >= 0 else { return nil }
                if let known = cheapestTied[g] { return known }
                let cell = cheapest(propagation.groupRelations[g])
                cheapestTied[g] = cell
                return cell
            }
            guard let cell = cheapest(fresh) ?? cheapest(steps) ?? (unknown ? nil : cheapest(propagation.relationsOf(variable).map(Int.init)) ?? tied()) else {
                if unknown { memory.unfreed.insert(ref) }
                continue
            }
            cells.insert(cell)
            memory.hiddenFor[ref, default: []].insert(templates.cells.ref(cell))
        }
        return cells.sorted().map(templates.cells.ref)
    }

    /// The hidden cells of `tables` that the relations tie to one of `anchors` (hidden
    /// cells, each tied to itself), in order: those whose range a change of the anchors can
    /// move. A cell of another group keeps its relations, whatever the anchors become.
    static func cellsTied(to anchors: [ReportSuppression.CellRef], in tables: [ReportTable], templates: SecrecyTemplates,
                          minCell: Int) -> [ReportSuppression.CellRef] {
        var propagation = SecrecyPropagation()
        propagation.build(tables, templates: templates, minCell: minCell)
        let groups = Set(anchors.compactMap { ref in propagation.variable(of: ref).map { propagation.groupOf[$0] } }.filter { $0 >= 0 })
        return groups.flatMap { propagation.groupCells[$0].map { propagation.refs[$0] } }.sorted()
    }

    /// The least and the greatest value a reader with a linear solver can give each of
    /// `cells` (small hidden cells of `tables`) under every relation of its group at once
    /// (`solver(for:)`, as the passes build it), as far as its mark: a side is solved only
    /// while no point the solver went through (the true values first) reaches the mark's
    /// bound (1 or `minCell − 1`), which is then the side given. A cell no relation holds
    /// has its mark's range. Nil when a group is too large for the solver or a solve does
    /// not end: the ranges are then unknown. The passes' relations take a total equal to
    /// its parts when the true values are, which a reader does not know when a person can
    /// be in several parts: they give the narrowest ranges a reader could find; with
    /// `asAReaderKnows`, such a total is only at most the sum of its parts, the widest.
    /// `SecrecyRevealing` compares the narrowest after showing a cell again with the widest
    /// before. `stop` is given each cell's range as soon as it is known; when it returns
    /// true, the ranges are left (nil): a caller that only needs to know whether every range
    /// passes a test ends at the first that fails, rather than solve the others. `seeded`
    /// first takes two points over every asked cell of a group (below), which pays when most
    /// cells are solved, not when the first one solved may end the call.
    static func smallCellRanges(_ cells: [ReportSuppression.CellRef], in tables: [ReportTable], templates: SecrecyTemplates,
                                minCell: Int, tableauLimit: Int = ReportSuppression.tableauLimit, asAReaderKnows: Bool = false,
                                seeded: Bool = true,
                                stop: (ReportSuppression.CellRef, (lo: Double, hi: Double)) -> Bool = { _, _ in false })
        -> [ReportSuppression.CellRef: (lo: Double, hi: Double)]? {
        let epsilon = 1e-6, mark = (lo: 1.0, hi: Double(minCell - 1))
        var propagation = SecrecyPropagation()
        propagation.tableauLimit = tableauLimit
        propagation.build(tables, templates: templates, minCell: minCell, asAReaderKnows: asAReaderKnows)
        var ranges: [ReportSuppression.CellRef: (lo: Double, hi: Double)] = [:]
        var asked: [Int: [Int]] = [:]
        for ref in cells {
            guard let v = propagation.variable(of: ref), propagation.groupOf[v] >= 0 else {
                if stop(ref, mark) { return nil }
                ranges[ref] = mark
                continue
            }
            asked[propagation.groupOf[v], default: []].append(v)
        }
        for g in asked.keys.sorted() {
            let group = propagation.groupCells[g]
            guard var solver = propagation.solver(for: g) else { return nil }
            var seen = SeenValues(group.map { propagation.truth[$0] })
            // Two points first, every asked cell at its least, then at its greatest, taken
            // together: most cells reach their mark's bounds at one of them, and need no
            // solve of their own.
            if seeded {
                let together = asked[g]!.map { propagation.placeInGroup[$0] }
                if solver.simplex.minimize(together.map { ($0, 1) }) { seen.see(&solver.simplex) }
                if solver.simplex.minimize(together.map { ($0, -1) }) { seen.see(&solver.simplex) }
            }
            for v in asked[g]! {
                let i = propagation.placeInGroup[v]
                if seen.low[i] > mark.lo + epsilon {
                    guard solver.simplex.minimum(of: i, stoppingAt: mark.lo) != nil else { return nil }
                    seen.see(&solver.simplex)
                }
                if seen.high[i] < mark.hi - epsilon {
                    guard solver.simplex.maximum(of: i, stoppingAt: mark.hi) != nil else { return nil }
                    seen.see(&solver.simplex)
                }
                let range = (lo: max(seen.low[i], mark.lo), hi: min(seen.high[i], mark.hi))
                if stop(propagation.refs[v], range) { return nil }
                ranges[propagation.refs[v]] = range
            }
        }
        return ranges
    }

    /// The cells that bounds propagation pins when every cell that could be hidden is
    /// (`build(…, everyCellHidden: true)`). Hiding a cell only loosens the relations, so no
    /// hiding can free such a cell once it is hidden: it is left deducible
    /// (`Memory.unfreeable`), and `entstat report` says so. Shown cells among them are no
    /// secret to keep.
    private static func pinnedWhateverIsHidden(_ tables: [ReportTable], templates: SecrecyTemplates,
                                               minCell: Int) -> Set<ReportSuppression.CellRef> {
        var loosest = SecrecyPropagation()
        loosest.build(tables, templates: templates, minCell: minCell, everyCellHidden: true)
        return Set(loosest.pinnedVariables().map { loosest.refs[$0] })
    }

    /// Builds the relations over the hidden cells of `tables`; with `everyCellHidden`, over
    /// every cell that is hidden or could be (each shown cell with the mark hiding it would
    /// give): the loosest system any later pass can meet.
    /// With `asAReaderKnows`, a total over parts a person can be in several of (levels,
    /// communes, schools, months) is only known to be at most their sum, whatever the true
    /// values say.
    private mutating func build(_ tables: [ReportTable], templates: SecrecyTemplates, minCell: Int, everyCellHidden: Bool = false,
                                asAReaderKnows: Bool = false) {
        cells = templates.cells
        let counts = templates.counts
        var hidden = [Bool](repeating: false, count: cells.count)
        cells.forEachCell(of: tables) { index, cell in
            var hiding = cell
            hidden[index] = cell.count > 0 && (cell.isSuppressed || everyCellHidden && !templates.fixed[index] && ReportSuppression.hide(&hiding, minCell: minCell))
        }
        variableAt = [Int32](repeating: -1, count: cells.count)
        // Unknowns are numbered in the order the relations below first name them.
        func variable(at index: Int) -> Int? {
            guard hidden[index] else { return nil }
            if variableAt[index] >= 0 { return Int(variableAt[index]) }
            variableAt[index] = Int32(lower.count)
            let ref = cells.ref(index)
            refs.append(ref)
            let c = tables[ref.table].rows[ref.row][ref.column]
            var mark = c
            if !c.isSuppressed { _ = ReportSuppression.hide(&mark, minCell: minCell) }
            let known = ReportSuppression.bounds(mark, minCell: minCell)
            lower.append(known.lo)
            upper.append(known.hi)
            truth.append(Double(c.count))
            marked.append(known)
            return lower.count - 1
        }
        // One relation at a time, its terms added in order.
        var next = Constraint(kind: .equal, constant: 0, variableRange: 0..<0, shownRange: 0..<0)
        func begin(_ kind: Constraint.Kind) {
            next = Constraint(kind: kind, constant: 0, variableRange: terms.count..<terms.count, shownRange: shownCells.count..<shownCells.count)
        }
        func end() {
            next.variableRange = next.variableRange.lowerBound..<terms.count
            next.shownRange = next.shownRange.lowerBound..<shownCells.count
            constraints.append(next)
        }
        // The same figure in two places is one unknown: equal to each other.
        for group in templates.groups {
            let unknowns = group.compactMap { variable(at: cells.flat($0)) }
            for pair in zip(unknowns, unknowns.dropFirst()) {
                begin(.equal)
                terms.append((pair.0, 1))
                terms.append((pair.1, -1))
                end()
            }
        }
        // The relations that hold an unknown, in the templates' order (the others have
        // none: every cell of a national report's relations is shown but for a few hundred
        // thousand).
        let kinds = templates.kinds, start = templates.start, cell = templates.cell, coefficient = templates.coefficient
        let kept = templates.relations(holding: hidden)
        let termCount = kept.reduce(0) { $0 + start[$1 + 1] - start[$1] }
        terms.reserveCapacity(terms.count + termCount)
        shownCells.reserveCapacity(termCount)
        constraints.reserveCapacity(constraints.count + kept.count)
        for r in kept {
            var kind = kinds[r]
            if asAReaderKnows && templates.overlappingTotal[r] {
                // A total above its parts says so only from the true values: left out.
                guard kind != .atLeast else { continue }
                kind = .atMost
            }
            begin(kind)
            for i in start[r]..<start[r + 1] {
                let index = Int(cell[i])
                if let v = variable(at: index) {
                    terms.append((v, coefficient[i]))
                } else {
                    next.constant += coefficient[i] * Double(counts[index])
                    shownCells.append(cell[i])
                }
            }
            end()
        }
        listRelationsOfCells()
        // The loosest system is only propagated: its groups (on a national report, of
        // nearly every cell) would take memory for nothing.
        if !everyCellHidden { findGroups() }
    }

    /// Constraint `c`'s hidden cells (variables) with their coefficients.
    private func variables(of c: Int) -> ArraySlice<(index: Int, coefficient: Double)> { terms[constraints[c].variableRange] }

    /// Constraint `c`'s shown cells.
    private func shown(of c: Int) -> ArraySlice<Int32> { shownCells[constraints[c].shownRange] }

    /// The unknown a cell is, if it is one.
    private func variable(of ref: ReportSuppression.CellRef) -> Int? {
        let v = variableAt[cells.flat(ref)]
        return v >= 0 ? Int(v) : nil
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
        ("authentifications", "requetes"), ("connexions_jour_max", "requetes_jour_max"), ("requetes_jour_max", "requetes"),
        ("connexions_jour_le_plus_charge", "connexions"),
    ]

    /// Tightens the intervals until nothing moves; the hidden cells left with one possible
    /// value, in order.
    private mutating func pinnedVariables() -> [Int] {
        lowerBy = [Int?](repeating: nil, count: lower.count)
        upperBy = lowerBy
        // A worklist: a relation is looked at again only when one of its unknowns moved.
        var queue = Array(constraints.indices), head = 0
        var queued = [Bool](repeating: true, count: constraints.count)
        // As many looks as ten sweeps over every relation, at most: bounds creep a unit at a
        // time around a cycle of inequalities (a ≤ b ≤ a + 1…) and would take as many
        // looks as the bound is large; the solver's pass, which follows, is exact on them.
        var budget = 10 * constraints.count
        while head < queue.count && budget > 0 {
            let c = queue[head]
            head += 1
            budget -= 1
            queued[c] = false
            tighten(c)
            for v in moved {
                for d in relationsOf(v) where !queued[Int(d)] {
                    queued[Int(d)] = true
                    queue.append(Int(d))
                }
            }
            if head > 4096 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
        return lower.indices.filter { lower[$0] == upper[$0] }
    }

    /// Lists each hidden cell's relations (`relationsOf`), each once.
    private mutating func listRelationsOfCells() {
        let constraints = self.constraints, terms = self.terms, count = lower.count
        relationsOfCells = SecrecyIncidence(cellCount: count) { add in
            var last = [Int](repeating: -1, count: count)
            for (c, constraint) in constraints.enumerated() {
                for v in terms[constraint.variableRange] where last[v.index] != c {
                    last[v.index] = c
                    add(v.index, Int32(c))
                }
            }
        }
    }

    /// The relations holding hidden cell `v`, ascending.
    private func relationsOf(_ v: Int) -> ArraySlice<Int32> { relationsOfCells.items[relationsOfCells.range(of: v)] }

    /// Ties the hidden cells into groups (`groupCells`, `groupRelations`, `groupOf`): two
    /// cells of one relation are in one group.
    private mutating func findGroups() {
        var parent = Array(lower.indices)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for c in constraints {
            let first = root(terms[c.variableRange.lowerBound].index)
            for v in terms[c.variableRange].dropFirst() {
                let r = root(v.index)
                if r != first { parent[r] = first }
            }
        }
        // Cells in ascending order, each joining its root's group: each group's cells come
        // ascending, and the groups in the order of their first cell.
        var groupOfRoot = [Int](repeating: -1, count: lower.count)
        groupCells = []
        for v in lower.indices where !relationsOfCells.range(of: v).isEmpty {
            let r = root(v)
            if groupOfRoot[r] < 0 {
                groupOfRoot[r] = groupCells.count
                groupCells.append([])
            }
            groupCells[groupOfRoot[r]].append(v)
        }
        groupOf = [Int](repeating: -1, count: lower.count)
        placeInGroup = groupOf
        for (g, cells) in groupCells.enumerated() {
            for (i, v) in cells.enumerated() {
                groupOf[v] = g
                placeInGroup[v] = i
            }
        }
        groupRelations = [[Int]](repeating: [], count: groupCells.count)
        for (c, constraint) in constraints.enumerated() { groupRelations[groupOf[terms[constraint.variableRange.lowerBound].index]].append(c) }
    }

    /// The least and the greatest value each cell of a group took at the points a solver
    /// went through, the true values first: a cell seen at a value needs no solve to know
    /// it can reach it.
    private struct SeenValues {
        var low: [Double]
        var high: [Double]

        init(_ start: [Double]) {
            low = start
            high = start
        }

        /// Notes the solver's current point (one value per cell): the cells that moved
        /// since its last point noted (`BoundedSimplex.takeMoves`), the others being at a
        /// value already seen.
        mutating func see(_ simplex: inout BoundedSimplex) {
            simplex.takeMoves { i, x in note(i, x) }
        }

        /// Notes that cell `i` took value `x` at a point that meets every relation.
        mutating func note(_ i: Int, _ x: Double) {
            low[i] = min(low[i], x)
            high[i] = max(high[i], x)
        }
    }

    /// A linear solver over one group of tied hidden cells (`groupCells`) and where each of
    /// its relations and ranges came from.
    private struct GroupSolver {
        var simplex: BoundedSimplex
        /// The index among `constraints` of each of the simplex's relations.
        let rows: [Int]
        /// For each cell, the relation of that cell alone that sets its least or greatest
        /// value (nil: its mark).
        let lowerSource: [Int?]
        let upperSource: [Int?]

        /// The relations the last optimum rests on: those of nonzero dual value, and those
        /// that set a range the optimum holds a cell at.
        func proof() -> Set<Int> {
            var proof = Set(simplex.bindingRelations().map { rows[$0] })
            for bound in simplex.bindingBounds() {
                if let source = bound.atUpper ? upperSource[bound.variable] : lowerSource[bound.variable] { proof.insert(source) }
            }
            return proof
        }
    }

    /// A group's system as its solver takes it: each cell's range, its mark narrowed by the
    /// relations of that cell alone (a hidden cell at most a shown total, the most common),
    /// with the relation that set it (nil: the mark); and the relations of two cells or more
    /// (`rows`, indices among `constraints`), over the cells numbered as in the group.
    private struct GroupSystem {
        var lower: [Double]
        var upper: [Double]
        var lowerSource: [Int?]
        var upperSource: [Int?]
        var rows: [Int]
        var relations: [BoundedSimplex.Relation]
    }

    private func system(for g: Int) -> GroupSystem {
        let group = groupCells[g]
        var lower = group.map { marked[$0].lo }, upper = group.map { marked[$0].hi }
        var lowerSource = [Int?](repeating: nil, count: group.count), upperSource = lowerSource
        var rows: [Int] = []
        var ranges = TermRanges()
        for c in groupRelations[g] {
            let constraint = constraints[c]
            let variables = self.variables(of: c)
            guard variables.count == 1 else { rows.append(c); continue }
            let x = placeInGroup[variables.first!.index]
            // What the relation leaves its one cell (the cell's own range does not enter it).
            let a = variables.first!.coefficient
            ranges.reset(constant: constraint.constant)
            ranges.append(coefficient: a, lo: 0, hi: 0)
            let bounds = ranges.bounds(ofTerm: 0, coefficient: a, kind: constraint.kind)
            if bounds.lo > lower[x] { lower[x] = bounds.lo; lowerSource[x] = c }
            if bounds.hi < upper[x] { upper[x] = bounds.hi; upperSource[x] = c }
        }
        let relations = rows.map { c in
            BoundedSimplex.Relation(kind: constraints[c].kind, terms: variables(of: c).map { (placeInGroup[$0.index], $0.coefficient) },
                                    constant: constraints[c].constant)
        }
        return GroupSystem(lower: lower, upper: upper, lowerSource: lowerSource, upperSource: upperSource, rows: rows, relations: relations)
    }

    /// Whether a group's tableau (its relations of two cells or more × its cells) is within
    /// `tableauLimit`.
    private func fitsSolver(_ system: GroupSystem) -> Bool {
        let size = system.rows.count.multipliedReportingOverflow(by: system.lower.count)
        return !size.overflow && size.partialValue <= tableauLimit
    }

    /// A linear solver over a group of tied hidden cells, each within its mark, started
    /// from the true values; nil when its tableau would exceed `tableauLimit`. A relation of
    /// one cell narrows that cell's range instead of taking a row of its own
    /// (`GroupSystem`): the same system, with a tableau a fraction of the size on a school
    /// year's report (1 812 cells and 6 716 relations, 4 603 of them of one cell).
    private func solver(for g: Int, system given: GroupSystem? = nil) -> GroupSolver? {
        let group = groupCells[g]
        let system = given ?? self.system(for: g)
        guard fitsSolver(system) else { return nil }
        guard let simplex = BoundedSimplex(lower: system.lower, upper: system.upper, start: group.map { truth[$0] },
                                           relations: system.relations)
        else { return nil }
        return GroupSolver(simplex: simplex, rows: system.rows, lowerSource: system.lowerSource, upperSource: system.upperSource)
    }

    /// The relations a deduction by propagation went through to pin `variable`, when the
    /// solver cannot name its proof: the relations that set its least and greatest value,
    /// then those that set the ranges of the other cells of those relations, and so on
    /// (`limit` relations at most, nearest first).
    private func propagationSteps(of variable: Int, limit: Int = 64) -> [Int] {
        var steps: [Int] = [], seen = Set<Int>(), visited: Set<Int> = [variable]
        var next = [lowerBy[variable], upperBy[variable]].compactMap { $0 }
        while !next.isEmpty && steps.count < limit {
            var further: [Int] = []
            for c in next where seen.insert(c).inserted && steps.count < limit {
                steps.append(c)
                for v in variables(of: c) where visited.insert(v.index).inserted {
                    further += [lowerBy[v.index], upperBy[v.index]].compactMap { $0 }
                }
            }
            next = further
        }
        return steps
    }

    /// For each hidden cell of `variables`, in order, the relations its least and greatest
    /// value rest on under every relation of its group at once (nonzero dual values): the
    /// proof of a pin found by propagation, which names its last step only. Empty for a cell
    /// no relation holds (only its mark bounds it); nil (unknown) when the solver does not
    /// finish or its group is too large for it. One solver per group, for all its cells.
    private func linearProofs(of variables: [Int]) -> [(variable: Int, proof: Set<Int>?)] {
        var solvers: [Int: GroupSolver?] = [:]
        return variables.map { variable in
            let g = groupOf[variable]
            guard g >= 0 else { return (variable, []) }
            let i = placeInGroup[variable]
            if solvers[g] == nil { solvers[g] = solver(for: g) }
            // Taken out of the dictionary while it solves: a copy that the dictionary still
            // shared had its tableau (megabytes for a large group) copied by its first pivot
            // (a report of a commune of 30 persons: 7.8 s of the kernel's time, 2.6 M page
            // faults).
            guard var solver = solvers.removeValue(forKey: g) ?? nil else {
                solvers[g] = .some(nil)   // too large for the solver: not built again
                return (variable, nil)
            }
            // A solve that does not finish leaves no basis to start the next one from: the
            // group's solver is built again for its next cell.
            guard solver.simplex.minimum(of: i) != nil, case let low = solver.proof(), solver.simplex.maximum(of: i) != nil else {
                return (variable, nil)
            }
            let proof = low.union(solver.proof())
            solvers[g] = solver
            return (variable, proof)
        }
    }

    /// What bounds propagation misses: the hidden cells that every relation together
    /// leaves a single possible value, by its least and greatest value under a linear
    /// solver (`BoundedSimplex`), group by group of tied cells, each cell within what its mark
    /// says alone (so that every deduction is in a relation of the proof). The true values
    /// meet every relation, and so does each optimum found: a cell seen at two values a unit
    /// apart is not fixed, and needs no solve of its own, nor in a later pass (`known`: a
    /// group whose every cell is known to move is not solved at all). In a large group (or
    /// one too large for the solver), neighbourhoods come first (`neighbourhoods`), and
    /// the solver only for the cells they leave where they are; in a group too large for
    /// it, a relaxation instead (`relaxation`). With each pinned cell, the relations its
    /// least and greatest value rest on (those of nonzero dual value).
    private func linearlyPinnedVariables(movable known: inout Set<ReportSuppression.CellRef>,
                                         unfreeable: Set<ReportSuppression.CellRef>,
                                         unsolved: inout Set<ReportSuppression.CellRef>) -> [(variable: Int, proof: Set<Int>)] {
        let epsilon = 1e-6
        var pinned: [(variable: Int, proof: Set<Int>)] = []
        for (g, group) in groupCells.enumerated() {
            guard group.contains(where: { !known.contains(refs[$0]) && !unfreeable.contains(refs[$0]) }) else { continue }
            let system = self.system(for: g)
            // Neighbourhoods first in a large group, and in one the solver cannot take
            // (`tooLarge`), where they and their relaxations are the only checks.
            let tooLarge = !fitsSolver(system)
            let large = tooLarge || group.count >= Self.neighbourhoodFloor
            lazy var nearby = SecrecyNeighbourhood(lower: system.lower, upper: system.upper, truth: group.map { truth[$0] },
                                                   relations: system.relations)
            // The group's solver, built for the first cell that its neighbourhoods leave
            // where they are (`refused`: its start was refused).
            var solver: GroupSolver?, refused = false
            var seen = SeenValues(group.map { truth[$0] })
            func movable(_ i: Int) -> Bool {
                let v = truth[group[i]]
                return seen.low[i] <= v - 1 + epsilon || seen.high[i] >= v + 1 - epsilon
            }
            defer { for i in group.indices where movable(i) { known.insert(refs[group[i]]) } }
            for i in group.indices where !movable(i) && !known.contains(refs[group[i]]) && !unfreeable.contains(refs[group[i]]) {
                let freed = large && Self.neighbourhoods.contains { size, perRelation in
                    nearby.moves(i, size: size, perRelation: perRelation) { seen.note($0, $1) } || movable(i)
                }
                if freed { continue }
                if tooLarge {
                    // No solver: a relaxation that pins the cell proves it pinned, with the
                    // relations of its proof; else it is checked by propagation only.
                    let (size, longest) = Self.relaxation
                    guard let proof = nearby.pin(i, size: size, longest: longest) else { unsolved.insert(refs[group[i]]); continue }
                    var relations = Set(proof.relations.map { system.rows[$0] })
                    for bound in proof.bounds {
                        if let source = bound.atUpper ? system.upperSource[bound.cell] : system.lowerSource[bound.cell] { relations.insert(source) }
                    }
                    pinned.append((group[i], relations))
                    continue
                }
                if solver == nil && !refused {
                    solver = self.solver(for: g, system: system)
                    refused = solver == nil
                }
                // A start the solver refused (which the true values, meeting every relation,
                // never are): checked by propagation only.
                guard solver != nil else { unsolved.insert(refs[group[i]]); continue }
                // A solve that does not end (or whose optimum failed its check twice) leaves
                // the cell unknown: checked by propagation only, and said so, never taken
                // as free to move. In a large group, each solve stops once the cell is a unit
                // from its true value: enough to know it is not fixed (a pin's solves end at
                // their optimum, which its proof needs).
                let v = truth[group[i]]
                let below = large ? v - 1 + epsilon : -.infinity, above = large ? v + 1 - epsilon : .infinity
                guard solver!.simplex.minimum(of: i, stoppingAt: below) != nil else { unsolved.insert(refs[group[i]]); continue }
                seen.see(&solver!.simplex)
                if movable(i) { continue }
                var proof = solver!.proof()
                guard let greatest = solver!.simplex.maximum(of: i, stoppingAt: above) else { unsolved.insert(refs[group[i]]); continue }
                seen.see(&solver!.simplex)
                guard !movable(i) && greatest.isFinite else { continue }
                proof.formUnion(solver!.proof())
                pinned.append((group[i], proof))
            }
        }
        return pinned
    }

    /// Relation `index`'s bounds on each of its unknowns; the unknowns that moved are left
    /// in `moved`.
    private mutating func tighten(_ index: Int) {
        moved.removeAll(keepingCapacity: true)
        let variables = self.variables(of: index), kind = constraints[index].kind
        tightening.reset(constant: constraints[index].constant)
        for v in variables { tightening.append(coefficient: v.coefficient, lo: lower[v.index], hi: upper[v.index]) }
        for (k, v) in variables.enumerated() {
            let (lo, hi) = tightening.bounds(ofTerm: k, coefficient: v.coefficient, kind: kind)
            var changed = false
            if lo > lower[v.index] && lo.isFinite { lower[v.index] = lo.rounded(.up); lowerBy[v.index] = index; changed = true }
            if hi < upper[v.index] && hi.isFinite { upper[v.index] = hi.rounded(.down); upperBy[v.index] = index; changed = true }
            if changed { moved.append(v.index) }
        }
    }
}
