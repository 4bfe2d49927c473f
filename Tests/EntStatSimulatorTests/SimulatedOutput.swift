import EntStat
import Foundation
@testable import EntStatSimulator

/// A simulation written to a temporary directory, with small independent readers for tests.
struct SimulatedOutput {
    let directory: String
    let summary: SimulationSummary

    /// Runs a small simulation in a fresh temporary directory.
    static func make(schools: Int = 6, from: String, to: String, seed: UInt64 = 7, switchDay: String = "2018-11-04",
                     overlapDays: Int = 49, rotation: Rotation = .mixed, malformedRate: Double = 0,
                     gzip: Bool = false, jobs: Int = 2) throws -> SimulatedOutput {
        let dir = NSTemporaryDirectory() + "entstat-sim-" + UUID().uuidString
        var o = SimulationOptions(outputDirectory: dir)
        o.schools = schools
        o.from = CivilDate(iso: from)!
        o.to = CivilDate(iso: to)!
        o.seed = seed
        o.switchDay = CivilDate(iso: switchDay)!
        o.overlapDays = overlapDays
        o.rotation = rotation
        o.malformedRate = malformedRate
        o.gzip = gzip
        o.jobs = jobs
        let summary = try Simulator.run(o)
        return SimulatedOutput(directory: dir, summary: summary)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Log file names, sorted.
    var logFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/logs")) ?? []).sorted()
    }

    /// Raw bytes of a file under the output directory.
    func bytes(_ relative: String) -> Data {
        FileManager.default.contents(atPath: directory + "/" + relative) ?? Data()
    }

    /// Lines of a plain log file.
    func lines(ofLog name: String) -> [String] {
        String(decoding: bytes("logs/" + name), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Rows of a `;`-separated reference file: BOM dropped, CRLF accepted, RFC 4180 quoting.
    func csv(_ name: String) -> [[String]] {
        var text = String(decoding: bytes(name), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == ";" { row.append(field); field = ""
            } else if c == "\r" { continue
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
