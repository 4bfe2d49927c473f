import Testing
@testable import EntStat

/// `SecrecyCellIndex` (the cells' flat numbers) and `SecrecyTemplates` (the relations that
/// secrecy's passes keep when they hold a hidden cell).
@Suite struct SecrecyTemplatesTests {
    private typealias F = SecrecyFixture

    /// Every cell's number gives the cell back, empty tables between them; numbers follow
    /// the cells' order (table, row, column) and leave no gap.
    @Test func flatNumbersGiveTheCellBackInOrder() {
        let tables = [
            F.table("vide", ["role", "utilisateurs"], []),
            F.table("a", ["role", "utilisateurs", "comptes"], [[.text("x"), F.users(1), F.users(2)], [.text("*"), F.users(3), F.users(4)]]),
            F.table("sans_colonnes", [], []),
            F.table("vide_bis", ["role"], []),
            F.table("b", ["role", "utilisateurs"], [[.text("y"), F.users(5)], [.text("z"), F.users(6)], [.text("*"), F.users(11)]]),
        ]
        let index = SecrecyCellIndex(tables)
        let refs = tables.indices.flatMap { t in tables[t].rows.indices.flatMap { r in tables[t].columns.indices.map { F.ref(t, r, $0) } } }
        #expect(index.count == 12 && refs.count == 12)
        #expect(refs.map(index.flat) == Array(0..<12))
        #expect((0..<12).map(index.ref) == refs)
    }

    /// The relations kept for some hidden cells: each relation holding one, once, in order;
    /// with the order of the templates: each relation's total against its parts, then
    /// against each part; the equations; the pairs of one row.
    @Test func aPassKeepsTheRelationsHoldingAHiddenCell() {
        let tables = [
            F.table("t", ["role", "utilisateurs", "connexions"],
                       [[.text("x"), F.users(1), .volume(3, secrecy: .shown)], [.text("y"), F.users(2), .volume(4, secrecy: .shown)],
                        [.text("*"), F.users(3), .volume(7, secrecy: .shown)]]),
        ]
        let relations = [ReportSuppression.Relation(total: F.ref(0, 2, 1), parts: [F.ref(0, 0, 1), F.ref(0, 1, 1)])]
        // An equation naming a cell twice: x's users − x's users + y's users − the total's ≤ 0.
        let equations = [ReportSuppression.Equation(kind: .atMost, terms: [(F.ref(0, 0, 1), 1), (F.ref(0, 0, 1), -1),
                                                                          (F.ref(0, 1, 1), 1), (F.ref(0, 2, 1), -1)])]
        let templates = SecrecyTemplates(tables, relations: relations, equations: equations, groups: [])
        // 0: total − x − y = 0; 1: total − x ≥ 0; 2: total − y ≥ 0; 3: the equation;
        // 4, 5, 6: each row's visits ≥ its users (`SecrecyPropagation.atMost`).
        #expect(templates.kinds == [.equal, .atLeast, .atLeast, .atMost, .atLeast, .atLeast, .atLeast])
        let index = templates.cells
        func kept(_ hidden: [ReportSuppression.CellRef]) -> [Int] {
            var isHidden = [Bool](repeating: false, count: index.count)
            for ref in hidden { isHidden[index.flat(ref)] = true }
            return templates.relations(holding: isHidden)
        }
        #expect(kept([]) == [])
        #expect(kept([F.ref(0, 0, 1)]) == [0, 1, 3, 4])
        #expect(kept([F.ref(0, 2, 2)]) == [6])
        #expect(kept([F.ref(0, 1, 1), F.ref(0, 2, 1)]) == [0, 1, 2, 3, 5, 6])
        #expect(templates.counts[index.flat(F.ref(0, 2, 2))] == 7)
        #expect(templates.inTotalRow[index.flat(F.ref(0, 2, 0))] && !templates.inTotalRow[index.flat(F.ref(0, 1, 2))])
    }
}
