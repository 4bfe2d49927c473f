import Foundation
import Testing
@testable import EntStat

/// Issue 6: the nightly cron job — only new files read, one summary line and a JSON
/// summary, coverage gaps reported by `status` with a non-zero exit.
@Suite("Nightly operation")
struct NightlyTests {
    /// 2018-10-01 (a Monday) as days since 1970-01-01.
    static let firstDay = 17805

    /// Event lines of one server on one day: `count` records from 40 users, 07:00–17:00 UTC.
    static func serverDay(_ server: Int, day: Int, count: Int) -> String {
        var lines: [String] = []
        for i in 0..<count {
            let seconds = Int64(day) * 86_400 + 25_200 + Int64(i) * 36_000 / Int64(max(count, 1))
            let user = "u\((i * 7 + server) % 40)"
            lines.append("{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":\(seconds * 1000),\"userId\":\"\(user)\",\"profil\":\"Relative\"}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `days` days of daily files of servers fe1 and fe2 under `dir/logs/<fe>/`,
    /// skipping the (server, day index) pairs of `missing`; `truncated` pairs get 10 % of
    /// their records. Weekends carry a third of a weekday's traffic.
    static func writeDays(_ dir: URL, from start: Int = 0, days: Int, missing: Set<[Int]> = [], truncated: Set<[Int]> = []) throws {
        for index in start..<(start + days) {
            let day = firstDay + index
            let weekend = index % 7 >= 5
            for server in 1...2 where !missing.contains([server, index]) {
                var count = weekend ? 100 : 300
                if truncated.contains([server, index]) { count /= 10 }
                let folder = dir.appendingPathComponent("logs/fe\(server)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let date = CivilDateText.iso(day)
                try E2E.writeGzip(serverDay(server, day: day, count: count),
                                  to: folder.appendingPathComponent("events-fe\(server)-\(date).jsonl.gz"))
            }
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// A folder is walked recursively, hidden entries skipped; a folder given with no file
    /// in it is a failure (exit 2), never a quiet night.
    @Test func foldersAreWalkedAndAnEmptyOneFails() throws {
        let dir = try E2E.scratch()
        try Self.writeDays(dir, days: 2)
        let hidden = dir.appendingPathComponent("logs/.snapshot")
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        try E2E.writeGzip(Self.serverDay(9, day: Self.firstDay, count: 10), to: hidden.appendingPathComponent("copy.jsonl.gz"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("logs/fe3"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty/sub"), withIntermediateDirectories: true)
        let walked = try E2E.run(["ingest", "--db", "a.sqlite", "--quiet", "logs"], in: dir)
        #expect(walked.status == 0, "\(walked.stderr)")
        #expect(walked.stdout.hasPrefix("bilan : 4 fichiers ingérés, 0 ignoré, 0 en échec"), "\(walked.stdout)")
        let matched = try E2E.run(["ingest", "--db", "b.sqlite", "--quiet", "logs/**/*.gz"], in: dir)
        #expect(matched.stdout.hasPrefix("bilan : 4 fichiers ingérés, 0 ignoré, 0 en échec"), "\(matched.stdout)")
        let empty = try E2E.run(["ingest", "--db", "c.sqlite", "--quiet", "empty"], in: dir)
        #expect(empty.status == 2)
        #expect(empty.stdout.hasPrefix("bilan : 0 fichier ingéré, 0 ignoré, 1 en échec"), "\(empty.stdout)")
        #expect(empty.stderr.contains("empty: - : ouverture impossible (dossier vide ou illisible, aucun journal lu)"), "\(empty.stderr)")
        // A path that could not be opened fails its run, but is not kept as a failed log that
        // `status` would report every night: nothing could ever repair a mistyped path.
        let typo = try E2E.run(["ingest", "--db", "a.sqlite", "--quiet", "logz/**/*.gz"], in: dir)
        #expect(typo.status == 2)
        let status = try E2E.run(["status", "--db", "a.sqlite"], in: dir)
        #expect(!status.stdout.contains("logz"), "\(status.stdout)")
        #expect(status.status == 0 && status.stdout.contains("bilan : aucune lacune de couverture"), "\(status.stdout)")
    }

    /// A day read while its server was still writing it, then again complete in the same
    /// place: the complete copy adds only what follows the first one, and the figures are
    /// those of the complete day alone (before, the first part counted twice). Also when the
    /// first copy was cut inside a line (that line, rejected then, is read whole), when it
    /// was cut after a line that still parsed (the rest of that line is passed over, not
    /// rejected), and with a byte order mark and CRLF. The ledger then counts the day's lines
    /// once, the first copy's cut line given back.
    @Test func aLogReadAgainCompleteAddsOnlyWhatFollows() throws {
        let plain = Self.serverDay(1, day: Self.firstDay, count: 300)
        let bom = "\u{FEFF}" + plain.replacingOccurrences(of: "\n", with: "\r\n")
        for (label, full) in [("plain", plain), ("BOM and CRLF", bom)] {
            let bytes = Array(full.utf8)
            let lineEnds = bytes.indices.filter { bytes[$0] == 0x0A }
            // Line 101 ends with `"}` then the line break: cut just before the break, it parses.
            let cuts: [(name: String, prefix: Int, lines: Int)] = [
                ("whole lines", lineEnds[99] + 1, 200), ("inside a line", lineEnds[99] + 25, 200),
                ("after a line that parses", lineEnds[100] - (full.contains("\r\n") ? 1 : 0), 199),
                ("the first line only, unterminated", lineEnds[0] - (full.contains("\r\n") ? 1 : 0), 299),
            ]
            let clean = try E2E.scratch("complete-clean")
            try Data(bytes).write(to: clean.appendingPathComponent("events-fe1-2018-10-01.jsonl"))
            #expect(try E2E.run(["ingest", "--db", "s.sqlite", "events-fe1-2018-10-01.jsonl"], in: clean).status == 0)
            let expected = try E2E.export(["--period", "day", "--by", "role,feature"], in: clean)
            // The clean run itself: the day's 300 requests.
            let all = try #require(E2E.lines(try E2E.export(["--period", "all"], in: clean)).last).split(separator: ",")
            #expect(all[4] == "300", "\(label): \(all)")
            for cut in cuts {
                let dir = try E2E.scratch("complete")
                let log = dir.appendingPathComponent("events-fe1-2018-10-01.jsonl")
                try Data(bytes[0..<cut.prefix]).write(to: log)
                let first = try E2E.run(["ingest", "--db", "s.sqlite", "events-fe1-2018-10-01.jsonl"], in: dir)
                #expect(first.status == 0, "\(label), \(cut.name): \(first.stderr)")
                try Data(bytes).write(to: log)
                let second = try E2E.run(["ingest", "--db", "s.sqlite", "events-fe1-2018-10-01.jsonl"], in: dir)
                #expect(second.status == 0, "\(label), \(cut.name): \(second.stderr)")
                #expect(second.stdout.contains("ingéré  events events-fe1-2018-10-01.jsonl : \(cut.lines) lignes, \(cut.lines) retenues, 0 filtrée, 0 rejetée")
                        && second.stdout.contains("complète « events-fe1-2018-10-01.jsonl »"), "\(label), \(cut.name): \(second.stdout)")
                #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: dir) == expected, "\(label), \(cut.name)")
                // The ledger counts the log once: its 300 lines, none rejected (a line cut
                // inside, rejected by the first copy and read whole by the second, was
                // counted 301 lines with 1 rejected and kept in the reject sample).
                let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
                #expect(try db.scalarInt("SELECT SUM(lines) FROM ingested_file") == 300, "\(label), \(cut.name)")
                #expect(try db.scalarInt("SELECT SUM(rejected) FROM ingested_file") == 0, "\(label), \(cut.name)")
                #expect(try db.scalarInt("SELECT COUNT(*) FROM reject_sample") == 0, "\(label), \(cut.name)")
            }
        }
        // An access line parses without what follows its user agent: cut there, the copy
        // counted it, and the rest (` 0.012`, a request time) is passed over, not rejected.
        let access = (0..<300).map { i in
            LogLine.access(user: "L-u\(i % 40)", time: String(format: "01/Oct/2018:%02d:%02d:00 +0200", 8 + i / 60, i % 60), path: "/blog") + " 0.012"
        }.joined(separator: "\n") + "\n"
        let accessBytes = Array(access.utf8)
        let ends = accessBytes.indices.filter { accessBytes[$0] == 0x0A }
        let cutAt = ends[100] - " 0.012".utf8.count
        let clean = try E2E.scratch("complete-access-clean")
        try E2E.write(access, to: clean.appendingPathComponent("access-fe1-2018-10-01.log"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "access-fe1-2018-10-01.log"], in: clean).status == 0)
        let dir = try E2E.scratch("complete-access")
        let log = dir.appendingPathComponent("access-fe1-2018-10-01.log")
        try Data(accessBytes[0..<cutAt]).write(to: log)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "access-fe1-2018-10-01.log"], in: dir).status == 0)
        try Data(accessBytes).write(to: log)
        let completed = try E2E.run(["ingest", "--db", "s.sqlite", "access-fe1-2018-10-01.log"], in: dir)
        #expect(completed.stdout.contains(": 199 lignes, 199 retenues, 0 filtrée, 0 rejetée"), "\(completed.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: dir) == E2E.export(["--period", "day", "--by", "role,feature"], in: clean))

        // The same name in another folder (another day, another server) is another log.
        let other = try E2E.scratch("complete-other")
        for folder in ["d1", "d2"] { try FileManager.default.createDirectory(at: other.appendingPathComponent(folder), withIntermediateDirectories: true) }
        try E2E.write(Self.serverDay(2, day: Self.firstDay, count: 50), to: other.appendingPathComponent("d1/x.jsonl"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "d1/x.jsonl"], in: other).status == 0)
        try E2E.write(plain, to: other.appendingPathComponent("d2/x.jsonl"))
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "d2/x.jsonl"], in: other)
        #expect(again.stdout.contains("ingéré  events d2/x.jsonl : 300 lignes, 300 retenues") && !again.stdout.contains("complète"), "\(again.stdout)")
    }

    /// A log read while it was still being written, then given complete under another name
    /// (rotated by logrotate, compressed, fetched into an archive folder) or first read on
    /// standard input: the complete copy is found by the head of its content
    /// (`LogContentHead`, `EarlierCopyFinder`) and only what follows the first copy is
    /// read; the other way round, a copy given after the complete log counts nothing. Before,
    /// only a copy at the same path was found, and the first 100 lines counted twice.
    @Test func aLogReadWhileWrittenThenRotatedUnderAnotherNameAddsOnlyWhatFollows() throws {
        let full = Self.serverDay(1, day: Self.firstDay, count: 300)
        let bytes = Array(full.utf8)
        let lineEnds = bytes.indices.filter { bytes[$0] == 0x0A }
        let clean = try E2E.scratch("rotated-clean")
        try E2E.write(full, to: clean.appendingPathComponent("events.jsonl"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "events.jsonl"], in: clean).status == 0)
        let expected = try E2E.export(["--period", "day", "--by", "role,feature"], in: clean)
        #expect(expected.contains(",300"), "\(expected)")

        func ledger(_ dir: URL) throws -> (lines: Int64?, rejected: Int64?) {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
            return (try db.scalarInt("SELECT SUM(lines) FROM ingested_file"), try db.scalarInt("SELECT SUM(rejected) FROM ingested_file"))
        }

        // Cut inside line 101 while plain in the live folder, then rotated and compressed.
        let dir = try E2E.scratch("rotated")
        for folder in ["live", "archive"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true) }
        try Data(bytes[0..<(lineEnds[99] + 25)]).write(to: dir.appendingPathComponent("live/events.jsonl"))
        let first = try E2E.run(["ingest", "--db", "s.sqlite", "live/events.jsonl"], in: dir)
        #expect(first.stdout.contains("ingéré  events live/events.jsonl : 101 lignes, 100 retenues, 0 filtrée, 1 rejetée"), "\(first.stdout)")
        try E2E.writeGzip(full, to: dir.appendingPathComponent("archive/events.jsonl.1.gz"))
        let second = try E2E.run(["ingest", "--db", "s.sqlite", "archive/events.jsonl.1.gz"], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("ingéré  events archive/events.jsonl.1.gz : 200 lignes, 200 retenues, 0 filtrée, 0 rejetée")
                && second.stdout.contains("complète « live/events.jsonl »"), "\(second.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: dir) == expected)
        // The cut line, rejected by the first copy, is given back: the log's 300 lines once.
        #expect(try ledger(dir) == (300, 0))
        // The same content again, under a third name: a repeat, skipped.
        try E2E.write(full, to: dir.appendingPathComponent("archive/events.jsonl.2"))
        let third = try E2E.run(["ingest", "--db", "s.sqlite", "archive/events.jsonl.2"], in: dir)
        #expect(third.stdout.contains("ignoré  archive/events.jsonl.2"), "\(third.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: dir) == expected)

        // Two shorter copies under other names (100 and 200 whole lines), the first one read
        // on standard input: the complete log continues the longer one.
        let two = try E2E.scratch("rotated-two")
        let stdin = try E2E.run(["ingest", "--db", "s.sqlite", "-"], in: two, input: Data(bytes[0...lineEnds[99]]))
        #expect(stdin.stdout.contains(": 100 lignes, 100 retenues"), "\(stdin.stdout)")
        try Data(bytes[0...lineEnds[199]]).write(to: two.appendingPathComponent("copy-200.jsonl"))
        let middle = try E2E.run(["ingest", "--db", "s.sqlite", "copy-200.jsonl"], in: two)
        #expect(middle.stdout.contains("copy-200.jsonl : 100 lignes, 100 retenues") && middle.stdout.contains("complète « - »"), "\(middle.stdout)")
        try E2E.writeGzip(full, to: two.appendingPathComponent("complete.jsonl.gz"))
        let last = try E2E.run(["ingest", "--db", "s.sqlite", "complete.jsonl.gz"], in: two)
        #expect(last.stdout.contains("complete.jsonl.gz : 100 lignes, 100 retenues") && last.stdout.contains("complète « copy-200.jsonl »"), "\(last.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: two) == expected)
        #expect(try ledger(two) == (300, 0))

        // The same copies given in one run, before the complete log and among other logs:
        // each file finds the files before it in the run (`RunCopies`), whatever the
        // threads' speed.
        let together = try E2E.scratch("rotated-together")
        try Data(bytes[0...lineEnds[99]]).write(to: together.appendingPathComponent("a-copy-100.jsonl"))
        try Data(bytes[0..<(lineEnds[199] + 25)]).write(to: together.appendingPathComponent("b-copy-200.jsonl"))
        try E2E.writeGzip(full, to: together.appendingPathComponent("c-complete.jsonl.gz"))
        for server in 2...5 {
            try E2E.writeGzip(Self.serverDay(server, day: Self.firstDay + 1, count: 200), to: together.appendingPathComponent("d-other-\(server).jsonl.gz"))
        }
        let oneRun = try E2E.run(["ingest", "--db", "s.sqlite", "a-copy-100.jsonl", "d-other-2.jsonl.gz", "b-copy-200.jsonl",
                                  "d-other-3.jsonl.gz", "c-complete.jsonl.gz", "d-other-4.jsonl.gz", "d-other-5.jsonl.gz"], in: together)
        #expect(oneRun.status == 0, "\(oneRun.stderr)")
        #expect(oneRun.stdout.contains("b-copy-200.jsonl : 101 lignes, 100 retenues, 0 filtrée, 1 rejetée") && oneRun.stdout.contains("complète « a-copy-100.jsonl »"), "\(oneRun.stdout)")
        #expect(oneRun.stdout.contains("c-complete.jsonl.gz : 100 lignes, 100 retenues, 0 filtrée, 0 rejetée") && oneRun.stdout.contains("complète « b-copy-200.jsonl »"), "\(oneRun.stdout)")
        let firstDayOnly = try E2E.export(["--period", "day", "--by", "role,feature", "--to", CivilDateText.iso(Self.firstDay)], in: together)
        #expect(firstDayOnly == expected)
        #expect(try ledger(together) == (300 + 4 * 200, 0))

        // The other order: the complete log first, then the copy cut inside a line, in a
        // later run and later in the same run. The copy is the start of the complete log,
        // checked on that log's file: nothing in it counts.
        let after = try E2E.scratch("rotated-after")
        try E2E.writeGzip(full, to: after.appendingPathComponent("archive.jsonl.gz"))
        try Data(bytes[0..<(lineEnds[99] + 25)]).write(to: after.appendingPathComponent("live.jsonl"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "archive.jsonl.gz"], in: after).status == 0)
        let late = try E2E.run(["ingest", "--db", "s.sqlite", "live.jsonl"], in: after)
        #expect(late.status == 0, "\(late.stderr)")
        #expect(late.stdout.contains("ingéré  events live.jsonl : 0 ligne, 0 retenue, 0 filtrée, 0 rejetée")
                && late.stdout.contains("début de « archive.jsonl.gz », déjà ingéré : aucune ligne n'a été lue"), "\(late.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: after) == expected)
        #expect(try ledger(after) == (300, 0))
        let sameRun = try E2E.scratch("rotated-after-together")
        try E2E.writeGzip(full, to: sameRun.appendingPathComponent("archive.jsonl.gz"))
        try Data(bytes[0..<(lineEnds[99] + 25)]).write(to: sameRun.appendingPathComponent("live.jsonl"))
        let both = try E2E.run(["ingest", "--db", "s.sqlite", "archive.jsonl.gz", "live.jsonl"], in: sameRun)
        #expect(both.stdout.contains("live.jsonl : 0 ligne") && both.stdout.contains("début de « archive.jsonl.gz »"), "\(both.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: sameRun) == expected)
        // The complete log no longer at its path as it was read (rotated away, another log
        // in its place): nothing can prove the copy is its start, so the copy counts.
        let gone = try E2E.scratch("rotated-gone")
        try E2E.writeGzip(full, to: gone.appendingPathComponent("archive.jsonl.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "archive.jsonl.gz"], in: gone).status == 0)
        try E2E.writeGzip(Self.serverDay(3, day: Self.firstDay, count: 300), to: gone.appendingPathComponent("archive.jsonl.gz"))
        try Data(bytes[0...lineEnds[99]]).write(to: gone.appendingPathComponent("live.jsonl"))
        let unproved = try E2E.run(["ingest", "--db", "s.sqlite", "live.jsonl"], in: gone)
        #expect(unproved.stdout.contains("live.jsonl : 100 lignes, 100 retenues") && !unproved.stdout.contains("début de"), "\(unproved.stdout)")

        // Another log that starts with the same first lines, then goes its own way: read
        // whole (its first lines are records of its own, not a copy's).
        let other = try E2E.scratch("rotated-other")
        try Data(bytes[0...lineEnds[99]]).write(to: other.appendingPathComponent("a.jsonl"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.jsonl"], in: other).status == 0)
        let diverging = Array(bytes[0...lineEnds[49]]) + Array(Self.serverDay(2, day: Self.firstDay, count: 80).utf8)
        try Data(diverging).write(to: other.appendingPathComponent("b.jsonl"))
        let b = try E2E.run(["ingest", "--db", "s.sqlite", "b.jsonl"], in: other)
        #expect(b.stdout.contains("ingéré  events b.jsonl : 130 lignes, 130 retenues") && !b.stdout.contains("complète"), "\(b.stdout)")

        // A first line of 300 kB: the head ends chunks later, and the chunks before wait for
        // the copies to be looked up (the line counts once, with the 50 after it).
        let long = try E2E.scratch("rotated-long")
        let access = ([LogLine.access(user: "L-u1", time: "01/Oct/2018:07:00:00 +0200", path: "/blog?" + String(repeating: "q", count: 300_000))]
            + (0..<50).map { i in LogLine.access(user: "L-u\(i % 5)", time: String(format: "01/Oct/2018:08:%02d:03 +0200", i), path: "/blog/\(i)") })
            .joined(separator: "\n") + "\n"
        let accessBytes = Array(access.utf8)
        let accessEnds = accessBytes.indices.filter { accessBytes[$0] == 0x0A }
        try Data(accessBytes[0...accessEnds[30]]).write(to: long.appendingPathComponent("access.log"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "access.log"], in: long).status == 0)
        try E2E.writeGzip(access, to: long.appendingPathComponent("access.log.1.gz"))
        let longRun = try E2E.run(["ingest", "--db", "s.sqlite", "access.log.1.gz"], in: long)
        #expect(longRun.stdout.contains("access.log.1.gz : 20 lignes, 20 retenues") && longRun.stdout.contains("complète « access.log »"), "\(longRun.stdout)")
        #expect(try #require(E2E.lines(try E2E.export(["--period", "all"], in: long)).last).split(separator: ",")[4] == "51")

        // A copy ingested before the ledger kept heads (none in its row) is still found at
        // its own path.
        let old = try E2E.scratch("rotated-old")
        try Data(bytes[0...lineEnds[99]]).write(to: old.appendingPathComponent("x.jsonl"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "x.jsonl"], in: old).status == 0)
        try Database(path: old.appendingPathComponent("s.sqlite").path).execute("UPDATE ingested_file SET head_sha256 = NULL")
        try Data(bytes).write(to: old.appendingPathComponent("x.jsonl"))
        let named = try E2E.run(["ingest", "--db", "s.sqlite", "x.jsonl"], in: old)
        #expect(named.stdout.contains("x.jsonl : 200 lignes, 200 retenues") && named.stdout.contains("complète « x.jsonl »"), "\(named.stdout)")
        #expect(try E2E.export(["--period", "day", "--by", "role,feature"], in: old) == expected)
    }

    @Test func secondNightlyRunAddsNothingAndIsFast() throws {
        let dir = try E2E.scratch()
        try Self.writeDays(dir, days: 28)
        let t0 = Self.now()
        let first = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--summary-json", "run1.json", "logs/**/*.gz"], in: dir)
        let firstSeconds = Self.now() - t0
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.split(separator: "\n").count == 1, "quiet prints one line: \(first.stdout)")
        #expect(first.stdout.hasPrefix("bilan : 56 fichiers ingérés, 0 ignoré, 0 en échec"), "\(first.stdout)")
        let exportBefore = try E2E.export(["--period", "day", "--by", "source"], in: dir)

        let t1 = Self.now()
        let second = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--summary-json", "run2.json", "logs/**/*.gz"], in: dir)
        let secondSeconds = Self.now() - t1
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("bilan : 0 fichier ingéré, 56 ignorés, 0 en échec"), "\(second.stdout)")
        #expect(secondSeconds < firstSeconds / 3, "second run \(secondSeconds) s vs first \(firstSeconds) s")
        #expect(try E2E.export(["--period", "day", "--by", "source"], in: dir) == exportBefore)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run2.json"))) as! [String: Any]
        let files = json["files"] as! [String: Int]
        #expect(files == ["new": 0, "skipped": 56, "failed": 0])
        #expect(json["exit_status"] as? Int == 0)

        // The directory gains a day: only its two files are read.
        try Self.writeDays(dir, from: 28, days: 1)
        let third = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--summary-json", "run3.json", "logs"], in: dir)
        #expect(third.stdout.hasPrefix("bilan : 2 fichiers ingérés, 56 ignorés, 0 en échec"), "\(third.stdout)")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.status == 0, "\(status.stdout)")
        #expect(status.stdout.contains("bilan : aucune lacune de couverture"))
    }

    /// The operator's log (`--log-level info`) times each step of an ingest and says what
    /// it wrote (the bytes of `/proc/self/io`, where the kernel has it): a step writing many
    /// times the store's size shows there.
    @Test func theLogSaysWhatEachStepWrote() throws {
        let dir = try E2E.scratch()
        try Self.writeDays(dir, days: 3)
        let run = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--log-level", "info", "logs"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let steps = ["fichiers lus et faits enregistrés", "indicateurs par personne et par jour", "totaux par jour et par rôle",
                     "cumuls par période", "totaux par période et par rôle"]
        let lines = run.stderr.split(separator: "\n").map(String.init)
        for step in steps {
            let line = try #require(lines.first { $0.contains(" : \(step) en ") }, "\(step): \(run.stderr)")
            guard FileManager.default.fileExists(atPath: "/proc/self/io") else { continue }
            #expect(line.hasSuffix(" Mo écrits"), "\(line)")
        }
        if FileManager.default.fileExists(atPath: "/proc/self/io") {
            // The facts of 6 files went into a new store: something was written.
            let facts = try #require(lines.first { $0.contains("fichiers lus et faits enregistrés") })
            let megabytes = Int(facts.split(separator: ",").last!.filter(\.isNumber))
            #expect((megabytes ?? 0) > 0, "\(facts)")
        }
    }

    @Test func unchangedReferenceFilesAreNotReloadedButChangedOnesAre() throws {
        let dir = try E2E.scratch()
        try Self.writeDays(dir, days: 3)
        try E2E.write("uai;nom;niveau;code_commune;commune;epci\n0800001S;École A;maternelle;80021;Abbeville;CA Baie de Somme\n",
                      to: dir.appendingPathComponent("schools.csv"))
        let accounts = dir.appendingPathComponent("accounts.csv")
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on\nu1;;parent;0800001S;80021;2018-09-01\nu2;;parent;0800001S;80021;2018-09-01\n", to: accounts)
        let first = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv", "logs"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("accounts.csv : 2 lignes chargées"), "\(first.stdout)")
        let before = try E2E.export(["--period", "all", "--by", "role"], in: dir)
        // 40 active parents (profil Relative), 2 of them listed and activated.
        #expect(before.contains("all,parent,40,1800,0,1800,2,2,1.0000,1.0000"), "\(before)")

        let second = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv"], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("schools.csv : inchangé depuis le dernier chargement (1 ligne), non relu"), "\(second.stdout)")
        #expect(second.stdout.contains("accounts.csv : inchangé depuis le dernier chargement (2 lignes), non relu"), "\(second.stdout)")
        #expect(try E2E.export(["--period", "all", "--by", "role"], in: dir) == before)

        // One more listed parent: the file changed, so it is reloaded and u3 is linked.
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on\nu1;;parent;0800001S;80021;2018-09-01\nu2;;parent;0800001S;80021;2018-09-01\nu3;;parent;0800001S;80021;2018-09-01\n", to: accounts)
        let third = try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "accounts.csv"], in: dir)
        #expect(third.stdout.contains("accounts.csv : 3 lignes chargées"), "\(third.stdout)")
        #expect(try E2E.export(["--period", "all", "--by", "role"], in: dir).contains("all,parent,40,1800,0,1800,3,3,1.0000,1.0000"))
    }

    @Test func failedFileGivesExitTwoAndJSONNamesIt() throws {
        let dir = try E2E.scratch()
        try Self.writeDays(dir, days: 2)
        let bad = dir.appendingPathComponent("logs/fe1/events-fe1-2018-10-03.jsonl.gz")
        let full = E2E.gzipMember(Array(Self.serverDay(1, day: Self.firstDay + 2, count: 300).utf8))
        try Data(full.prefix(full.count / 2)).write(to: bad)
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "-q", "--summary-json", "out/run.json", "logs/**/*.jsonl.gz"], in: dir, keepNewStoreLine: true)
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n")
        #expect(errors.count == 2 && errors[0] == "entstat: nouveau magasin créé : s.sqlite (secret s.secret)", "\(r.stderr)")
        #expect(errors.last?.hasPrefix("entstat: logs/fe1/events-fe1-2018-10-03.jsonl.gz: octet ") == true, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/run.json"))) as! [String: Any]
        #expect(json["exit_status"] as? Int == 2)
        let failures = json["failures"] as! [[String: String]]
        #expect(failures.map { $0["file"] } == ["logs/fe1/events-fe1-2018-10-03.jsonl.gz"])
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.status == 3)
        #expect(status.stdout.contains("échec    logs/fe1/events-fe1-2018-10-03.jsonl.gz"), "\(status.stdout)")
        // When it failed, in Paris time like the last run (not the store's UTC stamp).
        let failedLine = status.stdout.split(separator: "\n").first { $0.hasPrefix("échec    logs/fe1/events-fe1-2018-10-03.jsonl.gz (") }
        #expect(failedLine.map { !$0.contains("T") && !$0.contains("Z)") } == true, "\(status.stdout)")

        // A log lost on its server can be forgotten: status stops reporting it, the
        // report's list of failed files keeps it; a name status does not report is refused.
        let wrong = try E2E.run(["ingest", "--db", "s.sqlite", "--forget-failure", "events-fe1-2018-10-03.jsonl.gz"], in: dir)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("aucun échec de ce nom n'est signalé"), "\(wrong.stderr)")
        let forget = try E2E.run(["ingest", "--db", "s.sqlite", "--forget-failure", "logs/fe1/events-fe1-2018-10-03.jsonl.gz"], in: dir)
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stdout.contains("oublié  logs/fe1/events-fe1-2018-10-03.jsonl.gz"), "\(forget.stdout)")
        let after = try E2E.run(["status", "--db", "s.sqlite", "--quiet"], in: dir)
        #expect(!after.stdout.contains("events-fe1-2018-10-03"), "\(after.stdout)")
        // Still in the folder, it fails the next night again (exit 2), but stays forgotten.
        let night = try E2E.run(["ingest", "--db", "s.sqlite", "-q", "logs/**/*.jsonl.gz"], in: dir)
        #expect(night.status == 2)
        let later = try E2E.run(["status", "--db", "s.sqlite", "--quiet"], in: dir)
        #expect(!later.stdout.contains("events-fe1-2018-10-03"), "\(later.stdout)")
        let listed = try E2E.run(["query", "--db", "s.sqlite", ReportFixture.queriesDirectory + "/fichiers_en_echec.sql"], in: dir)
        #expect(listed.stdout.contains("logs/fe1/events-fe1-2018-10-03.jsonl.gz"), "\(listed.stdout)")
    }

    @Test func statusReportsMissingServerDayAndTruncatedDay() throws {
        let dir = try E2E.scratch()
        // fe2 misses Wednesday 2018-10-10 (index 9); fe1's Tuesday 2018-10-16 (index 15) is cut.
        try Self.writeDays(dir, days: 28, missing: [[2, 9]], truncated: [[1, 15]])
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "-q", "logs"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.status == 3, "\(status.stdout)")
        let gaps = status.stdout.split(separator: "\n").filter { $0.hasPrefix("lacune") }
        #expect(gaps.count == 2, "\(status.stdout)")
        #expect(gaps.first?.hasPrefix("lacune   events-fe2 2018-10-10 (mercredi) : aucun fichier") == true, "\(gaps)")
        #expect(gaps.last?.hasPrefix("lacune   events-fe1 2018-10-16 (mardi) : 30 enregistrements") == true, "\(gaps)")

        // A server that falls silent on the last days is a gap too (fe2 stops two days early).
        let quiet = try E2E.scratch("quietServer")
        try Self.writeDays(quiet, days: 26)
        try Self.writeDays(quiet, from: 26, days: 2, missing: [[2, 26], [2, 27]])
        _ = try E2E.run(["ingest", "--db", "s.sqlite", "-q", "logs"], in: quiet)
        let silent = try E2E.run(["status", "--db", "s.sqlite"], in: quiet)
        #expect(silent.status == 3)
        #expect(silent.stdout.contains("lacune   events-fe2 2018-10-27 (samedi) : aucun fichier"), "\(silent.stdout)")
        #expect(silent.stdout.contains("lacune   events-fe2 2018-10-28 (dimanche) : aucun fichier"), "\(silent.stdout)")
    }
}

/// `YYYY-MM-DD` of a day number, computed with Foundation (independent of the engine).
enum CivilDateText {
    static func iso(_ day: Int) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(day) * 86_400))
    }
}
