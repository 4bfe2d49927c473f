import Foundation
import Testing
@testable import EntStatSimulator

/// Same seed, same bytes; another seed, other bytes; worker count never matters.
struct DeterminismTests {
    private func contents(_ o: SimulatedOutput) -> [String: Data] {
        var all = ["schools.csv": o.bytes("schools.csv"), "accounts.csv": o.bytes("accounts.csv")]
        for f in o.logFiles { all["logs/" + f] = o.bytes("logs/" + f) }
        return all
    }

    @Test func sameSeedSameBytes() throws {
        let a = try SimulatedOutput.make(schools: 4, from: "2018-10-26", to: "2018-10-28", seed: 11, malformedRate: 0.01, gzip: true, jobs: 2)
        let b = try SimulatedOutput.make(schools: 4, from: "2018-10-26", to: "2018-10-28", seed: 11, malformedRate: 0.01, gzip: true, jobs: 1)
        defer { a.remove(); b.remove() }
        let ca = contents(a)
        #expect(ca.count > 10)
        #expect(ca == contents(b))
        #expect(a.summary.lines == b.summary.lines)
    }

    @Test func otherSeedOtherBytes() throws {
        let a = try SimulatedOutput.make(schools: 4, from: "2018-10-26", to: "2018-10-26", seed: 11)
        let b = try SimulatedOutput.make(schools: 4, from: "2018-10-26", to: "2018-10-26", seed: 12)
        defer { a.remove(); b.remove() }
        #expect(a.bytes("accounts.csv") != b.bytes("accounts.csv"))
        #expect(a.bytes("logs/access-fe1-2018-10-26.log") != b.bytes("logs/access-fe1-2018-10-26.log"))
    }

    @Test func aDayIsTheSameWhateverThePeriod() throws {
        let a = try SimulatedOutput.make(schools: 4, from: "2018-10-25", to: "2018-10-27", seed: 5)
        let b = try SimulatedOutput.make(schools: 4, from: "2018-10-26", to: "2018-10-26", seed: 5)
        defer { a.remove(); b.remove() }
        #expect(a.bytes("logs/events-fe1-2018-10-26.jsonl") == b.bytes("logs/events-fe1-2018-10-26.jsonl"))
    }

    @Test func gzipOutputIsValid() throws {
        let o = try SimulatedOutput.make(schools: 3, from: "2018-10-26", to: "2018-10-26", gzip: true)
        defer { o.remove() }
        for f in o.logFiles {
            #expect(f.hasSuffix(".gz"))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "gzip -t '\(o.directory)/logs/\(f)'"]
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(f)")
        }
    }
}
