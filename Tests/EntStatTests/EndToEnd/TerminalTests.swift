import Foundation
import Testing
@testable import EntStat
#if canImport(Glibc)
import Glibc
#endif

extension E2E {
    /// What a terminal received from one `entstat` run whose standard error was that
    /// terminal (a pseudo-terminal of `columns` columns, `TERM` as given; nil: unset), and
    /// how long the run took.
    struct TerminalRun {
        var status: Int32
        var stdout: String
        var terminal: String
        var seconds: Double
    }

    /// Runs `entstat` with its standard error on a pseudo-terminal, as an operator's shell
    /// would (the progress line shows only on a terminal).
    static func runInTerminal(_ arguments: [String], in directory: URL, columns: UInt16, term: String?) throws -> TerminalRun {
        // Linux's pseudo-terminal multiplexer (Glibc's posix_openpt and kin are not imported).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        #expect(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0)
        #expect(ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0)
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        #expect(ioctl(master, UInt(TIOCSWINSZ), &size) == 0)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        #expect(slave >= 0)
        // The terminal is read while the child writes to it: a full buffer would block it.
        final class Received: @unchecked Sendable { var bytes: [UInt8] = [] }
        let received = Received()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }  // EIO once every copy of the slave side is closed
                received.bytes += buffer[..<n]
            }
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = term
        process.environment = environment
        let outURL = TestSupport.scratchRoot.appendingPathComponent("out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL) }
        let outHandle = try FileHandle(forWritingTo: outURL)
        process.standardOutput = outHandle
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        close(slave)
        reader.start()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        try outHandle.close()
        // The reader ends when the child's copy of the terminal is closed (at its exit).
        let deadline = Date().addingTimeInterval(10)
        while !reader.isFinished && Date() < deadline { usleep(10_000) }
        return TerminalRun(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                           terminal: String(decoding: received.bytes, as: UTF8.self), seconds: seconds)
    }
}

/// What an operator sees on a terminal: the progress line of `ingest`.
@Suite("Terminal output")
struct TerminalTests {
    /// The lines drawn in place on the terminal (each `\r`-separated piece of output that
    /// is not a whole line), without the escape sequence that clears their end.
    static func drawnLines(_ terminal: String) -> [String] {
        terminal.replacingOccurrences(of: "\r", with: "\n").split(separator: "\n")
            .map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
            .filter { $0.contains(" Mo · ") || $0.contains("lecture terminée") || $0.contains("calcul des indicateurs") }
    }

    /// On an 80-column terminal the bar fits in 79 columns (it wrapped at 96 to 103 and
    /// left half-bars behind); on a narrower one it gives up the file name, then the bar
    /// itself, never the line. It is drawn at most about ten times a second, not once per
    /// file, and never claims « 100 % · reste 0:00 » while the writer is still at work.
    @Test(arguments: [80, 50])
    func theProgressBarFitsTheTerminalAndIsThrottled(columns: Int) throws {
        let dir = try E2E.scratch("bar\(columns)")
        try NightlyTests.writeDays(dir, days: 150)
        let run = try E2E.runInTerminal(["ingest", "--db", "s.sqlite", "logs"], in: dir, columns: UInt16(columns), term: "xterm")
        #expect(run.status == 0, "\(run.terminal)")
        #expect(run.stdout.contains("bilan : 300 fichiers ingérés"), "\(run.stdout)")
        let drawn = Self.drawnLines(run.terminal)
        #expect(drawn.contains { $0.contains(" Mo · ") }, "no bar drawn: \(run.terminal.debugDescription)")
        for line in drawn {
            #expect(line.count <= columns - 1, "\(line.count) columns: \(line)")
            #expect(!line.contains("100 %"), "\(line)")
        }
        let draws = drawn.count
        #expect(Double(draws) <= run.seconds * 10 + 6, "\(draws) draws in \(run.seconds) s for 300 files")
        // Without a terminal, no bar and no escape sequence at all.
        let piped = try E2E.run(["ingest", "--db", "t.sqlite", "logs"], in: dir)
        #expect(!piped.stderr.contains("\u{1B}") && !piped.stderr.contains("\r"), "\(piped.stderr)")
    }

    /// The line names the file the writer is at, not the first file of the transaction that
    /// holds it: small files share one (up to 16 MiB of them), whose reports come only when
    /// it commits, and the line showed « …fe1-2018-10-01.jsonl.gz » for the whole run.
    @Test func theProgressLineNamesTheFileBeingRead() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 150)
        let run = try E2E.runInTerminal(["ingest", "--db", "s.sqlite", "logs"], in: dir, columns: 120, term: "xterm")
        #expect(run.status == 0, "\(run.terminal)")
        let names = Self.drawnLines(run.terminal).filter { !$0.contains("calcul des indicateurs") }
            .compactMap { $0.components(separatedBy: " · ").last }
        // Drawn about every 0.1 s while the writer goes through 300 small files: the names
        // move on (before, only the first file's, then the second's once the first committed).
        #expect(names.count >= 3, "too few draws to tell: \(run.terminal.debugDescription)")
        #expect(Set(names).count >= 3, "\(names)")
        #expect(names.allSatisfy { $0.hasSuffix(".jsonl.gz") }, "\(names)")
    }

    /// `TERM=dumb` (an editor's shell, a serial console) gets no escape sequence: the line
    /// is cleared by writing spaces over it.
    @Test func aDumbTerminalGetsNoEscapeSequence() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 40)
        for term in ["dumb", nil] as [String?] {
            let run = try E2E.runInTerminal(["ingest", "--db", "s\(term ?? "").sqlite", "logs"], in: dir, columns: 80, term: term)
            #expect(run.status == 0, "\(run.terminal)")
            #expect(!run.terminal.contains("\u{1B}"), "\(term ?? "unset"): \(run.terminal.debugDescription)")
            #expect(Self.drawnLines(run.terminal).contains { $0.contains(" Mo · ") }, "\(run.terminal.debugDescription)")
        }
    }

    /// A new store says nothing of its 18 schema migrations, on a terminal or not, but says
    /// once that it was created, even with --quiet: a typo in --db is seen at once.
    @Test func aNewStoreIsSaidOnceWithoutItsMigrations() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 1)
        for quiet in [false, true] {
            let db = "typo\(quiet)/x.sqlite"
            let run = try E2E.runInTerminal(["ingest", "--db", db] + (quiet ? ["--quiet"] : []) + ["logs"], in: dir, columns: 80, term: "xterm")
            #expect(run.status == 0, "\(run.terminal)")
            #expect(!run.terminal.contains("schéma"), "\(run.terminal)")
            #expect(run.terminal.components(separatedBy: "nouveau magasin").count == 2, "\(run.terminal)")
            #expect(run.terminal.contains("entstat: nouveau magasin créé : \(db) (secret typo\(quiet)/x.secret)\r\n"), "\(run.terminal)")
        }
        let piped = try E2E.run(["ingest", "--db", "new.sqlite", "--quiet", "logs"], in: dir, keepNewStoreLine: true)
        #expect(piped.stderr == "entstat: nouveau magasin créé : new.sqlite (secret new.secret)\n", "\(piped.stderr)")
        #expect(try E2E.run(["ingest", "--db", "new.sqlite", "--quiet", "logs"], in: dir).stderr.isEmpty)
        // A secret that already exists is said to be reused.
        let shared = try E2E.run(["ingest", "--db", "other.sqlite", "--secret", "new.secret", "--quiet", "logs"], in: dir, keepNewStoreLine: true)
        #expect(shared.stderr == "entstat: nouveau magasin créé : other.sqlite (secret existant new.secret)\n", "\(shared.stderr)")
    }

    /// A purge says on a terminal what it is freezing (a département's school year takes
    /// minutes), and clears the line when it ends; piped, it writes no such line. A
    /// rotation of the secret says what it does (a national directory takes minutes).
    @Test func aPurgeAndARotationShowTheirStepsOnATerminal() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 40)
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "logs"], in: dir).status == 0)
        // Copies of the store: t for the piped purge, u for the one run in-process.
        for copy in ["t", "u"] {
            for ext in ["sqlite", "secret"] {
                try FileManager.default.copyItem(at: dir.appendingPathComponent("s.\(ext)"), to: dir.appendingPathComponent("\(copy).\(ext)"))
            }
        }
        let limit = CivilDateText.iso(NightlyTests.firstDay + 31)  // 2018-11-01: October frozen
        let run = try E2E.runInTerminal(["purge", "--db", "s.sqlite", "--before", limit, "--queries", ReportFixture.queriesDirectory],
                                        in: dir, columns: 100, term: "xterm")
        #expect(run.status == 0, "\(run.terminal)")
        #expect(run.stdout.hasPrefix("purge : données par utilisateur antérieures au \(limit) supprimées"), "\(run.stdout)")
        #expect(run.terminal.contains("purge : gel des chiffres par jour : 31 périodes…"), "\(run.terminal.debugDescription)")
        // Every line drawn is cleared: nothing is left on the terminal but the cursor.
        #expect(run.terminal.hasSuffix("\r\u{1B}[K"), "\(run.terminal.debugDescription)")
        let piped = try E2E.run(["purge", "--db", "t.sqlite", "--before", limit, "--queries", ReportFixture.queriesDirectory], in: dir)
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
        #expect(piped.stdout == run.stdout)
        // What the line is given, step by step (drawn at most ten times a second): each kind
        // of period as it starts, then each of its 128 groupings, and for a month the
        // report's territories (the whole territory, its communes and EPCIs).
        let path = dir.appendingPathComponent("u.sqlite").path
        let store = try Store(writingTo: path, secretPath: Store.defaultSecretPath(forStore: path), lockTimeoutSeconds: 5)
        var starts: [String] = [], steps: [String] = []
        _ = try Purge.run(store: store, limitDay: NightlyTests.firstDay + 31, keepMonths: nil, queriesDirectory: ReportFixture.queriesDirectory,
                          progress: { starts.append($0) }, step: { steps.append($0) })
        #expect(starts.first == "gel des chiffres par jour : 31 périodes", "\(starts)")
        #expect(steps.first == "gel des chiffres par jour : 31 périodes, regroupement 1 sur 128", "\(steps.prefix(2))")
        #expect(steps.filter { $0.hasPrefix("gel des chiffres par jour : 31 périodes, regroupement ") }.count == 128)
        #expect(starts.contains("gel des chiffres par mois : 1 période"), "\(starts)")
        #expect(steps.contains { $0.hasPrefix("gel des chiffres par mois : 1 période, tableaux de rapport : territoire 1 sur ") }, "\(steps.suffix(3))")
        #expect(starts.last == "suppression des données par utilisateur antérieures au \(limit)", "\(starts)")
        // rotate-secret shows one line while it seals and pseudonymises again.
        try "user_id;legacy_id;role;schools;code_commune;activated_on\nu1;;parent;;;\n".write(
            to: dir.appendingPathComponent("accounts.csv"), atomically: true, encoding: .utf8)
        let rotation = try E2E.runInTerminal(["rotate-secret", "--db", "s.sqlite", "--accounts", "accounts.csv"], in: dir, columns: 100, term: "xterm")
        #expect(rotation.status == 0, "\(rotation.terminal)")
        #expect(rotation.stdout.hasPrefix("rotation : "), "\(rotation.stdout)")
        #expect(rotation.terminal.contains("rotation du secret : identités scellées"), "\(rotation.terminal.debugDescription)")
        #expect(rotation.terminal.hasSuffix("\r\u{1B}[K"), "\(rotation.terminal.debugDescription)")
    }

    /// Upgrading an existing store says each migration on a terminal (a large store takes a
    /// minute), but not with --quiet; it is not a new store.
    @Test func anUpgradeSaysEachMigrationUnlessQuiet() throws {
        let dir = try E2E.scratch()
        try NightlyTests.writeDays(dir, days: 1)
        for quiet in [false, true] {
            let path = dir.appendingPathComponent("old\(quiet).sqlite").path
            try Migrations.migrate(try Database(path: path), upTo: Migrations.latestVersion - 2)
            let run = try E2E.runInTerminal(["ingest", "--db", "old\(quiet).sqlite"] + (quiet ? ["--quiet"] : []) + ["logs"], in: dir, columns: 80, term: "xterm")
            #expect(run.status == 0, "\(run.terminal)")
            #expect(!run.terminal.contains("nouveau magasin"), "\(run.terminal)")
            let migrations = run.terminal.components(separatedBy: "mise à jour du schéma du magasin").count - 1
            #expect(migrations == (quiet ? 0 : 2), "\(run.terminal)")
        }
    }
}
