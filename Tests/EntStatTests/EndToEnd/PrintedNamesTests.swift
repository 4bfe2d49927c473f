import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// File names as the tool prints them: control characters escaped, so that a name cannot
/// split a line or send the terminal an escape sequence.
@Suite("Printed names")
struct PrintedNamesTests {
    /// True when `text` holds a control character other than the line breaks that end lines.
    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
    }

    /// A line break, ESC, DEL and a C1 control (U+009B, CSI) in file names show escaped in
    /// the per-file lines, the error and warning lines, `status` and `--forget-failure`
    /// (before, the name's line break split the per-file line in two, and the sequences
    /// reached the terminal).
    @Test func controlCharactersInNamesArePrintedEscaped() throws {
        let dir = try E2E.scratch()
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let good = FailureSafetyTests.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n"
        try E2E.write(good, to: logs.appendingPathComponent("a\nb\u{1B}[31m.log"))
        try E2E.write(String(repeating: "pas un journal\n", count: 10), to: logs.appendingPathComponent("bad\u{9B}2J\u{7F}.log"))
        let bad = "logs/bad\\u{9B}2J\\x7F.log"

        let run = try E2E.run(["ingest", "--db", "s.sqlite", "logs"], in: dir)
        #expect(run.status == 2, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.stdout)")
        #expect(lines.first?.hasPrefix("ingéré  events logs/a\\nb\\x1B[31m.log : 30 lignes, 30 retenues") == true, "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("échec   \(bad) : ligne 1 : 10 lignes illisibles sur 10") }, "\(run.stdout)")
        #expect(run.stderr.hasPrefix("entstat: \(bad): ligne 1 : 10 lignes illisibles") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(!Self.hasControl(run.stdout) && !Self.hasControl(run.stderr), "\(run.stdout)\(run.stderr)")

        let status = try E2E.run(["status", "--db", "s.sqlite"], in: dir)
        #expect(status.stdout.contains("échec    \(bad) ("), "\(status.stdout)")
        #expect(!Self.hasControl(status.stdout) && !Self.hasControl(status.stderr), "\(status.stdout)\(status.stderr)")

        let forget = try E2E.run(["ingest", "--db", "s.sqlite", "--forget-failure", "logs/bad\u{9B}2J\u{7F}.log"], in: dir)
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stdout.hasPrefix("oublié  \(bad) : échec retiré"), "\(forget.stdout)")

        // A missing file named with an escape sequence: the error line carries it escaped.
        let missing = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "x\u{1B}]0;titre\u{07}.log"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr == "entstat: x\\x1B]0;titre\\x07.log: - : ouverture impossible (fichier ou dossier introuvable) ; vérifiez le chemin et les droits\n", "\(missing.stderr)")
    }

    /// Calls `body` with `bytes` as a C string (a path that no `String` can hold).
    static func withPath<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (bytes + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    /// Writes `text` to the file at the path `bytes`.
    static func write(_ text: String, toPath bytes: [UInt8]) {
        let fd = withPath(bytes) { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        #expect(fd >= 0)
        let data = Array(text.utf8)
        #expect(data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == data.count)
        close(fd)
    }

    /// Names that are not UTF-8 (a file and a folder) in a folder or a pattern are failed
    /// files (exit 2) named with their bad bytes escaped, and say to rename them: before, they
    /// were passed over without a word. Given as an argument, where the command line makes
    /// U+FFFD of the bad bytes, the file not found is said to have such a name.
    @Test func namesThatAreNotUTF8AreReportedAsFailedFiles() throws {
        let dir = try E2E.scratch()
        let d = dir.appendingPathComponent("d")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let lines = { (user: String) in FailureSafetyTests.eventLines(user: user, count: 30).joined(separator: "\n") + "\n" }
        try E2E.write(lines("a"), to: d.appendingPathComponent("ok.log"))
        let base = Array(d.path.utf8)
        Self.write(lines("b"), toPath: base + Array("/j".utf8) + [0xFF] + Array(".log".utf8))
        Self.write(lines("c"), toPath: base + Array("/.h".utf8) + [0xFF] + Array(".log".utf8))
        let folder = base + Array("/sub".utf8) + [0xE9]
        #expect(Self.withPath(folder) { mkdir($0, 0o755) } == 0)
        Self.write(lines("d"), toPath: folder + Array("/x.log".utf8))
        let badFile = "- : nom de fichier qui n'est pas de l'UTF-8 valide (octets invalides montrés \\xHH), entstat ne peut pas l'ouvrir ; renommez-le en UTF-8"
        let badFolder = "- : nom de dossier qui n'est pas de l'UTF-8 valide (octets invalides montrés \\xHH), ses journaux ne peuvent pas être lus ; renommez-le en UTF-8"

        let walked = try E2E.run(["ingest", "--db", "walk.sqlite", "d"], in: dir)
        #expect(walked.status == 2, "\(walked.stderr)")
        let out = walked.stdout.split(separator: "\n").map(String.init)
        #expect(out.count == 5, "\(walked.stdout)")
        #expect(out.first?.hasPrefix("échec   d/j\\xFF.log : \(badFile)") == true, "\(walked.stdout)")
        #expect(out.dropFirst().first?.hasPrefix("échec   d/sub\\xE9 : \(badFolder)") == true, "\(walked.stdout)")
        #expect(out.contains { $0.hasPrefix("ingéré  events d/ok.log : 30 lignes") }, "\(walked.stdout)")
        #expect(out.last?.hasPrefix("bilan : 1 fichier ingéré, 0 ignoré, 2 en échec") == true, "\(walked.stdout)")
        let errors = walked.stderr.split(separator: "\n")
        #expect(errors.count == 2 && errors[0].hasPrefix("entstat: d/j\\xFF.log: \(badFile)")
                && errors[1].hasPrefix("entstat: d/sub\\xE9: \(badFolder)"), "\(walked.stderr)")

        // A pattern: the name's bytes are matched as they are (`?` is the one byte 0xFF).
        for (index, pattern) in ["d/*.log", "d/j?.log"].enumerated() {
            let run = try E2E.run(["ingest", "--db", "p\(index).sqlite", "--quiet", pattern], in: dir)
            #expect(run.status == 2, "\(pattern): \(run.stderr)")
            #expect(run.stderr == "entstat: d/j\\xFF.log: \(badFile) (par exemple avec « convmv -f latin1 -t utf-8 ») puis relancez\n", "\(pattern): \(run.stderr)")
            #expect(run.stdout.hasPrefix("bilan : \(index == 0 ? 1 : 0) fichier ingéré, 0 ignoré, 1 en échec"), "\(pattern): \(run.stdout)")
        }

        let named = try E2E.run(["ingest", "--db", "n.sqlite", "--quiet", "d/j\u{FFFD}.log"], in: dir)
        #expect(named.status == 2)
        #expect(named.stderr.hasPrefix("entstat: d/j\u{FFFD}.log: - : introuvable ; son nom n'est probablement pas de l'UTF-8 valide (« \u{FFFD} » remplace les octets invalides) : renommez le fichier en UTF-8"), "\(named.stderr)")
    }
}
