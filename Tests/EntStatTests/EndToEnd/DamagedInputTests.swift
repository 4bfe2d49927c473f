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

    /// A file that fails the 5 % threshold names the reason of its rejected lines, and what
    /// to do about it: a server clock reset is no matter of file format.
    @Test func aFileOverTheThresholdSaysWhyItsLinesWereRejected() throws {
        let dir = try E2E.scratch()
        try E2E.write(Self.accessRecords(count: 50, year: "1970").joined(separator: "\n") + "\n", to: dir.appendingPathComponent("clock.log"))
        try E2E.write("uai;nom\n0801234G;École A\n", to: dir.appendingPathComponent("notalog.log"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "clock.log", "notalog.log"], in: dir)
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.contains("entstat: clock.log: ligne 1 : 50 lignes illisibles sur 50 (plus de 5 %) ; motif le plus fréquent : date hors de la plage 2000–2045 (50 lignes, la première à la ligne 1) ; vérifiez l'horloge du serveur qui a écrit ce journal, puis relancez"), "\(r.stderr)")
        #expect(errors.contains("entstat: notalog.log: ligne 1 : 2 lignes illisibles sur 2 (plus de 5 %) ; motif le plus fréquent : champ « identité » illisible (format access log combiné attendu) (2 lignes, la première à la ligne 1) ; vérifiez qu'il s'agit bien d'un journal d'accès ou d'événements, puis relancez"), "\(r.stderr)")
    }
}
