import Foundation
import Testing
@testable import EntStat

/// Escaping, formula neutralisation and statistical secrecy of the report, HTML and CSV.
@Suite struct ReportSafetyTests {
    static let output: ReportOutput = {
        let store = try! Store(readingFrom: ReportFixture.shared)
        let request = ReportRequest(minCell: 5, queriesDirectory: ReportFixture.queriesDirectory, styleSheet: "body{}")
        return try! ReportBuilder(store: store, request: request).build()
    }()

    @Test func inputTextIsInertInHTMLAndCSV() throws {
        // The fixture's schools are named <script>alert('x')</script> and =HYPERLINK(…); communes
        // and EPCI names carry accents. A school name reaches the page through no table, but
        // every text cell is escaped: check the HTML never holds a raw tag from an input.
        let html = Self.output.html
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("=HYPERLINK(&quot;http://evil.example&quot;;&quot;clic&quot;)"))
        #expect(!html.contains("=HYPERLINK(\"http"))
        let schools = try #require(Self.output.csvFiles.first { $0.name == "ecoles.csv" })
        #expect(schools.content.contains(";\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"clic\"\")\";"))
        #expect(schools.content.contains(";<script>alert('x')</script>;"))
        #expect(HTMLText.escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        var table = ReportTable(name: "t", title: "<b>", question: "", columns: [ReportColumn(name: "commune"), ReportColumn(name: "comptes")],
                                rows: [[.text("<script>alert(1)</script>"), .users(10, secrecy: .shown)],
                                       [.text("=HYPERLINK(\"http://x\";\"y\")"), .users(12, secrecy: .shown)],
                                       [.text("+33 1 23"), .users(0, secrecy: .shown)]])
        ReportSuppression.apply(to: &table, minCell: 5)
        let cell = ReportHTML(minCell: 5).table(table)
        #expect(cell.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!cell.contains("<script>"))
        #expect(!cell.contains("<b>"))
        let csv = ReportCSV.document(table, minCell: 5)
        #expect(csv.hasPrefix("\u{FEFF}commune;comptes\r\n"))
        #expect(csv.contains("\r\n\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";12\r\n"))
        #expect(csv.contains("\r\n'+33 1 23;0\r\n"))
        for file in Self.output.csvFiles {
            for line in file.content.split(separator: "\r\n") {
                for field in line.split(separator: ";") {
                    #expect(!(field.first.map { "=+-@".contains($0) } ?? false), "\(file.name): \(field)")
                }
            }
        }
    }

    /// A figure no cell can show (infinite, or an integer part beyond 10^14: a damaged
    /// store or a query gone wrong) stops the report with the query file, the result's row
    /// and the column, instead of bringing the tool down; a text column shows any value.
    @Test func aFigureNoCellCanShowStopsTheReportNamingWhere() throws {
        let query = QueryFile(name: "q", path: "Queries/q.sql", sql: "-- titre: Q\nSELECT 1")
        func table(_ rows: [[DatabaseValue]]) throws(ReportError) -> ReportTable {
            try ReportTable(query: query, result: .init(columns: ["commune", "utilisateurs", "taux_actifs"], rows: rows), minCell: 0)
        }
        let fine = try table([[.integer(.max), .real(1e14), .real(-1e14)], [.real(1e300), .integer(100_000_000_000_000), .null]])
        #expect(fine.rows[0][0] == .text("9223372036854775807"))
        #expect(fine.rows[1][0] == .text("1e+300"))
        #expect(fine.rows[1][1] == .users(100_000_000_000_000, secrecy: .shown))
        let refusals: [(DatabaseValue, DatabaseValue, String)] = [
            (.real(.infinity), .real(0.5), "ligne 2 du résultat, colonne « utilisateurs » : valeur inf hors"),
            (.integer(100_000_000_000_001), .real(0.5), "ligne 2 du résultat, colonne « utilisateurs » : valeur 100000000000001 hors"),
            (.integer(.min), .real(0.5), "ligne 2 du résultat, colonne « utilisateurs » : valeur -9223372036854775808 hors"),
            (.integer(3), .real(-1.5e15), "ligne 2 du résultat, colonne « taux_actifs » : valeur -1500000000000000,0 hors"),
        ]
        for (users, rate, message) in refusals {
            do {
                _ = try table([[.text("A"), .integer(5), .real(0.25)], [.text("B"), users, rate]])
                Issue.record("\(users), \(rate) was shown")
            } catch {
                #expect(error.description.hasPrefix("Queries/q.sql: - : \(message) de ce qu'un rapport peut afficher"), "\(error)")
                #expect(error.description.hasSuffix("; corrigez la requête ; si elle est celle livrée avec entstat, le magasin est endommagé : restaurez une sauvegarde ou reconstruisez-le depuis les journaux"))
            }
        }
        // A count of persons that is not whole (it was shown cut, 2,7 as 2, or a text as it
        // is, neither protected as a count): refused the same way.
        for (users, problem) in [(DatabaseValue.real(2.7), "valeur 2,7 non entière"), (.text("3"), "texte « 3 »"), (.blob([1, 2]), "2 octets de données binaires")] {
            do {
                _ = try table([[.text("A"), .integer(5), .real(0.25)], [.text("B"), users, .real(0.5)]])
                Issue.record("\(users) was shown")
            } catch {
                #expect(error.description == "Queries/q.sql: - : ligne 2 du résultat, colonne « utilisateurs » : \(problem), alors qu'un effectif de personnes est un nombre entier ; corrigez la requête", "\(error)")
            }
        }
        #expect(try table([[.text("A"), .real(12.0), .null]]).rows[0][1] == .users(12, secrecy: .shown))
    }

    @Test func csvIsFrenchSpreadsheetFormat() throws {
        let peak = try #require(Self.output.csvFiles.first { $0.name == "peak_concurrent_users.csv" })
        #expect(peak.content.hasPrefix("\u{FEFF}jour;pic_utilisateurs_simultanes\r\n"))
        let synthesis = try #require(Self.output.csvFiles.first { $0.name == "synthese_roles.csv" })
        #expect(synthesis.content.contains(";0,"))   // decimal comma in rates
        #expect(!synthesis.content.contains("0."))
    }

    @Test func smallCellsNeverLeak() throws {
        // How many cells and totals each check looked at: a fixture that gave none would pass.
        var smallCounts = 0, complements = 0, hiddenRates = 0, totals = 0
        for table in Self.output.tables {
            let users = table.columns.indices.filter { table.columns[$0].kind == .users }
            for row in table.rows {
                for c in users {
                    if case .users(let n, let secrecy) = row[c], n > 0, n < 5 {
                        smallCounts += 1
                        #expect(secrecy == .small, "\(table.name).\(table.columns[c].name) = \(n) shown")
                    }
                    // A count hidden as a complement is not small: it is never shown `< 5`.
                    if case .users(let n, .complement) = row[c] {
                        complements += 1
                        #expect(n >= 5, "\(table.name).\(table.columns[c].name) = \(n)")
                    }
                }
                // A rate from a hidden count is hidden.
                for (c, column) in table.columns.enumerated() where column.kind == .rate {
                    if let basis = ReportColumn.rateBasis(column.name), let n = table.column(basis.numerator), let d = table.column(basis.denominator),
                       row[n].isSuppressed || row[d].isSuppressed, case .rate(let v, let secrecy) = row[c], v != nil {
                        hiddenRates += 1
                        #expect(secrecy == (row[n].secrecy == .small || row[d].secrecy == .small ? .small : .complement), "\(table.name).\(column.name)")
                    }
                }
            }
            // Total minus the others: never exactly one hidden non-zero cell among a total and
            // its details (a key cell left empty in the total, such as the commune table's
            // commune name, matches any value).
            for k in table.columns.indices where table.columns[k].kind == .text {
                for total in table.rows where total[k].textValue == "*" {
                    let others = table.columns.indices.filter { $0 != k && (table.columns[$0].kind == .text || table.columns[$0].kind == .ordinal) }
                        .filter { "\(total[$0])" != "\(ReportCell.text(""))" }
                    let details = table.rows.filter { r in r[k].textValue != "*" && others.allSatisfy { "\(r[$0])" == "\(total[$0])" } }
                    guard !details.isEmpty else { continue }
                    totals += 1
                    for c in users {
                        let hidden = (details + [total]).filter { $0[c].isSuppressed && $0[c].count > 0 }
                        let residual = total[c].count - details.reduce(0) { $0 + $1[c].count }
                        if residual <= 0 {
                            #expect(hidden.count != 1, "\(table.name).\(table.columns[c].name): one hidden cell in a total and its details")
                        } else if residual < 5 {
                            // A small group no row shows: at least one cell hides it.
                            #expect(!hidden.isEmpty, "\(table.name).\(table.columns[c].name): total − details = \(residual)")
                        }
                    }
                }
            }
        }
        #expect(smallCounts > 10 && complements > 10 && hiddenRates > 10 && totals > 10,
                "\(smallCounts) small, \(complements) complements, \(hiddenRates) rates, \(totals) totals")
        // The HTML and the CSV show the same hidden marker, and no small count in the tiny commune.
        #expect(Self.output.html.contains("&lt;\u{00A0}5"))
        let communes = try #require(Self.output.csvFiles.first { $0.name == "communes.csv" })
        let hameau = try #require(communes.content.split(separator: "\r\n").first { $0.hasPrefix("80005;") })
        #expect(hameau.contains("< 5"))
    }

    @Test func complementarySuppressionHidesASecondCell() {
        var table = ReportTable(name: "t", title: "", question: "",
                                columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs"),
                                          ReportColumn(name: "utilisateurs_actifs_inscrits"), ReportColumn(name: "comptes"),
                                          ReportColumn(name: "taux_actifs")],
                                rows: [[.text("parent"), .users(40, secrecy: .shown), .users(40, secrecy: .shown), .users(50, secrecy: .shown), .rate(0.8, secrecy: .shown)],
                                       [.text("staff"), .users(2, secrecy: .shown), .users(2, secrecy: .shown), .users(9, secrecy: .shown), .rate(2.0 / 9, secrecy: .shown)],
                                       [.text("teacher"), .users(7, secrecy: .shown), .users(7, secrecy: .shown), .users(8, secrecy: .shown), .rate(7.0 / 8, secrecy: .shown)],
                                       [.text("*"), .users(49, secrecy: .shown), .users(49, secrecy: .shown), .users(67, secrecy: .shown), .rate(49.0 / 67, secrecy: .shown)]])
        ReportSuppression.apply(to: &table, minCell: 5)
        #expect(table.rows[1][1].isSuppressed)          // 2 < 5
        #expect(table.rows[2][1].isSuppressed)          // 7: complementary (49 − 40 − 7 = 2 otherwise)
        #expect(!table.rows[0][1].isSuppressed)
        #expect(!table.rows[3][1].isSuppressed)
        #expect(table.rows[1][4].isSuppressed && table.rows[2][4].isSuppressed)
        #expect(!table.rows[0][4].isSuppressed)
        #expect(!table.rows[1][3].isSuppressed)         // accounts 9 and 8 are not small
        // Only one non-zero detail: the total itself would reveal it, so the total is hidden.
        var single = ReportTable(name: "s", title: "", question: "", columns: [ReportColumn(name: "role"), ReportColumn(name: "comptes")],
                                 rows: [[.text("a"), .users(3, secrecy: .shown)], [.text("b"), .users(0, secrecy: .shown)],
                                        [.text("*"), .users(3, secrecy: .shown)]])
        ReportSuppression.apply(to: &single, minCell: 5)
        #expect(single.rows[2][1].isSuppressed)
    }

    private static func users(_ n: Int) -> ReportCell { .users(n, secrecy: .shown) }

    /// The commune table's total has no commune name or EPCI: its details are still found,
    /// and a second cell is hidden (before, 107 − 35 − 69 gave the hidden commune's 3).
    @Test func aTotalWithEmptyKeyCellsStillProtectsItsDetails() {
        var table = ReportTable(name: "communes", title: "", question: "",
                                columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "commune"), ReportColumn(name: "epci"),
                                          ReportColumn(name: "utilisateurs_actifs")],
                                rows: [[.text("80002"), .text("A"), .text("E"), Self.users(35)],
                                       [.text("80001"), .text("B"), .text("E"), Self.users(69)],
                                       [.text("80003"), .text("C"), .text("E"), Self.users(3)],
                                       [.text("*"), .text(""), .text(""), Self.users(107)]])
        ReportSuppression.apply(to: &table, minCell: 5)
        #expect(table.rows.map(\.[3].secrecy) == [.complement, .shown, .small, .shown])
        // Hidden as a complement, 35 is shown `s`, never `< 5`; the small one `< 5`.
        let csv = ReportCSV.document(table, minCell: 5)
        #expect(csv.contains("\r\n80002;A;E;s\r\n") && csv.contains("\r\n80003;C;E;< 5\r\n"))
        let html = ReportHTML(minCell: 5)
        #expect(html.display(table.rows[0][3], column: table.columns[3]) == "s")
        #expect(html.display(table.rows[2][3], column: table.columns[3]) == "< 5")
    }

    /// Several hidden cells whose sum the shown ones fix, with bounds that leave them one
    /// value each: another part is hidden (the reviewer's Moreuil and EPCI cases).
    @Test func hiddenCellsThatTheirSumWouldPinAreProtected() {
        // 46 active users: 33 parents, 10 pupils, three roles of one person each.
        var roles = ReportTable(name: "t", title: "", question: "",
                                columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")],
                                rows: [[.text("parent"), Self.users(33)], [.text("student"), Self.users(10)],
                                       [.text("teacher"), Self.users(1)], [.text("staff"), Self.users(1)],
                                       [.text("commune"), Self.users(1)], [.text("*"), Self.users(46)]])
        ReportSuppression.apply(to: &roles, minCell: 5)
        #expect(roles.rows.map(\.[1].secrecy) == [.shown, .complement, .small, .small, .small, .shown])
        // 14 teachers, 6 in élémentaire, 4 and 4 in the two other levels (one in two levels).
        var levels = ReportTable(name: "t", title: "", question: "",
                                 columns: [ReportColumn(name: "niveau"), ReportColumn(name: "comptes_actives")],
                                 rows: [[.text("maternelle"), Self.users(4)], [.text("elementaire"), Self.users(6)],
                                        [.text("primaire"), Self.users(4)], [.text("*"), Self.users(14)]])
        ReportSuppression.apply(to: &levels, minCell: 5)
        #expect(levels.rows.map(\.[1].secrecy) == [.small, .complement, .small, .shown])
        // Not pinned: 3 hidden roles summing to 6 could be (1, 1, 4), (2, 2, 2)…: nothing more hidden.
        var loose = roles
        loose.rows = [[.text("parent"), Self.users(33)], [.text("student"), Self.users(10)],
                      [.text("teacher"), Self.users(2)], [.text("staff"), Self.users(2)],
                      [.text("commune"), Self.users(2)], [.text("*"), Self.users(49)]]
        ReportSuppression.apply(to: &loose, minCell: 5)
        #expect(loose.rows.map(\.[1].secrecy) == [.shown, .shown, .small, .small, .small, .shown])
    }

    /// A total that is not the sum of its parts tells a reader one side only: at least their
    /// sum when it holds persons no row shows, at most it when persons are in several parts.
    /// Read the other way, each would pin the hidden part: worked out by hand below.
    @Test func aTotalBeyondItsPartsBoundsThemOnOneSideOnly() {
        // 16 active users: 12 parents, 1 teacher, 3 persons of no role shown. A reader knows
        // 16 ≥ 12 + teachers, so teachers ≤ 4: nothing new (as ≤ 16 − 12 they would be 4).
        var roles = ReportTable(name: "t", title: "", question: "",
                                columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")],
                                rows: [[.text("parent"), Self.users(12)], [.text("teacher"), Self.users(1)], [.text("*"), Self.users(16)]])
        ReportSuppression.apply(to: &roles, minCell: 5)
        #expect(roles.rows.map(\.[1].secrecy) == [.shown, .small, .shown])
        // 11 teachers: 9 in élémentaire, 4 in maternelle, 3 in primaire (5 in two levels). A
        // reader knows 11 ≤ 9 + maternelle + primaire, so each ≥ 11 − 9 − 4: nothing new (as
        // 11 ≥ 9 + maternelle + primaire, each would be at most 1, so 1).
        var levels = ReportTable(name: "t", title: "", question: "",
                                 columns: [ReportColumn(name: "niveau"), ReportColumn(name: "utilisateurs_actifs")],
                                 rows: [[.text("maternelle"), Self.users(4)], [.text("elementaire"), Self.users(9)],
                                        [.text("primaire"), Self.users(3)], [.text("*"), Self.users(11)]])
        ReportSuppression.apply(to: &levels, minCell: 5)
        #expect(levels.rows.map(\.[1].secrecy) == [.small, .shown, .small, .shown])
    }

    /// A hidden group's visits and requests would bound its count (each user has one of
    /// each): 1 visit beside `< 5` users says 1 user, 5 visits beside an `s` say 5. They are
    /// hidden with it, and protected by difference with their total; logins bound nothing.
    @Test func aHiddenGroupsActivityIsHiddenWithIt() {
        func volume(_ v: Double) -> ReportCell { .volume(v, secrecy: .shown) }
        var table = ReportTable(name: "t", title: "", question: "",
                                columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs"),
                                          ReportColumn(name: "connexions"), ReportColumn(name: "authentifications"),
                                          ReportColumn(name: "connexions_par_jour_actif")],
                                rows: [[.text("parent"), Self.users(40), volume(120), volume(3), volume(4)],
                                       [.text("teacher"), Self.users(30), volume(90), volume(2), volume(3)],
                                       [.text("commune"), Self.users(1), volume(1), volume(1), volume(1)],
                                       [.text("*"), Self.users(71), volume(211), volume(6), volume(3.5)]])
        ReportSuppression.apply(to: &table, minCell: 5)
        #expect(table.rows.map(\.[1].secrecy) == [.shown, .complement, .small, .shown])
        // The hidden groups' visits: `< 5` below the threshold, `s` above.
        #expect(table.rows.map(\.[2].secrecy) == [.shown, .complement, .small, .shown])
        #expect(table.rows.map(\.[4].secrecy) == [.shown, .small, .small, .shown])
        #expect(!table.rows.contains { $0[3].isSuppressed })
        let html = ReportHTML(minCell: 5)
        #expect(html.display(table.rows[2][2], column: table.columns[2]) == "< 5")
        #expect(html.display(table.rows[1][2], column: table.columns[2]) == "s")
        #expect(ReportCSV.document(table, minCell: 5).contains("\r\nteacher;s;s;2;< 5\r\n"))
        // The reviewer's case: 12 teachers, 5 parents with 5 visits, 3 pupils; parents hidden
        // to protect the pupils, their 5 visits would have said 5, and the pupils 3.
        var pinned = table
        pinned.rows = [[.text("parent"), Self.users(5), volume(5), volume(0), volume(5)],
                       [.text("student"), Self.users(3), volume(6), volume(0), volume(6)],
                       [.text("teacher"), Self.users(12), volume(12), volume(0), volume(12)],
                       [.text("*"), Self.users(20), volume(23), volume(0), volume(23)]]
        ReportSuppression.apply(to: &pinned, minCell: 5)
        #expect(pinned.rows.map(\.[1].secrecy) == [.complement, .small, .shown, .shown])
        #expect(pinned.rows.map(\.[2].secrecy) == [.complement, .complement, .shown, .shown])
        #expect(pinned.rows.map(\.[4].secrecy) == [.complement, .complement, .shown, .shown])
    }

    /// 4 authentifications say that `< 5` requests are 4: they are hidden to protect them,
    /// and are then protected by difference like a count (94 − 90 would give them back).
    @Test func aLoginCountHiddenToProtectACountIsProtectedInTurn() {
        func volume(_ v: Double) -> ReportCell { .volume(v, secrecy: .shown) }
        var table = ReportTable(name: "synthese_roles", title: "", question: "",
                                columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs"),
                                          ReportColumn(name: "requetes"), ReportColumn(name: "authentifications")],
                                rows: [[.text("parent"), Self.users(20), volume(100), volume(90)],
                                       [.text("unknown"), Self.users(3), volume(4), volume(4)],
                                       [.text("*"), Self.users(23), volume(104), volume(94)]])
        ReportSuppression.apply(to: &table, minCell: 5)
        #expect(table.rows.map(\.[2].secrecy) == [.complement, .small, .shown])
        #expect(table.rows.map(\.[3].secrecy) == [.complement, .small, .shown])
    }

    /// Four communes with 1 agent each (`< 5`) and their total, 4 (`< 5` too): each part is
    /// at least 1, so the total is 4 and each part 1, whatever else is hidden. Nothing more
    /// is hidden for it (the other communes' cells would not help), and the five cells are
    /// counted as deducible, for the command to warn.
    @Test func aPinNoHidingCanFreeIsCountedNotChased() {
        var tables = [ReportTable(name: "t", title: "", question: "",
                                  columns: [ReportColumn(name: "commune"), ReportColumn(name: "utilisateurs_actifs"),
                                            ReportColumn(name: "comptes")],
                                  rows: ["a", "b", "c", "d"].map { [.text($0), Self.users(1), Self.users(40)] }
                                      + [[.text("e"), Self.users(0), Self.users(40)], [.text("*"), Self.users(4), Self.users(200)]])]
        #expect(ReportSuppression.apply(to: &tables, minCell: 5) == .init(deducible: 5, unchecked: 0))
        #expect(tables[0].rows.map(\.[1].secrecy) == [.small, .small, .small, .small, .shown, .small])
        #expect(!tables[0].rows.contains { $0[2].isSuppressed })
        // With 5 communes at 1 and a total of 5 (shown): the parts are protected by a
        // complement, and nothing is deducible.
        var five = [ReportTable(name: "t", title: "", question: "", columns: tables[0].columns,
                                rows: ["a", "b", "c", "d", "e"].map { [.text($0), Self.users(1), Self.users(40)] }
                                    + [[.text("*"), Self.users(5), Self.users(200)]])]
        #expect(ReportSuppression.apply(to: &five, minCell: 5) == .init())
    }

    /// A group of tied hidden cells whose solver tableau is over the limit is checked by
    /// bounds only, but for the cells a neighbourhood frees (`SecrecyNeighbourhood`): its
    /// other cells are counted as unchecked, and such a report must not be published as it
    /// is (`entstat report` exits 3), whatever else it leaves deducible.
    /// One commune at 3 users (`< 5`) and two at 10 and 12 under a shown total of 25: the 3
    /// and one complement (the 10, the smaller) are hidden, tied by the total: a group of 2
    /// cells and 1 relation, a tableau of 1 × 2 entries. Its two cells free each other (4
    /// and 9 meet the total): nothing is left unchecked, with the solver or without.
    @Test func aGroupTooLargeForTheSolverIsCheckedByNeighbourhoods() throws {
        func table() -> [ReportTable] {
            [ReportTable(name: "t", title: "", question: "",
                         columns: [ReportColumn(name: "commune"), ReportColumn(name: "utilisateurs_actifs")],
                         rows: [[.text("a"), Self.users(3)], [.text("b"), Self.users(10)], [.text("c"), Self.users(12)],
                                [.text("*"), Self.users(25)]])]
        }
        var solved = table(), bounded = table()
        #expect(ReportSuppression.apply(to: &solved, minCell: 5, tableauLimit: 2) == .init())
        #expect(ReportSuppression.apply(to: &bounded, minCell: 5, tableauLimit: 1) == .init())
        for tables in [solved, bounded] {
            #expect(tables[0].rows.map(\.[1].secrecy) == [.small, .complement, .shown, .shown])
        }
        // The same through the report: the fixture's whole report, its solver limited to a
        // tableau of 1 entry (every group with a relation over it), against the same report
        // with the shipped limit. Every hidden cell of it is freed by a neighbourhood (before
        // them, the limited report left cells unchecked): the same CSV files, nothing
        // unchecked. A report that leaves a cell unchecked must not be published.
        let store = try Store(readingFrom: ReportFixture.shared)
        var request = ReportRequest(minCell: 5, queriesDirectory: ReportFixture.queriesDirectory, styleSheet: "body{}")
        request.solverTableauLimit = 1
        let limited = try ReportBuilder(store: store, request: request).build()
        #expect(Self.output.uncheckedCells == 0 && !Self.output.mustNotBePublished)
        #expect(limited.uncheckedCells == 0 && !limited.mustNotBePublished, "\(limited.uncheckedCells)")
        #expect(limited.csvFiles.map(\.name) == Self.output.csvFiles.map(\.name))
        #expect(limited.csvFiles.map(\.content) == Self.output.csvFiles.map(\.content))
        var unchecked = limited
        unchecked.uncheckedCells = 1
        #expect(unchecked.mustNotBePublished)
        #expect(!limited.leavesCellsDeducible)
    }

    /// A commune whose 51 accounts are all activated, one school of 48 accounts, and 3 agent
    /// accounts (one agent active, `< 5`): the agents' activated accounts (51 − the school's)
    /// are a small group no row shows, so one more cell is hidden; the school's activated
    /// alone would not do, since a school's accounts not activated are among its commune's
    /// (none): 48 − activated ≤ 51 − 51, so the school's activated are 48 and the agents' 3.
    /// The school's accounts must go with them (or the commune's figures).
    @Test func aCommuneFullyActivatedShowsItsSchoolsFullyActivated() {
        var tables = [
            ReportTable(name: "communes", title: "", question: "",
                        columns: ["code_commune", "comptes", "comptes_actives", "utilisateurs_actifs"].map { ReportColumn(name: $0) },
                        rows: [[.text("80101"), Self.users(51), Self.users(51), Self.users(27)],
                               [.text("80102"), Self.users(60), Self.users(50), Self.users(30)],
                               [.text("*"), Self.users(111), Self.users(101), Self.users(57)]]),
            ReportTable(name: "ecoles", title: "", question: "",
                        columns: ["uai", "code_commune", "comptes", "comptes_actives", "utilisateurs_actifs"].map { ReportColumn(name: $0) },
                        rows: [[.text("0800001A"), .text("80101"), Self.users(48), Self.users(48), Self.users(26)],
                               [.text("0800002A"), .text("80102"), Self.users(60), Self.users(50), Self.users(30)]]),
            ReportTable(name: "communes_parents_services", title: "", question: "",
                        columns: ["code_commune", "agents_communaux_actifs"].map { ReportColumn(name: $0) },
                        rows: [[.text("80101"), Self.users(1)], [.text("80102"), Self.users(0)], [.text("*"), Self.users(1)]]),
        ]
        // The relation holds on the true values of both communes, and is stated for each.
        let stated = ReportSuppression.nestedSetDifferences(ReportSuppression.Cells(tables: tables))
        #expect(stated.equations.count == 4)  // two communes over their school, two rows under `*`
        _ = ReportSuppression.apply(to: &tables, minCell: 5)
        let commune = tables[0].rows[0], school = tables[1].rows[0]
        #expect(school[3].isSuppressed)
        // Nothing left for a reader to pin the school's 48 with: its accounts, or the
        // commune's accounts or activated accounts, are hidden too.
        #expect(school[2].isSuppressed || commune[1].isSuppressed || commune[2].isSuppressed)
    }

    /// Two communes of one school each; their agents' 6 accounts (the role `commune`, every
    /// level) are all activated. Commune A has 195 accounts, 169 activated; its school 193, 167
    /// activated: the 2 activated accounts A has beyond its school are a small group no row
    /// shows, so the school's 167 are hidden. A school's accounts not activated are among its
    /// commune's (193 − x ≤ 26: x ≥ 167), and what A has beyond its school is its agents'
    /// (a commune's agents are in no school), whose accounts are all activated: 26 − (193 − x)
    /// ≤ 6 − 6, so x ≤ 167 — the 167 exact (the sample's CA Amiens Métropole showed it so,
    /// 5 cells in all). With the agents' relations stated (`communeAgents`), one more cell
    /// is hidden and nothing is deducible.
    @Test func aCommunesAgentsAllActivatedDoNotGiveBackItsSchoolsActivatedAccounts() {
        func users(_ values: [Int]) -> [ReportCell] { values.map { Self.users($0) } }
        var tables = [
            ReportTable(name: "communes", title: "", question: "",
                        columns: ["code_commune", "comptes", "comptes_actives"].map { ReportColumn(name: $0) },
                        rows: [[.text("80083")] + users([195, 169]), [.text("80021")] + users([100, 80]), [.text("*")] + users([295, 249])]),
            ReportTable(name: "ecoles", title: "", question: "",
                        columns: ["uai", "code_commune", "comptes", "comptes_actives"].map { ReportColumn(name: $0) },
                        rows: [[.text("0804063G"), .text("80083")] + users([193, 167]), [.text("0803238K"), .text("80021")] + users([96, 76])]),
            ReportTable(name: "adoption_role_niveau", title: "", question: "",
                        columns: ["role", "niveau", "comptes", "comptes_actives"].map { ReportColumn(name: $0) },
                        rows: [[.text("commune"), .text("")] + users([6, 6]), [.text("commune"), .text("*")] + users([6, 6])]),
            ReportTable(name: "communes_parents_services", title: "", question: "",
                        columns: ["code_commune", "agents_communaux_actifs"].map { ReportColumn(name: $0) },
                        rows: [[.text("80083"), Self.users(1)], [.text("80021"), Self.users(2)], [.text("*"), Self.users(3)]]),
        ]
        // Per commune and over both, for the accounts, the activated and the not activated:
        // its excess over its schools at most the role's (2 × 3 + 3), the role's at most
        // the excesses over the largest schools (3); all hold on the true values.
        let cells = ReportSuppression.Cells(tables: tables)
        let stated = ReportSuppression.communeAgents(cells)
        #expect(stated.equations.count == 12)
        #expect(stated.equations.allSatisfy(cells.holds))
        #expect(ReportSuppression.apply(to: &tables, minCell: 5) == .init())
        let commune = tables[0].rows[0], school = tables[1].rows[0], role = tables[2].rows[1]
        #expect(school[3].isSuppressed)
        // Something more is hidden, so that the school's 167 is not the only value left.
        #expect(school[2].isSuppressed || commune[1].isSuppressed || commune[2].isSuppressed || role[2].isSuppressed || role[3].isSuppressed,
                "\(tables.map { $0.rows.map { $0.map { $0.isSuppressed ? "h" : $0.textValue.isEmpty ? "\($0.count)" : $0.textValue } } })")
    }

    /// Every difference of nested sets is stated for a level within every level (a role's,
    /// the parents' of a month) and for the accounts activated during a month, each term
    /// with its sign: raising the maternelle's activated accounts of October from 10 to 25,
    /// while every level's grow from 20 to 30, breaks exactly the relation that the 15
    /// activated during October at one level are among the 10 at all.
    @Test func aLevelsDifferencesAreAmongEveryLevels() {
        func users(_ values: [Int]) -> [ReportCell] { values.map { Self.users($0) } }
        let byLevel = ReportTable(name: "adoption_role_niveau", title: "", question: "",
                                  columns: ["role", "niveau", "comptes", "comptes_actives", "utilisateurs_actifs", "utilisateurs_actifs_inscrits"].map { ReportColumn(name: $0) },
                                  rows: [[.text("parent"), .text("maternelle")] + users([40, 30, 35, 33]),
                                         [.text("parent"), .text("elementaire")] + users([50, 40, 45, 44]),
                                         [.text("parent"), .text("*")] + users([85, 67, 77, 74])])
        func monthly(octoberMaternelle: Int) -> ReportTable {
            ReportTable(name: "parents_niveau_mensuel", title: "", question: "",
                        columns: ["mois", "niveau", "comptes", "comptes_actives"].map { ReportColumn(name: $0) },
                        rows: [[.text("2018-09"), .text("maternelle")] + users([40, 10]), [.text("2018-09"), .text("elementaire")] + users([50, 12]),
                               [.text("2018-09"), .text("*")] + users([85, 20]),
                               [.text("2018-10"), .text("maternelle")] + users([40, octoberMaternelle]),
                               [.text("2018-10"), .text("elementaire")] + users([50, 20]), [.text("2018-10"), .text("*")] + users([85, 30])])
        }
        let cells = ReportSuppression.Cells(tables: [byLevel, monthly(octoberMaternelle: 10)])
        let stated = ReportSuppression.nestedSetDifferences(cells)
        // 2 levels × 3 differences of the role; 2 levels × 2 months of the parents; 2 levels
        // activated during October.
        #expect(stated.equations.count == 12)
        #expect(stated.equations.allSatisfy(cells.holds))
        let raised = ReportSuppression.Cells(tables: [byLevel, monthly(octoberMaternelle: 25)])
        #expect(ReportSuppression.nestedSetDifferences(raised).equations.filter { !raised.holds($0) }.count == 1)
    }

    /// A month's active users outside the directory (active − listed) are among the
    /// period's: 5 parents outside it in the period, 3 in September and 3 in October; October
    /// with 7 (listed 33 of 40) breaks exactly that relation, the others (users and listed
    /// users each among the period's) still holding.
    @Test func aMonthsUsersOutsideTheDirectoryAreAmongThePeriods() {
        let columns = ["utilisateurs_actifs", "utilisateurs_actifs_inscrits"].map { ReportColumn(name: $0) }
        let period = ReportTable(name: "synthese_roles", title: "", question: "", columns: [ReportColumn(name: "role")] + columns,
                                 rows: [[.text("parent"), Self.users(50), Self.users(45)]])
        func months(octoberListed: Int) -> ReportTable {
            ReportTable(name: "tendance_mensuelle", title: "", question: "",
                        columns: [ReportColumn(name: "mois"), ReportColumn(name: "role")] + columns,
                        rows: [[.text("2018-09"), .text("parent"), Self.users(30), Self.users(27)],
                               [.text("2018-10"), .text("parent"), Self.users(40), Self.users(octoberListed)]])
        }
        let cells = ReportSuppression.Cells(tables: [period, months(octoberListed: 37)])
        let stated = ReportSuppression.monthsVersusPeriod(cells)
        #expect(stated.equations.allSatisfy(cells.holds))
        let changed = ReportSuppression.Cells(tables: [period, months(octoberListed: 33)])
        #expect(ReportSuppression.monthsVersusPeriod(changed).equations.filter { !changed.holds($0) }.count == 1)
    }

    /// A year's report starts on Saturday 1 September 2018: its first week holds two days,
    /// 9 users of the old ENT, and Sunday's 5 are shown beside Saturday's `< 5`. A week's
    /// users are at most the sum of its days', so Saturday's are at least 9 − 5 = 4: 4. One
    /// more cell is hidden (Sunday's or the week's); the Somme year's reports of communes
    /// 80688 and 80809 left it to the auditor.
    @Test func aWeeksUsersBoundItsDays() {
        var tables = [
            ReportTable(name: "migration_hebdo", title: "", question: "",
                        columns: ["semaine", "utilisateurs_ancien_ent", "utilisateurs_nouvel_ent", "utilisateurs_les_deux"].map { ReportColumn(name: $0) },
                        rows: [[.text("2018-W35"), Self.users(9), Self.users(0), Self.users(0)],
                               [.text("2018-W36"), Self.users(36), Self.users(0), Self.users(0)]]),
            ReportTable(name: "activite_quotidienne", title: "", question: "",
                        columns: ["jour", "jour_semaine", "utilisateurs_actifs"].map { ReportColumn(name: $0) },
                        rows: [[.text("2018-09-01"), .ordinal(6), Self.users(4)], [.text("2018-09-02"), .ordinal(7), Self.users(5)],
                               [.text("2018-09-03"), .ordinal(1), Self.users(30)], [.text("2018-09-04"), .ordinal(2), Self.users(20)]]),
        ]
        // Per week: the sum of its days, and each day at most the week.
        #expect(ReportSuppression.weeksVersusDays(ReportSuppression.Cells(tables: tables)).equations.count == 6)
        _ = ReportSuppression.apply(to: &tables, minCell: 5)
        #expect(tables[1].rows[0][2].secrecy == .small)
        #expect(tables[1].rows[1][2].isSuppressed || tables[0].rows[0][1].isSuppressed)
    }

    /// An hour's share of the period's visits gives the period's visits back from its shown
    /// figure (33 at 0,5410 make 61, to a tenth of a visit): when the total is published
    /// nowhere, every share is hidden; when a total row shows it, only the rows' own rule
    /// applies; a total of another figure (62) is not it.
    @Test func sharesOfAHiddenTotalAreHidden() {
        func hours(_ secrecy: [ReportCell.Secrecy]) -> ReportTable {
            let visits = [33, 25, 3]
            return ReportTable(name: "heures_chargees", title: "", question: "",
                               columns: [ReportColumn(name: "heure"), ReportColumn(name: "connexions"), ReportColumn(name: "part_connexions")],
                               rows: visits.indices.map { [.ordinal(7 + $0), .volume(Double(visits[$0]), secrecy: secrecy[$0]),
                                                           .rate(Double(visits[$0]) / 61, secrecy: secrecy[$0])] })
        }
        func synthesis(_ total: Int, _ secrecy: ReportCell.Secrecy) -> ReportTable {
            ReportTable(name: "synthese_roles", title: "", question: "", columns: [ReportColumn(name: "role"), ReportColumn(name: "connexions")],
                        rows: [[.text("*"), .volume(Double(total), secrecy: secrecy)]])
        }
        func shares(_ tables: [ReportTable]) -> [ReportCell.Secrecy] {
            var tables = tables
            ReportSuppression.shares(&tables)
            return tables[0].rows.map(\.[2].secrecy)
        }
        let hidden = hours([.shown, .complement, .small])
        #expect(shares([hidden, synthesis(61, .complement)]) == [.complement, .complement, .small])
        #expect(shares([hidden]) == [.complement, .complement, .small])
        #expect(shares([hidden, synthesis(62, .shown)]) == [.complement, .complement, .small])
        #expect(shares([hidden, synthesis(61, .shown)]) == [.shown, .complement, .small])
        #expect(shares([hours([.shown, .shown, .shown])]) == [.shown, .shown, .shown])
    }

    /// A commune's 119 accounts hold its school's and its active agents' (each has one): the
    /// school's hidden accounts are at most 119 − 1 (one agent, `< 5`), and at least its 118
    /// listed active users: 118. One more cell is hidden.
    @Test func aCommunesAccountsHoldItsActiveAgents() {
        var tables = [
            ReportTable(name: "communes", title: "", question: "", columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "comptes")],
                        rows: [[.text("80112"), Self.users(119)]]),
            ReportTable(name: "ecoles", title: "", question: "",
                        columns: [ReportColumn(name: "uai"), ReportColumn(name: "code_commune"), ReportColumn(name: "comptes"),
                                  ReportColumn(name: "utilisateurs_actifs_inscrits")],
                        rows: [[.text("0801043Z"), .text("80112"), .users(118, secrecy: .complement), Self.users(118)]]),
            ReportTable(name: "communes_parents_services", title: "", question: "",
                        columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "agents_communaux_actifs")],
                        rows: [[.text("80112"), Self.users(1)]]),
        ]
        ReportSuppression.apply(to: &tables, minCell: 5)
        #expect(tables[0].rows[0][1].isSuppressed || tables[1].rows[0][3].isSuppressed, "\(tables.map(\.rows))")
    }

    /// A role's active users are its users of the old ENT plus those of the new one less
    /// those of both: 7 + 12 − 17 gave the 2 staff seen in both, hidden; one more is hidden.
    @Test func theMigrationEquationProtectsItsHiddenCell() {
        var tables = [
            ReportTable(name: "synthese_roles", title: "", question: "",
                        columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")],
                        rows: [[.text("staff"), Self.users(17)], [.text("teacher"), Self.users(40)], [.text("*"), Self.users(57)]]),
            ReportTable(name: "migration_bilan", title: "", question: "",
                        columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_ancien_ent"),
                                  ReportColumn(name: "utilisateurs_nouvel_ent"), ReportColumn(name: "utilisateurs_retrouves")],
                        rows: [[.text("staff"), Self.users(7), Self.users(12), Self.users(2)],
                               [.text("teacher"), Self.users(30), Self.users(30), Self.users(20)],
                               [.text("*"), Self.users(37), Self.users(42), Self.users(22)]]),
        ]
        ReportSuppression.apply(to: &tables, minCell: 5)
        #expect(tables[1].rows[0].dropFirst().map(\.secrecy) == [.complement, .shown, .small], "old 7 hidden: 5 + both, 6 to 9")
        #expect(!tables[0].rows[0][1].isSuppressed, "the synthesis keeps its figure")
        // The teachers' old-ENT users go too (37 − 30 would give the staff's 7 back), then
        // their users of both (40 − old + … would pin old at 30): each hidden cell keeps a
        // range (staff in both 1–4, teachers in both 18–21, old 6–9 and 28–31).
        #expect(tables[1].rows.map { $0.dropFirst().map(\.secrecy) }
                == [[.complement, .shown, .small], [.complement, .shown, .complement], [.shown, .shown, .shown]])
    }

    /// The cells hidden do not depend on the run: the relations come out of dictionaries,
    /// whose order changes from one process to the next, and are put in a fixed order. Three
    /// runs of the binary per territory give the same CSV files, byte for byte.
    @Test func theSameCellsAreHiddenOnEveryRun() throws {
        let dir = try E2E.scratch()
        for scope in [[], ["--commune", "80021"], ["--epci", "CA de la Baie de Somme"]] {
            var outputs: Set<String> = []
            for run in 0..<3 {
                let out = "r\(run)"
                let r = try E2E.run(["report", "--db", ReportFixture.shared, "--out", out, "--queries", ReportFixture.queriesDirectory] + scope, in: dir)
                #expect(r.status == 0, "\(r.stderr)")
                let folder = dir.appendingPathComponent(out)
                let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
                #expect(names.count == 20, "\(scope): \(names)")
                outputs.insert(try names.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined())
            }
            #expect(outputs.count == 1, "\(scope)")
            // Cells were hidden both ways (a run that hid nothing would be the same too).
            let fields = Set(try #require(outputs.first).split(whereSeparator: { ";\r\n".contains($0) }))
            #expect(fields.contains("< 5") && fields.contains("s"), "\(scope)")
        }
    }

    /// A total that exceeds its parts by a small group no row shows: one part is hidden.
    @Test func aSmallGroupThatNoRowShowsIsProtected() {
        var table = ReportTable(name: "t", title: "", question: "",
                                columns: [ReportColumn(name: "niveau"), ReportColumn(name: "comptes")],
                                rows: [[.text("maternelle"), Self.users(40)], [.text("elementaire"), Self.users(30)],
                                       [.text("*"), Self.users(72)]])
        ReportSuppression.apply(to: &table, minCell: 5)
        #expect(table.rows.map(\.[1].secrecy) == [.shown, .complement, .shown], "72 − 40 − 30 = 2 accounts of no level")
        // A larger group needs nothing.
        var large = table
        large.rows[2][1] = Self.users(80)
        large.rows[1][1] = Self.users(30)
        ReportSuppression.apply(to: &large, minCell: 5)
        #expect(!large.rows.contains { $0[1].isSuppressed })
    }

    /// Across tables: a commune, its one school and its agents (55 − 54 gave the commune's one
    /// agent, hidden in the agents' table); a role's accounts hidden in the synthesis are
    /// hidden in the table by level too; rates follow, `s` when no small count is behind them.
    @Test func tablesOfAPeriodAreMadeSafeTogether() {
        let communes = ReportTable(name: "communes", title: "", question: "",
                                   columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "commune"), ReportColumn(name: "comptes"),
                                             ReportColumn(name: "utilisateurs_actifs")],
                                   rows: [[.text("80383"), .text("Camon"), Self.users(75), Self.users(55)]])
        let schools = ReportTable(name: "ecoles", title: "", question: "",
                                  columns: [ReportColumn(name: "uai"), ReportColumn(name: "code_commune"), ReportColumn(name: "comptes"),
                                            ReportColumn(name: "utilisateurs_actifs"), ReportColumn(name: "taux_activation"),
                                            ReportColumn(name: "comptes_actives")],
                                  rows: [[.text("0802129E"), .text("80383"), Self.users(74), Self.users(54), .rate(0.5, secrecy: .shown), Self.users(37)]])
        let agents = ReportTable(name: "communes_parents_services", title: "", question: "",
                                 columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "agents_communaux_actifs")],
                                 rows: [[.text("80383"), Self.users(1)]])
        let synthesis = ReportTable(name: "synthese_roles", title: "", question: "",
                                    columns: [ReportColumn(name: "role"), ReportColumn(name: "comptes")],
                                    rows: [[.text("parent"), Self.users(37)], [.text("teacher"), Self.users(5)],
                                           [.text("commune"), Self.users(2)], [.text("*"), Self.users(44)]])
        let byLevel = ReportTable(name: "adoption_role_niveau", title: "", question: "",
                                  columns: [ReportColumn(name: "role"), ReportColumn(name: "niveau"), ReportColumn(name: "comptes")],
                                  rows: [[.text("teacher"), .text("elementaire"), Self.users(5)], [.text("teacher"), .text("*"), Self.users(5)]])
        var tables = [communes, schools, agents, synthesis, byLevel]
        ReportSuppression.apply(to: &tables, minCell: 5)
        #expect(tables[2].rows[0][1].secrecy == .small)
        #expect(tables[1].rows[0][3].secrecy == .complement, "the school's active users, or 55 − 54 gives the agent")
        #expect(tables[1].rows[0][2].secrecy == .complement, "the school's accounts, or 75 − 74 gives the agent's account")
        #expect(tables[0].rows[0][2].secrecy == .shown && tables[0].rows[0][3].secrecy == .shown, "the commune stays shown")
        #expect(tables[1].rows[0][4].secrecy == .complement, "a rate of a hidden count")
        #expect(tables[3].rows[1][1].secrecy == .complement, "5 teachers' accounts, the smallest other role")
        #expect(tables[4].rows.map(\.[2].secrecy) == [.complement, .complement], "the same figure in the table by level")
        let csv = ReportCSV.document(tables[1], minCell: 5)
        #expect(csv.hasSuffix("\r\n0802129E;80383;s;s;s;37\r\n"))
    }

    /// The same figure under another column name is known as one: the parents' active users
    /// in the synthesis and the communes' total of active parents (before, 15 − 12 gave the
    /// 3 teachers); the listed active users of a commune over its schools and its agents.
    @Test func aFigureUnderAnotherNameIsHiddenWithIt() {
        let synthesis = ReportTable(name: "synthese_roles", title: "", question: "",
                                    columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")],
                                    rows: [[.text("parent"), Self.users(12)], [.text("teacher"), Self.users(3)], [.text("*"), Self.users(15)]])
        let communes = ReportTable(name: "communes", title: "", question: "",
                                   columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "commune"),
                                             ReportColumn(name: "utilisateurs_actifs_inscrits"), ReportColumn(name: "parents_actifs")],
                                   rows: [[.text("80021"), .text("Amiens"), Self.users(49), Self.users(12)],
                                          [.text("*"), .text(""), Self.users(49), Self.users(12)]])
        let schools = ReportTable(name: "ecoles", title: "", question: "",
                                  columns: [ReportColumn(name: "uai"), ReportColumn(name: "code_commune"), ReportColumn(name: "utilisateurs_actifs_inscrits")],
                                  rows: [[.text("A"), .text("80021"), Self.users(3)], [.text("B"), .text("80021"), Self.users(40)]])
        let agents = ReportTable(name: "communes_parents_services", title: "", question: "",
                                 columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "agents_communaux_actifs")],
                                 rows: [[.text("80021"), Self.users(6)]])
        var tables = [synthesis, communes, schools, agents]
        ReportSuppression.apply(to: &tables, minCell: 5)
        #expect(tables[0].rows.map(\.[1].secrecy) == [.complement, .small, .shown])
        #expect(tables[1].rows.map(\.[3].secrecy) == [.complement, .complement], "12 active parents, hidden in the synthesis")
        #expect(tables[2].rows.map(\.[2].secrecy) == [.small, .shown])
        #expect(tables[3].rows[0][1].secrecy == .complement, "49 − 40 − 6 would give school A's 3")
    }

    /// A change hidden with one side is written `s`, never `< 5`: 100 staff against 3 (a
    /// small cell) the period before is a change of 97, which `< 5` would have misstated.
    @Test func aHiddenChangeIsNeverWrittenAsASmallCount() {
        let columns = [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs")]
        let current = ReportTable(name: "synthese_roles", title: "", question: "", columns: columns,
                                  rows: [[.text("staff"), Self.users(100)], [.text("teacher"), .users(3, secrecy: .small)],
                                         [.text("*"), Self.users(203)]])
        let previous = ReportTable(name: "synthese_roles_periode_precedente", title: "", question: "", columns: columns,
                                   rows: [[.text("staff"), .users(3, secrecy: .small)], [.text("teacher"), Self.users(40)],
                                          [.text("*"), Self.users(43)]])
        let csv = ReportCSV.document(ReportSections.comparison(current: current, previous: previous), minCell: 5)
        #expect(csv.contains("\r\nUtilisateurs actifs — ensemble;203;43;160\r\n"))
        #expect(csv.contains("\r\nUtilisateurs actifs — personnels;100;< 5;s\r\n"))
        #expect(csv.contains("\r\nUtilisateurs actifs — enseignants;< 5;40;s\r\n"))
    }

    /// A previous period with no activity at all (its logs not loaded) is written with its
    /// usage cells empty in `synthese_roles_periode_precedente.csv`, as `synthese.csv` and the
    /// page leave them, never as 0 users and an active rate of 0; its accounts stay. With
    /// any activity, the table is written as it is.
    @Test func aPreviousPeriodWithoutLogsHasNoUsageFigures() {
        let columns = ["role", "utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions", "authentifications",
                       "requetes", "comptes", "comptes_actives", "taux_activation", "taux_actifs"].map { ReportColumn(name: $0) }
        func previous(_ active: Int) -> ReportTable {
            ReportTable(name: "synthese_roles_periode_precedente", title: "", question: "", columns: columns, rows: [
                [.text("parent"), Self.users(active), Self.users(active), .volume(Double(2 * active), secrecy: .shown),
                 .volume(Double(active), secrecy: .shown), .volume(Double(3 * active), secrecy: .shown), Self.users(3250),
                 Self.users(1258), .rate(1258.0 / 3250, secrecy: .shown), .rate(Double(active) / 3250, secrecy: .shown)],
                [.text("*"), Self.users(active), Self.users(active), .volume(Double(2 * active), secrecy: .shown),
                 .volume(Double(active), secrecy: .shown), .volume(Double(3 * active), secrecy: .shown), Self.users(3250),
                 Self.users(1258), .rate(1258.0 / 3250, secrecy: .shown), .rate(Double(active) / 3250, secrecy: .shown)]])
        }
        let none = ReportCSV.document(ReportSections.previousAsPublished(previous(0)), minCell: 5)
        #expect(none.contains("\r\nparent;;;;;;3250;1258;0,3871;\r\n"))
        #expect(none.contains("\r\n*;;;;;;3250;1258;0,3871;\r\n"))
        let some = ReportCSV.document(ReportSections.previousAsPublished(previous(650)), minCell: 5)
        #expect(some.contains("\r\nparent;650;650;1300;650;1950;3250;1258;0,3871;0,2000\r\n"))
        #expect(some == ReportCSV.document(previous(650), minCell: 5))
    }

    /// Direction controls from an input are dropped from the HTML and the CSV.
    @Test func directionControlsFromAnInputAreDropped() {
        #expect(HTMLText.escape("Hameau\u{202E}lirva (80003)") == "Hameaulirva (80003)")
        #expect(CSVText.neutralized("\u{2066}=cmd\u{2069}") == "'=cmd")
        #expect(!Self.output.html.unicodeScalars.contains { BidiControls.contains($0) })
    }

    /// Sentences never say `< 5` or `s` for a hidden rate.
    @Test func sentencesSayAHiddenFigureInWords() {
        #expect(FrenchText.ratePhrase(.rate(0.25, secrecy: .small)) == "une part non publiée (secret statistique)")
        #expect(FrenchText.ratePhrase(.rate(0.25, secrecy: .shown)) == "25,0\u{202F}%")
        #expect(FrenchText.countPhrase(.users(3, secrecy: .small), noun: "parents", minCell: 5) == "moins de 5 parents")
        #expect(FrenchText.countPhrase(.users(30, secrecy: .complement), noun: "parents", minCell: 5)
                == "un nombre non publié (secret statistique) de parents")
        #expect(FrenchText.countPhrase(.users(1234, secrecy: .shown), minCell: 5) == "1\u{202F}234")
    }

    /// Every section's title and charts are in the page, with nothing fetched from the
    /// network (the figures themselves: ReportFiguresTests, against the exports).
    @Test func everySectionAndItsChartsAreThere() {
        let html = Self.output.html
        for title in ["Synthèse", "Adoption par rôle et niveau d&#39;école", "Parents selon le niveau d&#39;école", "Services utilisés",
                      "Communes et EPCI", "La migration", "Rythmes", "Annexe CCTP", "Méthodologie"] {
            #expect(html.contains(title), "\(title)")
        }
        #expect(html.components(separatedBy: "<svg").count > 8)
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))
    }
}
