import Foundation
import Testing
@testable import EntStatSimulator

/// Every line parses as SPEC §1.3/§1.4 except the malformed ones asked for, and the written
/// timestamps are right across the autumn DST change.
struct LogFormatTests {
    @Test func linesParseAndMalformedCountMatches() throws {
        let o = try SimulatedOutput.make(schools: 6, from: "2018-10-26", to: "2018-10-29", malformedRate: 0.01)
        defer { o.remove() }
        var bad = 0
        var good = 0
        var sawEscapedQuote = false, sawExtra = false, sawUnicodeEscape = false, sawAnonymousEvent = false
        for f in o.logFiles {
            for line in o.lines(ofLog: f) {
                if f.hasPrefix("access") {
                    if let a = LogLineChecks.access(line) {
                        good += 1
                        #expect(a.status >= 100 && a.status < 600)
                        if line.contains("\\\"") { sawEscapedQuote = true }
                    } else { bad += 1 }
                } else {
                    if let e = LogLineChecks.event(line) {
                        good += 1
                        if e["extra"] != nil { sawExtra = true }
                        if line.contains("\\u00e9") { sawUnicodeEscape = true }
                        if line.contains("\\\"") { sawEscapedQuote = true }
                        if (e["userId"] as? String ?? "").isEmpty { sawAnonymousEvent = true }
                        else { #expect(e["profil"] is String) }
                    } else { bad += 1 }
                }
            }
        }
        #expect(o.summary.malformedLines > 0)
        #expect(bad == o.summary.malformedLines)
        #expect(good + bad == o.summary.lines)
        #expect(Double(bad) / Double(good + bad) < 0.02)
        #expect(sawExtra && sawUnicodeEscape && sawAnonymousEvent && sawEscapedQuote)
    }

    @Test func noMalformedLinesWhenNoneAsked() throws {
        let o = try SimulatedOutput.make(schools: 3, from: "2018-10-26", to: "2018-10-27", malformedRate: 0)
        defer { o.remove() }
        #expect(o.summary.malformedLines == 0)
        // Both logs written, every line of them read below.
        #expect(o.logFiles.contains { $0.hasPrefix("access") } && o.logFiles.contains { $0.hasPrefix("events") })
        #expect(o.logFiles.reduce(0) { $0 + o.lines(ofLog: $1).count } == o.summary.lines)
        for f in o.logFiles {
            for line in o.lines(ofLog: f) {
                let ok = f.hasPrefix("access") ? LogLineChecks.access(line) != nil : LogLineChecks.event(line) != nil
                #expect(ok, "\(f): \(line)")
            }
        }
    }

    @Test func timestampsAreRightAcrossTheAutumnChange() throws {
        let o = try SimulatedOutput.make(schools: 5, from: "2018-10-27", to: "2018-10-29", rotation: .hourly)
        defer { o.remove() }
        var offsetsAt0230: Set<String> = []
        for f in o.logFiles {
            // access-fe1-2018-10-28-02.log / events-fe2-2018-10-28-02.jsonl
            let parts = f.split(separator: "-")
            let fileDay = parts[2...4].joined(separator: "-")
            let fileHour = Int(parts[5].prefix(2))!
            let localServer = parts[1] == "fe1"
            for line in o.lines(ofLog: f) {
                let epoch: Int
                if f.hasPrefix("access") {
                    let a = try #require(LogLineChecks.access(line))
                    epoch = a.epoch
                    let expected = TimeZone(identifier: "Europe/Paris")!.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch)))
                    if localServer {
                        #expect(a.offset == (expected == 7200 ? "+0200" : "+0100"), "\(line)")
                        if fileDay == "2018-10-28", a.wall.hasPrefix("02:") { offsetsAt0230.insert(a.offset) }
                    } else {
                        #expect(a.offset == "+0000")
                    }
                } else {
                    let e = try #require(LogLineChecks.event(line))
                    epoch = (e["date"] as! NSNumber).intValue / 1000
                }
                let (day, hour) = LogLineChecks.parisDayHour(epoch)
                #expect(day == fileDay, "\(f): \(line)")
                #expect(hour == fileHour, "\(f): \(line)")
            }
        }
        // Health checks run all night: both occurrences of 02:xx are written on 28 October.
        #expect(offsetsAt0230 == ["+0200", "+0100"])
        // The 25-hour day holds its extra hour in the 02 files.
        #expect(o.logFiles.contains("access-fe1-2018-10-28-02.log"))
    }

    @Test func filesAreOnlyRoughlyInTimeOrder() throws {
        let o = try SimulatedOutput.make(schools: 8, from: "2018-10-29", to: "2018-10-29")
        defer { o.remove() }
        let epochs = o.lines(ofLog: "access-fe1-2018-10-29.log").compactMap { LogLineChecks.access($0)?.epoch }
        var inversions = 0
        var worst = 0
        for i in 1..<epochs.count where epochs[i] < epochs[i - 1] {
            inversions += 1
            worst = max(worst, epochs[i - 1] - epochs[i])
        }
        #expect(inversions > 0)
        #expect(worst <= 3)
    }
}
