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
        #expect(html.contains("<tbody><tr><td>—</td><td>(sans commune)</td><td>(sans EPCI)</td><td class=\"n\">0</td></tr>"
            + "<tr><td>80999</td><td>(nom inconnu)</td><td>(sans EPCI)</td><td class=\"n\">12</td></tr>"
            + "<tr><td>80021</td><td>Amiens</td><td>CA Amiens Métropole</td><td class=\"n\">30</td></tr>"
            + "<tr class=\"total\"><td>Ensemble</td><td></td><td></td><td class=\"n\">42</td></tr></tbody>"), "\(html)")
        // Without the name's column, the code alone says there is no commune.
        #expect(ReportHTML(minCell: 5).table(communes, columns: ["code_commune", "comptes"]).contains("<tbody><tr><td>(sans commune)</td><td class=\"n\">0</td></tr>"))
        #expect(ReportCSV.document(communes, minCell: 5).contains("\r\n;;;0\r\n80999;;;12\r\n"))
    }
}
