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
        #expect(!a.bytes("logs/events-fe1-2018-10-26.jsonl").isEmpty)
        #expect(a.bytes("logs/events-fe1-2018-10-26.jsonl") == b.bytes("logs/events-fe1-2018-10-26.jsonl"))
    }

    @Test func gzipHoldsExactlyThePlainText() throws {
        let z = try SimulatedOutput.make(schools: 30, from: "2018-10-09", to: "2018-10-09", seed: 9, malformedRate: 0.001, gzip: true)
        let p = try SimulatedOutput.make(schools: 30, from: "2018-10-09", to: "2018-10-09", seed: 9, malformedRate: 0.001, gzip: false)
        defer { z.remove(); p.remove() }
        #expect(z.logFiles.map { String($0.dropLast(3)) } == p.logFiles)
        var multiMember = 0
        for f in z.logFiles {
            let inflated = try #require(GzipMembers.inflate(z.bytes("logs/" + f)), "\(f)")
            #expect(inflated.bytes == p.bytes("logs/" + f.dropLast(3)), "\(f)")
            if inflated.members > 1 { multiMember += 1 }
        }
        // The daily event files of fe1 are cut into several gzip members.
        #expect(multiMember > 0)
    }

    @Test func gzipOutputIsValid() throws {
        let o = try SimulatedOutput.make(schools: 3, from: "2018-10-26", to: "2018-10-26", gzip: true)
        defer { o.remove() }
        // Both logs of both servers (a missing folder would leave nothing to check).
        #expect(Set(o.logFiles.map { $0.split(separator: "-").prefix(2).joined(separator: "-") })
                == ["access-fe1", "access-fe2", "events-fe1", "events-fe2"])
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
