import EntStat
import Foundation
import Testing
@testable import EntStatSimulator

/// Bad options are refused before anything is written; existing logs are kept unless forced.
struct OptionValidationTests {
    @Test func badOptionsAreRefused() {
        var o = SimulationOptions(outputDirectory: "/nonexistent")
        o.from = CivilDate(iso: "2018-11-02")!
        o.to = CivilDate(iso: "2018-11-01")!
        #expect(throws: SimulatorError.self) { try Simulator.validate(o) }
        o = SimulationOptions(outputDirectory: "/nonexistent")
        o.schools = 0
        #expect(throws: SimulatorError.self) { try Simulator.validate(o) }
        o = SimulationOptions(outputDirectory: "/nonexistent")
        o.malformedRate = 1.5
        #expect(throws: SimulatorError.self) { try Simulator.validate(o) }
        o = SimulationOptions(outputDirectory: "/nonexistent")
        #expect(throws: Never.self) { try Simulator.validate(o) }
    }

    @Test func existingLogsNeedForce() throws {
        let first = try SimulatedOutput.make(schools: 1, from: "2018-10-15", to: "2018-10-15")
        defer { first.remove() }
        var o = SimulationOptions(outputDirectory: first.directory)
        o.schools = 1
        o.from = CivilDate(iso: "2018-10-16")!
        o.to = o.from
        #expect(throws: SimulatorError.self) { try Simulator.run(o) }
        o.force = true
        _ = try Simulator.run(o)
        #expect(!first.logFiles.contains { $0.contains("2018-10-15") })
        #expect(first.logFiles.contains { $0.contains("2018-10-16") })
    }
}
