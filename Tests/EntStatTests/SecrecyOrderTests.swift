@testable import EntStat
import Testing

/// `SecrecyOrder`: in a table sorted by a count, a hidden count's place must not tell its range.
@Suite struct SecrecyOrderTests {
    /// The sample report's teachers: « Exercices » shown `s` between Messagerie (109 users)
    /// and Blog (107) said 107 to 109. Now it comes after the shown services, and hidden
    /// services among themselves by name.
    @Test func hiddenServicesComeLastInTheirRole() {
        let columns = ["role", "service", "utilisateurs"].map { ReportColumn(name: $0) }
        let rows: [[ReportCell]] = [
            [.text("teacher"), .text("Messagerie"), .users(109, secrecy: .shown)],
            [.text("teacher"), .text("Exercices"), .users(108, secrecy: .complement)],
            [.text("teacher"), .text("Blog"), .users(107, secrecy: .shown)],
            [.text("teacher"), .text("Annuaire"), .users(3, secrecy: .small)],
            [.text("student"), .text("Cantine"), .users(40, secrecy: .complement)],
            [.text("student"), .text("Blog"), .users(20, secrecy: .shown)],
            [.text("*"), .text("Blog"), .users(127, secrecy: .shown)],
        ]
        var tables = [ReportTable(name: "services_par_role", title: "", question: "", columns: columns, rows: rows)]
        SecrecyOrder.apply(to: &tables)
        #expect(tables[0].rows.map { "\($0[0].textValue)/\($0[1].textValue)" } == [
            "teacher/Messagerie", "teacher/Blog", "teacher/Annuaire", "teacher/Exercices",
            "student/Blog", "student/Cantine", "*/Blog",
        ])
    }

    /// Commune 80939's busiest hours: hours 2 and 3 hidden (12 and 5 visits) came after hour 1
    /// (16 visits), hour 2 before hour 3. Now the hidden hours come last by hour, the shown
    /// ones keep their order; a table with nothing hidden is left as it is.
    @Test func hiddenHoursComeLastByHour() {
        let columns = ["heure", "connexions"].map { ReportColumn(name: $0) }
        let rows: [[ReportCell]] = [
            [.ordinal(20), .volume(936, secrecy: .shown)],
            [.ordinal(3), .volume(40, secrecy: .complement)],
            [.ordinal(1), .volume(16, secrecy: .shown)],
            [.ordinal(2), .volume(12, secrecy: .complement)],
            [.ordinal(0), .volume(4, secrecy: .small)],
        ]
        var tables = [ReportTable(name: "heures_chargees", title: "", question: "", columns: columns, rows: rows),
                      ReportTable(name: "autre", title: "", question: "", columns: columns, rows: rows)]
        SecrecyOrder.apply(to: &tables)
        #expect(tables[0].rows.map { $0[0].count } == [20, 1, 0, 2, 3])
        #expect(tables[1].rows.map { $0[0].count } == [20, 3, 1, 2, 0], "a table no rule names keeps its order")
    }

    /// The roles by requests: the total row stays last, apart from the roles.
    @Test func theTotalRowStaysApart() {
        let columns = ["role", "requetes"].map { ReportColumn(name: $0) }
        var tables = [ReportTable(name: "volumes_par_role", title: "", question: "", columns: columns, rows: [
            [.text("parent"), .volume(900, secrecy: .shown)],
            [.text("staff"), .volume(60, secrecy: .complement)],
            [.text("teacher"), .volume(50, secrecy: .shown)],
            [.text("commune"), .volume(3, secrecy: .small)],
            [.text("*"), .volume(1013, secrecy: .shown)],
        ])]
        SecrecyOrder.apply(to: &tables)
        #expect(tables[0].rows.map(\.[0].textValue) == ["parent", "teacher", "commune", "staff", "*"])
    }
}
