import Testing
@testable import EntStat

/// `SecrecyPropagation`: hidden cells fixed by a chain of relations, none alone.
@Suite struct SecrecyChainTests {
    private static func users(_ n: Int) -> ReportCell { .users(n, secrecy: .shown) }

    /// 10 teachers in élémentaire shown, primaire hidden (so 5 or more): the teachers are at
    /// least 15, and 193 − 139 − 37 = 17 over teachers, staff and agents leaves 1 and 1.
    @Test func aChainOfRelationsCannotFixAHiddenCell() {
        let roles = ["parent": 139, "student": 37, "teacher": 15, "staff": 1, "commune": 1]
        var tables = [
            ReportTable(name: "synthese_roles", title: "", question: "",
                        columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")],
                        rows: roles.sorted { $0.key < $1.key }.map { [.text($0.key), Self.users($0.value)] } + [[.text("*"), Self.users(193)]]),
            ReportTable(name: "adoption_role_niveau", title: "", question: "",
                        columns: [ReportColumn(name: "role"), ReportColumn(name: "niveau"), ReportColumn(name: "utilisateurs_actifs")],
                        rows: [[.text("teacher"), .text("elementaire"), Self.users(10)], [.text("teacher"), .text("primaire"), Self.users(5)],
                               [.text("teacher"), .text("*"), Self.users(15)]]),
        ]
        let input = tables
        ReportSuppression.apply(to: &tables, minCell: 5, revealing: false)
        let hidden = tables.map { $0.rows.map { $0.last!.secrecy } }
        // By hand: staff and agents small (rows commune, parent, staff, student, teacher,
        // *); 193 − 139 − 37 − 15 = 2 pins them to 1 each, so the teachers' 15 is hidden,
        // and with it its copy, the teachers' total by level; élémentaire 10 and primaire 5
        // shown would give it back: primaire (the smaller) hidden. Then the chain pins the
        // teachers to 15 (at least 10 + 5, at most 17 − 1 − 1): élémentaire, the smallest
        // shown cell of the two relations, is hidden too.
        #expect(hidden == [[.small, .shown, .small, .shown, .complement, .shown],
                           [.complement, .complement, .complement]])
        // Step 4c then shows primaire again: with élémentaire hidden (5 or more), the
        // teachers are at least 10 and at most élémentaire + 5, and the staff and agents
        // still range over 1 to 4 each.
        var revealed = input
        ReportSuppression.apply(to: &revealed, minCell: 5)
        #expect(revealed.map { $0.rows.map { $0.last!.secrecy } } == [[.small, .shown, .small, .shown, .complement, .shown],
                                                                       [.complement, .shown, .complement]])
        // Without the chain: élémentaire 10 and primaire 5 stay [shown, complement], the
        // teachers' 15 `s` = 10 + at least 5, so the staff and agents (17 − 15) are 1 and 1.
        #expect(SecrecyPropagation.cellsToHide(tables, relations: ReportSuppression.tableRelations(tables[0], index: 0)
                                                + ReportSuppression.tableRelations(tables[1], index: 1),
                                              equations: [], groups: ReportSuppression.sameFigures(tables), minCell: 5).isEmpty, "\(hidden)")
    }

    /// a (16), b (14) and c (11) hidden as `s`, their sums a + b, a + c and b + c shown
    /// (rows 3 to 5), and the three equations.
    private static func threeSums() -> ([ReportTable], [ReportSuppression.Equation]) {
        let hidden = { (n: Int) in ReportCell.users(n, secrecy: .complement) }
        let tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: [[.text("a"), hidden(16)], [.text("b"), hidden(14)], [.text("c"), hidden(11)],
                                         [.text("a+b"), users(30)], [.text("a+c"), users(27)], [.text("b+c"), users(25)]])]
        let equations = [(0, 1, 3), (0, 2, 4), (1, 2, 5)].map { (x: Int, y: Int, sum: Int) in
            ReportSuppression.Equation(terms: [(threeSumsCell(x), 1), (threeSumsCell(y), 1), (threeSumsCell(sum), -1)], preferred: [])
        }
        return (tables, equations)
    }

    private static func threeSumsCell(_ row: Int) -> ReportSuppression.CellRef { .init(table: 0, row: row, column: 1) }

    /// Three cells pinned by propagation, each by one equation: a + x = 5, b + y = 5 and
    /// c + x = 5, with a = 2, b = 1 and c = 2 hidden `< 5` and x = 3, y = 4 shown. One pass
    /// names a cell for each pin whose proof is apart from the cells already named: x for a,
    /// y for b; c's proof shows x, so c waits for the next pass (where x hidden frees it).
    @Test func pinsWithSeparateProofsAreFreedInOnePass() {
        let small = { (n: Int) in ReportCell.users(n, secrecy: .small) }
        let tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: [[.text("a"), small(2)], [.text("b"), small(1)], [.text("c"), small(2)],
                                         [.text("x"), Self.users(3)], [.text("y"), Self.users(4)], [.text("somme"), Self.users(5)]])]
        let ref = { (row: Int) in ReportSuppression.CellRef(table: 0, row: row, column: 1) }
        let equations = [(0, 3), (1, 4), (2, 3)].map { (hidden: Int, shown: Int) in
            ReportSuppression.Equation(terms: [(ref(hidden), 1), (ref(shown), 1), (ref(5), -1)], preferred: [])
        }
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5) == [ref(3), ref(4)])
    }

    /// a + b = 30, a + c = 27, b + c = 25, a, b and c hidden (`s`, so 5 or more): no sum
    /// alone, nor bounds passed from sum to sum (a in 10…22, b in 8…20, c in 5…17), fixes
    /// any of them; the three together fix a = 16, b = 14, c = 11. The solver's pass names
    /// the smallest shown sum of the proof, 25, once for the three pins (their proofs share
    /// it); once it is hidden (5 or more), a can be anything from 5 to 22 and nothing is
    /// fixed.
    @Test func threeSumsTogetherCannotFixTheirHiddenTerms() {
        var (tables, equations) = Self.threeSums()
        let ref = Self.threeSumsCell
        let cells = SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5)
        #expect(cells == [ref(5)])
        tables[0].rows[5][1] = .users(25, secrecy: .complement)
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5).isEmpty)
    }

    /// The same three sums with a tableau limit below their group's (3 relations × 3
    /// cells): the solver is not built; no neighbourhood frees a cell, and a relaxation
    /// over the three (`SecrecyNeighbourhood.pin`, every relation among them) proves each
    /// pinned, with the same proof: the same cell named as at the limit, where the solver
    /// runs, and nothing left unchecked.
    @Test func aGroupTooLargeForTheSolverHasItsPinsProvenByARelaxation() {
        let (tables, equations) = Self.threeSums()
        let ref = Self.threeSumsCell
        for limit in [8, 9] {
            var memory = SecrecyPropagation.Memory()
            #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5,
                                                   tableauLimit: limit, memory: &memory) == [ref(5)], "limit \(limit)")
            #expect(memory.unsolved.isEmpty && memory.movable.isEmpty, "limit \(limit)")
        }
    }

    /// Four agents' counts a, b, c, d of 1 (`< 5`), their total T of 4 (`< 5` too), the
    /// other part z a shown 0: each is pinned (T ≥ 4, so T = 4 and each part 1), and the
    /// relation holding them shows no cell to hide. d ≤ e (20, `s`) ≤ s (40, shown) ties a
    /// shown cell far from them into their group. With the solver, the pins' proof is that
    /// one relation, of zeros only: left as deducible (`unfreeable`). With a group too large
    /// for the solver, their proof is unknown, but they are pinned with every cell hidden
    /// that could be: s, which cannot free them, is not hidden in their place, and they are
    /// left as deducible (`unfreeable` too).
    @Test func aPinWithoutProofIsNotFreedByACellOfItsGroupAtRandom() {
        let small = { (n: Int) in ReportCell.users(n, secrecy: .small) }
        let names = ["T", "a", "b", "c", "d", "z", "e", "s"]
        let tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: zip(names, [small(4), small(1), small(1), small(1), small(1), Self.users(0),
                                                    .users(20, secrecy: .complement), Self.users(40)]).map { [.text($0.0), $0.1] })]
        func ref(_ name: String) -> ReportSuppression.CellRef { .init(table: 0, row: names.firstIndex(of: name)!, column: 1) }
        let equations = [
            ReportSuppression.Equation(terms: [(ref("T"), 1)] + ["a", "b", "c", "d", "z"].map { (ref($0), -1) }),
            ReportSuppression.Equation(kind: .atMost, terms: [(ref("d"), 1), (ref("e"), -1)]),
            ReportSuppression.Equation(kind: .atMost, terms: [(ref("e"), 1), (ref("s"), -1)]),
        ]
        let pins = Set(["T", "a", "b", "c", "d"].map(ref))
        var memory = SecrecyPropagation.Memory()
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5, memory: &memory).isEmpty)
        #expect(memory.unfreeable == pins && memory.unfreed.isEmpty)
        memory = SecrecyPropagation.Memory()
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5,
                                               tableauLimit: 1, memory: &memory).isEmpty)
        #expect(memory.unfreeable == pins && memory.unfreed.isEmpty)
        // The next pass leaves them, and needs no solver for e: its neighbourhood (d and
        // e, s shown) moves it from 20 (`SecrecyNeighbourhood`), so no cell of the group is
        // left unchecked, the pins being counted as deducible.
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5,
                                               tableauLimit: 1, memory: &memory).isEmpty)
        #expect(memory.unsolved.isEmpty && memory.movable.contains(ref("e")))
    }

    /// The same four agents a, b, c, d of 1 and their total T of 4 (`< 5`), once more in a
    /// second total V (100, shown) with three shown parts p, q, r (30, 30, 36): that
    /// relation pins them too, and the solver's proof rests on it, so hiding p would seem
    /// to help. It cannot: with every shown cell hidden, T's relation still pins them.
    /// Nothing is hidden for them, and they are left as deducible. (Before, the first pass
    /// hid p, which pinned p itself (100 − 4 − 30 − 36), and so on: a commune of the
    /// simulated Somme, whose visits at 3 a.m. on four days were 1 each and 4 in all, had
    /// 590 cells hidden for nothing over 400 passes.)
    @Test func aPinThatEveryCellHiddenWouldLeaveIsNotChased() {
        let small = { (n: Int) in ReportCell.users(n, secrecy: .small) }
        let names = ["T", "a", "b", "c", "d", "z", "V", "p", "q", "r"]
        let values = [small(4), small(1), small(1), small(1), small(1), Self.users(0),
                      Self.users(100), Self.users(30), Self.users(30), Self.users(36)]
        let tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: zip(names, values).map { [.text($0.0), $0.1] })]
        func ref(_ name: String) -> ReportSuppression.CellRef { .init(table: 0, row: names.firstIndex(of: name)!, column: 1) }
        let equations = [
            ReportSuppression.Equation(terms: [(ref("V"), 1)] + ["a", "b", "c", "d", "p", "q", "r"].map { (ref($0), -1) }),
            ReportSuppression.Equation(terms: [(ref("T"), 1)] + ["a", "b", "c", "d", "z"].map { (ref($0), -1) }),
        ]
        var memory = SecrecyPropagation.Memory()
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5, memory: &memory).isEmpty)
        #expect(memory.unfreeable == Set(["T", "a", "b", "c", "d"].map(ref)))
        // Without T's relation, V's alone pins them, and hiding p frees them.
        memory = SecrecyPropagation.Memory()
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: [equations[0]], groups: [], minCell: 5,
                                               memory: &memory) == [ref("p")])
        #expect(memory.unfreeable.isEmpty)
    }

    /// In a group too large for the solver, a pin is freed through the relations its
    /// propagation went through, 64 at most. a, b, c, d of 1 (`< 5`) are pinned by a chain
    /// of 72 relations: 2 (a + b + c + d) = w₁ = w₂ = … = w₇₀ (8, `s`) = v − u (18 − 10,
    /// shown). The first pass hides u for the w near it; a, b, c, d and the w far from it
    /// see no shown cell in their 64 relations and are left (`unfreed`). Hiding u frees
    /// them all (w₇₀ ≤ 13, so a ≤ 3): the next pass hides nothing and leaves none of them
    /// counted as deducible.
    @Test func aPinLeftUnfreedIsForgottenOnceFreed() {
        let chain = (1...70).map { "w\($0)" }
        let names = ["a", "b", "c", "d"] + chain + ["u", "v"]
        let values = [ReportCell](repeating: .users(1, secrecy: .small), count: 4)
            + [ReportCell](repeating: .users(8, secrecy: .complement), count: chain.count) + [Self.users(10), Self.users(18)]
        var tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: zip(names, values).map { [.text($0.0), $0.1] })]
        func ref(_ name: String) -> ReportSuppression.CellRef { .init(table: 0, row: names.firstIndex(of: name)!, column: 1) }
        let equations = [ReportSuppression.Equation(terms: ["a", "b", "c", "d"].map { (ref($0), 2) } + [(ref("w1"), -1)])]
            + zip(chain, chain.dropFirst()).map { ReportSuppression.Equation(terms: [(ref($0.0), 1), (ref($0.1), -1)]) }
            + [ReportSuppression.Equation(terms: [(ref("w70"), 1), (ref("u"), 1), (ref("v"), -1)])]
        var memory = SecrecyPropagation.Memory()
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5,
                                               tableauLimit: 1, memory: &memory) == [ref("u")])
        #expect(memory.unfreed.isSuperset(of: ["a", "b", "c", "d", "w1"].map(ref)) && memory.unfreeable.isEmpty)
        #expect(ReportSuppression.hide(&tables[0].rows[names.firstIndex(of: "u")!][1], minCell: 5))
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5,
                                               tableauLimit: 1, memory: &memory).isEmpty)
        #expect(memory.unfreed.isEmpty && memory.unfreeable.isEmpty)
    }

    /// x (2, `< 5`) is fixed by x + p = t (2 + 5 = 7) and x + q ≥ s (2 + 9 ≥ 11). The first
    /// pass hides p, the smallest shown cell of the proof; p is then 5 or more, so x is
    /// still at most 2 by the first relation and at least 2 by the second. The next pass
    /// loosens the relation not yet loosened for x (its q, 9), though t (7) is smaller: a
    /// relation already loosened for a pin is one that did not free it. Then nothing is
    /// fixed.
    @Test func aCellPinnedAgainIsFreedThroughAnotherRelation() {
        let cells: [(String, Int)] = [("x", 2), ("p", 5), ("t", 7), ("q", 9), ("s", 11)]
        var tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: cells.map { [.text($0.0), $0.1 < 5 ? .users($0.1, secrecy: .small) : Self.users($0.1)] })]
        func ref(_ name: String) -> ReportSuppression.CellRef { .init(table: 0, row: cells.firstIndex { $0.0 == name }!, column: 1) }
        let equations = [ReportSuppression.Equation(terms: [(ref("x"), 1), (ref("p"), 1), (ref("t"), -1)]),
                         ReportSuppression.Equation(kind: .atLeast, terms: [(ref("x"), 1), (ref("q"), 1), (ref("s"), -1)])]
        var memory = SecrecyPropagation.Memory()
        var hidden: [String] = []
        for _ in 0..<6 {
            let found = SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5, memory: &memory)
            guard !found.isEmpty else { break }
            for cell in found {
                ReportSuppression.hide(&tables[0].rows[cell.row][cell.column], minCell: 5)
                hidden.append(cells[cell.row].0)
            }
        }
        #expect(hidden == ["p", "q"])
    }

    /// x (2, `< 5`) is fixed by x + p = t (2 + 6 = 8), a relation of x alone once p and t
    /// are shown, which the solver takes as x's range rather than as a row: the relation
    /// that set the range is still the proof, and p (6) is hidden, not the 5 of x ≤ u,
    /// smaller but which x's mark (at most 4) already makes idle.
    @Test func aRelationOfOneHiddenCellIsStillInTheProof() {
        let cells: [(String, Int)] = [("x", 2), ("p", 6), ("t", 8), ("u", 5)]
        let tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: cells.map { [.text($0.0), $0.1 < 5 ? .users($0.1, secrecy: .small) : Self.users($0.1)] })]
        func ref(_ name: String) -> ReportSuppression.CellRef { .init(table: 0, row: cells.firstIndex { $0.0 == name }!, column: 1) }
        let equations = [ReportSuppression.Equation(terms: [(ref("x"), 1), (ref("p"), 1), (ref("t"), -1)]),
                         ReportSuppression.Equation(kind: .atMost, terms: [(ref("x"), 1), (ref("u"), -1)])]
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5) == [ref("p")])
    }

    /// x (2, `< 5`) + a total row's 6 = 8: the 8 is hidden, not the total's 6, though
    /// smaller (a total is what officials read first).
    @Test func aTotalIsHiddenOnlyWhenNothingElseWill() {
        let tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: [[.text("x"), .users(2, secrecy: .small)], [.text("*"), Self.users(6)], [.text("c"), Self.users(8)]])]
        func ref(_ row: Int) -> ReportSuppression.CellRef { .init(table: 0, row: row, column: 1) }
        let equations = [ReportSuppression.Equation(terms: [(ref(0), 1), (ref(1), 1), (ref(2), -1)])]
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5) == [ref(2)])
    }

    /// Visits ≤ 2 × the busiest day's (a two-day period): 4 visits shown leave the busiest
    /// day, hidden `< 5`, anywhere in 2…4, which fixes nothing (read as "visits ≤ the busiest
    /// day's", the relation would pin it at 4); 8 visits leave it exactly 4, and the visits
    /// are the one shown cell to hide.
    @Test func aCoefficientScalesWhatARelationLeavesItsTerms() {
        func tables(visits: Int, busiest: Int) -> [ReportTable] {
            [ReportTable(name: "t", title: "", question: "",
                         columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                         rows: [[.text("periode"), Self.users(visits)], [.text("jour"), .users(busiest, secrecy: .small)]])]
        }
        let visits = ReportSuppression.CellRef(table: 0, row: 0, column: 1), busiest = ReportSuppression.CellRef(table: 0, row: 1, column: 1)
        let equations = [ReportSuppression.Equation(kind: .atMost, terms: [(visits, 1), (busiest, -2)])]
        #expect(SecrecyPropagation.cellsToHide(tables(visits: 4, busiest: 3), relations: [], equations: equations, groups: [], minCell: 5).isEmpty)
        #expect(SecrecyPropagation.cellsToHide(tables(visits: 8, busiest: 4), relations: [], equations: equations, groups: [], minCell: 5) == [visits])
        // The single-relation check reads the coefficient the same way.
        var shown = tables(visits: 4, busiest: 3)
        #expect(!ReportSuppression.protect(equations[0], in: &shown, minCell: 5))
        var pinned = tables(visits: 8, busiest: 4)
        #expect(ReportSuppression.protect(equations[0], in: &pinned, minCell: 5))
        #expect(pinned[0].rows[0][1].secrecy == .complement)
    }

    /// What one relation leaves each term, by hand: 3x − y + 2 = 0 with x in 1…4 and
    /// y in 5…∞ leaves x ≥ (5 − 2) / 3 = 1, unbounded above, and y = 3x + 2 in 5…14; as
    /// "≤ 0", y ≥ 3x + 2 ≥ 5 and x ≤ (y − 2) / 3, open since y is.
    @Test func termRangesDivideByTheCoefficient() {
        var terms = TermRanges()
        terms.reset(constant: 2)
        terms.append(coefficient: 3, lo: 1, hi: 4)
        terms.append(coefficient: -1, lo: 5, hi: .infinity)
        #expect(terms.ranges.map(\.lo) == [3, -.infinity] && terms.ranges.map(\.hi) == [12, -5])
        let x = terms.bounds(ofTerm: 0, coefficient: 3, kind: .equal), y = terms.bounds(ofTerm: 1, coefficient: -1, kind: .equal)
        #expect(x.lo == 1 && x.hi == .infinity)
        #expect(y.lo == 5 && y.hi == 14)
        let xAtMost = terms.bounds(ofTerm: 0, coefficient: 3, kind: .atMost), yAtMost = terms.bounds(ofTerm: 1, coefficient: -1, kind: .atMost)
        #expect(xAtMost.lo == -.infinity && xAtMost.hi == .infinity)
        #expect(yAtMost.lo == 5 && yAtMost.hi == .infinity)
    }
}
