import Foundation
import Testing

/// A report is the same from one run to the next: which cells its secrecy hides may not
/// depend on anything but the store and the command line. Swift seeds its hashing afresh
/// in every process, so a dictionary iterated in its own order (the relations of the
/// secrecy were built so) gave the sample data's commune 80021 three different `ecoles.csv`
/// in four runs, one of them the fixed seed's. Each run here is a process of its own: the
/// fixed seed's, then two of their own (about 12 s each in a debug build; with that bug,
/// this test failed about three times in four).
@Suite struct ReproducibleReportTests {
    @Test func aReportHidesTheSameCellsInEveryRun() throws {
        let dir = try E2E.scratch()
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-logs")
        let ingest = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "--schools", sample.appendingPathComponent("schools.csv").path,
                                  "--accounts", sample.appendingPathComponent("accounts.csv").path, sample.appendingPathComponent("logs").path],
                                 in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        func tables(_ run: Int, environment: [String: String]? = nil) throws -> [String: String] {
            let out = "r\(run)"
            let report = try E2E.run(["report", "--db", "s.sqlite", "--out", out, "--commune", "80021"], in: dir, environment: environment)
            #expect(report.status == 0, "\(report.stderr)")
            let folder = dir.appendingPathComponent(out)
            var csv: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".csv") {
                csv[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            }
            return csv
        }
        // The hashing of a fixed seed, then two of their own.
        let first = try tables(0, environment: ["SWIFT_DETERMINISTIC_HASHING": "1"])
        #expect(first.count == 20)
        for run in 1...2 {
            let again = try tables(run)
            #expect(again.keys.sorted() == first.keys.sorted())
            for (name, text) in first where again[name] != text {
                Issue.record("run \(run): \(name) differs from the first run's")
            }
        }
    }
}
