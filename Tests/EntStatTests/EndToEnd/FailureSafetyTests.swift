import Foundation
import Testing
@testable import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §4: a broken file contributes nothing and exits 2; a killed ingest rerun gives the
/// figures of a clean run; two concurrent ingests neither corrupt nor double-count.
@Suite("Failure and safety")
struct FailureSafetyTests {
    static func eventLines(user: String, count: Int, startUTC: Int64 = 1_541_062_800) -> [String] {
        (0..<count).map { i in
            "{\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":\((startUTC + Int64(i) * 97) * 1000),\"userId\":\"\(user)\"}"
        }
    }

    @Test func truncatedGzipContributesNothingThenIngestsOnceRepaired() throws {
        let dir = try E2E.scratch()
        let good = Self.eventLines(user: "a", count: 50).joined(separator: "\n") + "\n"
        try E2E.writeGzip(good, to: dir.appendingPathComponent("good.gz"))
        let other = Self.eventLines(user: "b", count: 400).joined(separator: "\n") + "\n"
        let full = E2E.gzipMember(Array(other.utf8))
        try Data(full.prefix(full.count - 20)).write(to: dir.appendingPathComponent("cut.gz"))

        let r = try E2E.run(["ingest", "--db", "s.sqlite", "cut.gz", "good.gz"], in: dir, keepNewStoreLine: true)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("entstat: nouveau magasin créé : s.sqlite (secret s.secret)\n"), "\(r.stderr)")
        let errors = r.stderr.split(separator: "\n").dropFirst()
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("entstat: cut.gz: octet \(full.count - 20) : gzip tronqué") == true, "\(r.stderr)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)) == [
            "period,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "all,1,1,0,50,0,0,,",
        ])

        try Data(full).write(to: dir.appendingPathComponent("cut.gz"))
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "cut.gz", "good.gz"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        // b: 400 records 97 s apart from 10:00 to 20:45 local on 2018-11-01 → one visit.
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,2,2,0,450,0,0,,")
    }

    /// Small files share a transaction, each under a savepoint: a broken file in the middle
    /// of them is rolled back alone, the files before and after it land, a repeat among them
    /// is skipped, and the reports come in the order of the files.
    @Test func aBrokenFileAmongSmallOnesIsRolledBackAlone() throws {
        let dir = try E2E.scratch()
        let first = Self.eventLines(user: "a", count: 50).joined(separator: "\n") + "\n"
        try E2E.writeGzip(first, to: dir.appendingPathComponent("1-good.gz"))
        let broken = E2E.gzipMember(Array((Self.eventLines(user: "b", count: 400).joined(separator: "\n") + "\n").utf8))
        try Data(broken.prefix(broken.count - 20)).write(to: dir.appendingPathComponent("2-cut.gz"))
        try E2E.writeGzip(Self.eventLines(user: "c", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("3-good.gz"))
        try E2E.write(first, to: dir.appendingPathComponent("4-again.log"))
        try Data(broken.prefix(broken.count - 30)).write(to: dir.appendingPathComponent("5-cut.gz"))
        let names = ["1-good.gz", "2-cut.gz", "3-good.gz", "4-again.log", "5-cut.gz"]
        let r = try E2E.run(["ingest", "--db", "s.sqlite"] + names, in: dir)
        #expect(r.status == 2)
        let outcomes = r.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let word = line.split(separator: " ").first, ["ingéré", "échec", "ignoré"].contains(String(word)) else { return nil }
            return "\(word) \(names.first { line.contains(" \($0) :") } ?? "?")"
        }
        #expect(outcomes == ["ingéré 1-good.gz", "échec 2-cut.gz", "ingéré 3-good.gz", "ignoré 4-again.log", "échec 5-cut.gz"], "\(r.stdout)")
        // a (50 records) and c (30), one visit each.
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,2,2,0,80,0,0,,")
        try E2E.write("SELECT (SELECT group_concat(name, ' ') FROM (SELECT name FROM ingested_file ORDER BY name)), (SELECT COUNT(*) FROM failed_file)",
                      to: dir.appendingPathComponent("ledger.sql"))
        let ledger = try E2E.run(["query", "--db", "s.sqlite", "ledger.sql"], in: dir)
        #expect(E2E.lines(ledger.stdout).last == "1-good.gz 3-good.gz,2", "\(ledger.stdout)")
    }

    /// When SQLite rolls back the whole transaction that small files share (here a trigger
    /// that raises ROLLBACK on the second file's ledger row), the files before it, not yet
    /// reported, are reported as failed, and the files after it land in a new transaction.
    @Test func filesOfATransactionRolledBackWholeAreReportedAsFailed() throws {
        let dir = try E2E.scratch()
        for (name, user) in [("1-a.gz", "a"), ("2-b.gz", "b"), ("3-c.gz", "c")] {
            try E2E.writeGzip(Self.eventLines(user: user, count: 20).joined(separator: "\n") + "\n", to: dir.appendingPathComponent(name))
        }
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"], in: dir).status == 0)
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            try db.execute("""
                CREATE TRIGGER boom AFTER INSERT ON ingested_file WHEN new.name = '2-b.gz' BEGIN SELECT RAISE(ROLLBACK, 'boom'); END;
                """)
        }
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "1-a.gz", "2-b.gz", "3-c.gz"], in: dir)
        #expect(r.status == 2)
        let outcomes = r.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let word = line.split(separator: " ").first, ["ingéré", "échec"].contains(String(word)) else { return nil }
            return String(word)
        }
        #expect(outcomes == ["échec", "échec", "ingéré"], "\(r.stdout)")
        let errors = r.stderr.split(separator: "\n")
        #expect(errors.count == 2, "\(r.stderr)")
        // The first file's line names the failure that SQLite's rollback followed.
        #expect(errors.first?.hasPrefix("entstat: 1-a.gz: ") == true
                && errors.first?.contains("transaction annulée par SQLite après l'échec de 2-b.gz : ") == true
                && errors.first?.contains("boom") == true, "\(r.stderr)")
        #expect(errors.last?.hasPrefix("entstat: 2-b.gz: ") == true && errors.last?.contains("boom") == true, "\(r.stderr)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,1,1,0,20,0,0,,")
        // Without the trigger, the next run ingests the two files that failed.
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            try db.execute("DROP TRIGGER boom")
        }
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "1-a.gz", "2-b.gz", "3-c.gz"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,3,3,0,60,0,0,,")
    }

    /// An export redirected to a full disk ends with an error and status 1, never 0 (a cron
    /// job would otherwise keep a truncated CSV); a closed pipe (`| head`) is not an error.
    @Test func anOutputThatCannotBeWrittenIsAnError() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        for arguments in [["export", "--db", "s.sqlite", "--period", "day"], ["rules"]] {
            let process = Process()
            process.executableURL = E2E.binary
            process.arguments = arguments
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            let err = Pipe()
            process.standardError = err
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1, "\(arguments[0]): \(message)")
            #expect(message.contains("sortie standard : écriture impossible"), "\(message)")
        }
    }

    /// Files that cannot be read or written are named, with the reason in French, before
    /// anything is ingested when it is an option's (exit 1: nothing was ingested).
    @Test func unusablePathsGetFrenchOneLineErrors() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder/rapport.html"), withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["ingest", "--db", "s.sqlite", "--accounts", "missing.csv", "a.gz"],
             "missing.csv: - : ouverture impossible (fichier ou dossier introuvable) ; vérifiez le chemin et les droits ; le référentiel précédent est conservé"),
            (["ingest", "--db", "s.sqlite", "--rules", "folder", "a.gz"], "folder: - : c'est un dossier, un fichier est attendu ; vérifiez le chemin"),
            (["ingest", "--db", "s.sqlite", "--summary-json", "folder", "a.gz"], "--summary-json folder : fichier impossible à écrire"),
            (["ingest", "--db", "a.gz/s.sqlite", "a.gz"],
             "a.gz/s.sqlite.lock: - : verrouillage impossible (un élément du chemin n'est pas un dossier) ; vérifiez que le dossier du magasin existe et que ce compte peut y écrire, ou donnez un autre chemin avec --db"),
        ]
        for (arguments, message) in cases {
            let r = try E2E.run(arguments, in: dir)
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
            // One line (the first case's saying it created the store is left out by
            // `E2E.run`); the first case then removes the store, nothing having been stored,
            // and its line says so; the others stop before the store is opened.
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
            let removed = " ; le magasin créé par cette commande est retiré, rien n'y ayant été enregistré (son secret aussi)\n"
            #expect(r.stderr.hasSuffix(removed) == arguments.contains("--accounts"), "\(r.stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("s.") }
            #expect(left.isEmpty, "\(arguments): \(left)")
        }
        // None of the three ingested a.gz: it is new to the store now.
        let ingest = try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir)
        #expect(ingest.status == 0)
        #expect(ingest.stdout.contains("bilan : 1 fichier ingéré, 0 ignoré"), "\(ingest.stdout)")
        let report = try E2E.run(["report", "--db", "s.sqlite", "--out", "folder"], in: dir)
        #expect(report.status == 1)
        #expect(report.stderr.contains("folder/rapport.html: - : écriture impossible (c'est un dossier)"), "\(report.stderr)")
    }

    /// A feature is kept in 14 bits: a rules file of more than 16 383 features is refused
    /// at the line that passes the limit before the store is created, and one that would
    /// take the store's feature names past 16 383 is refused before any file is read; in
    /// both cases exit 1, one line, and the file given is left for the next run.
    @Test func rulesBeyond16383FeaturesAreRefusedBeforeAnythingIsStored() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        try E2E.writeGzip(Self.eventLines(user: "b", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("b.gz"))
        let names = (1...16_383).map { "f\($0) module M\($0)" }
        try (names.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
        // 16 381 names, `blog` and `autre`: the new store's ids 1 to 16 383.
        try (names.prefix(16_381).joined(separator: "\n") + "\nblog module Blog\n").write(to: dir.appendingPathComponent("full.txt"), atomically: true, encoding: .utf8)
        try "g path /g\nblog module Blog\n".write(to: dir.appendingPathComponent("more.txt"), atomically: true, encoding: .utf8)

        let big = try E2E.run(["ingest", "--db", "s.sqlite", "--rules", "big.txt", "a.gz"], in: dir)
        #expect(big.status == 1)
        #expect(big.stderr.contains("big.txt: ligne 16383 : trop de fonctionnalités : au plus 16\u{202F}383, « autre » comprise"), "\(big.stderr)")
        #expect(big.stderr.split(separator: "\n").count == 1, "\(big.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("s.") }.isEmpty)

        let full = try E2E.run(["ingest", "--db", "s.sqlite", "--rules", "full.txt", "a.gz"], in: dir)
        #expect(full.status == 0, "\(full.stderr)")
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            #expect(try db.scalarInt("SELECT MAX(id) FROM feature") == 16_383)
            #expect(try db.scalarInt("SELECT COUNT(*) FROM feature") == 16_383)
        }
        let blog = try E2E.run(["export", "--db", "s.sqlite", "--period", "all", "--by", "feature"], in: dir)
        #expect(blog.stdout.contains("\nall,blog,1,"), "\(blog.stdout)")

        // `g` would be a 16 384th name: refused, b.gz left untouched.
        let more = try E2E.run(["ingest", "--db", "s.sqlite", "--rules", "more.txt", "b.gz"], in: dir)
        #expect(more.status == 1)
        #expect(more.stderr.contains("s.sqlite: - : le magasin connaît déjà 16\u{202F}383 noms de fonctionnalité et les règles en ajoutent 1, au-delà des 16\u{202F}383 qu'il peut tenir"), "\(more.stderr)")
        #expect(more.stderr.split(separator: "\n").count == 1, "\(more.stderr)")
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "--rules", "full.txt", "b.gz"], in: dir)
        #expect(again.stdout.contains("bilan : 1 fichier ingéré, 0 ignoré"), "\(again.stdout)")
    }

    /// Another application's SQLite file, a file that is not a database and a folder are
    /// refused as the store, by ingest and readers alike, and nothing is written to them.
    @Test func somethingElseGivenAsTheStoreIsRefusedUntouched() throws {
        let dir = try E2E.scratch()
        let foreign = dir.appendingPathComponent("other.sqlite")
        do {
            let db = try Database(path: foreign.path)
            try db.execute("CREATE TABLE invoices(n INTEGER); INSERT INTO invoices VALUES (42);")
        }
        let before = try Data(contentsOf: foreign)
        try Data(repeating: 0x41, count: 8192).write(to: dir.appendingPathComponent("notes.sqlite"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder"), withIntermediateDirectories: true)
        // Another one, whose schema version is not 0, with a table named like one of entstat's.
        let versioned = dir.appendingPathComponent("app.sqlite")
        do {
            let db = try Database(path: versioned.path)
            try db.execute("CREATE TABLE meta(k, v); PRAGMA user_version = 5;")
        }
        let versionedBefore = try Data(contentsOf: versioned)
        let cases = [("other.sqlite", "base SQLite d'une autre application (1 objet, schéma 0, aucun d'entstat)"),
                     ("app.sqlite", "base SQLite d'une autre application (1 objet, schéma 5, aucun d'entstat)"),
                     ("notes.sqlite", "ce n'est pas une base SQLite"), ("folder", "c'est un dossier, pas un magasin")]
        for (path, reason) in cases {
            for arguments in [["ingest", "--db", path], ["export", "--db", path, "--period", "all"]] {
                let r = try E2E.run(arguments, in: dir)
                #expect(r.status == 1, "\(arguments)")
                #expect(r.stderr.contains("\(path): - : \(reason)") && r.stderr.contains("rien n'y a été écrit"), "\(r.stderr)")
            }
        }
        #expect(try Data(contentsOf: foreign) == before)
        #expect(try Data(contentsOf: versioned) == versionedBefore)
        #expect(!FileManager.default.fileExists(atPath: foreign.path + ".lock") && !FileManager.default.fileExists(atPath: foreign.path + "-wal"))
    }

    /// A reload that keeps less than half the rows of the previous one (a file cut inside the
    /// last field of a line looks complete) is refused, the previous directory kept, unless
    /// `--allow-shrink` says it is meant.
    @Test func aDirectoryThatShrinksByHalfIsRefusedUnlessAllowed() throws {
        let dir = try E2E.scratch()
        func accounts(_ n: Int) -> String {
            "user_id;legacy_id;role;schools;code_commune;activated_on\n" + (0..<n).map { "u\($0);;parent;0800001S;;2018-09-01\n" }.joined()
        }
        func schools(_ n: Int) -> String {
            "uai;nom;niveau;code_commune;commune;epci\n" + (0..<n).map { "08\(String(format: "%05d", $0))A;École \($0);primaire;80021;Amiens;CA\n" }.joined()
        }
        try E2E.write(accounts(30), to: dir.appendingPathComponent("a30.csv"))
        try E2E.write(accounts(14), to: dir.appendingPathComponent("a14.csv"))
        try E2E.write(accounts(15), to: dir.appendingPathComponent("a15.csv"))
        try E2E.write(schools(40), to: dir.appendingPathComponent("s40.csv"))
        try E2E.write(schools(19), to: dir.appendingPathComponent("s19.csv"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "a30.csv", "--schools", "s40.csv"], in: dir).status == 0)
        let shrunk = try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "a14.csv"], in: dir)
        #expect(shrunk.status == 1)
        #expect(shrunk.stderr.contains("a14.csv: - : 14 comptes contre 30 au chargement précédent, moins de la moitié : fichier tronqué ? S'il est complet, relancez avec --allow-shrink ; le référentiel précédent est conservé"), "\(shrunk.stderr)")
        let schoolsShrunk = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "s19.csv"], in: dir)
        #expect(schoolsShrunk.status == 1, "\(schoolsShrunk.stderr)")
        let count = { try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true).scalarInt($0) ?? -1 }
        #expect(try count("SELECT COUNT(*) FROM account") == 30 && count("SELECT COUNT(*) FROM school") == 40, "the previous ones kept")
        // Half exactly is accepted; less with --allow-shrink too.
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "a15.csv"], in: dir).status == 0)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "s19.csv", "--allow-shrink"], in: dir).status == 0)
        #expect(try count("SELECT COUNT(*) FROM account") == 15 && count("SELECT COUNT(*) FROM school") == 19)
        // The files of one command are loaded all or none: sound schools given with a
        // refused accounts file (a quote left open) do not replace the previous schools.
        try E2E.write(accounts(20) + "u99;;\"parent;0800001S;;2018-09-01\n", to: dir.appendingPathComponent("open-quote.csv"))
        let mixed = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "s40.csv", "--accounts", "open-quote.csv"], in: dir)
        #expect(mixed.status == 1, "\(mixed.stderr)")
        #expect(mixed.stderr.contains("open-quote.csv") && mixed.stderr.contains("; aucun des 2 référentiels de la commande n'est chargé, les précédents sont conservés\n"), "\(mixed.stderr)")
        #expect(mixed.stderr.split(separator: "\n").count == 1, "\(mixed.stderr)")
        #expect(try count("SELECT COUNT(*) FROM account") == 15 && count("SELECT COUNT(*) FROM school") == 19)
        let both = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "s40.csv", "--accounts", "a30.csv"], in: dir)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(try count("SELECT COUNT(*) FROM account") == 30 && count("SELECT COUNT(*) FROM school") == 40)
        #expect(try count("SELECT COUNT(*) FROM reference_load") == 2)
    }

    /// Figures left uncomputed (here the rollups' queue a purge killed right after its
    /// commit leaves) are reported by `status` (exit 3) until an ingest finishes them; while
    /// a writer holds the store's lock, the same queue is work in progress (exit 0).
    @Test func statusReportsFiguresLeftUncomputed() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let clean = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(clean.status == 0 && !clean.stdout.contains("calcul"), "\(clean.stdout)")
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            try db.execute("INSERT INTO pending_period_person(day, person) SELECT MIN(day), MIN(person) FROM person_day_activity")
            // And a (person, day) to recompute, which makes readers refuse the store.
            try db.execute("INSERT INTO pending_person_day(person, day) SELECT MIN(person), MIN(day) FROM person_day_activity")
        }
        let interrupted = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(interrupted.status == 3, "\(interrupted.stdout)")
        #expect(interrupted.stdout.contains("calcul   inachevé : une ingestion, une purge ou un changement de secret a été interrompu ; lancez « entstat ingest --db s.sqlite »"), "\(interrupted.stdout)")
        #expect(interrupted.stdout.contains("bilan : 0 lacune de couverture, 0 fichier en échec non repris, calcul des indicateurs inachevé"), "\(interrupted.stdout)")
        #expect(try E2E.run(["export", "--db", "s.sqlite", "--period", "all"], in: dir).status == 1, "exports refuse it")
        let quiet = try E2E.run(["status", "--db", "s.sqlite", "--quiet"], in: dir)
        #expect(quiet.status == 3 && quiet.stdout.contains("calcul   inachevé"), "\(quiet.stdout)")
        do {
            let lock = try StoreLock(storePath: dir.appendingPathComponent("s.sqlite").path, timeoutSeconds: 1, onWait: {})
            try lock.holdStoreFile(onWait: {})
            let running = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
            // One line says a writer is at work and computes figures (this lock names no
            // activity: « un autre entstat »).
            let lines = running.stdout.split(separator: "\n").filter { $0.contains("calcul") || $0.hasPrefix("écriture") }
            #expect(running.status == 0 && lines.count == 1 && lines[0].hasPrefix("écriture un autre entstat écrit dans ce magasin depuis le 20")
                    && lines[0].hasSuffix(", calcul des indicateurs compris : ce qui n'est pas encore enregistré ne compte pas ici ; "
                        + "relancez « entstat status » une fois l'écriture finie"), "\(running.stdout)")
            withExtendedLifetime(lock) {}
        }
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"], in: dir).status == 0)
        let finished = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(finished.status == 0 && !finished.stdout.contains("calcul"), "\(finished.stdout)")
    }

    /// While an ingest holds the store's lock and has committed nothing yet, `status` says it
    /// is at work, and since when, in one line (it said « aucune lacune » as of a quiet
    /// store); its exit code keeps its rules (0 here: a nightly run at work is no anomaly).
    @Test func statusSaysAnIngestIsAtWork() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let path = dir.appendingPathComponent("s.sqlite").path
        do {
            let store = try Store(writingTo: path, secretPath: Store.defaultSecretPath(forStore: path), lockTimeoutSeconds: 1, activity: "une ingestion")
            let running = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
            #expect(running.status == 0, "\(running.stdout)")
            let line = running.stdout.split(separator: "\n").filter { $0.hasPrefix("écriture ") }
            #expect(line.count == 1 && line[0].hasPrefix("écriture une ingestion est en cours depuis le 20")
                    && line[0].hasSuffix(" : ce qui n'est pas encore enregistré ne compte pas ici ; relancez « entstat status » une fois l'écriture finie"), "\(running.stdout)")
            #expect(running.stdout.hasSuffix("bilan : aucune lacune de couverture\n"), "\(running.stdout)")
            #expect(try E2E.run(["status", "--db", "s.sqlite", "--quiet"], in: dir).stdout.isEmpty, "nothing to look at for a monitor")
            withExtendedLifetime(store) {}
        }
        let after = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(after.status == 0 && !after.stdout.contains("écriture "), "\(after.stdout)")
    }

    /// A reference file of which every row is skipped (its header has a column more than its
    /// rows) is refused even on a first load, instead of loading an empty directory.
    @Test func aReferenceFileWithNoUsableRowIsRefused() throws {
        let dir = try E2E.scratch()
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on;note\n"
                      + (0..<3).map { "u\($0);;parent;0800001S;;2018-09-01\n" }.joined(), to: dir.appendingPathComponent("accounts.csv"))
        try E2E.write("uai;nom;niveau;code_commune;commune;epci;note\n0800001S;École;primaire;80021;Amiens;CA\n",
                      to: dir.appendingPathComponent("schools.csv"))
        for (option, file, warnings) in [("--accounts", "accounts.csv", 3), ("--schools", "schools.csv", 1)] {
            let r = try E2E.run(["ingest", "--db", "s.sqlite", option, file], in: dir)
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("\(file): - : aucune ligne utilisable (\(FrenchText.count(warnings, "avertissement")))"), "\(r.stderr)")
        }
        // Nothing was stored: the store each run created is gone, and its secret.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["accounts.csv", "schools.csv"])
    }

    /// A refused reference file leaves a store that existed before, and its secret, in place.
    @Test func aRefusedReferenceFileLeavesAnExistingStore() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "missing.csv"], in: dir)
        #expect(r.status == 1 && r.stderr.hasSuffix("le référentiel précédent est conservé\n"), "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.contains("s.sqlite") && files.contains("s.secret"), "\(files)")
        let db = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM ingested_file") == 1)
    }

    /// A writer leaves the write-ahead log (emptied) and its index beside the store: SQLite
    /// needs both to open it read-only from a folder the reader may not write in.
    @Test func theWriteAheadLogStaysEmptyBesideTheStore() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let wal = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("s.sqlite-wal").path)
        #expect((wal[.size] as? Int) == 0, "the log is emptied at close")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sqlite-shm").path))
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,1,1,0,30,0,0,,")
    }

    /// A report on days without any log says so, on standard error and at the top of the
    /// page, so that missing logs are not read as no use; a day alone is « le … (1 jour) ».
    @Test func aReportOnDaysWithoutLogsSaysSo() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        func report(_ from: String, _ to: String) throws -> (stderr: String, html: String) {
            let r = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--from", from, "--to", to,
                                 "--queries", ReportFixture.queriesDirectory], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            return (r.stderr, try String(contentsOf: dir.appendingPathComponent("r/rapport.html"), encoding: .utf8))
        }
        let none = try report("2019-01-01", "2019-01-31")
        let noneText = "aucun journal ingéré ne couvre la période : ses chiffres d'activité sont nuls faute de données, non faute d'usage"
        #expect(none.stderr.contains(noneText), "\(none.stderr)")
        // (The space before a colon is a no-break one in the page.)
        let noticeHTML = HTMLText.escape("Attention : \(noneText).").replacingOccurrences(of: " :", with: "\u{00A0}:")
        #expect(none.html.contains("<p class=\"notice\" role=\"note\">\(noticeHTML)</p>"))
        let part = try report("2018-10-25", "2018-11-01")
        #expect(part.stderr.contains("7 jours de la période sans aucun journal ingéré (du 25 octobre 2018 au 31 octobre 2018) : leurs chiffres d'activité sont nuls faute de données, non faute d'usage"), "\(part.stderr)")
        // A day without logs between two days with some.
        try E2E.writeGzip(Self.eventLines(user: "b", count: 5, startUTC: 1_541_062_800 + 2 * 86_400).joined(separator: "\n") + "\n",
                          to: dir.appendingPathComponent("c.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "c.gz"], in: dir).status == 0)
        let gap = try report("2018-11-01", "2018-11-03")
        #expect(gap.stderr.contains("1 jour de la période sans aucun journal ingéré (le 2 novembre 2018)"), "\(gap.stderr)")
        let covered = try report("2018-11-01", "2018-11-01")
        #expect(covered.stderr.isEmpty, "\(covered.stderr)")
        #expect(!covered.html.contains("class=\"notice\""))
        #expect(covered.html.contains("adoption le 1er novembre 2018 (1 jour)</p>"), "\(covered.html.prefix(2000))")
    }

    /// A store holding reference files and no log has no first day: `status` and `purge
    /// --dry-run` say so instead of showing 1970-01-01 (day 0), and plan nothing.
    @Test func aStoreWithoutLogsHasNoFirstDay() throws {
        let dir = try E2E.scratch()
        try E2E.write("uai;nom;niveau;code_commune;commune;epci\n0800001S;École;primaire;80021;Amiens;CA\n", to: dir.appendingPathComponent("schools.csv"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv"], in: dir).status == 0)
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.stdout.contains("conservation  aucune purge ; aucune donnée par utilisateur") && !status.stdout.contains("1970"), "\(status.stdout)")
        let plan = try E2E.run(["purge", "--db", "s.sqlite", "--dry-run", "--before", "2018-11-01"], in: dir)
        #expect(plan.status == 0 && plan.stdout.contains("qui seraient supprimées : aucune") && !plan.stdout.contains("1970")
                && !plan.stdout.contains("gel"), "\(plan.stdout)")
    }

    /// As another user than the store's owner (the analysts, when the nightly job owns the
    /// store and its folder): reading works from the folder they may not write in, and a
    /// write is refused before anything is read, in one line. Needs root to switch users.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func anotherUserReadsTheStoreAndMayNotWriteIt() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        for name in ["s.sqlite", "s.sqlite-wal", "s.sqlite-shm", "a.gz"] {
            chmod(dir.appendingPathComponent(name).path, 0o644)
        }
        chmod(dir.path, 0o755)
        func asNobody(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", E2E.binary.path] + arguments
            process.currentDirectoryURL = dir
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, stdout, stderr)
        }
        let export = try asNobody(["export", "--db", "s.sqlite", "--period", "all"])
        #expect(export.status == 0 && E2E.lines(export.stdout).last == "all,1,1,0,30,0,0,,", "\(export.stderr)")
        let ingest = try asNobody(["ingest", "--db", "s.sqlite", "a.gz"])
        #expect(ingest.status == 1, "\(ingest.stdout)")
        #expect(ingest.stderr == "entstat: s.sqlite: - : magasin en lecture seule pour cet utilisateur (s.sqlite n'est pas accessible en écriture) ; lancez la commande sous le compte propriétaire du magasin ou corrigez ses droits\n", "\(ingest.stderr)")
        // Without the write-ahead log files (a store last written by an older entstat).
        try FileManager.default.removeItem(at: dir.appendingPathComponent("s.sqlite-wal"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("s.sqlite-shm"))
        let old = try asNobody(["export", "--db", "s.sqlite", "--period", "all"])
        #expect(old.status == 1 && old.stderr.contains("lancez une fois « entstat ingest --db s.sqlite » sous le compte propriétaire"), "\(old.stderr)")
    }

    /// A run that the store stops after its files went in (here a trigger standing for a full
    /// disk while the figures are computed) exits 1 but still prints its `bilan`; the next
    /// run finishes the figures.
    @Test func aRunStoppedAfterItsFilesStillPrintsItsBilan() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"], in: dir).status == 0)
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            try db.execute("CREATE TRIGGER boom BEFORE INSERT ON person_day_activity BEGIN SELECT RAISE(FAIL, 'boom'); END;")
        }
        let stopped = try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir)
        #expect(stopped.status == 1, "\(stopped.stderr)")
        #expect(stopped.stdout.contains("bilan : 1 fichier ingéré, 0 ignoré, 0 en échec ; 30 lignes, 30 retenues"), "\(stopped.stdout)")
        #expect(stopped.stderr.contains("calcul des indicateurs interrompu") && stopped.stderr.contains("boom"), "\(stopped.stderr)")
        do {
            let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
            try db.execute("DROP TRIGGER boom")
        }
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"], in: dir).status == 0)
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,1,1,0,30,0,0,,")
    }

    /// `count` plain event logs `e0.log`… in `dir`, each of `usersEach` users of its own with
    /// one record each, one second apart from 2018-11-01 09:00 Paris; and the size in bytes
    /// of a new store `s.sqlite` made there (an ingest of no file).
    static func filesOfDistinctUsers(in dir: URL, count: Int, usersEach: Int) throws -> (files: [String], storeSize: Int) {
        var files: [String] = []
        for f in 0..<count {
            let lines = (0..<usersEach).map { i in
                #"{"event-type":"ACCESS","module":"Blog","date":\#((1_541_062_800 + Int64(f * usersEach + i)) * 1000),"userId":"user-\#(f)-\#(i)"}"#
            }
            files.append("e\(f).log")
            try E2E.write(lines.joined(separator: "\n") + "\n", to: dir.appendingPathComponent(files[f]))
        }
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"], in: dir).status == 0)
        let size = try #require(FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("s.sqlite").path)[.size] as? Int)
        return (files, size)
    }

    /// A store that can take no more writes during a run (here a limit on the size of the
    /// files the run writes, standing for a full disk) stops the run at the first file it
    /// fails: the files after it are not read (each failed the same way, one error line per
    /// file of the run), one line says how many were left and what to do, exit 1. The files
    /// reported « ingéré » stay; the same command, once the store can be written, reads the
    /// others and ends with every record counted once.
    @Test func aStoreThatCannotBeWrittenStopsTheRunAtTheFirstFileItFails() throws {
        let dir = try E2E.scratch()
        // Eight plain files of 1.2 MB, each in a transaction of its own (over 1 MiB).
        let (files, size) = try Self.filesOfDistinctUsers(in: dir, count: 8, usersEach: 14_000)
        // About 2 MB more than the new store: a file or two land, not eight.
        let full = try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: dir, fileSizeLimit: size / 512 + 4_000)
        #expect(full.status == 1, "\(full.stderr)")
        let errors = full.stderr.split(separator: "\n")
        let failed = full.stdout.split(separator: "\n").filter { $0.hasPrefix("échec ") }
        let ingested = full.stdout.split(separator: "\n").filter { $0.hasPrefix("ingéré ") }
        #expect(failed.count == 1 && ingested.count < 7, "\(full.stdout)")
        #expect(errors.count == 2, "\(full.stderr)")
        let unread = 8 - ingested.count - failed.count
        #expect(errors.last?.hasPrefix("entstat: s.sqlite: - : ingestion arrêtée, écriture dans le magasin impossible (") == true
                && errors.last?.contains("\(unread) fichiers non lus, les fichiers annoncés « ingéré » sont conservés") == true
                && errors.last?.hasSuffix("relancez la même commande : elle lira les autres et terminera le calcul des indicateurs") == true, "\(full.stderr)")
        #expect(errors.allSatisfy { !Self.nestsParentheses(String($0)) }, "\(full.stderr)")
        #expect(full.stdout.contains("bilan : \(FrenchText.count(ingested.count, "fichier ingéré", "fichiers ingérés")), 0 ignoré, 1 en échec"), "\(full.stdout)")
        let again = try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("bilan : \(FrenchText.count(8 - ingested.count, "fichier ingéré", "fichiers ingérés")), \(FrenchText.count(ingested.count, "ignoré")), 0 en échec"), "\(again.stdout)")
        #expect(try Self.usersAndRequests(in: dir) == [8 * 14_000, 8 * 14_000])
    }

    /// Small files share a transaction (up to 16 MiB of them): when its commit fails (a full
    /// disk), one line names the failure and how many of its files are not stored, instead
    /// of one line per file (659 for the simulated 40 schools); each is still counted as
    /// failed in the `bilan` and the JSON summary, and the same command stores them later.
    @Test func aSharedTransactionThatCannotBeCommittedIsReportedInOneLine() throws {
        let dir = try E2E.scratch()
        // Forty plain files of 60 kB, under 1 MiB each: one transaction for them all.
        let (files, size) = try Self.filesOfDistinctUsers(in: dir, count: 40, usersEach: 600)
        // The transaction's pages stay in the page cache until its commit, whose journal
        // cannot grow past 256 kB more than the new store.
        let full = try E2E.run(["ingest", "--db", "s.sqlite", "--summary-json", "sum.json"] + files, in: dir,
                               fileSizeLimit: size / 512 + 500)
        #expect(full.status == 1, "\(full.stderr)")
        let failed = full.stdout.split(separator: "\n").filter { $0.hasPrefix("échec ") }
        #expect(failed.count == 1, "\(full.stdout)")
        #expect(failed.first?.hasPrefix("échec   écriture dans le magasin impossible (validation de la transaction impossible : ") == true
                && failed.first?.contains(" ; les 40 fichiers de cette transaction, de « e0.log » à « e39.log », ne sont pas enregistrés (comptés en échec) ; une fois la cause corrigée, relancez la même commande") == true,
                "\(full.stdout)")
        let errors = full.stderr.split(separator: "\n")
        #expect(errors.count == 2 && errors.first?.hasPrefix("entstat: s.sqlite: - : écriture dans le magasin impossible (") == true, "\(full.stderr)")
        #expect((errors + failed).allSatisfy { !Self.nestsParentheses(String($0)) }, "\(full.stderr)\n\(full.stdout)")
        #expect(full.stdout.contains("bilan : 0 fichier ingéré, 0 ignoré, 40 en échec"), "\(full.stdout)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("sum.json"))) as? [String: Any]
        #expect((summary?["failures"] as? [Any])?.count == 40, "one entry per file in the machine-read summary")
        let again = try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: dir)
        #expect(again.status == 0 && again.stdout.contains("bilan : 40 fichiers ingérés, 0 ignoré, 0 en échec"), "\(again.stdout)")
        #expect(try Self.usersAndRequests(in: dir) == [40 * 600, 40 * 600])
    }

    /// Whether `line` opens a parenthesis inside another (« (disque plein (SQLite 13)) »).
    static func nestsParentheses(_ line: String) -> Bool {
        var depth = 0
        for c in line {
            if c == "(" { depth += 1; if depth > 1 { return true } }
            if c == ")" { depth -= 1 }
        }
        return false
    }

    /// A shared transaction lost at its commit fails each of its files, hundreds of small
    /// ones: `status` shows the first `--max-failures` (50) and counts them all, as it does
    /// the gaps, instead of one line per file in the morning's mail.
    @Test func statusShowsTheFirstFailedFilesAndCountsThemAll() throws {
        let dir = try E2E.scratch()
        for name in ["a", "b", "c"] {
            let full = E2E.gzipMember(Array((Self.eventLines(user: name, count: 400).joined(separator: "\n") + "\n").utf8))
            try Data(full.prefix(full.count - 20)).write(to: dir.appendingPathComponent("\(name).gz"))
        }
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz", "b.gz", "c.gz"], in: dir).status == 2)
        let few = try E2E.run(["status", "--db", "s.sqlite", "--max-failures", "1"], in: dir)
        #expect(few.status == 3)
        let failed = few.stdout.split(separator: "\n").filter { $0.hasPrefix("échec ") }
        #expect(failed.count == 2 && ["a.gz", "b.gz", "c.gz"].contains(String(failed[0].split(separator: " ")[1]))
                && failed[1] == "échec    … et 2 autres (--max-failures pour les voir)", "\(few.stdout)")
        #expect(few.stdout.hasSuffix("bilan : 0 lacune de couverture, 3 fichiers en échec non repris\n"), "\(few.stdout)")
        let all = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(all.stdout.split(separator: "\n").filter { $0.hasPrefix("échec ") }.map { $0.split(separator: " ", maxSplits: 5)[1] }.sorted()
                == ["a.gz", "b.gz", "c.gz"], "\(all.stdout)")
        let none = try E2E.run(["status", "--db", "s.sqlite", "--max-failures", "0"], in: dir)
        #expect(none.stdout.split(separator: "\n").filter { $0.hasPrefix("échec ") } == ["échec    … et 3 autres (--max-failures pour les voir)"], "\(none.stdout)")
    }

    /// A lock file deleted by hand while a writer holds it does not let a second writer in:
    /// the store's file is locked too, and the second one waits for it.
    @Test func aDeletedLockFileStillKeepsASecondWriterOut() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"], in: dir).status == 0)
        let store = dir.appendingPathComponent("s.sqlite").path
        do {
            let lock = try StoreLock(storePath: store, timeoutSeconds: 1, onWait: {})
            try lock.holdStoreFile(onWait: {})
            try FileManager.default.removeItem(atPath: store + ".lock")
            let second = try E2E.run(["ingest", "--db", "s.sqlite", "--lock-timeout", "1", "a.gz"], in: dir)
            #expect(second.status == 1, "\(second.stdout)")
            #expect(second.stderr.contains("un autre entstat écrit dans ce magasin depuis plus de 1 s"), "\(second.stderr)")
            withExtendedLifetime(lock) {}
        }
        // Released: the file the refused run did not touch goes in now.
        let third = try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir)
        #expect(third.status == 0 && third.stdout.contains("bilan : 1 fichier ingéré"), "\(third.stdout)")
    }

    /// A store written by a newer entstat is refused by every command, in one line naming
    /// the store (the ingest's named nothing).
    @Test func aStoreOfANewerSchemaIsRefusedNamingIt() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 3).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let newer = Migrations.latestVersion + 1
        try Database(path: dir.appendingPathComponent("s.sqlite").path).execute("PRAGMA user_version = \(newer)")
        let message = "entstat: s.sqlite: - : le magasin est au schéma \(newer), cette version d'entstat ne connaît que le schéma \(Migrations.latestVersion) : mettez entstat à jour\n"
        for command in [["ingest", "--db", "s.sqlite"], ["export", "--db", "s.sqlite", "--period", "all"], ["status", "--db", "s.sqlite"]] {
            let r = try E2E.run(command, in: dir)
            #expect(r.status == 1, "\(command)")
            #expect(r.stderr == message, "\(command): \(r.stderr)")
        }
    }

    /// A bad command line gets one French line and status 1.
    @Test func usageErrorsAreOneFrenchLine() throws {
        let dir = try E2E.scratch()
        let cases: [([String], String)] = [
            (["export", "--period", "all", "--bogus"], "entstat: option inconnue « --bogus » ; voir « entstat export --help »"),
            (["ingest", "--lock-timeout", "abc"], "entstat: valeur « abc » invalide pour « --lock-timeout <SECONDES> » ; voir « entstat ingest --help »"),
            (["export"], "entstat: argument obligatoire manquant : « --period <PÉRIODE> » ; voir « entstat export --help »"),
            (["export", "--period", "all", "extra"], "entstat: argument inattendu « extra » ; voir « entstat export --help »"),
            (["export", "--period", "all", "a", "b"], "entstat: 2 arguments inattendus : « a », « b » ; voir « entstat export --help »"),
            (["ingest", "--quiet=x"], "entstat: l'option « --quiet » ne prend pas de valeur (« x » donné) ; voir « entstat ingest --help »"),
            (["query", "q.sql", "--param", "from=2018-13-01"], "entstat: --param from « 2018-13-01 » n'est pas une date AAAA-MM-JJ ; voir « entstat query --help »"),
            (["purge", "--before", "2999-01-01"], "entstat: --before 2999-01-01 est dans le futur : la purge supprimerait toutes les données par utilisateur et rognerait chaque journal à venir ; donnez une date passée ; voir « entstat purge --help »"),
            (["purge", "--keep-months", "1000000"], "entstat: --keep-months doit être compris entre 1 et 1200 ; voir « entstat purge --help »"),
        ]
        for (arguments, message) in cases {
            let r = try E2E.run(arguments, in: dir)
            #expect(r.status == 1)
            #expect(r.stderr == message + "\n", "\(r.stderr)")
        }
    }

    /// An option that takes one value given twice is a usage error, in every subcommand:
    /// ArgumentParser kept the last value without a word (`ingest --accounts A --accounts B`
    /// loaded B alone). Nothing is done: no store is created. Options that take several
    /// values (`--param`, `--forget-failure`) may be repeated, and after `--` every argument
    /// is a log.
    @Test func anOptionOfOneValueGivenTwiceIsAUsageError() throws {
        let dir = try E2E.scratch()
        let cases: [([String], String, String)] = [
            (["ingest", "--db", "s.sqlite", "--accounts", "a.csv", "--accounts", "b.csv"], "--accounts", "2 fois"),
            (["ingest", "--db=s.sqlite", "--schools", "a.csv", "--db", "t.sqlite"], "--db", "2 fois"),
            (["ingest", "--db", "s.sqlite", "--rules", "a", "--rules=b", "--rules", "c"], "--rules", "3 fois"),
            (["rotate-secret", "--db", "s.sqlite", "--accounts", "a.csv", "--accounts", "b.csv"], "--accounts", "2 fois"),
            (["export", "--db", "s.sqlite", "--period", "all", "--period", "month"], "--period", "2 fois"),
            (["report", "--db", "s.sqlite", "--out", "r", "--min-cell", "3", "--min-cell", "5"], "--min-cell", "2 fois"),
            (["status", "--db", "s.sqlite", "--db", "s.sqlite"], "--db", "2 fois"),
            (["query", "--db", "s.sqlite", "q.sql", "--db", "t.sqlite"], "--db", "2 fois"),
            (["purge", "--db", "s.sqlite", "--keep-months", "3", "--keep-months", "4"], "--keep-months", "2 fois"),
            (["simulate", "--out", "sim", "--seed", "5", "--seed", "3"], "--seed", "2 fois"),
        ]
        for (arguments, option, times) in cases {
            let r = try E2E.run(arguments, in: dir)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderr == "entstat: option \(option) donnée \(times), alors qu'elle ne prend qu'une valeur ; gardez-en une seule ; voir « entstat \(arguments[0]) --help »\n",
                    "\(arguments): \(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "\(arguments): nothing created")
        }
        for arguments in [["query", "--db", "s.sqlite", "q.sql", "--param", "a=1", "--param", "b=2"],
                          ["ingest", "--db", "s.sqlite", "--forget-failure", "x", "--forget-failure", "y"],
                          ["ingest", "--db", "s.sqlite", "--", "--db"]] {
            let r = try E2E.run(arguments, in: dir)
            #expect(r.status != 0 && !r.stderr.contains("alors qu'elle ne prend qu'une valeur"), "\(arguments): \(r.stderr)")
        }
    }

    /// `status --check-integrity` reads every page: a store damaged on disk exits 1 with a
    /// French line, a sound one does not.
    @Test func statusCheckIntegrityFindsADamagedStore() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 3000).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let sound = try E2E.run(["status", "--db", "s.sqlite", "--check-integrity", "--quiet"], in: dir)
        #expect(sound.status == 0, "\(sound.stderr)")
        let path = dir.appendingPathComponent("s.sqlite").path
        // The root page of the calendar (days 2000–2045), which opening the store does not read.
        let root = try Database(path: path, readOnly: true).scalarInt("SELECT rootpage FROM sqlite_master WHERE name = 'calendar'") ?? 0
        #expect(root > 1)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(root - 1) * 16_384 + 12)
        handle.write(Data(repeating: 0xA5, count: 512))
        try handle.close()
        let damaged = try E2E.run(["status", "--db", "s.sqlite", "--check-integrity", "--quiet"], in: dir)
        #expect(damaged.status == 1)
        #expect(damaged.stderr.hasPrefix("entstat: s.sqlite: - : magasin endommagé ("), "\(damaged.stderr)")
        #expect(damaged.stderr.hasSuffix("restaurez une sauvegarde ou reconstruisez-le depuis les journaux\n"))
    }

    /// A store holding a value entstat never writes (an edit by hand, damage on disk) is
    /// refused with one French line naming the table, by readers and ingest alike, instead
    /// of stopping the program: here a feature id beyond what a timeline entry holds, which
    /// ingest would have stored as another feature (or trapped on). Nothing is stored
    /// meanwhile, and the store is usable again once the value is put back.
    @Test func aFeatureIdEntstatNeverWritesIsRefusedNotStoredWrong() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        try E2E.writeGzip(Self.eventLines(user: "b", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("b.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let path = dir.appendingPathComponent("s.sqlite").path
        func setBlog(_ id: Int) throws {
            try Database(path: path).execute("UPDATE feature SET id = \(id) WHERE name = 'blog'")
        }
        let blog = try #require(try Database(path: path, readOnly: true).scalarInt("SELECT id FROM feature WHERE name = 'blog'"))
        try setBlog(16_384)
        let line = "entstat: s.sqlite: - : magasin endommagé, table feature : identifiant 16384 hors de 0 à 16\u{202F}383 ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux\n"
        for command in [["export", "--db", "s.sqlite", "--period", "all"], ["ingest", "--db", "s.sqlite", "b.gz"],
                        ["report", "--db", "s.sqlite", "--out", "r", "--queries", ReportFixture.queriesDirectory]] {
            let r = try E2E.run(command, in: dir)
            #expect(r.status == 1, "\(command[0]): \(r.stdout)")
            #expect(r.stderr == line, "\(command[0]): \(r.stderr)")
        }
        #expect(try Database(path: path, readOnly: true).scalarInt("SELECT COUNT(*) FROM ingested_file") == 1)
        try setBlog(Int(blog))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "b.gz"], in: dir).status == 0)
        let export = try E2E.export(["--period", "all", "--by", "feature"], in: dir)
        #expect(E2E.lines(export).last == "all,blog,2,2,0,60", "\(export)")
    }

    /// A person or identity id far beyond any real count (an edit by hand, damage on disk)
    /// is refused with one French line naming the table, instead of sizing arrays of
    /// persons by it (gigabytes, then the system's out-of-memory kill): the identities'
    /// largest id when the store is opened, by readers and ingest alike (nothing stored);
    /// `person_place` when the figures are computed.
    @Test func aPersonIdBeyondAnyCountIsRefusedNotAllocatedFor() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        try E2E.writeGzip(Self.eventLines(user: "b", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("b.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let store = dir.appendingPathComponent("s.sqlite")
        let damage = try Self.damager(of: dir)
        try damage("UPDATE identity SET id = 2147483648")
        let line = "entstat: s.sqlite: - : magasin endommagé, table identity : id 2147483648 au-delà des 200\u{202F}000\u{202F}000 identifiants prévus ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux\n"
        for command in [["export", "--db", "s.sqlite", "--period", "all"], ["ingest", "--db", "s.sqlite", "b.gz"]] {
            let r = try E2E.run(command, in: dir, timeout: 120)
            #expect(r.status == 1, "\(command[0]): \(r.stdout)")
            #expect(r.stderr == line, "\(command[0]): \(r.stderr)")
        }
        #expect(try Database(path: store.path, readOnly: true).scalarInt("SELECT COUNT(*) FROM ingested_file") == 1)

        try damage("UPDATE person_place SET person = 2147483648")
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "b.gz"], in: dir, timeout: 120)
        #expect(r.status == 1)
        #expect(r.stderr.contains("calcul des indicateurs interrompu (magasin endommagé, table person_place : person 2147483648 au-delà des 200\u{202F}000\u{202F}000 identifiants prévus"), "\(r.stderr)")
        // Running ingest again would not help: the store's advice only.
        #expect(r.stderr.hasSuffix(" ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux)\n"), "\(r.stderr)")

        // An identity with the largest id there may be is read as any other, but no identity
        // is given after it: the next file fails, nothing of it stored.
        try damage("UPDATE identity SET id = 200000000")
        #expect(try E2E.run(["export", "--db", "s.sqlite", "--period", "all"], in: dir).status == 0)
        let next = try E2E.run(["ingest", "--db", "s.sqlite", "b.gz"], in: dir, timeout: 120)
        #expect(next.status == 2)
        #expect(next.stderr.contains("s.sqlite: - : magasin endommagé, table identity : id 200000001 au-delà des 200\u{202F}000\u{202F}000 identifiants prévus"), "\(next.stderr)")
        #expect(try Database(path: store.path, readOnly: true).scalarInt("SELECT COUNT(*) FROM identity") == 1)
        #expect(try Database(path: store.path, readOnly: true).scalarInt("SELECT COUNT(*) FROM ingested_file") == 1)
    }

    /// Keeps a copy of the sound store `s.sqlite` of `dir`; the function returned puts that
    /// copy back, then runs its SQL on it (one damage at a time).
    static func damager(of dir: URL) throws -> (String) throws -> Void {
        let store = dir.appendingPathComponent("s.sqlite"), sound = dir.appendingPathComponent("sound.sqlite")
        try FileManager.default.copyItem(at: store, to: sound)
        return { sql in
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
            try FileManager.default.copyItem(at: sound, to: store)
            try Database(path: store.path).execute(sql)
        }
    }

    /// Values of a damaged store that stopped the program before (found by
    /// tools/fuzz/sweep-store) now end in one French line naming the table, or are read as
    /// covering nothing: a day of activity beyond the year 9999 (the report's period), a
    /// log's last day that is not a number (the report's coverage note), a log of 2^63 - 1
    /// lines (the status's totals), a secret rotated after a day beyond the year 9999 (the
    /// exports' periods across a rotation), a person's count of 2^63 - 1 requests in a week
    /// (the sums of the exports' cells), a queued (person, day) that is not two integers
    /// (the ingest's computation hung on it). (The role masks: `RoleSnapshotWriterTests`.)
    @Test func damagedValuesThatStoppedTheProgramAreRefusedInOneLine() throws {
        let dir = try E2E.scratch()
        for user in ["a", "b"] {
            try E2E.writeGzip(Self.eventLines(user: user, count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("\(user).gz"))
        }
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz", "b.gz"], in: dir).status == 0)
        let damage = try Self.damager(of: dir)
        let report = ["report", "--db", "s.sqlite", "--out", "r", "--queries", ReportFixture.queriesDirectory]
        let restore = " ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux\n"

        try damage("UPDATE person_day_activity SET day = 9223372036854775807")
        let far = try E2E.run(report, in: dir, timeout: 120)
        #expect(far.status == 1)
        #expect(far.stderr == "entstat: s.sqlite: - : magasin endommagé, table person_day_activity : jour 9223372036854775807 hors des années 1 à 9999" + restore, "\(far.stderr)")

        try damage("UPDATE ingested_file SET last_day = 'zz'")
        let text = try E2E.run(report, in: dir, timeout: 120)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.contains("aucun journal ingéré ne couvre la période"), "\(text.stderr)")

        try damage("UPDATE ingested_file SET lines = 9223372036854775807 WHERE name = 'a.gz'")
        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir, timeout: 120)
        #expect(status.status == 1)
        #expect(status.stderr == "entstat: s.sqlite: - : magasin endommagé, table ingested_file : fichier « a.gz » : 9223372036854775807 lignes, ce qu'aucun journal ne compte" + restore, "\(status.stderr)")

        // A log's day no calendar holds: `status` showed « du -25252734927764585-06-07 »,
        // and the coverage's arithmetic could overflow on it.
        try damage("UPDATE ingested_file SET first_day = -9223372036854775808, last_day = -9223372036854775808 WHERE name = 'b.gz'")
        let days = try E2E.run(["status", "--db", "s.sqlite"], in: dir, timeout: 120)
        #expect(days.status == 1)
        #expect(days.stderr == "entstat: s.sqlite: - : magasin endommagé, table ingested_file : jour -9223372036854775808 hors des années 1 à 9999" + restore, "\(days.stderr)")

        // (Found by `sweep-store --rich`, whose base store has had its secret rotated.)
        try damage("INSERT INTO secret_rotation(rotated_after_day, rotated_at) VALUES (1e300, '2018-11-01T00:00:00Z')")
        let rotation = try E2E.run(["export", "--db", "s.sqlite", "--period", "week"], in: dir, timeout: 120)
        #expect(rotation.status == 1)
        #expect(rotation.stdout.isEmpty)
        #expect(rotation.stderr == "entstat: s.sqlite: - : magasin endommagé, table secret_rotation : jour 9223372036854775807 hors des années 1 à 9999" + restore, "\(rotation.stderr)")

        // (Found by `sweep-store --last-row`: the sum of the cell overflowed.) A count no
        // person makes in a period, in the week's rollup or in a day's row: refused by the
        // exports by place, which read them (by role, they read the role sums).
        let beyond = " hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295)" + restore
        try damage("UPDATE person_period SET requests = 9223372036854775807 WHERE kind = 'week'")
        let week = try E2E.run(["export", "--db", "s.sqlite", "--period", "week", "--by", "school"], in: dir, timeout: 120)
        #expect(week.status == 1)
        #expect(week.stdout.isEmpty)
        #expect(week.stderr.hasPrefix("entstat: s.sqlite: - : magasin endommagé, table person_period : détail illisible pour la personne "), "\(week.stderr)")
        #expect(week.stderr.hasSuffix(" (requests 9223372036854775807" + beyond), "\(week.stderr)")
        try damage("UPDATE person_day_activity SET logins = -1")
        let day = try E2E.run(["export", "--db", "s.sqlite", "--period", "day", "--by", "school"], in: dir, timeout: 120)
        #expect(day.status == 1)
        #expect(day.stderr.hasPrefix("entstat: s.sqlite: - : magasin endommagé, table person_day_activity : détail illisible pour la personne "), "\(day.stderr)")
        #expect(day.stderr.hasSuffix(" (logins -1" + beyond), "\(day.stderr)")

        // (Found by `sweep-store --pending`.) A queued (person, day) whose key is not made of
        // integers was read as another pair, and the computation never got past it (the
        // ingest hung); a queued day beyond the year 9999 is refused as the others are.
        for (value, reason) in [("('x', 17836)", "une clé (day, person) qui n'est pas faite de nombres entiers"),
                                ("(1, 1e300)", "une clé (day, person) qui n'est pas faite de nombres entiers"),
                                ("(1, 9223372036854775807)", "jour 9223372036854775807 hors des années 1 à 9999")] {
            try damage("INSERT INTO pending_person_day(person, day) VALUES \(value)")
            let queue = try E2E.run(["ingest", "--db", "s.sqlite"], in: dir, timeout: 120)
            #expect(queue.status == 1, "\(value)")
            #expect(queue.stderr == "entstat: s.sqlite: - : calcul des indicateurs interrompu (magasin endommagé, table pending_person_day : "
                    + reason + " ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux)\n", "\(value): \(queue.stderr)")
        }

        // (Found by `sweep-store --pending --middle-row`: the sum of an hour's visits
        // overflowed.) A person's visits of one hour beyond any count, in a day whose hours
        // are queued to be summed again.
        for visits in ["9223372036854775807", "1e300", "-1"] {
            try damage("""
                UPDATE visit_start SET visits = \(visits) WHERE (day, person, hour) = (SELECT day, person, hour FROM visit_start LIMIT 1);
                INSERT OR IGNORE INTO pending_role_day(day) SELECT day FROM visit_start;
                """)
            let hours = try E2E.run(["ingest", "--db", "s.sqlite"], in: dir, timeout: 120)
            #expect(hours.status == 1, "\(visits)")
            #expect(hours.stderr.hasPrefix("entstat: s.sqlite: - : calcul des indicateurs interrompu (magasin endommagé, table visit_start : "
                                           + "\(visits == "-1" ? "-1" : "9223372036854775807") visites à "), "\(visits): \(hours.stderr)")
            #expect(hours.stderr.hasSuffix(", hors de 0 à 4\u{202F}294\u{202F}967\u{202F}295"
                                           + " ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux)\n"), "\(visits): \(hours.stderr)")
        }
        // An hour of the day that is none: it asked to rerun the ingest, which failed again.
        try damage("""
            UPDATE visit_start SET hour = 24 WHERE (day, person, hour) = (SELECT day, person, hour FROM visit_start LIMIT 1);
            INSERT OR IGNORE INTO pending_role_day(day) SELECT day FROM visit_start;
            """)
        let hour = try E2E.run(["ingest", "--db", "s.sqlite"], in: dir, timeout: 120)
        #expect(hour.status == 1)
        #expect(hour.stderr.hasPrefix("entstat: s.sqlite: - : calcul des indicateurs interrompu (magasin endommagé, table visit_start : heure 24 hors de 0 à 23 le 20"),
                "\(hour.stderr)")
    }

    /// A store of 40 days purged before 2018-11-01 (its October frozen), in a scratch
    /// folder, and its `damager`.
    static func purgedStoreDamager() throws -> (dir: URL, damage: (String) throws -> Void) {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 40)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "-q", "logs"], in: dir).status == 0)
        #expect(try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-11-01"], in: dir).status == 0)
        return (dir, try damager(of: dir))
    }

    /// The purge's limit damaged (found by `sweep-store --rich --middle-row`): a day beyond
    /// the calendar stopped `entstat purge` (an arithmetic overflow), and a limit that is not
    /// a number was read as "never purged", so that the purged months were counted from the
    /// few per-user rows left instead of their frozen figures. Both are refused in one line
    /// by every command that reads the limit.
    @Test func aDamagedPurgeLimitIsRefusedNotReadAsNeverPurged() throws {
        let (dir, damage) = try Self.purgedStoreDamager()
        let restore = " ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux"
        for (value, what) in [("'9223372036854775807'", "est le jour 9223372036854775807, hors des années 1 à 9999"),
                              ("'-719163'", "est le jour -719163, hors des années 1 à 9999"),
                              ("'x'", "n'est pas un numéro de jour"), ("''", "n'est pas un numéro de jour")] {
            try damage("UPDATE meta SET value = \(value) WHERE key = 'purged_before'")
            let reason = "magasin endommagé, table meta : la limite de purge (purged_before) " + what + restore
            let refused = "s.sqlite: - : " + reason
            for command in [["export", "--period", "month"], ["report", "--out", "r"], ["status"]] {
                let r = try E2E.run(command + ["--db", "s.sqlite"], in: dir, timeout: 120)
                #expect(r.status == 1, "\(value) \(command)")
                #expect(r.stdout.isEmpty, "\(value) \(command)")
                #expect(r.stderr == "entstat: " + refused + "\n", "\(value) \(command): \(r.stderr)")
            }
            let purge = try E2E.run(["purge", "--db", "s.sqlite", "--before", "2018-11-05"], in: dir, timeout: 120)
            #expect(purge.status == 1, "\(value)")
            #expect(purge.stderr == "entstat: s.sqlite: - : purge impossible (" + reason
                    + ") ; rien n'a été supprimé, corrigez la cause puis relancez\n", "\(value): \(purge.stderr)")
        }
    }

    /// What a purge keeps, damaged (found while making the purged base store of
    /// `tools/fuzz/sweep-store --rich`): a frozen report table's cells cut short, or a frozen export
    /// row with fewer groups than its dimensions, stopped the program (an index out of
    /// range); cells that are not a table's (one null for a table of several columns) made
    /// the report show the table empty. Each is now refused in one line naming the table.
    @Test func damagedFrozenFiguresAreRefusedNotShownEmpty() throws {
        let (dir, damage) = try Self.purgedStoreDamager()
        let october = ["report", "--db", "s.sqlite", "--from", "2018-10-01", "--to", "2018-10-31", "--out", "r"]
        #expect(try E2E.run(october, in: dir).status == 0)
        for cells in ["x'01'", "x'00'", "x'07'", "x'030900000041'"] {
            try damage("UPDATE frozen_report_table SET cells = \(cells) WHERE scope = '' AND query = 'ecoles'")
            let r = try E2E.run(october, in: dir)
            #expect(r.status == 1, "\(cells)")
            #expect(r.stderr == "entstat: s.sqlite: - : magasin endommagé, table frozen_report_table : tableau « ecoles » gelé du 2018-10-01 au 2018-10-31 : "
                + "cellules illisibles ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux\n", "\(cells): \(r.stderr)")
        }

        try damage("UPDATE frozen_figure SET groups = 'x' WHERE dimensions = 'role,source'")
        let export = try E2E.run(["export", "--db", "s.sqlite", "--period", "month", "--by", "source,role"], in: dir)
        #expect(export.status == 1)
        #expect(export.stdout.isEmpty)
        #expect(export.stderr == "entstat: s.sqlite: - : magasin endommagé, table frozen_figure : période 2018-10 : 1 groupe pour les 2 dimensions role,source ; "
            + "restaurez une sauvegarde ou reconstruisez-le depuis les journaux\n", "\(export.stderr)")
    }

    /// A count of the store that no report can show (here logins edited to 2.9 × 10^17)
    /// stops the report with one line naming the query, the row and the column, instead of
    /// trapping while the number is written; nothing is written to the report's folder.
    @Test func aCountNoReportCanShowStopsTheReportNamingTheQuery() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        try Database(path: dir.appendingPathComponent("s.sqlite").path).execute("UPDATE activity_day_role SET logins = 290000000000000000")
        for minCell in ["0", "5"] {
            let r = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--min-cell", minCell, "--queries", ReportFixture.queriesDirectory], in: dir)
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("entstat: \(ReportFixture.queriesDirectory)/volumes_par_role.sql: - : ligne 1 du résultat, colonne « authentifications » : valeur 290000000000000000 hors de ce qu'un rapport peut afficher"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path))
        }
    }

    /// Every `--help` page is French, ArgumentParser's own headings and stock lines included.
    @Test func helpPagesAreFrench() throws {
        let dir = try E2E.scratch()
        for command in [[], ["ingest"], ["status"], ["purge"], ["rotate-secret"], ["export"], ["report"], ["query"], ["rules"], ["simulate"]] {
            let r = try E2E.run(command + ["--help"], in: dir)
            #expect(r.status == 0)
            #expect(r.stdout.contains("UTILISATION\u{00A0}: entstat"), "\(command)")
            for english in ["OVERVIEW", "USAGE", "SUBCOMMANDS", "default", "Show ", "See '", "values:", "<subcommand>"] {
                #expect(!r.stdout.contains(english), "\(command): \(english)")
            }
            // Only an example's command continues its line with a backslash (`HelpExample`).
            for line in r.stdout.split(separator: "\n") where line.hasSuffix(" \\") {
                let text = line.drop { $0 == " " }
                #expect(text.hasPrefix("entstat ") || text.hasPrefix("-"), "\(command): a line of prose ends with a backslash: \(line)")
            }
        }
        #expect(try E2E.run(["help", "export"], in: dir).stdout.hasPrefix("DESCRIPTION\u{00A0}: Exporte les indicateurs"))
    }

    /// « de » is elided before a name in guillemets that starts with a vowel, as before any
    /// other word: « d'« entstat ingest » », never « de « entstat ingest » ».
    @Test func helpPagesElideDeBeforeAGuillemetsName() throws {
        let dir = try E2E.scratch()
        let notElided = try Regex("\\bde «[\u{00A0}\u{202F} ]?[aeiouyàâéèêëîïôûAEIOUYÉ]")
        for command in [[], ["ingest"], ["status"], ["purge"], ["rotate-secret"], ["export"], ["report"], ["query"], ["rules"], ["simulate"]] {
            let page = try E2E.run(command + ["--help"], in: dir, environment: ["COLUMNS": "500"]).stdout
            #expect(page.firstMatch(of: notElided) == nil, "\(command): \(page.firstMatch(of: notElided).map { String(page[$0.range]) } ?? "")")
        }
        let status = try E2E.run(["status", "--help"], in: dir, environment: ["COLUMNS": "500"]).stdout
        #expect(status.contains("la dernière exécution d'«\u{00A0}entstat ingest\u{00A0}»"), "\(status)")
    }

    /// Every `--help` page is wrapped to the terminal's width less one column, and no line
    /// starts with a mark that French sets after a no-break space (« : ; ? ! % » ») or ends
    /// with an opening guillemet: ArgumentParser cut at any space. Only the usage line is
    /// left whole, as ArgumentParser leaves it. A terminal narrower than the option column
    /// (20 columns) gets its page too: ArgumentParser's own layout, which the exit code of
    /// `--help` goes through, stopped a debug build there.
    @Test func helpPagesAreWrappedWithoutOrphanedPunctuation() throws {
        let dir = try E2E.scratch()
        for command in [[], ["ingest"], ["report"], ["purge"]] {
            let r = try E2E.run(command + ["--help"], in: dir, environment: ["COLUMNS": "20"])
            #expect(r.status == 0 && r.stdout.contains("OPTIONS") && r.stderr.isEmpty, "\(command) at 20 columns: \(r.status) \(r.stderr.prefix(200))")
        }
        for columns in [80, 60, 50, 132, 200] {
            for command in [[], ["ingest"], ["status"], ["purge"], ["rotate-secret"], ["export"], ["report"], ["query"], ["rules"], ["simulate"]] {
                let r = try E2E.run(command + ["--help"], in: dir, environment: ["COLUMNS": "\(columns)"])
                #expect(r.status == 0)
                let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                // (A crontab line is left whole: cron cannot continue it, `helpExamplesRunWhenCopied`.)
                for line in lines where !line.hasPrefix("UTILISATION") && !Self.isCrontabLine(line) {
                    // (A word longer than the width, such as a file name, stays whole on its line.)
                    #expect(line.count < columns || !line.drop { $0 == " " }.contains(" "), "\(command) at \(columns): \(line)")
                    #expect(!(line.drop { $0 == " " }.first.map { ":;?!%»".contains($0) } ?? false), "\(command) at \(columns): \(line)")
                    #expect(!line.hasSuffix("«") && !line.hasSuffix(" ") && !line.hasSuffix("<"), "\(command) at \(columns): \(line)")
                }
                // An option's description wraps under its column (26), as ArgumentParser's
                // (at 200 columns, that of --dry-run fits on its line).
                if command == ["purge"] && columns <= 132 {
                    let i = try #require(lines.firstIndex { $0.hasPrefix("  --dry-run ") })
                    #expect(lines[i + 1].hasPrefix(String(repeating: " ", count: 26)) && lines[i + 1].dropFirst(26).first != " ", "\(lines[i + 1])")
                }
            }
        }
        // The text is the same whatever the width: only the cuts move.
        let narrow = try E2E.run(["ingest", "--help"], in: dir, environment: ["COLUMNS": "60"]).stdout
        let wide = try E2E.run(["ingest", "--help"], in: dir, environment: ["COLUMNS": "132"]).stdout
        #expect(narrow.split(whereSeparator: \.isWhitespace) == wide.split(whereSeparator: \.isWhitespace))
        #expect(wide.contains("sortie d'erreur\u{00A0}: trace"), "the no-break space before « : »")
    }

    /// A crontab line of a help page's examples: five time fields, then `entstat`.
    static func isCrontabLine(_ line: Substring) -> Bool {
        let fields = line.split(separator: " ")
        return line.hasPrefix("  ") && fields.count > 5 && fields[5] == "entstat"
            && fields.prefix(5).allSatisfy { $0.allSatisfy { "0123456789*/,-".contains($0) } }
    }

    /// The commands of a help page's examples as a shell reads them: each line that starts
    /// with `entstat`, joined to the lines its ` \` continues, and each crontab line; with
    /// the lines each was printed on.
    static func exampleCommands(_ page: String) -> [(command: String, lines: [Substring])] {
        var commands: [(command: String, lines: [Substring])] = []
        var open = false
        for line in page.split(separator: "\n") {
            let text = line.drop { $0 == " " }
            if open {
                commands[commands.count - 1].lines.append(line)
                commands[commands.count - 1].command += " " + text
            } else if line.hasPrefix("  ") && (text.hasPrefix("entstat ") || isCrontabLine(line)) {
                commands.append((String(text), [line]))
            } else {
                continue
            }
            open = line.hasSuffix(" \\")
            if open { commands[commands.count - 1].command.removeLast(2) }
        }
        return commands
    }

    /// Every example of every help page, copied from a terminal of any width, runs as
    /// written: a command cut for the width continues each of its lines with ` \`, the
    /// next indented deeper, cut between words (a quoted one whole), before an option when
    /// it can; a crontab line is never cut. The report's examples were cut at spaces, into
    /// two commands each (`… --epci "CA Amiens` and `Métropole" --published-with …`).
    @Test func helpExamplesRunWhenCopied() throws {
        let dir = try E2E.scratch()
        for command in [["ingest"], ["status"], ["purge"], ["rotate-secret"], ["export"], ["report"], ["query"], ["rules"], ["simulate"]] {
            let whole = Self.exampleCommands(try E2E.run(command + ["--help"], in: dir, environment: ["COLUMNS": "1000"]).stdout)
            for columns in [50, 60, 80, 132, 200] {
                let page = try E2E.run(command + ["--help"], in: dir, environment: ["COLUMNS": "\(columns)"]).stdout
                let examples = Self.exampleCommands(page)
                #expect(examples.map(\.command) == whole.map(\.command), "\(command) at \(columns)")
                for example in examples {
                    let first = example.lines[0].prefix { $0 == " " }.count
                    for line in example.lines {
                        // Within the width, unless one word is longer, or the line is cron's.
                        #expect(line.count < columns || Self.isCrontabLine(line) || !line.drop { $0 == " " }.dropLast(2).contains(" "),
                                "\(command) at \(columns): \(line)")
                    }
                    for line in example.lines.dropFirst() {
                        #expect(line.prefix { $0 == " " }.count > first, "\(command) at \(columns): \(line)")
                    }
                }
            }
            #expect(!whole.isEmpty || ![["ingest"], ["purge"], ["report"], ["query"], ["rules"], ["simulate"]].contains(command), "\(command)")
        }
        // The report's example at 60 columns: cut before its options, its EPCI's name whole.
        let report = Self.exampleCommands(try E2E.run(["report", "--help"], in: dir, environment: ["COLUMNS": "60"]).stdout)
        let epci = try #require(report.first { $0.command.contains("--published-with communes --out epci") })
        #expect(epci.command == "entstat report --db /srv/ent.sqlite --epci \"CA Amiens Métropole\" --published-with communes --out epci/amiens-metropole")
        #expect(epci.lines == ["  entstat report --db /srv/ent.sqlite \\", "    --epci \"CA Amiens Métropole\" \\",
                               "    --published-with communes --out epci/amiens-metropole"], "\(epci.lines)")
        // A crontab line, longer than 60 columns, whole.
        let ingest = try E2E.run(["ingest", "--help"], in: dir, environment: ["COLUMNS": "60"]).stdout
        #expect(ingest.contains("\n  30 2 * * * entstat ingest -q --db /srv/ent.sqlite '/var/log/ent/**/*.gz'\n"))
    }

    @Test func corruptGzipFailsWithItsOffset() throws {
        let dir = try E2E.scratch()
        var bytes = E2E.gzipMember(Array((Self.eventLines(user: "a", count: 3000).joined(separator: "\n") + "\n").utf8))
        for i in 200..<260 { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: dir.appendingPathComponent("bad.gz"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "bad.gz"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.gz: octet "), "\(r.stderr)")
        #expect(r.stdout.contains("0 fichier ingéré"))
    }

    @Test func moreThanFivePercentRejectedFailsTheFile() throws {
        let dir = try E2E.scratch()
        var lines = Self.eventLines(user: "a", count: 95)
        lines += (0..<5).map { "{\"event-type\":\"ACCESS\",\"userId\":\"x\",\"broken\" \($0)" }
        try E2E.write(lines.joined(separator: "\n") + "\n\n\n", to: dir.appendingPathComponent("five.log"))
        var more = Self.eventLines(user: "b", count: 94)
        more += (0..<6).map { "not json \($0)" }
        try E2E.write(more.joined(separator: "\n") + "\n", to: dir.appendingPathComponent("six.log"))

        let r = try E2E.run(["ingest", "--db", "s.sqlite", "five.log", "six.log"], in: dir)
        #expect(r.status == 2)
        #expect(r.stdout.contains("five.log : 100 lignes, 95 retenues, 0 filtrée, 5 rejetées"), "\(r.stdout)")
        #expect(r.stderr.contains("six.log: ligne 95 : 6 lignes illisibles sur 100"), "\(r.stderr)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,1,1,0,95,0,0,,")

        try E2E.write("SELECT line, reason, excerpt FROM reject_sample ORDER BY line", to: dir.appendingPathComponent("r.sql"))
        let sample = try E2E.run(["query", "--db", "s.sqlite", "r.sql"], in: dir)
        let rows = E2E.lines(sample.stdout)
        #expect(rows.count == 6)
        #expect(rows[1].hasPrefix("96,"))
        #expect(!sample.stdout.contains("\"x\""), "user ids are masked in the reject sample")
    }

    /// A query file that would silently do less than it says is refused with one French
    /// line: a second statement, no statement, a statement that writes, text that is not
    /// UTF-8, an empty range of dates.
    @Test func queryFilesThatWouldMisleadAreRefused() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let cases: [(String, [UInt8], String)] = [
            ("two.sql", Array("SELECT 1;\n-- a comment\nSELECT 2;".utf8), "two.sql: ligne 3 : une seconde instruction SQL suit la première"),
            ("empty.sql", Array("-- nothing\n".utf8), "aucune instruction SQL (texte vide ou seulement des commentaires)"),
            ("delete.sql", Array("DELETE FROM ingested_file".utf8), "delete.sql: - : cette instruction modifierait le magasin"),
            ("latin1.sql", Array("SELECT 'é';".utf8.prefix(8)) + [0xE9, 0x27, 0x3B], "latin1.sql: octet 8 : texte qui n'est pas en UTF-8"),
            ("bom.sql", [0xEF, 0xBB, 0xBF] + Array("SELECT 1 AS x;\n".utf8) + [0xFF], "bom.sql: octet 18 : texte qui n'est pas en UTF-8"),
            ("bz.sql", Array("BZh91AY&SY".utf8) + [0x00, 0x01], "entstat: bz.sql: octet 0 : fichier compressé en bzip2"),
        ]
        for (name, bytes, message) in cases {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
            let r = try E2E.run(["query", "--db", "s.sqlite", name], in: dir)
            #expect(r.status == 1, "\(name): \(r.stdout)")
            #expect(r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
        }
        // The report's queries too: one saved in Latin-1 would match nothing, silently.
        let queries = dir.appendingPathComponent("Queries")
        try FileManager.default.copyItem(atPath: ReportFixture.queriesDirectory, toPath: queries.path)
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: ReportFixture.queriesDirectory).deletingLastPathComponent()
                                            .appendingPathComponent("Reports").path, toPath: dir.appendingPathComponent("Reports").path)
        let roles = queries.appendingPathComponent("synthese_roles.sql")
        let text = try Data(contentsOf: roles)
        try (Data("-- r".utf8) + Data([0xF4, 0x6C, 0x65, 0x0A]) + text).write(to: roles)
        let report = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--queries", queries.path], in: dir)
        #expect(report.status == 1 && report.stderr.split(separator: "\n").count == 1, "\(report.stderr)")
        #expect(report.stderr.contains("synthese_roles.sql: octet 4 : texte qui n'est pas en UTF-8 ; enregistrez la requête en UTF-8"), "\(report.stderr)")
        // Trailing blanks, `;` and comments after the one statement are fine.
        try E2E.write("SELECT COUNT(*) AS n FROM ingested_file;  -- files\n/* end */ ;\n", to: dir.appendingPathComponent("one.sql"))
        let one = try E2E.run(["query", "--db", "s.sqlite", "one.sql"], in: dir)
        #expect(one.status == 0 && one.stdout == "n\r\n1\r\n", "\(one.stdout) \(one.stderr)")
        let inverted = try E2E.run(["query", "--db", "s.sqlite", "one.sql", "--param", "from=2018-12-01", "--param", "to=2018-10-01"], in: dir)
        #expect(inverted.status == 1 && inverted.stderr.contains("--param from=2018-12-01 est après --param to=2018-10-01"), "\(inverted.stderr)")
    }

    /// An SQL error of a query file names the line SQLite points at (the file as an editor
    /// numbers it, header comments included), for `entstat query` as for the report; an
    /// error SQLite cannot place says `-`. SQLite's own words, the cause, are framed in
    /// French with what to do; the query's text is not repeated (the line names the file).
    @Test func aQueryErrorNamesTheLineSQLitePointsAt() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        try E2E.write("-- titre: Fichiers\nSELECT COUNT(*) AS n,\n       nombre_de_lignes\nFROM ingested_file;\n", to: dir.appendingPathComponent("typo.sql"))
        let typo = try E2E.run(["query", "--db", "s.sqlite", "typo.sql"], in: dir)
        #expect(typo.status == 1)
        #expect(typo.stderr == "entstat: typo.sql: ligne 3 : erreur SQL (SQLite 1 : no such column: nombre_de_lignes) ; corrigez la requête (schéma du magasin : Queries/README.md)\n", "\(typo.stderr)")
        try E2E.write("SELECT * FROM nope;\n", to: dir.appendingPathComponent("nope.sql"))
        let nope = try E2E.run(["query", "--db", "s.sqlite", "nope.sql"], in: dir)
        #expect(nope.status == 1 && nope.stderr == "entstat: nope.sql: - : erreur SQL (SQLite 1 : no such table: nope) ; corrigez la requête (schéma du magasin : Queries/README.md)\n", "\(nope.stderr)")
        try E2E.write("SELECT 1 AS n\nFROM ingested_file\nWHERE (path\n;\n", to: dir.appendingPathComponent("syntax.sql"))
        let syntax = try E2E.run(["query", "--db", "s.sqlite", "syntax.sql"], in: dir)
        #expect(syntax.status == 1 && syntax.stderr == "entstat: syntax.sql: ligne 4 : erreur SQL (SQLite 1 : near \";\": syntax error) ; corrigez la requête (schéma du magasin : Queries/README.md)\n", "\(syntax.stderr)")
        // A failure while the rows are stepped has no place in the text.
        try E2E.write("SELECT abs(-9223372036854775807 - 1) AS n;\n", to: dir.appendingPathComponent("overflow.sql"))
        let overflow = try E2E.run(["query", "--db", "s.sqlite", "overflow.sql"], in: dir)
        #expect(overflow.status == 1 && overflow.stderr.hasPrefix("entstat: overflow.sql: - : erreur SQL (SQLite 1 : integer overflow) ; corrigez la requête"), "\(overflow.stderr)")
        // The report's queries say the same.
        let queries = dir.appendingPathComponent("Queries")
        try FileManager.default.copyItem(atPath: ReportFixture.queriesDirectory, toPath: queries.path)
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: ReportFixture.queriesDirectory).deletingLastPathComponent()
                                            .appendingPathComponent("Reports").path, toPath: dir.appendingPathComponent("Reports").path)
        let roles = queries.appendingPathComponent("synthese_roles.sql")
        let text = try String(contentsOf: roles, encoding: .utf8)
        try E2E.write("-- a\n-- b\nSELECT colonne_absente FROM ingested_file;\n" + text, to: roles)
        let report = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--queries", queries.path], in: dir)
        #expect(report.status == 1 && report.stderr.hasSuffix("synthese_roles.sql: ligne 3 : erreur SQL (SQLite 1 : no such column: colonne_absente) ; corrigez la requête ou restaurez-la depuis le dossier Queries/ livré avec entstat (dans le dépôt : « git checkout Queries/ »)\n"), "\(report.stderr)")
    }

    /// The active users and requests of the store in `dir`, from `export --period all`.
    static func usersAndRequests(in dir: URL) throws -> [Int] {
        let fields = try #require(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last).split(separator: ",", omittingEmptySubsequences: false)
        return [Int(fields[1]) ?? -1, Int(fields[4]) ?? -1]  // active_users, requests
    }

    /// Many files so that a kill lands in the middle of the run.
    static func manyFiles(in dir: URL, count: Int) throws -> [String] {
        var names: [String] = []
        for f in 0..<count {
            var lines: [String] = []
            for u in 0..<30 {
                lines += Self.eventLines(user: "u\(u)", count: 60, startUTC: 1_541_062_800 + Int64(f) * 3600)
            }
            let name = String(format: "events-%03d.gz", f)
            try E2E.writeGzip(lines.joined(separator: "\n") + "\n", to: dir.appendingPathComponent(name))
            names.append(name)
        }
        return names
    }

    @Test func killedIngestRerunGivesTheFiguresOfACleanRun() throws {
        let clean = try E2E.scratch("clean")
        let files = try Self.manyFiles(in: clean, count: 24)
        let began = Date()
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: clean).status == 0)
        // Kills land at 20 %, 50 % and 80 % of a clean run's duration, whatever the machine.
        let cleanRun = Date().timeIntervalSince(began)
        let expected = try E2E.export(["--period", "day", "--by", "feature"], in: clean)
        // The clean run itself: 24 files of 30 users × 60 requests each.
        #expect(try Self.usersAndRequests(in: clean) == [30, 24 * 30 * 60])

        var interrupted = 0
        try E2E.write("SELECT COUNT(*) FROM ingested_file", to: clean.appendingPathComponent("count.sql"))
        for attempt in 0..<3 {
            let dir = try E2E.scratch("killed\(attempt)")
            for f in files {
                try FileManager.default.copyItem(at: clean.appendingPathComponent(f), to: dir.appendingPathComponent(f))
            }
            let process = Process()
            process.executableURL = E2E.binary
            process.arguments = ["ingest", "--db", "s.sqlite", "--quiet"] + files
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(cleanRun * [0.2, 0.5, 0.8][attempt] * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Interrupted mid-run: files missing from the ledger, or figures still pending.
            let partial = try E2E.run(["query", "--db", "s.sqlite", clean.appendingPathComponent("count.sql").path], in: dir)
            if partial.status != 0 || E2E.lines(partial.stdout).last != String(files.count) { interrupted += 1 }
            let rerun = try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: dir)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(try E2E.export(["--period", "day", "--by", "feature"], in: dir) == expected, "attempt \(attempt)")
        }
        #expect(interrupted > 0, "no kill landed in the middle of a run")
    }

    /// An ingest stopped by SIGTERM (systemd stopping the unit, a timeout around the cron
    /// job) or SIGINT (Ctrl-C) still dies of the signal, but no longer in silence: one line
    /// on standard error says so, what is kept and what to do; the same command then ends
    /// with the figures of a run never stopped.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalledIngestSaysSoAndTheSameCommandFinishesIt(signal: Int32) throws {
        let (dir, files, expected) = try Self.filesAndTheirFigures("signalled")
        let run = try Self.ingestSignalled(in: dir, files: files, signal: signal)
        #expect(run.reason == .uncaughtSignal && run.status == signal)
        let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("entstat: nouveau magasin créé") }
        let name = signal == SIGINT ? "SIGINT, Ctrl-C" : "SIGTERM"
        #expect(lines == ["entstat: s.sqlite: - : ingestion interrompue (signal \(name)) : les fichiers déjà enregistrés sont conservés, "
            + "ceux en cours d'écriture annulés ; relancez la même commande, elle reprend les fichiers restants et termine le calcul des indicateurs"])
        let rerun = try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try E2E.export(["--period", "day", "--by", "feature"], in: dir) == expected)
    }

    /// A writer killed in the first milliseconds of a new store, while SQLite still wrote it
    /// through a rollback journal (before the store's journal became write-ahead), leaves
    /// that journal beside it. SQLite lets no read-only connection open such a store, and
    /// the next ingest, which checks an existing store on one before taking the lock, said
    /// « magasin en lecture seule » forever (seen when the SIGINT of
    /// `aSignalledIngestSaysSoAndTheSameCommandFinishesIt` landed there). Now the ingest
    /// plays the journal back under its lock and makes the store; a reader before it says
    /// what happened and what to run.
    @Test func aStoreKilledAsItWasCreatedIsMadeByTheNextIngest() throws {
        let (dir, files, expected) = try Self.filesAndTheirFigures("killed-at-creation")
        // The state a kill leaves, made without a kill: a transaction in progress on a new
        // database (rollback journal, pages already written to the file), copied under
        // another name while its writer still holds it.
        do {
            let writer = try Database(path: dir.appendingPathComponent("writing.db").path)
            try writer.execute("""
                PRAGMA page_size = 16384; PRAGMA cache_size = 1; BEGIN;
                CREATE TABLE half_written(x);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO half_written SELECT randomblob(500) FROM n;
                """)
            for suffix in ["", "-journal"] {
                try FileManager.default.copyItem(at: dir.appendingPathComponent("writing.db" + suffix),
                                                 to: dir.appendingPathComponent("s.sqlite" + suffix))
            }
            try writer.execute("ROLLBACK")
        }
        #expect(try Data(contentsOf: dir.appendingPathComponent("s.sqlite")).count > 100_000)
        let reader = try E2E.run(["export", "--db", "s.sqlite", "--period", "all"], in: dir)
        #expect(reader.status == 1)
        #expect(reader.stderr == "entstat: s.sqlite: - : magasin dont la création a été interrompue (son journal s.sqlite-journal est resté) ; "
            + "lancez « entstat ingest --db s.sqlite » : il le remet en état avant d'écrire\n", "\(reader.stderr)")
        let rerun = try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try E2E.export(["--period", "day", "--by", "feature"], in: dir) == expected)
        // The half-written table went with the journal.
        try E2E.write("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_written'", to: dir.appendingPathComponent("t.sql"))
        #expect(E2E.lines(try E2E.run(["query", "--db", "s.sqlite", "t.sql"], in: dir).stdout).last == "0")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sqlite-journal").path))
    }

    /// A signal the ingest was started with ignored stays ignored (`nohup`, or SIGHUP
    /// trapped by the cron wrapper): the run goes on to the end, silent, with the figures of
    /// a run never signalled. Catching every signal made `nohup entstat ingest …` die when
    /// its terminal closed.
    @Test func aSignalIgnoredByTheParentStaysIgnored() throws {
        let (dir, files, expected) = try Self.filesAndTheirFigures("ignored")
        let run = try Self.ingestSignalled(in: dir, files: files, signal: SIGHUP, ignoredByParent: true)
        #expect(run.reason == .exit && run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("interrompue"), "\(run.stderr)")
        #expect(try E2E.export(["--period", "day", "--by", "feature"], in: dir) == expected)
    }

    /// A folder holding `manyFiles` (24), and the figures (`export --period day --by
    /// feature`) of those files ingested at once into a store of another folder.
    static func filesAndTheirFigures(_ name: String) throws -> (dir: URL, files: [String], expected: String) {
        let clean = try E2E.scratch(name + "-clean")
        let files = try manyFiles(in: clean, count: 24)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: clean).status == 0)
        let expected = try E2E.export(["--period", "day", "--by", "feature"], in: clean)
        let dir = try E2E.scratch(name)
        for f in files {
            try FileManager.default.copyItem(at: clean.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        return (dir, files, expected)
    }

    /// Runs `entstat ingest --db s.sqlite FILES` in `dir` and sends it `signal` once it is
    /// at work on its store (its lock file made); with `ignoredByParent`, the run is started
    /// with that signal ignored, as `nohup` starts it. Returns how it ended.
    static func ingestSignalled(in dir: URL, files: [String], signal: Int32, ignoredByParent: Bool = false) throws
        -> (reason: Process.TerminationReason, status: Int32, stderr: String) {
        let errURL = dir.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        let arguments = ["ingest", "--db", "s.sqlite"] + files
        if ignoredByParent {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "trap '' \(signal); exec \"$0\" \"$@\"", E2E.binary.path] + arguments
        } else {
            process.executableURL = E2E.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errHandle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sqlite.lock").path) && Date() < deadline { usleep(2_000) }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try errHandle.close()
        return (process.terminationReason, process.terminationStatus, String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    @Test func readersRefuseAStoreWithPendingFiguresUntilIngestFinishesThem() throws {
        let dir = try E2E.scratch()
        try E2E.write(Self.eventLines(user: "a", count: 10).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.log"))
        do {
            // What a kill between the file's commit and the end of the run leaves behind.
            let store = try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                                  secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
            let report = try LogIngester(store: store).ingest(path: dir.appendingPathComponent("a.log").path)
            #expect(report.outcome == .ingested)
        }
        let refused = try E2E.run(["export", "--db", "s.sqlite", "--period", "all"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("le calcul des indicateurs n'est pas terminé"), "\(refused.stderr)")
        let finish = try E2E.run(["ingest", "--db", "s.sqlite"], in: dir)
        #expect(finish.status == 0, "\(finish.stderr)")
        // The run that finishes them says so, though it stores no file.
        #expect(finish.stdout.contains("calcul  terminé, repris là où une exécution interrompue l'avait laissé\n"), "\(finish.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,1,1,0,10,0,0,,")
        // A run after it, or one that computes only its own files' figures, does not.
        try E2E.write(Self.eventLines(user: "b", count: 10).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("b.log"))
        let next = try E2E.run(["ingest", "--db", "s.sqlite", "b.log"], in: dir)
        #expect(next.status == 0 && next.stdout.contains("calcul  ") && !next.stdout.contains("repris"), "\(next.stdout)")
    }

    @Test func twoConcurrentIngestsGiveTheRightFigures() throws {
        let clean = try E2E.scratch("concurrent-clean")
        let files = try Self.manyFiles(in: clean, count: 12)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite"] + files, in: clean).status == 0)
        let expected = try E2E.export(["--period", "day"], in: clean)
        #expect(try Self.usersAndRequests(in: clean) == [30, 12 * 30 * 60])

        let dir = try E2E.scratch("concurrent")
        for f in files {
            try FileManager.default.copyItem(at: clean.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let processes = (0..<2).map { i -> Process in
            let p = Process()
            p.executableURL = E2E.binary
            p.arguments = ["ingest", "--db", "s.sqlite", "--quiet"] + (i == 0 ? files : files.reversed())
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        #expect(try E2E.export(["--period", "day"], in: dir) == expected)
    }
}
