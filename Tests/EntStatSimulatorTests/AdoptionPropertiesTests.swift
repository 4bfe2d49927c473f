import Foundation
import Testing
@testable import EntStatSimulator

/// The simulator's known properties show when its output is counted independently:
/// maternelle parents more active, Wednesday and holiday dips, users in both ENTs during the
/// overlap, commune agents on canteen/transport/after-school pages.
struct AdoptionPropertiesTests {
    /// Qualifying activity read back from the files with the simple rules of SPEC §2.
    struct Activity {
        var usersByDay: [String: Set<String>] = [:]
        var sourcesByUser: [String: Set<String>] = [:]
        var featuresByRole: [String: [String: Int]] = [:]
        var roleOf: [String: String] = [:]
        var levelOf: [String: String] = [:]
        var parentAccounts: [String: Int] = [:]
    }

    static func read(_ o: SimulatedOutput) -> Activity {
        var a = Activity()
        var level: [String: String] = [:]
        for r in o.csv("schools.csv").dropFirst() {
            level[r[0]] = r[2].lowercased().folding(options: .diacriticInsensitive, locale: nil)
        }
        var byLegacy: [String: String] = [:]
        for r in o.csv("accounts.csv").dropFirst() {
            let role = r[2].lowercased().folding(options: .diacriticInsensitive, locale: nil)
            a.roleOf[r[0]] = role
            if !r[1].isEmpty { byLegacy[r[1]] = r[0] }
            let firstLevel = r[3].split(separator: "|").first.map { level[String($0)] ?? "" } ?? ""
            a.levelOf[r[0]] = firstLevel
            if role == "parent", !r[3].contains("|") { a.parentAccounts[firstLevel, default: 0] += 1 }
        }
        let statics = [".js", ".css", ".png", ".jpg", ".svg", ".ico", ".woff2", ".map"]
        for f in o.logFiles {
            for line in o.lines(ofLog: f) {
                if f.hasPrefix("access") {
                    guard let x = LogLineChecks.access(line), x.user != "-", (200..<400).contains(x.status),
                          !statics.contains(where: { x.path.split(separator: "?")[0].hasSuffix($0) }) else { continue }
                    let user = byLegacy[x.user] ?? "legacy:" + x.user
                    let (day, _) = LogLineChecks.parisDayHour(x.epoch)
                    a.usersByDay[day, default: []].insert(user)
                    a.sourcesByUser[user, default: []].insert("access")
                    let feature = String(x.path.split(separator: "/").first ?? "")
                    a.featuresByRole[a.roleOf[user] ?? "", default: [:]][feature, default: 0] += 1
                } else {
                    guard let e = LogLineChecks.event(line), let user = e["userId"] as? String, !user.isEmpty else { continue }
                    let (day, _) = LogLineChecks.parisDayHour((e["date"] as! NSNumber).intValue / 1000)
                    a.usersByDay[day, default: []].insert(user)
                    a.sourcesByUser[user, default: []].insert("events")
                    a.featuresByRole[a.roleOf[user] ?? "", default: [:]][(e["module"] as! String).lowercased(), default: 0] += 1
                }
            }
        }
        return a
    }

    @Test func knownPropertiesShow() throws {
        // Two school weeks inside the overlap, then the first week of the Toussaint holidays.
        let o = try SimulatedOutput.make(schools: 24, from: "2018-10-08", to: "2018-10-26", seed: 3)
        defer { o.remove() }
        let a = AdoptionPropertiesTests.read(o)
        func users(_ d: String) -> Double { Double(a.usersByDay[d]?.count ?? 0) }
        // Every weekday of the three weeks has users (a missing day would make a false dip).
        for d in 8...26 where ![13, 14, 20, 21].contains(d) {
            #expect(users("2018-10-\(d < 10 ? "0" : "")\(d)") > 0, "2018-10-\(d)")
        }

        // Wednesday dip.
        let wednesdays = (users("2018-10-10") + users("2018-10-17")) / 2
        let tueThu = (users("2018-10-09") + users("2018-10-11") + users("2018-10-16") + users("2018-10-18")) / 4
        #expect(wednesdays < 0.85 * tueThu, "Wednesday \(wednesdays) vs \(tueThu)")

        // Holiday dip: Toussaint weekdays against term-time Mondays, Tuesdays, Thursdays, Fridays.
        let holiday = ["2018-10-22", "2018-10-23", "2018-10-24", "2018-10-25", "2018-10-26"].map(users).reduce(0, +) / 5
        let term = ["2018-10-08", "2018-10-09", "2018-10-11", "2018-10-12", "2018-10-15", "2018-10-16",
                    "2018-10-18", "2018-10-19"].map(users).reduce(0, +) / 8
        #expect(holiday < 0.6 * term, "holiday \(holiday) vs term \(term)")

        // Maternelle parents: higher daily active rate than élémentaire parents.
        func dailyRate(_ level: String) -> Double {
            let accounts = Double(a.parentAccounts[level, default: 0])
            let days = ["2018-10-08", "2018-10-09", "2018-10-11", "2018-10-12", "2018-10-15", "2018-10-16"]
            let active = days.map { d in
                Double((a.usersByDay[d] ?? []).filter { a.roleOf[$0] == "parent" && a.levelOf[$0] == level }.count)
            }.reduce(0, +) / Double(days.count)
            return active / max(accounts, 1)
        }
        #expect(a.parentAccounts["maternelle", default: 0] > 20 && a.parentAccounts["elementaire", default: 0] > 20)
        #expect(dailyRate("maternelle") > 1.3 * dailyRate("elementaire"),
                "maternelle \(dailyRate("maternelle")) vs élémentaire \(dailyRate("elementaire"))")

        // Overlap: some users appear in both logs.
        let both = a.sourcesByUser.values.filter { $0.count == 2 }.count
        #expect(both > 20, "\(both) users in both logs")

        // Commune agents use canteen, transport and after-school pages.
        let commune = a.featuresByRole["commune", default: [:]]
        for f in ["cantine", "transport", "periscolaire"] { #expect(commune[f, default: 0] > 0, "\(f)") }

        // Users absent from accounts.csv show up with a profil.
        #expect(a.sourcesByUser.keys.contains { a.roleOf[$0] == nil })
    }

    @Test func noNewEntBeforeItOpensNorOldEntAfterTheSwitch() throws {
        let o = try SimulatedOutput.make(schools: 5, from: "2018-10-30", to: "2018-11-02", switchDay: "2018-10-31", overlapDays: 2)
        defer { o.remove() }
        let files = o.logFiles
        #expect(files.contains { $0.hasPrefix("access-fe1-2018-10-31") })
        #expect(!files.contains { $0.hasPrefix("access-fe1-2018-11-01") })
        #expect(files.contains { $0.hasPrefix("events-fe1-2018-10-30") })
        let o2 = try SimulatedOutput.make(schools: 5, from: "2018-10-29", to: "2018-10-29", switchDay: "2018-10-31", overlapDays: 2)
        defer { o2.remove() }
        #expect(!o2.logFiles.contains { $0.hasPrefix("events") })
    }
}
