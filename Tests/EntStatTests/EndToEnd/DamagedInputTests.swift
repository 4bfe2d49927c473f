import Foundation
import Testing

/// Inputs damaged or mislabelled on their way from the servers: each is counted right, or
/// refused with its real reason and what to do (SPEC §2.2, §4).
@Suite("Damaged inputs")
struct DamagedInputTests {
    /// 200 access-log records of 200 users, on 2018-10-17 from 10:00:00 local.
    static func accessRecords(count: Int = 200, year: String = "2018") -> [String] {
        (0..<count).map { i in
            LogLine.access(user: "u\(i)", time: String(format: "17/Oct/\(year):10:%02d:%02d +0200", i / 60, i % 60), path: "/blog/12")
        }
    }

    /// Records joined by bare CRs, or two to a line (a line break lost), would hide all but
    /// one record of each line: the lines are rejected, and the file fails saying why. Extra
    /// fields after the user agent are still accepted.
    @Test func recordsSharingALineAreRejectedNotMerged() throws {
        let dir = try E2E.scratch()
        let records = Self.accessRecords()
        try E2E.write(records.joined(separator: "\r") + "\r", to: dir.appendingPathComponent("cr.log"))
        var glued = "", spaced = "", extra = ""
        for i in stride(from: 0, to: 200, by: 2) {
            glued += records[i] + records[i + 1] + "\n"
            spaced += records[i] + " " + records[i + 1] + "\n"
        }
        for record in records { extra += record + #" 0.003 "ent.example.fr" "-""# + "\n" }
        try E2E.write(glued, to: dir.appendingPathComponent("glued.log"))
        try E2E.write(spaced, to: dir.appendingPathComponent("spaced.log"))
        try E2E.write(extra, to: dir.appendingPathComponent("extra.log"))

        let r = try E2E.run(["ingest", "--db", "s.sqlite", "cr.log", "glued.log", "spaced.log", "extra.log"], in: dir)
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 3, "\(r.stderr)")
        #expect(errors.contains { $0.hasPrefix("entstat: cr.log: ligne 1 : 1 ligne illisible sur 1 (plus de 5 %) ; motif le plus fréquent : retour chariot (CR) au milieu de la ligne") && $0.contains("convertissez-les en LF ou CRLF") }, "\(r.stderr)")
        #expect(errors.contains { $0.hasPrefix("entstat: glued.log: ligne 1 : 100 lignes illisibles sur 100 (plus de 5 %) ; motif le plus fréquent : texte collé après l'agent utilisateur (100 lignes, la première à la ligne 1)") }, "\(r.stderr)")
        #expect(errors.contains { $0.hasPrefix("entstat: spaced.log: ligne 1 : 100 lignes illisibles sur 100 (plus de 5 %) ; motif le plus fréquent : second horodatage après l'agent utilisateur") }, "\(r.stderr)")
        #expect(r.stdout.contains("extra.log : 200 lignes, 200 retenues, 0 filtrée, 0 rejetée"), "\(r.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,200,200,0,200,0,0,,")
    }

    /// Ids that differ only by an unpaired surrogate escape are different users, and none
    /// is U+FFFD; an id escaped (`\ufffd`, a surrogate pair) and the same id written raw are
    /// one user.
    @Test func unpairedSurrogatesDoNotMergeUsers() throws {
        let dir = try E2E.scratch()
        let ids = [#"\ud800"#, #"\udbff"#, #"\udc00"#, #"\ufffd"#, "\u{FFFD}", #"x\ud83d\ude00"#, "x😀"]
        let lines = ids.map { #"{"event-type":"ACCESS","module":"Blog","date":1541062800000,"userId":""# + $0 + #""}"# }
        try E2E.write(lines.joined(separator: "\n") + "\n", to: dir.appendingPathComponent("e.log"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "e.log"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,5,5,0,7,0,0,,")
    }

    /// A leap second is counted on its own day, not the next.
    @Test func aLeapSecondCountsOnItsDay() throws {
        let dir = try E2E.scratch()
        let lines = [LogLine.access(user: "u1", time: "15/Oct/2018:23:59:60 +0200", path: "/blog/1"),
                     LogLine.access(user: "u2", time: "15/Oct/2018:23:59:61 +0200", path: "/blog/1")]
        try E2E.write(lines.joined(separator: "\n") + "\n" + Self.accessRecords(count: 40).joined(separator: "\n") + "\n",
                      to: dir.appendingPathComponent("a.log"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "a.log"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("a.log : 42 lignes, 41 retenues, 0 filtrée, 1 rejetée"), "\(r.stdout)")
        #expect(Array(E2E.lines(try E2E.export(["--period", "day"], in: dir)).dropFirst()) == [
            "2018-10-15,1,1,0,1,0,0,,",
            "2018-10-17,40,40,0,40,0,0,,",
        ])
    }

    /// A record dated after the day after the ingest comes from a server clock set ahead: it
    /// is rejected, not counted in a month to come (which stretched the store's range to
    /// it); a file of such records fails saying so. A record of the moment of the run counts.
    @Test func recordsFromTheFutureAreRejected() throws {
        let dir = try E2E.scratch()
        try E2E.write((Self.accessRecords() + Self.accessRecords(count: 3, year: "2045")).joined(separator: "\n") + "\n",
                      to: dir.appendingPathComponent("a.log"))
        try E2E.write(Self.accessRecords(count: 50, year: "2045").joined(separator: "\n") + "\n", to: dir.appendingPathComponent("ahead.log"))
        let now = Int64(Date().timeIntervalSince1970) * 1000
        try E2E.write(#"{"event-type":"ACCESS","module":"Blog","date":\#(now),"userId":"x"}"# + "\n", to: dir.appendingPathComponent("now.log"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "a.log", "ahead.log", "now.log"], in: dir)
        #expect(r.status == 2)
        #expect(r.stdout.contains("a.log : 203 lignes, 200 retenues, 0 filtrée, 3 rejetées"), "\(r.stdout)")
        #expect(r.stdout.contains("now.log : 1 ligne, 1 retenue, 0 filtrée, 0 rejetée"), "\(r.stdout)")
        #expect(r.stderr == "entstat: ahead.log: ligne 1 : 50 lignes illisibles sur 50 (plus de 5 %) ; motif le plus fréquent : "
            + "date postérieure au lendemain de l'ingestion (50 lignes, la première à la ligne 1) ; vérifiez l'horloge du serveur qui a écrit ce journal, puis relancez\n")
        let months = E2E.lines(try E2E.export(["--period", "month"], in: dir)).dropFirst()
        #expect(months.first == "2018-10,200,200,0,200,0,0,,")
        #expect(!months.contains { $0.hasPrefix("2045-") }, "\(months)")
    }

    /// A file that fails the 5 % threshold names the reason of its rejected lines, and what
    /// to do about it: a server clock reset is no matter of file format.
    @Test func aFileOverTheThresholdSaysWhyItsLinesWereRejected() throws {
        let dir = try E2E.scratch()
        try E2E.write(Self.accessRecords(count: 50, year: "1970").joined(separator: "\n") + "\n", to: dir.appendingPathComponent("clock.log"))
        try E2E.write("uai;nom\n0801234G;École A\n", to: dir.appendingPathComponent("notalog.log"))
        // A userId that is a number, then three modules that are: the modules are the most
        // frequent reason, though another field's came first.
        let event = { (fields: String) in #"{"event-type":"ACCESS","date":1540800000000,"# + fields + "}" }
        let typed = [event(#""userId":"a","module":"Blog""#), event(#""userId":5,"module":"Blog""#)]
            + Array(repeating: event(#""userId":"a","module":5"#), count: 3) + Array(repeating: event(#""userId":"a""#), count: 15)
        try E2E.write(typed.joined(separator: "\n") + "\n", to: dir.appendingPathComponent("types.jsonl"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "clock.log", "notalog.log", "types.jsonl"], in: dir)
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.contains("entstat: clock.log: ligne 1 : 50 lignes illisibles sur 50 (plus de 5 %) ; motif le plus fréquent : date hors de la plage 2000–2045 (50 lignes, la première à la ligne 1) ; vérifiez l'horloge du serveur qui a écrit ce journal, puis relancez"), "\(r.stderr)")
        #expect(errors.contains("entstat: notalog.log: ligne 1 : 2 lignes illisibles sur 2 (plus de 5 %) ; motif le plus fréquent : champ « identité » illisible (format « combined » du journal d'accès attendu) (2 lignes, la première à la ligne 1) ; vérifiez qu'il s'agit bien d'un journal d'accès ou d'événements, puis relancez"), "\(r.stderr)")
        #expect(errors.contains { $0.hasPrefix("entstat: types.jsonl: ligne 2 : 4 lignes illisibles sur 20 (plus de 5 %) ; motif le plus fréquent : champ « module » qui n'est ni une chaîne ni null (3 lignes, la première à la ligne 3)") }, "\(r.stderr)")
    }

    /// Logs compressed with something else than gzip, or gzipped twice, fail naming it
    /// (rather than as "1 ligne illisible sur 1").
    @Test func otherCompressionsAndGzipInsideGzipAreNamed() throws {
        let dir = try E2E.scratch()
        let text = Self.accessRecords(count: 20).joined(separator: "\n") + "\n"
        try Data([0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59] + Array(repeating: 0xA5, count: 40)).write(to: dir.appendingPathComponent("a.bz2"))
        try Data([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04] + Array(repeating: 0xA5, count: 40)).write(to: dir.appendingPathComponent("a.xz"))
        try Data([0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x02, 0x11, 0x00, 0x00, 0x78, 0x0A]).write(to: dir.appendingPathComponent("a.zst"))
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] + Array(repeating: 0xA5, count: 40)).write(to: dir.appendingPathComponent("a.zip"))
        let once = E2E.gzipMember(Array(text.utf8))
        try Data(E2E.gzipMember(once)).write(to: dir.appendingPathComponent("twice.gz"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "a.bz2", "a.xz", "a.zst", "a.zip", "twice.gz"], in: dir)
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 5, "\(r.stderr)")
        for (file, what) in [("a.bz2", "fichier compressé en bzip2"), ("a.xz", "fichier compressé en xz"),
                             ("a.zst", "fichier compressé en zstd"), ("a.zip", "archive zip")] {
            #expect(errors.contains { $0.hasPrefix("entstat: \(file): octet 0 : \(what), qu'entstat ne lit pas (seul gzip est lu) ; ") && $0.hasSuffix(", puis relancez") }, "\(r.stderr)")
        }
        #expect(errors.contains("entstat: twice.gz: octet 0 : gzip dans un gzip (le contenu décompressé est encore compressé en gzip) ; décompressez-le une fois (gunzip) pour garder un seul gzip, puis relancez"), "\(r.stderr)")
        // Decompressed once, it is an ordinary gzip log.
        try Data(once).write(to: dir.appendingPathComponent("twice.gz"))
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "twice.gz"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("twice.gz : 20 lignes, 20 retenues"), "\(again.stdout)")
    }

    /// Reference files with old Mac line ends are refused for that reason, not for a column
    /// missing from their header.
    @Test func referenceFilesWithBareCRLineEndsAreNamed() throws {
        let dir = try E2E.scratch()
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on\ru1;l1;Teacher;0801234G;80021;2018-09-03\r",
                      to: dir.appendingPathComponent("accounts.csv"))
        try E2E.write("uai;nom;type;code_commune;commune;epci\r0801234G;École A;Élémentaire;80021;Amiens;CA Amiens Métropole\r",
                      to: dir.appendingPathComponent("schools.csv"))
        for (option, file) in [("--accounts", "accounts.csv"), ("--schools", "schools.csv")] {
            let r = try E2E.run(["ingest", "--db", "s.sqlite", option, file], in: dir)
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("\(file): ligne 1 : fins de ligne CR seules (ancien format Mac) : convertissez en LF ou CRLF"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        }
    }
}
