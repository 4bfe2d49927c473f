import Testing
@testable import EntStat

/// `ReportSuppression.sameFigures`: which cells of a period's tables are one figure (hidden
/// in every place once hidden in one), by the rules of its doc comment, on tables built by
/// hand.
@Suite struct SameFiguresTests {
    private typealias F = SecrecyFixture

    @Test func cellsAreOneFigureBySameColumnGroupAndValue() {
        let tables = [
            // 0: the parents' 7 active users, all roles' 10, the teachers' 3; 12 accounts of
            // parents appear nowhere else; the staff's zeros are nobody.
            F.table("synthese_roles", ["role", "utilisateurs_actifs", "comptes"],
                       [[.text("parent"), F.users(7), F.users(12)], [.text("teacher"), F.users(3), F.users(4)],
                        [.text("*"), F.users(10), F.users(16)], [.text("staff"), F.users(0), F.users(0)]]),
            // 1: the territory's row (its commune name and EPCI only describe the code): its
            // active parents are the synthesis' parents, its active users all roles'. A
            // commune's 7 active parents are another group's.
            F.table("communes", ["code_commune", "commune", "epci", "parents_actifs", "utilisateurs_actifs"],
                       [[.text("*"), .text(""), .text(""), F.users(7), F.users(10)],
                        [.text("80001"), .text("Amiens"), .text("CA Amiens Métropole"), F.users(7), F.users(9)]]),
            // 2: every count of this table is the parents': all months' is the synthesis'.
            F.table("parents_niveau_mensuel", ["mois", "utilisateurs_actifs"],
                       [[.text("*"), F.users(7)], [.text("2018-10"), F.users(7)]]),
            // 3: the previous period's parents, 7 too: another figure.
            F.table("synthese_roles_periode_precedente", ["role", "utilisateurs_actifs"], [[.text("parent"), F.users(7)]]),
            // 4: each service's row repeats its role's active users; a service's users of the
            // same value as another group's are not that group's figure.
            F.table("services_par_role", ["role", "service", "utilisateurs", "utilisateurs_actifs_role"],
                       [[.text("parent"), .text("cantine"), F.users(3), F.users(7)],
                        [.text("parent"), .text("transport"), F.users(1), F.users(7)],
                        [.text("teacher"), .text("cantine"), F.users(3), F.users(3)],
                        [.text("staff"), .text("cantine"), F.users(0), F.users(0)]]),
        ]
        let groups = ReportSuppression.sameFigures(tables).map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(groups == [
            [F.ref(0, 0, 1), F.ref(1, 0, 3), F.ref(2, 0, 1), F.ref(4, 0, 3), F.ref(4, 1, 3)],
            [F.ref(0, 1, 1), F.ref(4, 2, 3)],
            [F.ref(0, 2, 1), F.ref(1, 0, 4)],
        ])
    }

    /// A role named by the row keeps the column's own identity: `parents_actifs` of the
    /// teachers' row is no figure of the parents.
    @Test func aRoleColumnOnARowOfAnotherRoleIsItsOwnFigure() {
        let tables = [
            F.table("synthese_roles", ["role", "utilisateurs_actifs"], [[.text("parent"), F.users(7)]]),
            F.table("extra", ["role", "parents_actifs"], [[.text("teacher"), F.users(7)], [.text("parent"), F.users(7)]]),
            F.table("extra_bis", ["role", "parents_actifs"], [[.text("teacher"), F.users(7)]]),
        ]
        let groups = ReportSuppression.sameFigures(tables).map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(groups == [[F.ref(1, 0, 1), F.ref(2, 0, 1)]])
    }
}
