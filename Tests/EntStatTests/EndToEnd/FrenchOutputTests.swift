import Foundation
import EntStat
import Testing

/// French typography of what the commands print: thousands separated by a narrow
/// no-break space, decimal commas, singular for 0 and 1.
@Suite("French output")
struct FrenchOutputTests {
    static let nnbsp = "\u{202F}"

    /// File counts of 1 000 and more carry the separator, in the `bilan` line and in
    /// `status`, like every other count.
    @Test func fileCountsHaveThousandsSeparators() throws {
        let dir = try E2E.scratch()
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        for i in 0..<1_003 {
            let line = "{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":\(1_541_062_800_000 + i * 60_000),\"userId\":\"u\(i % 50)\",\"profil\":\"Relative\"}\n"
            try E2E.write(line, to: logs.appendingPathComponent("events-fe1-\(i).jsonl"))
        }
        let first = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "logs"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("bilan : 1\(Self.nnbsp)003 fichiers ingérés, 0 ignoré, 0 en échec ; 1\(Self.nnbsp)003 lignes"), "\(first.stdout)")
        let second = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "logs"], in: dir)
        #expect(second.stdout.hasPrefix("bilan : 0 fichier ingéré, 1\(Self.nnbsp)003 ignorés, 0 en échec ; 0 ligne, 0 retenue, 0 Mo décompressé en "), "\(second.stdout)")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.stdout.contains(": 0 nouveau, 1\(Self.nnbsp)003 ignorés, 0 en échec"), "\(status.stdout)")
        #expect(status.stdout.contains("1\(Self.nnbsp)003 fichiers"), "\(status.stdout)")
    }

    /// 0 and 1 take the singular: « 1 ligne », « 0 rejetée », « 1 ligne chargée ».
    @Test func zeroAndOneAreSingular() throws {
        let dir = try E2E.scratch()
        try E2E.write("{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":1541062800000,\"userId\":\"a\",\"profil\":\"Relative\"}\n",
                      to: dir.appendingPathComponent("one.jsonl"))
        try E2E.write("uai;nom;niveau;code_commune;commune;epci\n0800001S;École;primaire;80021;Amiens;CA\n", to: dir.appendingPathComponent("schools.csv"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "one.jsonl"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("schools.csv : 1 ligne chargée, 0 avertissement\n"), "\(r.stdout)")
        #expect(r.stdout.contains("ingéré  events one.jsonl : 1 ligne, 1 retenue, 0 filtrée, 0 rejetée ("), "\(r.stdout)")
        #expect(r.stdout.contains("; 1 ligne, 1 retenue, 0 Mo décompressé en "), "\(r.stdout)")
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv"], in: dir)
        #expect(again.stdout.contains("schools.csv : inchangé depuis le dernier chargement (1 ligne), non relu"), "\(again.stdout)")
    }

    /// The command line's own counts agree with their number, as a cron mail is read: they
    /// wrote « 1 fichier(s) ingéré(s), 0 ignoré(s) », « 1 personne(s)-jour(s) recalculée(s) »,
    /// « 1 nouveau(x) », « 1 jour(s) nommé(s) ».
    @Test func theCommandLinesCountsAgreeWithTheirNumber() throws {
        let dir = try E2E.scratch()
        try E2E.write("{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":1541062800000,\"userId\":\"a\",\"profil\":\"Relative\"}\n",
                      to: dir.appendingPathComponent("events-fe1-2018-11-01.jsonl"))
        let one = try E2E.run(["ingest", "--db", "s.sqlite", "events-fe1-2018-11-01.jsonl"], in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("\ncalcul  1 personne-jour recalculée\n"), "\(one.stdout)")
        #expect(one.stdout.contains("\nbilan : 1 fichier ingéré, 0 ignoré, 0 en échec ; "), "\(one.stdout)")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.stdout.contains(": du 2018-11-01 au 2018-11-01, 1 fichier, 1 ligne, "), "\(status.stdout)")
        #expect(status.stdout.contains(" : 1 fichier, 1 jour nommé, du 2018-11-01 au 2018-11-01"), "\(status.stdout)")
        #expect(status.stdout.contains(" : 1 nouveau, 0 ignoré, 0 en échec, "), "\(status.stdout)")
        for day in ["02", "03"] {
            try E2E.write("{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":\(day == "02" ? 1541149200000 : 1541235600000),\"userId\":\"b\",\"profil\":\"Relative\"}\n",
                          to: dir.appendingPathComponent("events-fe1-2018-11-\(day).jsonl"))
        }
        let two = try E2E.run(["ingest", "--db", "s.sqlite", "events-fe1-2018-11-01.jsonl", "events-fe1-2018-11-02.jsonl", "events-fe1-2018-11-03.jsonl"], in: dir)
        #expect(two.stdout.contains("\ncalcul  2 personnes-jours recalculées\n"), "\(two.stdout)")
        #expect(two.stdout.contains("\nbilan : 2 fichiers ingérés, 1 ignoré, 0 en échec ; "), "\(two.stdout)")
        let after = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(after.stdout.contains(" : 3 fichiers, 3 jours nommés, du 2018-11-01 au 2018-11-03"), "\(after.stdout)")
        #expect(after.stdout.contains(" : 2 nouveaux, 1 ignoré, 0 en échec, "), "\(after.stdout)")
        #expect(!one.stdout.contains("(s)") && !status.stdout.contains("(s)") && !two.stdout.contains("(s)") && !after.stdout.contains("(x)"))
    }

    /// `simulate` prints its summary with separators, decimal commas and its own plurals.
    @Test func simulateSummaryIsFrench() throws {
        let dir = try E2E.scratch()
        let r = try E2E.run(["simulate", "--out", "sim", "--schools", "3", "--from", "2018-10-01", "--to", "2018-10-07"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let line = r.stdout.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix("simulate : 3 écoles, 340 comptes, 120 fichiers, 25\(Self.nnbsp)352 lignes (23\(Self.nnbsp)336 ancien ENT, 2\(Self.nnbsp)016 nouvel ENT, dont "), "\(line)")
        // « 0,3 Mo, 0,0 s → sim »: decimal commas, never a point.
        #expect(line.range(of: #", [0-9]+,[0-9] Mo, [0-9]+,[0-9] s → sim$"#, options: .regularExpression) != nil, "\(line)")
    }

    /// An error that names its own file is not prefixed with the store and a second « - »,
    /// and the JSON summary has a null position and a reason that does not repeat it.
    @Test func missingPositionsAreSaidOnce() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(FailureSafetyTests.eventLines(user: "a", count: 20).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "rs/s.sqlite", "a.gz"], in: dir).status == 0)
        let rotate = try E2E.run(["rotate-secret", "--db", "rs/s.sqlite", "--accounts", "nothere.csv"], in: dir)
        #expect(rotate.status == 1)
        #expect(rotate.stderr.hasPrefix("entstat: nothere.csv: - : ouverture impossible"), "\(rotate.stderr)")

        let full = E2E.gzipMember(Array((FailureSafetyTests.eventLines(user: "b", count: 400).joined(separator: "\n") + "\n").utf8))
        try Data(full.prefix(full.count - 20)).write(to: dir.appendingPathComponent("cut.gz"))
        let r = try E2E.run(["ingest", "--db", "rs/s.sqlite", "--quiet", "--summary-json", "run.json", "nothere.gz", "cut.gz"], in: dir)
        #expect(r.status == 2)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run.json"))) as! [String: Any]
        let failures = try #require(json["failures"] as? [[String: Any]])
        #expect(failures.count == 2)
        #expect(failures[0]["file"] as? String == "nothere.gz")
        #expect(failures[0]["position"] is NSNull, "\(failures[0])")
        #expect((failures[0]["reason"] as? String)?.hasPrefix("ouverture impossible (") == true, "\(failures[0])")
        let position = try #require(failures[1]["position"] as? String)
        #expect(position.hasPrefix("octet "), "\(failures[1])")
        #expect((failures[1]["reason"] as? String)?.hasPrefix("gzip tronqué") == true, "\(failures[1])")
    }

    /// The Paris wall-clock time of `date`, to the minute, as Foundation computes it.
    static func parisMinute(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// The `bilan` line appended to nightly.log ends with the Paris time the run began, so
    /// that nights can be told apart, and `status` shows the last run in Paris time too (it
    /// showed the store's UTC timestamp).
    @Test func theBilanAndStatusGiveTheParisTimeOfTheRun() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 1)
        let before = Date()
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "logs"], in: dir)
        let after = Date()
        #expect(r.stdout.hasPrefix("bilan : 2 fichiers ingérés, 0 ignoré, 0 en échec ; "), "\(r.stdout)")
        let stamps = Set([Self.parisMinute(before), Self.parisMinute(after)])
        #expect(stamps.contains { r.stdout.hasSuffix(" (\($0))\n") }, "\(r.stdout) \(stamps)")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(stamps.contains { status.stdout.contains("dernière exécution  \($0) : 2 nouveaux") }, "\(status.stdout) \(stamps)")
        #expect(!status.stdout.contains("Z :"), "\(status.stdout)")
    }

    /// The report's footer says when it was produced in Paris time (« le 3 décembre 2026 à
    /// 9 h 05 », the hour's space a no-break one), whatever the time zone of the process
    /// running it.
    @Test func theReportFooterGivesTheParisTime() throws {
        let dir = try E2E.scratch()
        let before = Date()
        let r = try E2E.run(["report", "--db", ReportFixture.shared, "--out", "r", "--queries", ReportFixture.queriesDirectory],
                            in: dir, environment: ["TZ": "America/New_York"])
        let after = Date()
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("r/rapport.html"), encoding: .utf8)
        // yyyy-MM-dd HH:mm → d MMMM yyyy à H h mm (1er for the first of the month)
        let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        let stamps = Set([Self.parisMinute(before), Self.parisMinute(after)]).map { stamp -> String in
            let date = stamp.prefix(10).split(separator: "-").map { Int($0)! }
            let (hour, minute) = (Int(stamp.dropFirst(11).prefix(2))!, stamp.suffix(2))
            return "\(date[2] == 1 ? "1er" : String(date[2])) \(months[date[1] - 1]) \(date[0]) à \(hour)\u{00A0}h \(minute)"
        }
        #expect(stamps.contains { html.contains("Produit par entstat \(EntStatVersion.current) le \($0).") }, "\(stamps)")
    }

    /// Empty logs have no source and no days: `status` counts them under their own label
    /// instead of « source none : du — au — ».
    @Test func statusLabelsEmptyFiles() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 1)
        try E2E.write("", to: dir.appendingPathComponent("empty.log"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "logs", "empty.log"], in: dir).status == 0)
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.status == 0, "\(status.stdout)")
        #expect(status.stdout.contains("\nsource   fichiers vides : 1 (ingéré sans aucune ligne de journal)\n"), "\(status.stdout)")
        #expect(status.stdout.contains("\nsource   events : du 2018-10-01 au 2018-10-01, 2 fichiers, 600 lignes, 600 enregistrements retenus\n"), "\(status.stdout)")
        #expect(!status.stdout.contains("none") && !status.stdout.contains("du — au —"), "\(status.stdout)")
    }
}
