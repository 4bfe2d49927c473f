import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Logs that are not regular files — a named pipe, `/dev/stdin`, a shell's `<(…)` — give
/// their bytes to one reader only: they are read once, as a stream, like `-`, and recorded
/// under their own name.
@Suite("Streamed inputs")
struct StreamedInputTests {
    /// Writes `bytes` into the named pipe at `path` on another thread, once a reader has
    /// opened it (within 30 s; the thread gives up after that, so a test cannot hang on it).
    /// Returns a function that waits for the writer to finish and tells whether it wrote
    /// everything.
    static func feed(_ path: String, _ bytes: [UInt8]) -> () -> Bool {
        signal(SIGPIPE, SIG_IGN)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var wroteAll = false
        Thread.detachNewThread {
            defer { done.signal() }
            let deadline = Date().addingTimeInterval(30)
            var fd: Int32 = -1
            // Without a reader, a non-blocking open fails with ENXIO: poll until one comes.
            while fd < 0 && Date() < deadline {
                fd = open(path, O_WRONLY | O_NONBLOCK)
                if fd < 0 { usleep(5_000) }
            }
            guard fd >= 0 else { return }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            wroteAll = bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
        }
        return {
            done.wait()
            return wroteAll
        }
    }

    static func text(user: String, count: Int) -> String {
        FailureSafetyTests.eventLines(user: user, count: count).joined(separator: "\n") + "\n"
    }

    /// A named pipe is read once: its lines go in (before, the pre-hash took them and the
    /// parser found the pipe empty: « ingéré vide … 0 lignes »), under its own name; the
    /// same bytes again are recognised by their content, new bytes (gzip too) go in, never
    /// skipped for the path, size and date a pipe does not have.
    @Test func aNamedPipeIsReadOnceUnderItsName() throws {
        let dir = try E2E.scratch()
        let pipe = dir.appendingPathComponent("day.log").path
        #expect(mkfifo(pipe, 0o600) == 0)

        var wrote = Self.feed(pipe, Array(Self.text(user: "a", count: 30).utf8))
        let first = try E2E.run(["ingest", "--db", "s.sqlite", "day.log"], in: dir, timeout: 60)
        #expect(wrote())
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("ingéré  events day.log : 30 lignes, 30 retenues"), "\(first.stdout)")

        wrote = Self.feed(pipe, Array(Self.text(user: "a", count: 30).utf8))
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "day.log"], in: dir, timeout: 60)
        #expect(wrote())
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("ignoré  day.log : contenu déjà ingéré (sous le nom « day.log »)"), "\(again.stdout)")

        wrote = Self.feed(pipe, E2E.gzipMember(Array(Self.text(user: "b", count: 20).utf8)))
        let other = try E2E.run(["ingest", "--db", "s.sqlite", "day.log"], in: dir, timeout: 60)
        #expect(wrote())
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stdout.contains("ingéré  events day.log : 20 lignes, 20 retenues"), "\(other.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,2,2,0,50,0,0,,")
    }

    /// `/dev/stdin` behind a pipe (what `cat x | entstat ingest /dev/stdin` and `<(cat x)`
    /// give) is read once too, and reported under that name.
    @Test func devStdinBehindAPipeIsReadOnce() throws {
        let dir = try E2E.scratch()
        let run = try E2E.run(["ingest", "--db", "s.sqlite", "/dev/stdin"], in: dir,
                              input: Data(Self.text(user: "a", count: 30).utf8), timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("ingéré  events /dev/stdin : 30 lignes, 30 retenues"), "\(run.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "all"], in: dir)).last == "all,1,1,0,30,0,0,,")
    }

    /// A stream named twice, under one name or two, is refused before anything is read
    /// (exit 1): its second read would wait forever for a writer, or find nothing.
    @Test func aStreamNamedTwiceIsRefused() throws {
        let dir = try E2E.scratch()
        #expect(mkfifo(dir.appendingPathComponent("p").path, 0o600) == 0)
        let cases: [([String], Data?, String)] = [
            (["p", "./p"], nil, "entstat: ./p: - : flux déjà nommé plus haut (sous le nom « p ») ; un tube ou l'entrée standard ne se lit qu'une fois"),
            (["p", "p"], nil, "entstat: p: - : flux déjà nommé plus haut ; un tube"),
            (["-", "/dev/stdin"], Data("x\n".utf8), "entstat: /dev/stdin: - : flux déjà nommé plus haut (sous le nom « - »)"),
        ]
        for (logs, input, message) in cases {
            let run = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet"] + logs, in: dir, input: input, timeout: 60)
            #expect(run.status == 1, "\(logs): \(run.stderr)")
            #expect(run.stderr.hasPrefix(message) && run.stderr.split(separator: "\n").count == 1, "\(logs): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sqlite").path), "\(logs)")
        }
    }

    /// In a folder or a pattern, only regular files are read: a named pipe there would block
    /// the nightly run, so it is passed over, and a device too, each with a warning line (not
    /// in silence, as before); so is a symbolic link that leads nowhere (a "latest" link left
    /// by a rotation must not fail every night), which fails when named alone, and a link to
    /// a folder outside the one read.
    @Test func foldersAndPatternsPassOverPipesAndDeadLinksWithAWarning() throws {
        let dir = try E2E.scratch()
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try E2E.write(Self.text(user: "a", count: 30), to: logs.appendingPathComponent("a.log"))
        #expect(mkfifo(logs.appendingPathComponent("p.log").path, 0o600) == 0)
        #expect(mkfifo(logs.appendingPathComponent(".hidden.log").path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: logs.appendingPathComponent("null.log").path, withDestinationPath: "/dev/null")
        try FileManager.default.createSymbolicLink(atPath: logs.appendingPathComponent("dead.log").path, withDestinationPath: "gone.log")
        // Links to folders are not followed: one to a folder outside is said (its logs would
        // be missed), one to a folder the walk reads anyway (here the folder itself) is not.
        let other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try E2E.write(Self.text(user: "b", count: 30), to: other.appendingPathComponent("b.log"))
        try FileManager.default.createSymbolicLink(atPath: logs.appendingPathComponent("ext.log").path, withDestinationPath: "../other")
        try FileManager.default.createSymbolicLink(atPath: logs.appendingPathComponent("latest.log").path, withDestinationPath: ".")
        let deadLink = "entstat: logs/dead.log: - : ouverture impossible (lien symbolique dont la cible est introuvable) ; vérifiez le chemin et les droits"
        for (index, argument) in ["logs", "logs/*.log"].enumerated() {
            let run = try E2E.run(["ingest", "--db", "s\(index).sqlite", "--quiet", argument], in: dir, timeout: 60)
            #expect(run.status == 0, "\(argument): \(run.stderr)")
            #expect(run.stdout.hasPrefix("bilan : 1 fichier ingéré, 0 ignoré, 0 en échec"), "\(argument): \(run.stdout)")
            #expect(run.stderr.split(separator: "\n").map(String.init) == [
                "entstat: attention : logs/dead.log: - : lien symbolique dont la cible est introuvable, laissé de côté ; supprimez-le ou rétablissez sa cible",
                "entstat: attention : logs/ext.log: - : lien symbolique vers un dossier hors du dossier lu, laissé de côté (les liens ne sont pas suivis) ; donnez ce dossier en argument pour lire ses journaux",
                "entstat: attention : logs/null.log: - : périphérique en mode caractère laissé de côté, un dossier ou un motif ne fait lire que des fichiers ordinaires ; nommez-le seul en argument pour le lire, ou retirez-le du dossier",
                "entstat: attention : logs/p.log: - : tube nommé (FIFO) laissé de côté, un dossier ou un motif ne fait lire que des fichiers ordinaires ; nommez-le seul en argument pour le lire, ou retirez-le du dossier",
            ], "\(argument): \(run.stderr)")
        }
        // A pattern that matches none of them says nothing of them.
        let narrow = try E2E.run(["ingest", "--db", "s2.sqlite", "--quiet", "logs/a*"], in: dir, timeout: 60)
        #expect(narrow.status == 0 && narrow.stderr.isEmpty, "\(narrow.stderr)")
        // Named alone, the dead link fails.
        let named = try E2E.run(["ingest", "--db", "s3.sqlite", "--quiet", "logs/dead.log"], in: dir, timeout: 60)
        #expect(named.status == 2 && named.stderr == deadLink + "\n", "\(named.stderr)")
    }
}
