@testable import EntStat
import Testing

/// How the page reads to an elected official: labels that cannot be taken for another
/// figure, rows that read naturally, French counts, lines that do not break inside a figure
/// and rows a screen reader can name. The CSV files, the analysts' data, keep their codes.
@Suite struct ReportPageWordingTests {
    // MARK: The service of the login pages

    /// The feature `connexion` (login and logout pages, the `Auth` module) was labelled
    /// « Connexion » beside the column « Connexions » (visits): the page read « Connexion :
    /// 19 118 connexions ». It is « Ouverture et fermeture de session » on the page, its
    /// bar included; the CSV keeps the code, which the methodology explains.
    @Test func theServiceOfTheLoginPagesIsNotCalledConnexion() throws {
        #expect(FrenchText.feature("connexion") == "Ouverture et fermeture de session")
        #expect(FrenchText.keyText("connexion", column: "service") == "Ouverture et fermeture de session")
        let html = ReportSafetyTests.output.html
        #expect(!html.contains(">Connexion<"))
        #expect(html.contains("class=\"lbl\">Ouverture et fermeture de session</text>"))
        #expect(html.contains(">Ouverture et fermeture de session</t"))
        #expect(html.contains("primaire\u{202F}; journaux access (ancien ENT) et events (nouvel ENT)\u{202F}; services sous leur nom court (cahier_liaison, periscolaire…), et connexion pour l&#39;ouverture et la fermeture de session.</p>"))
        let services = try #require(ReportSafetyTests.output.csvFiles.first { $0.name == "services_par_role.csv" }?.content)
        #expect(services.contains("\r\n*;connexion;"))
        #expect(!services.contains("session"))
    }

    // MARK: The row of users without commune

    /// The users outside the directory have no commune: their row read « (sans commune) |
    /// (sans commune) » under the code and the name. It reads « — | (sans commune) »; a
    /// commune known by its code only (an agent's commune without a school in the schools
    /// file) reads « 80999 | (nom inconnu) », not « (sans commune) ». The CSV is unchanged.
    @Test func aRowWithoutCommuneReadsNaturally() {
        let communes = ReportTable(name: "communes", title: "Communes", question: "",
                                   columns: [ReportColumn(name: "code_commune"), ReportColumn(name: "commune"), ReportColumn(name: "epci"),
                                             ReportColumn(name: "comptes")],
                                   rows: [[.text(""), .text(""), .text(""), .users(0, secrecy: .shown)],
                                          [.text("80999"), .text(""), .text(""), .users(12, secrecy: .shown)],
                                          [.text("80021"), .text("Amiens"), .text("CA Amiens Métropole"), .users(30, secrecy: .shown)],
                                          [.text("*"), .text(""), .text(""), .users(42, secrecy: .shown)]])
        let html = ReportHTML(minCell: 5).table(communes)
        #expect(html.contains("<tbody><tr><th scope=\"row\">—</th><th scope=\"row\">(sans commune)</th><td>(sans EPCI)</td><td class=\"n\">0</td></tr>"
            + "<tr><th scope=\"row\">80999</th><th scope=\"row\">(nom inconnu)</th><td>(sans EPCI)</td><td class=\"n\">12</td></tr>"
            + "<tr><th scope=\"row\">80021</th><th scope=\"row\">Amiens</th><td>CA Amiens Métropole</td><td class=\"n\">30</td></tr>"
            + "<tr class=\"total\"><th scope=\"row\">Ensemble</th><th scope=\"row\"></th><td></td><td class=\"n\">42</td></tr></tbody>"), "\(html)")
        // Without the name's column, the code alone says there is no commune.
        #expect(ReportHTML(minCell: 5).table(communes, columns: ["code_commune", "comptes"]).contains("<tbody><tr><th scope=\"row\">(sans commune)</th><td class=\"n\">0</td></tr>"))
        #expect(ReportCSV.document(communes, minCell: 5).contains("\r\n;;;0\r\n80999;;;12\r\n"))
        // A school the schools file lacks (a UAI of the logs only) read « (sans école) » as its
        // level and « (sans commune) », its name blank.
        let schools = ReportTable(name: "ecoles", title: "Écoles", question: "",
                                  columns: ["uai", "ecole", "niveau", "commune", "comptes"].map { ReportColumn(name: $0) },
                                  rows: [[.text("0809999Z"), .text(""), .text(""), .text(""), .users(0, secrecy: .shown)],
                                         [.text("0801234X"), .text("École Jules-Ferry"), .text("maternelle"), .text("Amiens"), .users(30, secrecy: .shown)]])
        #expect(ReportHTML(minCell: 5).table(schools).contains("<tbody><tr><th scope=\"row\">0809999Z</th><th scope=\"row\">(absente du fichier des écoles)</th><td>(inconnu)</td><td>(inconnue)</td><td class=\"n\">0</td></tr>"
            + "<tr><th scope=\"row\">0801234X</th><th scope=\"row\">École Jules-Ferry</th><td>Maternelle</td><td>Amiens</td><td class=\"n\">30</td></tr></tbody>"))
        // Elsewhere, no school is no school.
        let levels = ReportTable(name: "t", title: "T", question: "", columns: [ReportColumn(name: "niveau"), ReportColumn(name: "comptes")],
                                 rows: [[.text(""), .users(7, secrecy: .shown)]])
        #expect(ReportHTML(minCell: 5).table(levels).contains("<th scope=\"row\">(sans école)</th>"))
    }

    // MARK: A count of none

    /// A period without any parent on the communes' services, or without anyone found from
    /// the old ENT in the new one, read « 0 parent a utilisé au moins un de ces trois
    /// services, soit 0,0 % des parents actifs ; 0 agent communal a été actif » and « 0 a
    /// aussi utilisé le nouvel ENT, soit 0,0 % »: French says « aucun ». 1 takes the
    /// singular, 2 the plural, a hidden count the plural, or the singular when it has no
    /// noun (« un nombre non publié (secret statistique) a aussi utilisé »).
    @Test func aCountOfNoneReadsAucun() throws {
        func users(_ n: Int, _ secrecy: ReportCell.Secrecy = .shown) -> ReportCell { .users(n, secrecy: secrecy) }
        func finding(_ parents: ReportCell, _ share: ReportCell, _ agents: ReportCell) -> String {
            ReportSections.communeServicesFinding(parents: parents, share: share, agents: agents, minCell: 5)
        }
        #expect(finding(users(0), .rate(0, secrecy: .shown), users(0))
                == "Aucun parent n'a utilisé la cantine, le transport scolaire ni les activités périscolaires ; aucun agent communal n'a été actif.")
        #expect(finding(users(0), .rate(nil, secrecy: .shown), users(1))
                == "Aucun parent n'a utilisé la cantine, le transport scolaire ni les activités périscolaires ; 1 agent communal a été actif.")
        #expect(finding(users(1), .rate(0.5, secrecy: .shown), users(2))
                == "1 parent a utilisé au moins un de ces trois services, soit 50,0\u{202F}% des parents actifs ; 2 agents communaux ont été actifs.")
        #expect(finding(users(2), .rate(1, secrecy: .shown), users(0))
                == "2 parents ont utilisé au moins un de ces trois services, soit 100,0\u{202F}% des parents actifs ; aucun agent communal n'a été actif.")
        #expect(finding(users(3, .small), .rate(0.1, secrecy: .small), users(3, .small))
                == "Moins de 5 parents ont utilisé au moins un de ces trois services, soit une part non publiée (secret statistique) des parents actifs ; moins de 5 agents communaux ont été actifs.")
        func migration(_ before: ReportCell, _ found: ReportCell, _ share: ReportCell) -> String {
            ReportSections.migrationFinding(before: before, found: found, share: share, minCell: 5)
        }
        #expect(migration(users(0), users(0), .rate(nil, secrecy: .shown)) == "Personne n'a utilisé l'ancien ENT pendant la période.")
        #expect(migration(users(12), users(0), .rate(0, secrecy: .shown))
                == "Sur 12 personnes actives dans l'ancien ENT pendant la période, aucune n'a utilisé le nouvel ENT.")
        #expect(migration(users(1), users(1), .rate(1, secrecy: .shown))
                == "Sur 1 personne active dans l'ancien ENT pendant la période, 1 a aussi utilisé le nouvel ENT, soit 100,0\u{202F}%.")
        #expect(migration(users(2), users(2), .rate(1, secrecy: .shown))
                == "Sur 2 personnes actives dans l'ancien ENT pendant la période, 2 ont aussi utilisé le nouvel ENT, soit 100,0\u{202F}%.")
        #expect(migration(users(3, .small), users(3, .small), .rate(1, secrecy: .small))
                == "Sur moins de 5 personnes actives dans l'ancien ENT pendant la période, moins de 5 ont aussi utilisé le nouvel ENT, soit une part non publiée (secret statistique).")
        #expect(migration(users(40), users(30, .complement), .rate(0.75, secrecy: .complement))
                == "Sur 40 personnes actives dans l'ancien ENT pendant la période, un nombre non publié (secret statistique) a aussi utilisé le nouvel ENT, soit une part non publiée (secret statistique).")
        // On the page: a week after the fixture's logs.
        let store = try Store(readingFrom: ReportFixture.shared)
        let empty = ReportRequest(from: CivilDate(year: 2019, month: 1, day: 7), to: CivilDate(year: 2019, month: 1, day: 13), minCell: 5,
                                  queriesDirectory: ReportFixture.queriesDirectory)
        let none = try ReportBuilder(store: store, request: empty).build().html
        #expect(none.contains("<p class=\"finding\">Aucun parent n&#39;a utilisé la cantine, le transport scolaire ni les activités périscolaires\u{202F}; aucun agent communal n&#39;a été actif.</p>"))
        #expect(none.contains("<p class=\"finding\">Personne n&#39;a utilisé l&#39;ancien ENT pendant la période.</p>"))
        #expect(!none.contains(">0 "))
    }

    // MARK: « < 5 » on one line

    /// A hidden count, « < 5 », was written with an ordinary space in the page's sentences
    /// and could wrap between « < » and « 5 »: the space is a no-break one on the page,
    /// tables included (whose figures do not wrap anyway); the CSV files keep « < 5 ».
    @Test func aHiddenCountIsNeverCutAtTheLineEnd() throws {
        let nb = "\u{00A0}", fine = "\u{202F}"
        #expect(FrenchTypography.apply(toHTML: "<p>remplacé par « &lt; 5 », &lt; 12 et &lt;b&gt; 5 ; x &lt; y</p><td class=\"n secret\">&lt; 5</td>")
                == "<p>remplacé par «\(fine)&lt;\(nb)5\(fine)», &lt;\(nb)12 et &lt;b&gt; 5\(fine); x &lt; y</p><td class=\"n secret\">&lt;\(nb)5</td>")
        // Tags are left as they are.
        #expect(FrenchTypography.apply(toHTML: "<a title=\"&lt; 5\">x</a>") == "<a title=\"&lt; 5\">x</a>")
        // The help pages' « < N » too is kept on one line (their narrow space is U+00A0);
        // a `<` glued to a word is not a bound.
        #expect(FrenchTypography.apply(toPlainText: "< 5") == "<\(nb)5")
        #expect(FrenchTypography.apply(toPlainText: "écrits « < N » ; a<b c", narrow: "\u{00A0}") == "écrits «\(nb)<\(nb)N\(nb)»\(nb); a<b c")
        let output = ReportSafetyTests.output
        #expect(!output.html.contains("&lt; 5"))
        #expect(output.html.contains("<td class=\"n secret\">&lt;\(nb)5</td>"))
        #expect(output.html.contains("Effectifs inférieurs à 5 masqués («\(fine)&lt;\(nb)5\(fine)»)"))
        let communes = try #require(output.csvFiles.first { $0.name == "communes.csv" }?.content)
        #expect(communes.contains(";< 5;"))
    }

    // MARK: Rows named for screen readers

    /// The cells that name a row (its role, commune, school, month, day…) were `<td>`: a
    /// screen reader read « 45,3 % » without the row it belongs to. They are row headers,
    /// `<th scope="row">`, as the heatmap's grid had them; what describes the row (a
    /// commune's EPCI, a school's level, a day's weekday, a failed log's reason) stays a
    /// cell.
    @Test func theCellsThatNameARowAreItsHeaders() {
        func count(_ names: [String]) -> Int { ReportHTML.rowHeaderCount(names.map { ReportColumn(name: $0) }) }
        #expect(count(["role", "niveau", "comptes", "taux_actifs"]) == 2)
        #expect(count(["mois", "role", "utilisateurs_actifs"]) == 2)
        #expect(count(["role", "service", "utilisateurs"]) == 2)
        #expect(count(["code_commune", "commune", "epci", "comptes"]) == 2)
        #expect(count(["uai", "ecole", "niveau", "commune", "comptes"]) == 2)
        #expect(count(["epci", "comptes"]) == 1)
        #expect(count(["jour", "jour_semaine", "utilisateurs_actifs"]) == 1)
        #expect(count(["heure", "connexions"]) == 1)
        #expect(count(["fichier", "motif", "date_echec"]) == 1)
        #expect(count(["indicateur", "periode"]) == 1)
        #expect(count(["utilisateurs", "role"]) == 0, "a table that starts with a figure has no row header")
        #expect(count(["classe", "nom", "comptes"]) == 1, "an analyst's query: its first column")
        let html = ReportHTML(minCell: 5)
        let adoption = ReportTable(name: "adoption_role_niveau", title: "Adoption", question: "",
                                   columns: ["role", "niveau", "comptes", "taux_actifs"].map { ReportColumn(name: $0) },
                                   rows: [[.text("parent"), .text("maternelle"), .users(120, secrecy: .shown), .rate(0.453, secrecy: .shown)],
                                          [.text("*"), .text("*"), .users(3, secrecy: .small), .rate(0.5, secrecy: .small)]])
        #expect(html.table(adoption).contains("<tbody><tr><th scope=\"row\">Parents</th><th scope=\"row\">Maternelle</th><td class=\"n\">120</td><td class=\"n\">45,3\u{202F}%</td></tr>"
            + "<tr class=\"total\"><th scope=\"row\">Ensemble</th><th scope=\"row\">Tous niveaux</th><td class=\"n secret\">&lt; 5</td><td class=\"n secret\">&lt; 5</td></tr></tbody>"))
        let hours = ReportTable(name: "heures_chargees", title: "Heures", question: "", columns: [ReportColumn(name: "heure"), ReportColumn(name: "connexions")],
                                rows: [[.ordinal(17), .volume(1234, secrecy: .shown)]])
        #expect(html.table(hours).contains("<tbody><tr><th scope=\"row\" class=\"n\">17 h</th><td class=\"n\">1\u{202F}234</td></tr></tbody>"))
        // On the fixture's page: every table's rows are named, no row header is left a cell.
        let page = ReportSafetyTests.output.html
        #expect(page.contains("<tr><th scope=\"row\">Parents</th><th scope=\"row\">Maternelle</th><td class=\"n"))
        #expect(page.contains("<tr><th scope=\"row\">Ouverture et fermeture de session</th><td class=\"n"))
        #expect(page.contains("<tr class=\"total\"><th scope=\"row\">Ensemble</th>"))
        #expect(!page.contains("<tr><td>") && !page.contains("<tr class=\"total\"><td"))
    }
}
