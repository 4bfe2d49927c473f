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
}
