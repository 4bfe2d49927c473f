import Testing
@testable import EntStat

/// `SecrecyRevealing` (step 4c of `ReportSuppression`): a complement of the synthesis that
/// the hiding the passes ended with no longer needs is shown again; one that protects a
/// small count, or whose showing would bound a `< 5` more closely, stays hidden.
@Suite struct SecrecyRevealingTests {
    private typealias CellRef = ReportSuppression.CellRef

    /// A synthesis of active users by role, its total row last (or another table `name`
    /// of the same shape).
    private static func synthesis(_ roles: [(String, Int)], name: String = "synthese_roles") -> [ReportTable] {
        let total = roles.reduce(0) { $0 + $1.1 }
        return [ReportTable(name: name, title: "", question: "",
                            columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")],
                            rows: roles.map { [.text($0.0), .users($0.1, secrecy: .shown)] } + [[.text("*"), .users(total, secrecy: .shown)]])]
    }

    /// `ReportSuppression.apply`'s steps up to 4b, with `extra` hidden by hand after the
    /// first settling, as a greedy pass hides a cell that a later one makes needless; then
    /// step 4c. The tables before step 4c, after it, and how many cells it showed again.
    private static func reveal(_ input: [ReportTable], hiding extra: [CellRef],
                               limits: (tries: Int, solvedPerTable: Int) = (SecrecyRevealing.maximumTries, SecrecyRevealing.solvedTriesPerTable))
        -> (before: [ReportTable], after: [ReportTable], shown: Int) {
        var tables = input
        for t in tables.indices { ReportSuppression.primary(&tables[t], minCell: 5) }
        let (relations, equations, groups) = ReportSuppression.checks(tables)
        var settling = SecrecySettling(tables: tables, relations: relations, equations: equations, groups: groups, minCell: 5)
        settling.settle(&tables)
        for ref in extra { _ = ReportSuppression.hide(&tables[ref.table].rows[ref.row][ref.column], minCell: 5) }
        settling.settle(&tables)
        var memory = SecrecyPropagation.Memory()
        let templates = SecrecyTemplates(tables, relations: relations, equations: equations, groups: groups)
        while true {
            let cells = SecrecyPropagation.cellsToHide(tables, templates: templates, minCell: 5, memory: &memory)
            guard cells.contains(where: { ReportSuppression.hide(&tables[$0.table].rows[$0.row][$0.column], minCell: 5) }) else { break }
            settling.settle(&tables)
        }
        let before = tables
        let shown = SecrecyRevealing.reveal(&tables, settling: &settling, memory: &memory, templates: templates, minCell: 5,
                                            tableauLimit: ReportSuppression.tableauLimit, limits: limits)
        return (before, tables, shown)
    }

    private static func marks(_ tables: [ReportTable]) -> [ReportCell.Secrecy] { tables[0].rows.map { $0[1].secrecy } }

    /// Rows commune 3, parent 53, staff 2, student 200, teacher 40, total 298. The agents
    /// and the staff are `< 5`; their sum, 298 − 293 = 5, leaves each 1 to 4, so nothing
    /// else needs hiding. The pupils' 200 hidden by hand (a needless complement) is shown
    /// again: with it shown, the two small counts still range over 1 to 4 each.
    @Test func aNeedlessComplementIsShownAgain() {
        let tables = Self.synthesis([("commune", 3), ("parent", 53), ("staff", 2), ("student", 200), ("teacher", 40)])
        let result = Self.reveal(tables, hiding: [CellRef(table: 0, row: 3, column: 1)])
        #expect(Self.marks(result.before) == [.small, .shown, .small, .complement, .shown, .shown])
        #expect(result.shown == 1)
        #expect(Self.marks(result.after) == [.small, .shown, .small, .shown, .shown, .shown])
    }

    /// The same needless complement in the adoption, services or monthly tables, tried after
    /// the synthesis', is shown again; in a table whose complements are not tried, it stays
    /// hidden.
    @Test func theAdoptionServicesAndMonthlyTablesComplementsAreTriedToo() {
        for (name, shown) in [("adoption_role_niveau", 1), ("services_par_role", 1), ("tendance_mensuelle", 1),
                              ("parents_niveau_mensuel", 1), ("volumes_par_role", 0)] {
            let tables = Self.synthesis([("commune", 3), ("parent", 53), ("staff", 2), ("student", 200), ("teacher", 40)], name: name)
            let result = Self.reveal(tables, hiding: [CellRef(table: 0, row: 3, column: 1)])
            #expect(Self.marks(result.before) == [.small, .shown, .small, .complement, .shown, .shown], "\(name)")
            #expect(result.shown == shown, "\(name)")
            #expect(Self.marks(result.after)[3] == (shown == 1 ? .shown : .complement), "\(name)")
        }
    }

    /// The synthesis first, then the other tables in `SecrecyRevealing.alsoTried`'s order,
    /// whatever their order in the report: the monthly tables' tries come last, so that they
    /// never take the tries of the tables before them.
    @Test func theMonthlyTablesAreTriedLast() {
        let names = ["tendance_mensuelle", "services_par_role", "parents_niveau_mensuel", "synthese_roles", "adoption_role_niveau"]
        var tables: [ReportTable] = []
        for name in names {
            var table = Self.synthesis([("parent", 53), ("student", 200)], name: name)[0]
            table.rows[1][1] = .users(200, secrecy: .complement)
            tables.append(table)
        }
        let order = SecrecyRevealing.candidates(tables).map { tables[$0.table].name }
        #expect(order == ["synthese_roles", "adoption_role_niveau", "services_par_role", "tendance_mensuelle", "parents_niveau_mensuel"])
    }

    /// Past the first tries, a table's complements are tried while fewer of its own tries
    /// have solved something than the limit, whatever the other tables' tries: the
    /// adoption table's needless complement (as above) is tried after one try of the
    /// synthesis, and shown again, when the synthesis' try solved something (its pupils, as
    /// below: shown, they narrow two small counts) or nothing (its teachers, a needed
    /// complement, as below: the settling hides them again at once). With no solving try
    /// allowed to it, the adoption table's cell is not tried and stays hidden.
    @Test func eachTableHasItsOwnSolvingTriesPastTheFirstTries() {
        // Other roles than the synthesis': none of its cells is the same figure as one of the
        // synthesis'.
        let needless = Self.synthesis([("a", 3), ("b", 53), ("c", 2), ("d", 200), ("e", 40)], name: "adoption_role_niveau")
        let narrowing = Self.synthesis([("commune", 2), ("parent", 53), ("staff", 1), ("student", 200), ("teacher", 40)])
        let needed = Self.synthesis([("commune", 3), ("parent", 53), ("student", 200), ("teacher", 40)])
        let adoptionPupils = CellRef(table: 1, row: 3, column: 1)
        for (first, hiding, row) in [(narrowing, [CellRef(table: 0, row: 3, column: 1)], 3), (needed, [], 3)] {
            for (perTable, shown) in [(1, 1), (0, 0)] {
                let result = Self.reveal(first + needless, hiding: hiding + [adoptionPupils], limits: (tries: 1, solvedPerTable: perTable))
                let label = "\(first[0].rows.count - 1) roles, \(perTable) solving tries per table"
                #expect(result.before[0].rows[row][1].secrecy == .complement && result.before[1].rows[3][1].secrecy == .complement, "\(label)")
                #expect(result.shown == shown, "\(label)")
                #expect(result.after[0].rows[row][1].secrecy == .complement, "\(label)")
                #expect(result.after[1].rows[3][1].secrecy == (shown == 1 ? .shown : .complement), "\(label)")
            }
        }
    }

    /// Rows commune 3, parent 53, student 200, teacher 40, total 296: the agents alone
    /// `< 5` are 296 − 293 = 3, so the teachers' 40, the smallest other part, is hidden (a
    /// complement the report needs). Tried shown again, the relation hides it at once: it
    /// stays hidden, and so does every other cell.
    @Test func aNeededComplementStaysHidden() {
        let tables = Self.synthesis([("commune", 3), ("parent", 53), ("student", 200), ("teacher", 40)])
        let result = Self.reveal(tables, hiding: [])
        #expect(Self.marks(result.before) == [.small, .shown, .shown, .complement, .shown])
        #expect(result.shown == 0)
        #expect(Self.marks(result.after) == Self.marks(result.before))
    }

    /// Rows commune 2, parent 53, staff 1, student 200, teacher 40, total 296, the pupils
    /// hidden by hand. With them hidden (5 or more), agents + staff + pupils = 203 leaves
    /// each small count 1 to 4; shown, agents + staff = 3 leaves each 1 or 2: no count is
    /// pinned, but both are bounded more closely, so the pupils stay hidden.
    @Test func aComplementWhoseShowingNarrowsASmallCountStaysHidden() throws {
        let tables = Self.synthesis([("commune", 2), ("parent", 53), ("staff", 1), ("student", 200), ("teacher", 40)])
        let pupils = CellRef(table: 0, row: 3, column: 1)
        let result = Self.reveal(tables, hiding: [pupils])
        #expect(Self.marks(result.before) == [.small, .shown, .small, .complement, .shown, .shown])
        #expect(result.shown == 0)
        #expect(Self.marks(result.after) == Self.marks(result.before))
        // The ranges the decision rests on, by hand: 1…4 each before, 1…2 each with the
        // pupils shown.
        let (relations, equations, groups) = ReportSuppression.checks(result.before)
        let templates = SecrecyTemplates(result.before, relations: relations, equations: equations, groups: groups)
        let commune = CellRef(table: 0, row: 0, column: 1), staff = CellRef(table: 0, row: 2, column: 1)
        #expect(SecrecyPropagation.cellsTied(to: [pupils], in: result.before, templates: templates, minCell: 5) == [commune, staff, pupils])
        let before = try #require(SecrecyPropagation.smallCellRanges([commune, staff], in: result.before, templates: templates, minCell: 5))
        #expect(before[commune].map { [$0.lo, $0.hi] } == [1, 4] && before[staff].map { [$0.lo, $0.hi] } == [1, 4])
        var shown = result.before
        shown[0].rows[3][1] = .users(200, secrecy: .shown)
        let after = try #require(SecrecyPropagation.smallCellRanges([commune, staff], in: shown, templates: templates, minCell: 5))
        #expect(after[commune].map { [$0.lo, $0.hi] } == [1, 2] && after[staff].map { [$0.lo, $0.hi] } == [1, 2])
        // Solved cell by cell (no first points over both), the same ranges; and a caller that
        // stops at the first range narrower than the mark gets no ranges, and the second cell
        // is not solved (a try of step 4c ends there).
        let unseeded = try #require(SecrecyPropagation.smallCellRanges([commune, staff], in: shown, templates: templates, minCell: 5,
                                                                       seeded: false))
        #expect(unseeded[commune].map { [$0.lo, $0.hi] } == [1, 2] && unseeded[staff].map { [$0.lo, $0.hi] } == [1, 2])
        var given: [CellRef] = []
        let stopped = SecrecyPropagation.smallCellRanges([commune, staff], in: shown, templates: templates, minCell: 5, seeded: false) {
            given.append($0)
            return $1.hi < 4
        }
        #expect(stopped == nil && given == [commune])
        given = []
        let whole = SecrecyPropagation.smallCellRanges([commune, staff], in: result.before, templates: templates, minCell: 5, seeded: false) {
            given.append($0)
            return $1.hi < 4
        }
        #expect(whole?.count == 2 && given == [commune, staff], "1 to 4 each before: no stop")
    }

    /// A total of 3 over two hidden `< 5` parts, 1 and 2. By levels (a teacher can be in
    /// two), a reader knows only that the total is at most their sum, and each part at most
    /// the total: 1 to 3 each; the passes' relations take the true values' equality: 1 or 2.
    /// By roles (one per account), a reader knows the sum too: 1 or 2 either way.
    @Test func aReaderKnowsATotalOverLevelsOnlyBoundsItsParts() throws {
        for (key, widest) in [("niveau", 3.0), ("role", 2.0)] {
            let tables = [ReportTable(name: "t", title: "", question: "",
                                      columns: [ReportColumn(name: key), ReportColumn(name: "utilisateurs_actifs")],
                                      rows: [[.text("a"), .users(1, secrecy: .small)], [.text("b"), .users(2, secrecy: .small)],
                                             [.text("*"), .users(3, secrecy: .shown)]])]
            let (relations, equations, groups) = ReportSuppression.checks(tables)
            let templates = SecrecyTemplates(tables, relations: relations, equations: equations, groups: groups)
            let cells = [CellRef(table: 0, row: 0, column: 1), CellRef(table: 0, row: 1, column: 1)]
            let narrowest = try #require(SecrecyPropagation.smallCellRanges(cells, in: tables, templates: templates, minCell: 5))
            let widestKnown = try #require(SecrecyPropagation.smallCellRanges(cells, in: tables, templates: templates, minCell: 5,
                                                                              asAReaderKnows: true))
            for cell in cells {
                #expect(narrowest[cell].map { [$0.lo, $0.hi] } == [1, 2], "\(key)")
                #expect(widestKnown[cell].map { [$0.lo, $0.hi] } == [1, widest], "\(key)")
            }
        }
    }
}
