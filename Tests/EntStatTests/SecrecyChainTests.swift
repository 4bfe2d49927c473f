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
        ReportSuppression.apply(to: &tables, minCell: 5)
        let hidden = tables.map { $0.rows.map { $0.last!.secrecy } }
        // Without the chain: élémentaire 10 and primaire 5 stay [shown, complement], the
        // teachers' 15 `s` = 10 + at least 5, so the staff and agents (17 − 15) are 1 and 1.
        #expect(SecrecyPropagation.cellsToHide(tables, relations: ReportSuppression.tableRelations(tables[0], index: 0)
                                                + ReportSuppression.tableRelations(tables[1], index: 1),
                                              equations: [], groups: ReportSuppression.sameFigures(tables), minCell: 5).isEmpty, "\(hidden)")
    }

    /// a + b = 30, a + c = 27, b + c = 25, a, b and c hidden (`s`, so 5 or more): no sum
    /// alone, nor bounds passed from sum to sum (a in 10…22, b in 8…20, c in 5…17), fixes
    /// any of them; the three together fix a = 16, b = 14, c = 11. For each, the solver's
    /// pass names the smallest shown sum of its own that the proof rests on (a: 27; b and c:
    /// 25); once they are hidden, nothing is fixed.
    @Test func threeSumsTogetherCannotFixTheirHiddenTerms() {
        let hidden = { (n: Int) in ReportCell.users(n, secrecy: .complement) }
        var tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "cle"), ReportColumn(name: "utilisateurs_actifs")],
                                  rows: [[.text("a"), hidden(16)], [.text("b"), hidden(14)], [.text("c"), hidden(11)],
                                         [.text("a+b"), Self.users(30)], [.text("a+c"), Self.users(27)], [.text("b+c"), Self.users(25)]])]
        func ref(_ row: Int) -> ReportSuppression.CellRef { .init(table: 0, row: row, column: 1) }
        let equations = [(0, 1, 3), (0, 2, 4), (1, 2, 5)].map { (x: Int, y: Int, sum: Int) in
            ReportSuppression.Equation(terms: [(ref(x), 1), (ref(y), 1), (ref(sum), -1)], preferred: [])
        }
        let cells = SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5)
        #expect(cells == [ref(4), ref(5)])
        tables[0].rows[4][1] = hidden(27)
        tables[0].rows[5][1] = hidden(25)
        #expect(SecrecyPropagation.cellsToHide(tables, relations: [], equations: equations, groups: [], minCell: 5).isEmpty)
    }
}
