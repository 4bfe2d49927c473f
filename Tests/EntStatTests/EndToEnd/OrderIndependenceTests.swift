import Foundation
import Testing

/// SPEC §2.5: the same records split across files in random ways, ingested in random
/// orders and with repeats, give identical exports — equal to an independent computation.
@Suite("Order, splitting and repeats never change a figure")
struct OrderIndependenceTests {
    static let exports: [[String]] = [
        ["--period", "day"],
        ["--period", "day", "--by", "source,feature"],
        ["--period", "week", "--by", "role,level"],
        ["--period", "all", "--by", "school,commune,epci"],
        ["--period", "month", "--by", "feature"],
    ]

    static func exportAll(_ dir: URL) throws -> [String] {
        try exports.map { try E2E.export($0, in: dir) }
    }

    /// Writes the records as files: `split` files per source, random formats.
    static func writeFiles(_ logs: RandomLogs, split: Int, in dir: URL, rng: inout SeededGenerator) throws -> [String] {
        var names: [String] = []
        for source in ["access", "events"] {
            var buckets = [[String]](repeating: [], count: split)
            for r in logs.records where r.source == source {
                buckets[Int.random(in: 0..<split, using: &rng)].append(r.line)
            }
            for (i, var lines) in buckets.enumerated() where !lines.isEmpty {
                // Each front server's file is only roughly in time order.
                for _ in 0..<(lines.count / 4) {
                    let a = Int.random(in: 0..<lines.count, using: &rng)
                    lines.swapAt(a, min(lines.count - 1, a + 1))
                }
                let text = lines.joined(separator: Bool.random(using: &rng) ? "\n" : "\r\n") + "\n"
                let name = "\(source)-\(i)-\(UInt32.random(in: 0...UInt32.max, using: &rng))"
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: try E2E.write(text, to: dir.appendingPathComponent(name + ".log")); names.append(name + ".log")
                case 1: try E2E.writeGzip(text, to: dir.appendingPathComponent(name + ".gz")); names.append(name + ".gz")
                default: try E2E.writeGzip(text, to: dir.appendingPathComponent(name + ".gz"), members: 3); names.append(name + ".gz")
                }
            }
        }
        return names
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomSplitsOrdersAndRepeatsGiveTheSameExports(seed: UInt64) throws {
        let logs = RandomLogs(seed: seed, count: 400)
        var rng = SeededGenerator(seed: seed &* 7919)

        // Reference: one file per source, references first.
        let reference = try E2E.scratch("reference\(seed)")
        try E2E.write(RandomLogs.schools, to: reference.appendingPathComponent("schools.csv"))
        try E2E.write(RandomLogs.accounts, to: reference.appendingPathComponent("accounts.csv"))
        let refFiles = try Self.writeFiles(logs, split: 1, in: reference, rng: &rng)
        let r0 = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv"] + refFiles, in: reference)
        #expect(r0.status == 0, "\(r0.stderr)")
        let expected = try Self.exportAll(reference)

        // The independent computation agrees with the reference's daily totals.
        let daily = E2E.lines(expected[0]).dropFirst().map { $0.split(separator: ",").map(String.init) }
        let computed = logs.expectedDailyTotals()
        #expect(daily.count == computed.count)
        for row in daily {
            let e = computed[row[0]]
            #expect(e != nil)
            if let e {
                #expect([row[1], row[2], row[3], row[4]] == [String(e.0), String(e.1), String(e.2), String(e.3)], "day \(row[0])")
            }
        }

        // Shuffled: split in 5, random order, several runs, repeats under other names,
        // accounts loaded in the middle.
        let shuffled = try E2E.scratch("shuffled\(seed)")
        try E2E.write(RandomLogs.schools, to: shuffled.appendingPathComponent("schools.csv"))
        try E2E.write(RandomLogs.accounts, to: shuffled.appendingPathComponent("accounts.csv"))
        var files = try Self.writeFiles(logs, split: 5, in: shuffled, rng: &rng).shuffled(using: &rng)
        let copy = files[0] + ".copie"
        try FileManager.default.copyItem(at: shuffled.appendingPathComponent(files[0]), to: shuffled.appendingPathComponent(copy))
        files.append(copy)
        files.append(files[1])
        files.shuffle(using: &rng)
        let half = files.count / 2
        let r1 = try E2E.run(["ingest", "--db", "s.sqlite"] + files[..<half], in: shuffled)
        #expect(r1.status == 0, "\(r1.stderr)")
        let r2 = try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "accounts.csv"] + files[half...], in: shuffled)
        #expect(r2.status == 0, "\(r2.stderr)")
        let r3 = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv"] + files.shuffled(using: &rng), in: shuffled)
        #expect(r3.status == 0)
        let ingestedAgain = r3.stdout.split(separator: "\n").filter { $0.hasPrefix("ingéré") }
        #expect(ingestedAgain.isEmpty, "every file of the third run is a repeat: \(ingestedAgain)")
        #expect(r3.stdout.split(separator: "\n").filter { $0.hasPrefix("ignoré") }.count == files.count)
        #expect(try Self.exportAll(shuffled) == expected)
    }
}
