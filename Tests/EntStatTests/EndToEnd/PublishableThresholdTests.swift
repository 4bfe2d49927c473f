import Foundation
import Testing

/// `entstat report` when hidden cells stay deducible whatever else is hidden: exit 3, the
/// threshold that prevents it named, and `--min-cell-up-to` writing the report at it.
@Suite struct PublishableThresholdTests {
    /// An EPCI of six communes, one school each (40 parents and 8 teachers, every account
    /// activated) and three agent accounts per commune; on 15 October 2018 one agent is
    /// active in each of the first four communes, none in the last two. Its one-day report
    /// shows four communes at « < 5 » agents and their total at « < 5 »: each is at least
    /// 1 and together at most 4, so each is 1, whatever else is hidden. At « < 6 », each
    /// may be 1 or 2.
    static func epciWithFourLoneAgents(in dir: URL) throws {
        let communes = [("80101", "Abbeville-Test"), ("80102", "Béthencourt"), ("80103", "Cayeux"),
                        ("80104", "Domart"), ("80105", "Eaucourt"), ("80106", "Flixecourt")]
        var schools = "uai;nom;niveau;code_commune;commune;epci\n"
        var accounts = "user_id;legacy_id;role;schools;code_commune;activated_on\n"
        var events: [String] = []
        func at(_ hour: Int, _ minute: Int) -> String { String(format: "2018-10-15T%02d:%02d:00", hour, minute) }
        for (i, (code, name)) in communes.enumerated() {
            let uai = ReportFixture.uai(i + 1)
            schools += "\(uai);École \(name);elementaire;\(code);\(name);CC Test\n"
            for k in 0..<40 {
                accounts += "p-\(i)-\(k);;parent;\(uai);;2018-09-01\n"
                if k < 20 + i { events.append(LogLine.event(user: "p-\(i)-\(k)", utc: at(6 + k % 10, k % 50), module: "Timeline", profil: "Relative", structures: [uai])) }
            }
            for k in 0..<8 {
                accounts += "t-\(i)-\(k);;teacher;\(uai);;2018-09-01\n"
                if k < 6 + i % 2 { events.append(LogLine.event(user: "t-\(i)-\(k)", utc: at(7 + k, 10), module: "Blog", profil: "Teacher", structures: [uai])) }
            }
            for k in 0..<3 {
                accounts += "a-\(i)-\(k);;commune;;\(code);2018-09-01\n"
            }
            if i < 4 { events.append(LogLine.event(user: "a-\(i)-0", utc: at(8, 5 * i), module: "Cantine", profil: "Personnel")) }
        }
        try E2E.write(schools, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write(accounts, to: dir.appendingPathComponent("accounts.csv"))
        try E2E.writeGzip(events.joined(separator: "\n") + "\n", to: dir.appendingPathComponent("events.jsonl.gz"))
        let ingest = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--schools", "schools.csv", "--accounts", "accounts.csv",
                                  "events.jsonl.gz"], in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    static let oneDay = ["--epci", "CC Test", "--from", "2018-10-15", "--to", "2018-10-15", "--queries", ReportFixture.queriesDirectory]

    /// The agents' column of `communes_parents_services.csv`, by commune code.
    static func agents(_ dir: URL) throws -> [String: String] {
        let csv = try String(contentsOf: dir.appendingPathComponent("communes_parents_services.csv"), encoding: .utf8)
        let lines = E2E.lines(csv)
        let header = lines[0].split(separator: ";", omittingEmptySubsequences: false)
        let column = header.firstIndex(of: "agents_communaux_actifs")!
        var found: [String: String] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            found[fields[0]] = fields[column]
        }
        return found
    }

    @Test func aReportLeftDeducibleExitsThreeAndNamesTheThresholdThatPreventsIt() throws {
        let dir = try E2E.scratch()
        try Self.epciWithFourLoneAgents(in: dir)
        let run = try E2E.run(["report", "--db", "s.sqlite", "--out", "r5"] + Self.oneDay, in: dir)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("restent déductibles des autres cellules"))
        #expect(run.stderr.contains("au seuil 6, aucune ne l'est"), "\(run.stderr)")
        // Written all the same, for the analyst.
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r5/rapport.html").path))
        #expect(try Self.agents(dir.appendingPathComponent("r5")) ==
                ["80101": "< 5", "80102": "< 5", "80103": "< 5", "80104": "< 5", "80105": "0", "80106": "0", "*": "< 5"])
    }

    @Test func minCellUpToWritesTheReportAtTheFirstThresholdThatLeavesNothingDeducible() throws {
        let dir = try E2E.scratch()
        try Self.epciWithFourLoneAgents(in: dir)
        let raised = try E2E.run(["report", "--db", "s.sqlite", "--out", "up", "--min-cell-up-to", "8"] + Self.oneDay, in: dir)
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(raised.stderr.contains("seuil relevé de 5 à 6"), "\(raised.stderr)")
        #expect(!raised.stderr.contains("restent déductibles des autres cellules, et"))
        let up = dir.appendingPathComponent("up")
        #expect(try Self.agents(up) ==
                ["80101": "< 6", "80102": "< 6", "80103": "< 6", "80104": "< 6", "80105": "0", "80106": "0", "*": "< 6"])
        let page = try String(contentsOf: up.appendingPathComponent("rapport.html"), encoding: .utf8)
        #expect(page.contains("seuil relevé de 5 à 6"))
        #expect(page.contains("Le seuil de ce rapport a été relevé de 5 à 6"))
        // The same tables as the report asked for at 6 directly.
        let direct = try E2E.run(["report", "--db", "s.sqlite", "--out", "at6", "--min-cell", "6"] + Self.oneDay, in: dir)
        #expect(direct.status == 0, "\(direct.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: up.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(names.count == 20)
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: up.appendingPathComponent(name).path,
                                                      andPath: dir.appendingPathComponent("at6/\(name)").path), "\(name)")
        }
        // Every commune here has all its accounts activated: a school's activated accounts
        // are then its accounts, so a school never shows its accounts and hides its
        // activated ones (the agents' would be the commune's minus the school's).
        let schools = E2E.lines(try String(contentsOf: up.appendingPathComponent("ecoles.csv"), encoding: .utf8))
        let header = schools[0].split(separator: ";", omittingEmptySubsequences: false)
        let accounts = header.firstIndex(of: "comptes")!, activated = header.firstIndex(of: "comptes_actives")!
        for line in schools.dropFirst() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            #expect(!(fields[accounts] != "s" && fields[activated] == "s"), "\(line)")
        }
        // Nothing deducible at the threshold asked for: nothing raised, the same report.
        let clean = try E2E.run(["report", "--db", "s.sqlite", "--out", "clean", "--min-cell", "6", "--min-cell-up-to", "8"] + Self.oneDay, in: dir)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!clean.stderr.contains("seuil relevé"))
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: dir.appendingPathComponent("clean/\(name)").path,
                                                      andPath: dir.appendingPathComponent("at6/\(name)").path), "\(name)")
        }
        #expect(!(try String(contentsOf: dir.appendingPathComponent("clean/rapport.html"), encoding: .utf8)).contains("seuil relevé"))
        // A ceiling too low to help: the report at 5, exit 3, the advice as without it.
        let low = try E2E.run(["report", "--db", "s.sqlite", "--out", "low", "--min-cell-up-to", "5"] + Self.oneDay, in: dir)
        #expect(low.status == 3)
        #expect(low.stderr.contains("au seuil 6, aucune ne l'est"))
    }

    /// A report that must not be published says so in its folder too (the exit code is
    /// gone once the run is over): `A-NE-PAS-PUBLIER.txt`, with the warnings. Named to
    /// `--published-with`, it is refused; in a folder of reports, it is left out (no reader
    /// will hold it) and named on standard error. Written again fit to publish (here at
    /// « < 6 »), the folder loses the file.
    @Test func aReportNotToBePublishedIsMarkedInItsFolderAndLeftOutOfAFamily() throws {
        let dir = try E2E.scratch()
        try Self.epciWithFourLoneAgents(in: dir)
        let folders = dir.appendingPathComponent("publies")
        let epci = folders.appendingPathComponent("epci")
        let run = try E2E.run(["report", "--db", "s.sqlite", "--out", "publies/epci"] + Self.oneDay, in: dir)
        #expect(run.status == 3, "\(run.stderr)")
        let marker = epci.appendingPathComponent("A-NE-PAS-PUBLIER.txt")
        let note = try String(contentsOf: marker, encoding: .utf8)
        #expect(note.hasPrefix("Ce rapport (écrit le "), "\(note)")
        #expect(note.contains("code de sortie 3"))
        // Every warning of the secrecy, as on standard error.
        let warnings = run.stderr.split(separator: "\n").filter { $0.contains("secret statistique") }.map(String.init)
        #expect(!warnings.isEmpty)
        for line in warnings {
            let text = try #require(line.components(separatedBy: "attention : ").last)
            #expect(note.contains(text + "\n"), "\(text)")
        }
        // A commune of that EPCI, alone and with the folder of reports: the same tables.
        let commune = ["--commune", "80101", "--from", "2018-10-15", "--to", "2018-10-15", "--queries", ReportFixture.queriesDirectory]
        let alone = try E2E.run(["report", "--db", "s.sqlite", "--out", "alone"] + commune, in: dir)
        let family = try E2E.run(["report", "--db", "s.sqlite", "--out", "family", "--published-with", "publies"] + commune, in: dir)
        #expect(family.status == alone.status, "\(family.stderr)")
        #expect(family.stderr.contains("--published-with : 1 rapport laissé de côté (il ne doit pas être publié tel quel, A-NE-PAS-PUBLIER.txt) : publies/epci"),
                "\(family.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("alone").path).filter { $0.hasSuffix(".csv") }
        #expect(names.count == 20)
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: dir.appendingPathComponent("alone/\(name)").path,
                                                      andPath: dir.appendingPathComponent("family/\(name)").path), "\(name)")
        }
        // Named directly: refused, naming the file.
        let named = try E2E.run(["report", "--db", "s.sqlite", "--out", "named", "--published-with", "publies/epci"] + commune, in: dir)
        #expect(named.status == 1)
        #expect(named.stderr.contains("A-NE-PAS-PUBLIER.txt") && named.stderr.contains("ne doit pas être publié tel quel"), "\(named.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("named/rapport.html").path))
        // Written again where nothing is deducible: the mark is gone, and the family takes it.
        let again = try E2E.run(["report", "--db", "s.sqlite", "--out", "publies/epci", "--min-cell", "6"] + Self.oneDay, in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        let at6 = try E2E.run(["report", "--db", "s.sqlite", "--out", "family6", "--min-cell", "6", "--published-with", "publies"] + commune, in: dir)
        #expect(!at6.stderr.contains("laissé de côté"), "\(at6.stderr)")
    }

    /// A report built again at a raised threshold keeps what its first build said of the
    /// store: its period and territory, and the cautions (here a day of the range that no
    /// log covers), which it does not look up again.
    @Test func aRaisedReportKeepsTheCautionsOfItsPeriod() throws {
        let dir = try E2E.scratch()
        try Self.epciWithFourLoneAgents(in: dir)
        let twoDays = ["--epci", "CC Test", "--from", "2018-10-14", "--to", "2018-10-15", "--queries", ReportFixture.queriesDirectory]
        let raised = try E2E.run(["report", "--db", "s.sqlite", "--out", "up", "--min-cell-up-to", "8"] + twoDays, in: dir)
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(raised.stderr.contains("seuil relevé de 5 à 6"), "\(raised.stderr)")
        let page = try String(contentsOf: dir.appendingPathComponent("up/rapport.html"), encoding: .utf8)
        #expect(page.contains("Le seuil de ce rapport a été relevé de 5 à 6"))
        // (Its one day: « ses chiffres ».)
        #expect(page.contains("1 jour de la période sans aucun journal ingéré (le 14 octobre 2018)\u{00A0}: ses chiffres d&#39;activité sont nuls"))
        #expect(page.contains("<h1>Usages de l&#39;ENT — CC Test"))
        #expect(try Self.agents(dir.appendingPathComponent("up")) ==
                ["80101": "< 6", "80102": "< 6", "80103": "< 6", "80104": "< 6", "80105": "0", "80106": "0", "*": "< 6"])
    }

    @Test func minCellUpToIsCheckedAgainstMinCell() throws {
        let dir = try E2E.scratch()
        for (arguments, message) in [(["--min-cell-up-to", "4"], "--min-cell-up-to 4 est sous --min-cell 5"),
                                     (["--min-cell", "0", "--min-cell-up-to", "3"], "il demande --min-cell 2 ou plus (ici 0)"),
                                     (["--min-cell-up-to", "21"], "--min-cell-up-to 21 : au plus 20")] {
            let run = try E2E.run(["report", "--db", "s.sqlite", "--out", "r"] + arguments, in: dir)
            #expect(run.status == 1)
            #expect(run.stderr.contains(message), "\(run.stderr)")
        }
    }
}
