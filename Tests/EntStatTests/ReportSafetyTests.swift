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
                                rows: [[.text("<script>alert(1)</script>"), .users(10, suppressed: false)],
                                       [.text("=HYPERLINK(\"http://x\";\"y\")"), .users(12, suppressed: false)],
                                       [.text("+33 1 23"), .users(0, suppressed: false)]])
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

    @Test func csvIsFrenchSpreadsheetFormat() throws {
        let peak = try #require(Self.output.csvFiles.first { $0.name == "peak_concurrent_users.csv" })
        #expect(peak.content.hasPrefix("\u{FEFF}jour;pic_utilisateurs_simultanes\r\n"))
        let synthesis = try #require(Self.output.csvFiles.first { $0.name == "synthese_roles.csv" })
        #expect(synthesis.content.contains(";0,"))   // decimal comma in rates
        #expect(!synthesis.content.contains("0."))
    }

    @Test func smallCellsNeverLeak() throws {
        for table in Self.output.tables {
            let users = table.columns.indices.filter { table.columns[$0].kind == .users }
            for row in table.rows {
                for c in users {
                    if case .users(let n, let hidden) = row[c], n > 0, n < 5 {
                        #expect(hidden, "\(table.name).\(table.columns[c].name) = \(n) shown")
                    }
                }
                // A rate from a hidden count is hidden.
                for (c, column) in table.columns.enumerated() where column.kind == .rate {
                    if let basis = ReportColumn.rateBasis(column.name), let n = table.column(basis.numerator), let d = table.column(basis.denominator),
                       row[n].isSuppressed || row[d].isSuppressed, case .rate(let v, let hidden) = row[c], v != nil {
                        #expect(hidden, "\(table.name).\(column.name)")
                    }
                }
            }
            // Total minus the others: never exactly one hidden detail cell under a shown total.
            for k in table.columns.indices where table.columns[k].kind == .text {
                for total in table.rows where total[k].textValue == "*" {
                    let others = table.columns.indices.filter { $0 != k && (table.columns[$0].kind == .text || table.columns[$0].kind == .ordinal) }
                    let details = table.rows.filter { r in r[k].textValue != "*" && others.allSatisfy { "\(r[$0])" == "\(total[$0])" } }
                    for c in users where !total[c].isSuppressed {
                        let hidden = details.filter { $0[c].isSuppressed }
                        #expect(hidden.count != 1, "\(table.name).\(table.columns[c].name): one hidden cell under a shown total")
                    }
                }
            }
        }
        // The HTML and the CSV show the same hidden marker, and no small count in the tiny commune.
        #expect(Self.output.html.contains("< 5") || Self.output.html.contains("&lt; 5"))
        let communes = try #require(Self.output.csvFiles.first { $0.name == "communes.csv" })
        let hameau = try #require(communes.content.split(separator: "\r\n").first { $0.hasPrefix("80005;") })
        #expect(hameau.contains("< 5"))
    }

    @Test func complementarySuppressionHidesASecondCell() {
        var table = ReportTable(name: "t", title: "", question: "",
                                columns: [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs_actifs"),
                                          ReportColumn(name: "utilisateurs_actifs_inscrits"), ReportColumn(name: "comptes"),
                                          ReportColumn(name: "taux_actifs")],
                                rows: [[.text("parent"), .users(40, suppressed: false), .users(40, suppressed: false), .users(50, suppressed: false), .rate(0.8, suppressed: false)],
                                       [.text("staff"), .users(2, suppressed: false), .users(2, suppressed: false), .users(9, suppressed: false), .rate(2.0 / 9, suppressed: false)],
                                       [.text("teacher"), .users(7, suppressed: false), .users(7, suppressed: false), .users(8, suppressed: false), .rate(7.0 / 8, suppressed: false)],
                                       [.text("*"), .users(49, suppressed: false), .users(49, suppressed: false), .users(67, suppressed: false), .rate(49.0 / 67, suppressed: false)]])
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
                                 rows: [[.text("a"), .users(3, suppressed: false)], [.text("b"), .users(0, suppressed: false)],
                                        [.text("*"), .users(3, suppressed: false)]])
        ReportSuppression.apply(to: &single, minCell: 5)
        #expect(single.rows[2][1].isSuppressed)
    }

    @Test func everySectionHasRealFigures() {
        let html = Self.output.html
        for title in ["Synthèse", "Adoption par rôle et niveau d&#39;école", "Parents : maternelle et élémentaire", "Services utilisés",
                      "Communes et EPCI", "La migration", "Rythmes", "Annexe CCTP", "Méthodologie"] {
            #expect(html.contains(title), "\(title)")
        }
        #expect(html.components(separatedBy: "<svg").count > 8)
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))
    }
}
