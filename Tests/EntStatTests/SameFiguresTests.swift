import Testing
@testable import EntStat

/// `ReportSuppression.sameFigures`: which cells of a period's tables are one figure (hidden
/// in every place once hidden in one), by the rules of its doc comment, on tables built by
/// hand.
@Suite struct SameFiguresTests {
    private static func users(_ n: Int) -> ReportCell { .users(n, secrecy: .shown) }
    private static func table(_ name: String, _ columns: [String], _ rows: [[ReportCell]]) -> ReportTable {
        ReportTable(name: name, title: "", question: "", columns: columns.map { ReportColumn(name: $0) }, rows: rows)
    }
    private static func ref(_ t: Int, _ r: Int, _ c: Int) -> ReportSuppression.CellRef { .init(table: t, row: r, column: c) }

    @Test func cellsAreOneFigureBySameColumnGroupAndValue() {
        let tables = [
            // 0: the parents' 7 active users, all roles' 10, the teachers' 3; 12 accounts of
            // parents appear nowhere else; the staff's zeros are nobody.
            Self.table("synthese_roles", ["role", "utilisateurs_actifs", "comptes"],
                       [[.text("parent"), Self.users(7), Self.users(12)], [.text("teacher"), Self.users(3), Self.users(4)],
                        [.text("*"), Self.users(10), Self.users(16)], [.text("staff"), Self.users(0), Self.users(0)]]),
            // 1: the territory's row (its commune name and EPCI only describe the code): its
            // active parents are the synthesis' parents, its active users all roles'. A
            // commune's 7 active parents are another group's.
            Self.table("communes", ["code_commune", "commune", "epci", "parents_actifs", "utilisateurs_actifs"],
                       [[.text("*"), .text(""), .text(""), Self.users(7), Self.users(10)],
                        [.text("80001"), .text("Amiens"), .text("CA Amiens Métropole"), Self.users(7), Self.users(9)]]),
            // 2: every count of this table is the parents': all months' is the synthesis'.
            Self.table("parents_niveau_mensuel", ["mois", "utilisateurs_actifs"],
                       [[.text("*"), Self.users(7)], [.text("2018-10"), Self.users(7)]]),
            // 3: the previous period's parents, 7 too: another figure.
            Self.table("synthese_roles_periode_precedente", ["role", "utilisateurs_actifs"], [[.text("parent"), Self.users(7)]]),
            // 4: each service's row repeats its role's active users; a service's users of the
            // same value as another group's are not that group's figure.
            Self.table("services_par_role", ["role", "service", "utilisateurs", "utilisateurs_actifs_role"],
                       [[.text("parent"), .text("cantine"), Self.users(3), Self.users(7)],
                        [.text("parent"), .text("transport"), Self.users(1), Self.users(7)],
                        [.text("teacher"), .text("cantine"), Self.users(3), Self.users(3)],
                        [.text("staff"), .text("cantine"), Self.users(0), Self.users(0)]]),
        ]
        let groups = ReportSuppression.sameFigures(tables).map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(groups == [
            [Self.ref(0, 0, 1), Self.ref(1, 0, 3), Self.ref(2, 0, 1), Self.ref(4, 0, 3), Self.ref(4, 1, 3)],
            [Self.ref(0, 1, 1), Self.ref(4, 2, 3)],
            [Self.ref(0, 2, 1), Self.ref(1, 0, 4)],
        ])
    }

    /// A role named by the row keeps the column's own identity: `parents_actifs` of the
    /// teachers' row is no figure of the parents.
    @Test func aRoleColumnOnARowOfAnotherRoleIsItsOwnFigure() {
        let tables = [
            Self.table("synthese_roles", ["role", "utilisateurs_actifs"], [[.text("parent"), Self.users(7)]]),
            Self.table("extra", ["role", "parents_actifs"], [[.text("teacher"), Self.users(7)], [.text("parent"), Self.users(7)]]),
            Self.table("extra_bis", ["role", "parents_actifs"], [[.text("teacher"), Self.users(7)]]),
        ]
        let groups = ReportSuppression.sameFigures(tables).map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(groups == [[Self.ref(1, 0, 1), Self.ref(2, 0, 1)]])
    }
}
