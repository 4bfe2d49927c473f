import Foundation
import Testing

/// Reports published together: the territory's report shows each commune's and school's
/// row, which a commune's report made safe on its own may hide as complements, so that a
/// reader of both puts them back (the sample data's commune 80785: its parents' accounts
/// `s` in its report, 43 in the territory's; the auditor, `tools/secrecy-audit/family`,
/// finds 31 of its hidden cells exact from the two). With `--published-with`, a report
/// hides the shared figures the others hide and shows those they show, and says when that
/// leaves a small count deducible.
@Suite struct PublishedTogetherTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-logs")

    /// A CSV file of a report folder as rows of fields (no field of these tables is quoted).
    static func rows(_ folder: URL, _ table: String) throws -> [[String]] {
        let text = try String(contentsOf: folder.appendingPathComponent(table + ".csv"), encoding: .utf8)
        return E2E.lines(text).map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The commune's figures as `folder` publishes them, by table, then column: its row of
    /// `communes` and `communes_parents_services` (`row` names it; `*` is the commune's own
    /// total in its report), and its schools' rows of `ecoles` by UAI.
    static func communeFigures(_ folder: URL, row: String, schoolsOf commune: String) throws -> [String: String] {
        var figures: [String: String] = [:]
        // (After the key and the names: code, commune, EPCI; code, commune.)
        for (table, names) in [("communes", 3), ("communes_parents_services", 2)] {
            let rows = try Self.rows(folder, table)
            guard let found = rows.first(where: { $0[0] == row }) else { continue }
            for (column, value) in zip(rows[0], found).dropFirst(names) { figures["\(table).\(column)"] = value }
        }
        let schools = try Self.rows(folder, "ecoles")
        let code = schools[0].firstIndex(of: "code_commune")!
        for school in schools.dropFirst() where school[code] == commune {
            for (column, value) in zip(schools[0], school).dropFirst(5) { figures["ecoles.\(school[0]).\(column)"] = value }
        }
        return figures
    }

    static func hidden(_ text: String) -> Bool { text == "s" || text.hasPrefix("<") }

    /// A scratch folder holding the sample data's store, `s.sqlite`.
    static func sampleStore() throws -> URL {
        let dir = try E2E.scratch()
        let ingest = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--schools", sample.appendingPathComponent("schools.csv").path,
                                  "--accounts", sample.appendingPathComponent("accounts.csv").path, sample.appendingPathComponent("logs").path],
                                 in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return dir
    }

    @Test func aCommunesReportPublishedWithTheTerritorysAgreesWithItCellForCell() throws {
        let dir = try Self.sampleStore()
        let territory = try E2E.run(["report", "--db", "s.sqlite", "--out", "territoire"], in: dir)
        #expect(territory.status == 0, "\(territory.stderr)")
        let epci = try E2E.run(["report", "--db", "s.sqlite", "--out", "epci", "--epci", "CA de la Baie de Somme", "--published-with", "territoire"], in: dir)
        #expect(epci.status == 0, "\(epci.stderr)")
        let alone = try E2E.run(["report", "--db", "s.sqlite", "--out", "alone", "--commune", "80785"], in: dir)
        #expect(alone.status == 0, "\(alone.stderr)")
        let together = try E2E.run(["report", "--db", "s.sqlite", "--out", "together", "--commune", "80785",
                                    "--published-with", "territoire", "--published-with", "epci"], in: dir)

        let published = try Self.communeFigures(dir.appendingPathComponent("territoire"), row: "80785", schoolsOf: "80785")
        let inEPCI = try Self.communeFigures(dir.appendingPathComponent("epci"), row: "80785", schoolsOf: "80785")
        // (Its row, its row of services and its one school's: 10 + 9 + 7 figures.)
        #expect(published.count == 26)
        #expect(published["communes.comptes_parents"] == "43")
        // Alone, its report hides figures the territory's shows.
        let own = try Self.communeFigures(dir.appendingPathComponent("alone"), row: "80785", schoolsOf: "80785")
        #expect(own["communes.comptes_parents"] == "s")
        #expect(published.filter { !Self.hidden($0.value) && Self.hidden(own[$0.key] ?? "") }.count >= 6)
        // Published with them: every shared figure as they publish it, in its row and in its
        // own total (`*`), and the same in the EPCI's report.
        for folder in ["together"] {
            for row in ["80785", "*"] {
                let figures = try Self.communeFigures(dir.appendingPathComponent(folder), row: row, schoolsOf: row == "*" ? "" : "80785")
                for (key, value) in figures where published[key] != nil {
                    #expect(value == published[key], "\(row) \(key): \(value) here, \(published[key]!) in the territory's")
                }
                #expect(figures.count >= (row == "*" ? 19 : 26))
            }
        }
        #expect(inEPCI.filter { published[$0.key] != $0.value }.isEmpty, "\(inEPCI)")
        // What that leaves deducible is said: exit 3, the advice names the option.
        #expect(together.status == 3, "\(together.stderr)")
        #expect(together.stderr.contains("restent déductibles des autres cellules"), "\(together.stderr)")
        #expect(together.stderr.contains("les rapports avec lesquels il sera publié (--published-with)"), "\(together.stderr)")
        // Its methodology says so; the report made alone does not.
        let sentence = "Ce rapport est publié avec d&#39;autres (celui du territoire, celui de l&#39;EPCI)"
        #expect(try String(contentsOf: dir.appendingPathComponent("together/rapport.html"), encoding: .utf8).contains(sentence))
        #expect(!(try String(contentsOf: dir.appendingPathComponent("alone/rapport.html"), encoding: .utf8)).contains(sentence))

        // Another period, another threshold, a report without secrecy, no report at all, or the
        // territory's own: refused.
        let october = try E2E.run(["report", "--db", "s.sqlite", "--out", "oct", "--commune", "80785", "--from", "2018-10-08", "--to", "2018-10-31",
                                   "--published-with", "territoire"], in: dir)
        #expect(october.status == 1)
        #expect(october.stderr.contains("territoire/communes") && october.stderr.contains("il ne porte pas sur la même période ou le même magasin"),
                "\(october.stderr)")
        let six = try E2E.run(["report", "--db", "s.sqlite", "--out", "six", "--commune", "80785", "--min-cell", "6", "--published-with", "territoire"], in: dir)
        #expect(six.status == 1)
        #expect(six.stderr.contains("rapport publié au seuil 5, celui-ci au seuil 6"), "\(six.stderr)")
        let working = try E2E.run(["report", "--db", "s.sqlite", "--out", "travail", "--min-cell", "0"], in: dir)
        #expect(working.status == 0, "\(working.stderr)")
        let unsafe = try E2E.run(["report", "--db", "s.sqlite", "--out", "u", "--commune", "80785", "--published-with", "travail"], in: dir)
        #expect(unsafe.status == 1)
        #expect(unsafe.stderr.contains("un effectif sous le seuil 5, y est montré"), "\(unsafe.stderr)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("vide"), withIntermediateDirectories: true)
        let none = try E2E.run(["report", "--db", "s.sqlite", "--out", "none", "--commune", "80785", "--published-with", "vide"], in: dir)
        #expect(none.status == 1)
        #expect(none.stderr.contains("aucun des tableaux communes.csv"), "\(none.stderr)")
        let raising = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--commune", "80785", "--min-cell-up-to", "8", "--published-with", "territoire"], in: dir)
        #expect(raising.status == 1)
        #expect(raising.stderr.contains("--published-with et --min-cell-up-to s'excluent"), "\(raising.stderr)")
    }

    /// The other way round: the communes' reports made each on its own, in one folder, then
    /// the EPCI's and the territory's with them. The territory's and the EPCI's show and hide
    /// each commune's figures as its report does; the commune's own report stays as made
    /// alone, safe, and each of the others is checked for what the communes' shown figures
    /// leave deducible in it.
    @Test func theTerritorysReportMadeWithTheCommunesAgreesWithEach() throws {
        let dir = try Self.sampleStore()
        // Moreuil and Camon, two communes of the CA de la Baie de Somme.
        let codes = ["80785", "80383"]
        for code in codes {
            let made = try E2E.run(["report", "--db", "s.sqlite", "--out", "communes/\(code)", "--commune", code], in: dir)
            #expect(made.status == 0, "\(made.stderr)")
        }
        let alone = try E2E.run(["report", "--db", "s.sqlite", "--out", "territoire-seul"], in: dir)
        #expect(alone.status == 0, "\(alone.stderr)")
        let epci = try E2E.run(["report", "--db", "s.sqlite", "--out", "epci", "--epci", "CA de la Baie de Somme", "--published-with", "communes"], in: dir)
        #expect([0, 3].contains(epci.status), "\(epci.stderr)")
        let territory = try E2E.run(["report", "--db", "s.sqlite", "--out", "territoire", "--published-with", "communes", "--published-with", "epci"], in: dir)
        #expect([0, 3].contains(territory.status), "\(territory.stderr)")
        var disagreedAlone = 0
        for code in codes {
            let own = try Self.communeFigures(dir.appendingPathComponent("communes/\(code)"), row: code, schoolsOf: code)
            #expect(own.count == 26)
            for folder in ["territoire", "epci"] {
                let shown = try Self.communeFigures(dir.appendingPathComponent(folder), row: code, schoolsOf: code)
                #expect(shown == own, "\(code) in \(folder): \(shown.filter { own[$0.key] != $0.value })")
            }
            let before = try Self.communeFigures(dir.appendingPathComponent("territoire-seul"), row: code, schoolsOf: code)
            disagreedAlone += before.filter { !Self.hidden($0.value) && Self.hidden(own[$0.key] ?? "") }.count
        }
        // Made alone, the territory's showed figures the communes hide (Moreuil's parents' 43).
        #expect(disagreedAlone >= 6)
        #expect(try String(contentsOf: dir.appendingPathComponent("territoire/rapport.html"), encoding: .utf8)
            .contains("Ce rapport est publié avec d&#39;autres"))
    }
}
