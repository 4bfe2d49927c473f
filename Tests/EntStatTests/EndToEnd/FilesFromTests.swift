import Foundation
import Testing

/// `entstat ingest --files-from LIST`: the logs named in a file (or on standard input), one
/// per line, for file lists too long for a command line.
@Suite("Ingest --files-from")
struct FilesFromTests {
    /// A scratch folder with the six daily files of `NightlyTests.writeDays(days: 3)`: fe1
    /// and fe2, 2018-10-01 to 03, in `logs/fe1` and `logs/fe2`.
    static func folderWithLogs(_ name: String = #function) throws -> URL {
        let dir = try E2E.scratch(name)
        try NightlyTests.writeDays(dir, days: 3)
        return dir
    }

    @Test func listLinesAreExpandedLikeArgumentsAndAddedToThem() throws {
        let dir = try Self.folderWithLogs()
        // A directory (3 files), a pattern (1), a plain file with a CRLF ending (1), blank and
        // blank-looking lines; the argument adds a sixth file minus the one left out below.
        let list = "logs/fe2\n\n  \t\nlogs/fe1/*-2018-10-01.jsonl.gz\r\nlogs/fe1/events-fe1-2018-10-02.jsonl.gz\r\n"
        try E2E.write(list, to: dir.appendingPathComponent("list.txt"))
        let run = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--files-from", "list.txt"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("bilan : 5 fichiers ingérés, 0 ignoré, 0 en échec"), "\(run.stdout)")

        // The same five files as arguments give the same figures; fe1's third day is in neither.
        let named = ["logs/fe2/events-fe2-2018-10-01.jsonl.gz", "logs/fe2/events-fe2-2018-10-02.jsonl.gz",
                     "logs/fe2/events-fe2-2018-10-03.jsonl.gz", "logs/fe1/events-fe1-2018-10-01.jsonl.gz",
                     "logs/fe1/events-fe1-2018-10-02.jsonl.gz"]
        let direct = try E2E.run(["ingest", "--db", "direct.sqlite", "--quiet"] + named, in: dir)
        #expect(direct.status == 0, "\(direct.stderr)")
        let fromList = try E2E.export(["--period", "day", "--by", "source"], in: dir)
        #expect(fromList == (try E2E.export(["--period", "day", "--by", "source"], in: dir, db: "direct.sqlite")))
        // 300 records a weekday per server (`NightlyTests.serverDay`), from 40 users each;
        // 2018-10-03 has fe2's file only.
        #expect(E2E.lines(fromList) == ["period,source,active_users,connections,logins,requests",
                                        "2018-10-01,events,40,600,0,600", "2018-10-02,events,40,600,0,600",
                                        "2018-10-03,events,40,300,0,300"], "\(fromList)")

        // A list and arguments together: the sixth file, given as an argument, is the only new one.
        let more = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--files-from", "list.txt",
                                "logs/fe1/events-fe1-2018-10-03.jsonl.gz"], in: dir)
        #expect(more.stdout.hasPrefix("bilan : 1 fichier ingéré, 5 ignorés, 0 en échec"), "\(more.stdout)")
    }

    @Test func listReadFromStandardInput() throws {
        let dir = try Self.folderWithLogs()
        let run = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--files-from", "-"], in: dir,
                              input: Data("logs/fe1\nlogs/fe2\n".utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("bilan : 6 fichiers ingérés, 0 ignoré, 0 en échec"), "\(run.stdout)")
    }

    @Test func aBadListStopsTheRunBeforeAnythingIsStored() throws {
        let dir = try Self.folderWithLogs()
        let cases: [(arguments: [String], list: [UInt8]?, input: String?, error: String)] = [
            (["--files-from", "missing.txt"], nil, nil, "entstat: missing.txt: - : liste de journaux illisible ("),
            (["--files-from", "list.txt"], Array("logs/fe1\nlogs/".utf8) + [0xFF] + Array("fe2\n".utf8), nil,
             "entstat: list.txt: ligne 2 : chemin qui n'est pas de l'UTF-8 valide"),
            (["--files-from", "-"], nil, "logs/fe1\n-\n", "entstat: -: ligne 2 : « - » (l'entrée standard) ne peut être lu qu'une fois"),
            (["--files-from", "list.txt", "-"], Array("logs/fe1\n\n-\n".utf8), "", "entstat: list.txt: ligne 3 : « - »"),
            (["--files-from", "-", "-"], nil, "", "--files-from - lit la liste sur l'entrée standard"),
            // A NUL inside a line: before, `a\0b` opened `a` but reported and recorded it as
            // « a b », and `b` was lost; a list of NULs gave a 100 KB error line.
            (["--files-from", "list.txt"], Array("logs/fe2\nlogs/fe1/events-fe1-2018-10-01.jsonl.gz".utf8) + [0] + Array("logs/fe1/events-fe1-2018-10-02.jsonl.gz\n".utf8), nil,
             "entstat: list.txt: ligne 2 : octet nul dans la ligne, qui ne peut pas être un chemin (une liste de « find -print0 » ?) ; donnez un chemin par ligne"),
            (["--files-from", "list.txt"], [UInt8](repeating: 0, count: 100_000), nil, "entstat: list.txt: ligne 1 : octet nul dans la ligne"),
            // A log or the directory given for the list: refused at its first record, which
            // is not echoed (each would have been reported as a file to open, with its user
            // id or its address).
            (["--files-from", "list.txt"], Array("logs/fe1\n".utf8) + Array(LogLine.access(user: "ZZuser1", time: "01/Oct/2018:08:00:00 +0200", path: "/blog").utf8), nil,
             "entstat: list.txt: ligne 2 : ligne de journal d'accès, pas un chemin de fichier : --files-from attend une liste de journaux"),
            (["--files-from", "list.txt"], Array(#"{"event-type":"ACCESS","userId":"ZZuser2","date":1}"#.utf8), nil,
             "entstat: list.txt: ligne 1 : ligne de journal d'événements (JSON), pas un chemin de fichier"),
            (["--files-from", "list.txt"], Array("\u{FEFF}user_id;legacy_id;role;schools;code_commune;activated_on\nZZuser3;;parent;;;\n".utf8), nil,
             "entstat: list.txt: ligne 1 : en-tête d'un fichier de référence (« user_id »), pas un chemin de fichier"),
        ]
        for (arguments, list, input, error) in cases {
            if let list { try Data(list).write(to: dir.appendingPathComponent("list.txt")) }
            let run = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet"] + arguments, in: dir, input: input.map { Data($0.utf8) })
            #expect(run.status == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(error) && run.stderr.utf8.count < 400, "\(arguments): \(run.stderr.prefix(1000))")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sqlite").path), "\(arguments)")
            #expect(!run.stderr.contains("ZZuser") && !run.stdout.contains("ZZuser"), "\(arguments)")
        }
    }

    /// A line of a list that is no path at all (100 KB of text) fails as a file that cannot
    /// be opened (exit 2, the other files in), and its lines quote at most about 200 bytes of
    /// it, with the count of bytes left out.
    @Test func aLongGarbageLineIsQuotedShort() throws {
        let dir = try Self.folderWithLogs()
        let garbage = String(repeating: "x", count: 100_000)
        try E2E.write("logs/fe1\n\(garbage)\n", to: dir.appendingPathComponent("list.txt"))
        let run = try E2E.run(["ingest", "--db", "s.sqlite", "--files-from", "list.txt"], in: dir)
        #expect(run.status == 2, "\(run.stderr.prefix(500))")
        let excerpt = String(repeating: "x", count: 100) + "[… 99\u{202F}800 octets omis …]" + String(repeating: "x", count: 100)
        #expect(run.stderr == "entstat: \(excerpt): - : ouverture impossible (chemin trop long) ; vérifiez le chemin et les droits\n", "\(run.stderr.prefix(500))")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.contains { $0 == "échec   \(excerpt) : - : ouverture impossible (chemin trop long) ; vérifiez le chemin et les droits" }, "\(run.stdout.prefix(2000))")
        #expect(lines.allSatisfy { $0.utf8.count < 400 }, "\(run.stdout.prefix(2000))")
        #expect(run.stdout.contains("bilan : 3 fichiers ingérés, 0 ignoré, 1 en échec"), "\(run.stdout.prefix(2000))")
    }
}
