import Foundation
import Testing

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
}
