import Foundation
import Testing
@testable import EntStat

/// The two-stage ingest (parse workers → one store writer): batches, channels, ordering.
@Suite struct ParsePipelineTests {
    /// Event lines of `users` over two local days, with repeated seconds (equal points that
    /// must be added up) and a change of role in the middle.
    static func lines(users: Int, perUser: Int, seed: UInt64) -> [String] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var out: [String] = []
        for u in 0..<users {
            for i in 0..<perUser {
                // 2018-11-05 and 2018-11-06, 07:00 UTC + up to ~10 h; seconds often repeat.
                let day: Int64 = i % 2 == 0 ? 1_541_401_200 : 1_541_487_600
                let t = day + Int64(next(36_000) / 60 * 60)
                let profil = i < perUser / 2 ? "Relative" : "Teacher"
                let module = ["Blog", "Messagerie", "CahierTextes"][next(3)]
                out.append("{\"event-type\":\"ACCESS\",\"module\":\"\(module)\",\"date\":\(t * 1000),\"userId\":\"u\(u)\",\"profil\":\"\(profil)\",\"structures\":[\"0800001S\"]}")
            }
        }
        return out
    }

    /// Gzip files `name0.jsonl.gz`, `name1.jsonl.gz`, … in `dir`: line i in file i % count,
    /// so that each user's days are split between the files.
    static func split(_ lines: [String], into count: Int, named name: String, in dir: URL) throws -> [String] {
        try (0..<count).map { k in
            let part = lines.enumerated().filter { $0.offset % count == k }.map(\.element)
            let url = dir.appendingPathComponent("\(name)\(k).jsonl.gz")
            try E2E.writeGzip(part.joined(separator: "\n") + "\n", to: url)
            return url.path
        }
    }

    /// Everything the figures are computed from and the figures themselves, as text.
    static func dump(_ path: String) throws -> [String] {
        let db = try Database(path: path, readOnly: true)
        var out: [String] = []
        for sql in ["SELECT hex(i.pseudonym), t.day, hex(t.entries) FROM timeline t JOIN identity i ON i.id = t.identity ORDER BY 1, 2",
                    "SELECT hex(i.pseudonym), r.role FROM identity_role r JOIN identity i ON i.id = r.identity ORDER BY 1, 2",
                    "SELECT day, source, feature, SUM(requests), SUM(logins), SUM(visits), COUNT(*) FROM activity GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                    "SELECT day, hour, SUM(visits) FROM visit_start GROUP BY 1, 2 ORDER BY 1, 2",
                    "SELECT day, window, users FROM day_window ORDER BY 1, 2"] {
            let s = try db.prepare(sql)
            while try s.step() { out.append((0..<s.columnCount).map { String(describing: s.value($0)) }.joined(separator: "|")) }
        }
        return out
    }

    static func ingest(_ files: [String], into dir: URL, name: String, options: LogIngester.Options) throws -> (reports: [FileReport], dump: [String]) {
        let path = dir.appendingPathComponent(name + ".sqlite").path
        let store = try Store(writingTo: path, secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        let ingester = try LogIngester(store: store, options: options)
        var reports: [FileReport] = []
        ingester.ingest(paths: files) { index, report in
            #expect(index == reports.count, "reports come in file order")
            reports.append(report)
        }
        try store.completePendingWork(batchSize: 7)
        return (reports, try dump(path))
    }

    @Test func tinyBatchesSeveralWorkersAndAForgetfulCacheGiveTheFiguresOfOneBatchAndOneWorker() throws {
        let dir = try E2E.scratch()
        let all = Self.lines(users: 12, perUser: 40, seed: 7)
        // Three files that split users' days between them.
        let files = try Self.split(all, into: 3, named: "part", in: dir)
        var one = LogIngester.Options()
        one.workers = 1
        let reference = try Self.ingest(files, into: dir, name: "one", options: one)
        var many = LogIngester.Options()
        many.workers = 3
        many.flushThreshold = 5
        many.identityCacheLimit = 2
        let batched = try Self.ingest(files, into: dir, name: "many", options: many)
        #expect(batched.dump == reference.dump)
        #expect(reference.reports.map(\.outcome) == [.ingested, .ingested, .ingested])
        // Independent check: every line is one request, whatever the batching.
        let db = try Database(path: dir.appendingPathComponent("many.sqlite").path, readOnly: true)
        #expect(try db.scalarInt("SELECT SUM(requests) FROM activity WHERE source = '*' AND feature = '*'") == Int64(all.count))
        #expect(try db.scalarInt("SELECT COUNT(DISTINCT person) FROM activity") == 12)
        // Both roles were recorded for every user, though they came in different batches.
        #expect(try db.scalarInt("SELECT COUNT(*) FROM identity_role") == 24)
    }

    /// Small files (each one batch, under `groupFileBytes`), parsed ahead of the writer by
    /// two workers at most two files ahead, by two workers eight ahead, and by one: the same
    /// facts and figures, and every file reported in order.
    @Test func workersParsingSmallFilesAheadGiveTheFiguresOfOneWorker() throws {
        let dir = try E2E.scratch()
        let all = Self.lines(users: 9, perUser: 24, seed: 11)
        let files = try Self.split(all, into: 7, named: "small", in: dir)
        var one = LogIngester.Options()
        one.workers = 1
        let reference = try Self.ingest(files, into: dir, name: "one", options: one)
        #expect(reference.reports.map(\.outcome) == Array(repeating: .ingested, count: 7))
        for ahead in [2, 8] {
            var options = LogIngester.Options()
            options.workers = 2
            options.parseAheadFiles = ahead
            let run = try Self.ingest(files, into: dir, name: "ahead\(ahead)", options: options)
            #expect(run.dump == reference.dump, "\(ahead) files ahead")
            #expect(run.reports.map(\.name) == files)
            #expect(run.reports.map(\.outcome) == Array(repeating: .ingested, count: 7))
        }
        let db = try Database(path: dir.appendingPathComponent("ahead2.sqlite").path, readOnly: true)
        #expect(try db.scalarInt("SELECT SUM(requests) FROM activity WHERE source = '*' AND feature = '*'") == Int64(all.count))
    }

    /// Small files that share a transaction keep their timeline points in memory until the
    /// commit (`BufferedTimelines`), merged once per (identity, day). Here six files split
    /// the same users' two days between them; a seventh, cut short after its first batches,
    /// fails and is rolled back to its savepoint (one run with it, one without); an eighth,
    /// too large to share, adds to the same users' days after the commit. The facts and
    /// figures must be those of the good files each in a transaction of its own, whether the
    /// points are written at the commit or between every two files.
    @Test func timelinesOfSmallFilesBufferedUntilTheCommitGiveTheFiguresOfOneTransactionPerFile() throws {
        let dir = try E2E.scratch()
        let all = Self.lines(users: 8, perUser: 30, seed: 5)
        let small = try Self.split(all, into: 6, named: "hour", in: dir)
        let cut = dir.appendingPathComponent("cut.jsonl.gz")
        let member = E2E.gzipMember(Array((Self.lines(users: 8, perUser: 30, seed: 9).joined(separator: "\n") + "\n").utf8))
        try Data(member.prefix(member.count - 12)).write(to: cut)
        let large = dir.appendingPathComponent("large.jsonl.gz")
        try E2E.writeGzip(Self.lines(users: 8, perUser: 200, seed: 13).joined(separator: "\n") + "\n", to: large)
        let size = { (path: String) in Int((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.intValue ?? 0) }
        let smallLimit = (small + [cut.path]).map(size).max()!
        #expect(size(large.path) > smallLimit)
        var alone = LogIngester.Options()
        alone.workers = 1
        alone.groupFileBytes = 0
        let reference = try Self.ingest(small + [large.path], into: dir, name: "alone", options: alone)
        #expect(reference.reports.map(\.outcome) == Array(repeating: .ingested, count: 7))
        // With the cut file in the middle, and without it: then the large file's identities
        // are those the small files created in this run, whose days it must look up.
        for withCut in [true, false] {
            let files = withCut ? Array(small[0..<3]) + [cut.path] + Array(small[3...]) + [large.path] : small + [large.path]
            for points in [Int.max, 1] {
                var options = LogIngester.Options()
                options.workers = 2
                options.flushThreshold = 5
                options.groupFileBytes = smallLimit
                options.bufferedTimelinePoints = points
                let run = try Self.ingest(files, into: dir, name: "buffered\(points)-\(withCut)", options: options)
                let outcomes = run.reports.map { report -> String in
                    if case .failed = report.outcome { return "failed" }
                    return report.outcome == .ingested ? "ingested" : "other"
                }
                var expected = Array(repeating: "ingested", count: 7)
                if withCut { expected.insert("failed", at: 3) }
                #expect(outcomes == expected, "\(run.reports)")
                #expect(run.dump == reference.dump, "points written \(points == 1 ? "between files" : "at the commit"), cut file: \(withCut)")
            }
        }
        // Independent check: every line of the good files is one request.
        let db = try Database(path: dir.appendingPathComponent("buffered1-true.sqlite").path, readOnly: true)
        #expect(try db.scalarInt("SELECT SUM(requests) FROM activity WHERE source = '*' AND feature = '*'") == Int64(all.count + 8 * 200))
    }

    /// One worker's files in a row: the same raw id in an access log and in event logs is
    /// two identities, each with the pseudonym the secret gives it in its source, and a
    /// user met again in a later file is the same identity.
    @Test func pseudonymsAreThoseOfTheSecretPerSourceInEveryFile() throws {
        let dir = try E2E.scratch()
        let e1 = dir.appendingPathComponent("e1.jsonl"), a1 = dir.appendingPathComponent("a1.log"), e2 = dir.appendingPathComponent("e2.jsonl")
        try E2E.write([LogLine.event(user: "u1", utc: "2018-11-05T08:00:00", module: "Blog"),
                       LogLine.event(user: "u2", utc: "2018-11-05T08:01:00", module: "Blog")].joined(separator: "\n") + "\n", to: e1)
        try E2E.write(LogLine.access(user: "u1", time: "05/Nov/2018:09:30:00 +0000", path: "/messagerie/1") + "\n", to: a1)
        try E2E.write([LogLine.event(user: "u1", utc: "2018-11-06T08:00:00", module: "Blog"),
                       LogLine.event(user: "u3", utc: "2018-11-06T08:01:00", module: "Blog")].joined(separator: "\n") + "\n", to: e2)
        var options = LogIngester.Options()
        options.workers = 1
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(writingTo: path, secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        let ingester = try LogIngester(store: store, options: options)
        var outcomes: [FileReport.Outcome] = []
        ingester.ingest(paths: [e1.path, a1.path, e2.path]) { _, report in outcomes.append(report.outcome) }
        #expect(outcomes == [.ingested, .ingested, .ingested])
        let pseudonymizer = try #require(store.pseudonymizer)
        var expected: [String] = []
        for (source, user) in [(LogSource.events, "u1"), (.events, "u2"), (.access, "u1"), (.events, "u3")] {
            expected.append(source.rawValue + "|" + pseudonymizer.pseudonym(source: source, rawID: user).map { String(format: "%02X", $0) }.joined())
        }
        let s = try store.db.prepare("SELECT source, hex(pseudonym) FROM identity ORDER BY id")
        var stored: [String] = []
        while try s.step() { stored.append(s.text(0) + "|" + s.text(1)) }
        #expect(stored == expected)
    }

    @Test func reportsComeInFileOrderWithFailuresAndRepeatsInPlace() throws {
        let dir = try E2E.scratch()
        let a = dir.appendingPathComponent("a.jsonl.gz"), b = dir.appendingPathComponent("b.jsonl")
        try E2E.writeGzip(Self.lines(users: 3, perUser: 10, seed: 1).joined(separator: "\n") + "\n", to: a)
        try E2E.write(Self.lines(users: 4, perUser: 10, seed: 2).joined(separator: "\n") + "\n", to: b)
        let copy = dir.appendingPathComponent("copy-of-a.gz")
        try FileManager.default.copyItem(at: a, to: copy)
        var options = LogIngester.Options()
        options.workers = 2
        let run = try Self.ingest([a.path, dir.appendingPathComponent("missing.gz").path, b.path, copy.path],
                                  into: dir, name: "s", options: options)
        #expect(run.reports.map(\.name) == [a.path, dir.appendingPathComponent("missing.gz").path, b.path, copy.path])
        #expect(run.reports[0].outcome == .ingested)
        if case .failed(.cannotOpen) = run.reports[1].outcome {} else { Issue.record("missing file: \(run.reports[1].outcome)") }
        #expect(run.reports[2].outcome == .ingested)
        #expect(run.reports[3].outcome == .skipped(previousName: a.path))
        #expect(run.reports[2].lines == 40 && run.reports[2].qualifying == 40)
    }

    @Test func channelKeepsOrderBlocksWhenFullAndStopsTheProducerWhenCancelled() throws {
        let channel = BoundedChannel<Int>(capacity: 2)
        let sent = BoundedChannel<Int>(capacity: 1000)
        let producer = WorkerThreads(count: 1) { _ in
            for i in 0..<100 {
                guard channel.send(i) else { sent.send(-1); break }
                sent.send(i)
            }
            channel.finish()
            sent.finish()
        }
        // Nothing received yet: the producer can be at most two elements ahead.
        usleep(100_000)
        // Generous waits: the producer thread may be scheduled late on a loaded machine;
        // only the wait that proves it did not run ahead is short.
        #expect(sent.receive(timeout: 30).isElement(0))
        #expect(sent.receive(timeout: 30).isElement(1))
        if case .element(let v) = sent.receive(timeout: 0.1) { Issue.record("the producer ran ahead: \(v)") }
        var received: [Int] = []
        for _ in 0..<10 {
            if case .element(let v) = channel.receive(timeout: 30) { received.append(v) }
        }
        #expect(received == Array(0..<10))
        channel.cancel()
        producer.join()
        var acknowledged: [Int] = []
        while case .element(let v) = sent.receive(timeout: 1) { acknowledged.append(v) }
        #expect(acknowledged.last == -1, "a send after cancel returns false")
        #expect(acknowledged.filter { $0 >= 0 }.count <= 10, "the producer never ran more than capacity ahead")
    }

    /// `offer` never waits: it adds while there is room, and refuses when full or cancelled.
    @Test func channelOfferAddsWhileThereIsRoomAndNeverWaits() {
        let channel = BoundedChannel<Int>(capacity: 2)
        #expect(channel.offer(1))
        #expect(channel.offer(2))
        #expect(!channel.offer(3), "full: refused at once")
        #expect(channel.receive(timeout: 1).isElement(1))
        #expect(channel.offer(4))
        #expect(channel.receive(timeout: 1).isElement(2))
        #expect(channel.receive(timeout: 1).isElement(4))
        channel.cancel()
        #expect(!channel.offer(5), "cancelled: refused")
    }

    /// `poll` never waits: it takes the first waiting element, in order, and gives nil when
    /// none waits, also after the producer finished.
    @Test func channelPollTakesWhatWaitsAndNeverWaits() {
        let channel = BoundedChannel<Int>(capacity: 2)
        #expect(channel.poll() == nil)
        channel.send(7)
        channel.send(8)
        #expect(channel.poll() == 7)
        #expect(channel.offer(9), "polling made room")
        #expect(channel.poll() == 8)
        #expect(channel.receive(timeout: 1).isElement(9))
        #expect(channel.poll() == nil)
        channel.finish()
        #expect(channel.poll() == nil)
    }

    /// An identity created by the run's first file and seen again, at another school, in its
    /// second: its person's places are rebuilt after each file, also when its attributes
    /// were buffered (written several per statement) and the person is not new in the file.
    @Test func anIdentityOfThisRunThatChangesSchoolInALaterFileBelongsToBoth() throws {
        let dir = try E2E.scratch()
        func line(_ user: String, _ school: String, _ minute: Int) -> String {
            "{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":\((1_541_401_200 + Int64(minute) * 60) * 1000),\"userId\":\"\(user)\",\"profil\":\"Relative\",\"structures\":[\"\(school)\"]}"
        }
        let first = dir.appendingPathComponent("first.jsonl.gz"), second = dir.appendingPathComponent("second.jsonl.gz")
        try E2E.writeGzip([line("u1", "0800001S", 0), line("u2", "0800001S", 1)].joined(separator: "\n") + "\n", to: first)
        try E2E.writeGzip([line("u1", "0800002T", 60), line("u3", "0800002T", 61)].joined(separator: "\n") + "\n", to: second)
        var options = LogIngester.Options()
        options.workers = 1
        let run = try Self.ingest([first.path, second.path], into: dir, name: "s", options: options)
        #expect(run.reports.map(\.outcome) == [.ingested, .ingested])
        let db = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
        // u1, u2, u3 in that order: persons 1, 2, 3.
        let places = try db.prepare("SELECT person, role, uai FROM person_place ORDER BY person, uai")
        var rows: [String] = []
        while try places.step() { rows.append("\(places.int(0))|\(places.text(1))|\(places.text(2))") }
        #expect(rows == ["1|parent|0800001S", "1|parent|0800002T", "2|parent|0800001S", "3|parent|0800002T"])
    }

    @Test func multiRowInsertWritesPartialAndFullStatements() throws {
        let dir = try E2E.scratch()
        let db = try Database(path: dir.appendingPathComponent("m.sqlite").path)
        try db.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB)")
        var insert = MultiRowInsert(db: db, verb: "INSERT OR IGNORE", table: "t", columns: ["a", "b", "c"], rowsPerStatement: 32)
        for i in 0..<70 { try insert.add(i, "r\(i)", [UInt8(i), 0xFF]) }
        try insert.add(5, "duplicate", [0])
        try insert.flush()
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 70)
        #expect(try db.scalarInt("SELECT SUM(a) FROM t") == Int64((0..<70).reduce(0, +)))
        let s = try db.prepare("SELECT b, hex(c) FROM t WHERE a = 69")
        #expect(try s.step())
        #expect(s.text(0) == "r69" && s.text(1) == "45FF")
        let five = try db.prepare("SELECT b FROM t WHERE a = 5")
        #expect(try five.step())
        #expect(five.text(0) == "r5")
    }

    /// A file alone with two workers is inflated on a thread of its own (`ReadAheadDecoder`)
    /// while its worker parses: the same facts, figures, ledger row and content hash as
    /// with one worker reading it itself; and, cut short, the same failure at the same
    /// offset, with nothing stored.
    @Test func aFileInflatedAheadOfItsWorkerGivesWhatOneWorkerGives() throws {
        let dir = try E2E.scratch()
        // About 6 MB of text in three gzip members: more than one decoded chunk (4 MiB).
        let text = Self.lines(users: 300, perUser: 160, seed: 11).joined(separator: "\n") + "\n"
        let url = dir.appendingPathComponent("day.jsonl.gz")
        try E2E.writeGzip(text, to: url, members: 3)
        let plain = dir.appendingPathComponent("day.jsonl")
        try E2E.write(text, to: plain)
        let cut = dir.appendingPathComponent("cut.jsonl.gz")
        let gzip = try Data(contentsOf: url)
        try gzip.prefix(gzip.count * 7 / 10).write(to: cut)

        func ledger(_ name: String) throws -> [String] {
            let db = try Database(path: dir.appendingPathComponent(name + ".sqlite").path, readOnly: true)
            let s = try db.prepare("""
                SELECT hex(content_sha256) || '|' || hex(raw_sha256) || '|' || lines || '|' || qualifying || '|' || decoded_bytes
                FROM ingested_file ORDER BY id
                """)
            var rows: [String] = []
            while try s.step() { rows.append(s.text(0)) }
            return rows
        }
        var alone = LogIngester.Options()
        alone.workers = 1
        var two = LogIngester.Options()
        two.workers = 2
        let reference = try Self.ingest([url.path], into: dir, name: "one", options: alone)
        let ahead = try Self.ingest([url.path], into: dir, name: "ahead", options: two)
        #expect(ahead.dump == reference.dump)
        #expect(!reference.dump.isEmpty)
        #expect(ahead.reports.map(\.outcome) == [.ingested])
        #expect(ahead.reports.map(\.lines) == [48_000])
        #expect(text.utf8.count > 5 << 20)
        #expect(ahead.reports.map(\.decodedBytes) == [text.utf8.count])
        #expect(try ledger("ahead") == ledger("one"))
        // The content's hash is that of the text itself (hashed as a plain file).
        let contentHash = try WholeFile.sha256(plain.path).map { String(format: "%02X", $0) }.joined()
        let aheadLedger = try ledger("ahead")
        #expect(aheadLedger.first?.hasPrefix(contentHash + "|") == true, "\(aheadLedger) \(contentHash)")

        let cutAlone = try Self.ingest([cut.path], into: dir, name: "cut-one", options: alone)
        let cutAhead = try Self.ingest([cut.path], into: dir, name: "cut-ahead", options: two)
        guard case .failed(let failure) = cutAhead.reports.first?.outcome else {
            Issue.record("a cut file must fail: \(String(describing: cutAhead.reports.first?.outcome))")
            return
        }
        #expect(cutAlone.reports.map(\.outcome) == [.failed(failure)])
        #expect(cutAhead.dump.isEmpty)
        #expect(try ledger("cut-ahead").isEmpty)
    }

    /// A worker remembers the role of each raw `profil` across files (SPEC §2.1 synonyms):
    /// every spelling still gets its own role, an unknown one none, in every file.
    @Test func eachProfilGetsItsRoleInEveryFileOfAWorker() throws {
        let dir = try E2E.scratch()
        func event(_ user: String, _ profil: String) -> String {
            "{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":1541408400000,\"userId\":\"\(user)\",\"profil\":\"\(profil)\",\"structures\":[\"0800001S\"]}"
        }
        let files = [
            [event("u1", "Relative"), event("u2", "Teacher"), event("u3", "Martien")],
            [event("u4", "Teacher"), event("u5", "ENSEIGNANT"), event("u6", "Martien"), event("u7", "relative"), event("u8", "Élève")],
            [event("u9", "PERS_COLL"), event("u10", "Relative"), event("u11", "Collectivité")],
        ].enumerated().map { index, lines in
            let url = dir.appendingPathComponent("e\(index).log")
            try! E2E.write(lines.joined(separator: "\n") + "\n", to: url)
            return url.path
        }
        var options = LogIngester.Options()
        options.workers = 1
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(writingTo: path, secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        try LogIngester(store: store, options: options).ingest(paths: files) { _, report in #expect(report.qualifying > 0) }
        let pseudonymizer = try #require(store.pseudonymizer)
        let db = try Database(path: path, readOnly: true)
        func role(_ user: String) throws -> String? {
            let s = try db.prepare("SELECT group_concat(r.role) FROM identity_role r JOIN identity i ON i.id = r.identity WHERE i.pseudonym = ?")
            try s.bind(.blob(pseudonymizer.pseudonym(source: .events, rawID: user)))
            return try s.step() && !s.isNull(0) ? s.text(0) : nil
        }
        let expected: [String: String?] = [
            "u1": "parent", "u2": "teacher", "u3": nil, "u4": "teacher", "u5": "teacher", "u6": nil,
            "u7": "parent", "u8": "student", "u9": "commune", "u10": "parent", "u11": "commune",
        ]
        for (user, want) in expected {
            #expect(try role(user) == want, "\(user)")
        }
        // u3 and u6 (an unknown profile) are identities of the store all the same: no role,
        // rather than missing.
        for user in ["u3", "u6"] {
            let s = try db.prepare("SELECT COUNT(*) FROM identity WHERE pseudonym = ?")
            try s.bind(.blob(pseudonymizer.pseudonym(source: .events, rawID: user)))
            #expect(try s.step() && s.int(0) == 1, "\(user)")
        }
    }
}

extension BoundedChannel.Received where Element == Int {
    func isElement(_ value: Int) -> Bool {
        if case .element(let v) = self { return v == value }
        return false
    }
}
