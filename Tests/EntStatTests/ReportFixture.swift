import Foundation
@testable import EntStat

/// A small, realistic, deterministic département for report tests: schools (one named
/// `<script>…`, one `=HYPERLINK(…)`), accounts of every role, an old-ENT access log and a
/// new-ENT event log that overlap for three weeks (the "tuilage"), ingested into a store.
enum ReportFixture {
    /// A store built once per process and shared (read-only) by the report tests.
    static let shared: String = {
        let dir = ProcessInfo.processInfo.environment["ENTSTAT_REPORT_FIXTURE_DIR"]
            ?? TestSupport.scratchRoot.appendingPathComponent("report-fixture").path
        return try! build(in: dir)
    }()

    /// Path of the shipped Queries/ folder (tests run from the package root).
    static var queriesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Queries").path
    }

    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
    }

    static func uai(_ n: Int) -> String {
        let digits = String(800_0000 + n)
        let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
        return digits + String(letters[(800_0000 + n) % 23])
    }

    struct School { let uai: String; let name: String; let level: String; let commune: String }
    struct Account { let id: String; let legacy: String; let role: String; let schools: [String]; let commune: String; let activated: String; let weight: Double }

    /// Writes the input files into `dir`, ingests them into `dir/store.sqlite`, returns its path.
    static func build(in dir: String) throws -> String {
        let fm = FileManager.default
        try? fm.removeItem(atPath: dir)
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = RNG(state: 42)
        let communes = [("80021", "Amiens", "Amiens Métropole"), ("80001", "Abbeville", "CA de la Baie de Somme"),
                        ("80002", "Saint-Valery-sur-Somme", "CA de la Baie de Somme"), ("80003", "Rue", "CA de la Baie de Somme"),
                        ("80004", "Longueau", "Amiens Métropole"), ("80005", "Hameau-les-Bois", "CC du Val de Nièvre")]
        let levels = ["maternelle", "elementaire", "primaire"]
        var schools: [School] = []
        let names = ["École Jules-Verne", "École \"Les Hirondelles\"", "<script>alert('x')</script>", "=HYPERLINK(\"http://evil.example\";\"clic\")",
                     "École Pasteur; annexe", "École Jean-Moulin", "École des Tilleuls", "École Marie-Curie", "École du Centre", "École Saint-Exupéry & co"]
        for i in 0..<10 {
            let commune = communes[i % 5].0
            schools.append(School(uai: uai(i + 1), name: names[i], level: levels[i % 3], commune: commune))
        }
        // A tiny commune with a single tiny school: its figures must be hidden.
        schools.append(School(uai: uai(11), name: "École du Hameau", level: "maternelle", commune: "80005"))
        var csv = "uai;nom;niveau;code_commune;commune;epci\n"
        for s in schools {
            let c = communes.first { $0.0 == s.commune }!
            let quotedName = "\"" + s.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            csv += "\(s.uai);\(quotedName);\(s.level == "elementaire" ? "Élémentaire" : s.level);\(s.commune);\(c.1);\(c.2)\n"
        }
        try csv.write(toFile: dir + "/schools.csv", atomically: true, encoding: .utf8)

        var accounts: [Account] = []
        var n = 0
        func add(_ role: String, _ schools: [String], commune: String = "", activeBias: Double) {
            n += 1
            let activatedDay = rng.chance(role == "parent" ? 0.7 : 0.9) ? "2018-\(["08-28", "09-05", "09-20", "10-02", "10-15", "11-05"][rng.below(6)])" : ""
            accounts.append(Account(id: "u-\(n)", legacy: rng.chance(0.8) ? "L\(n)" : "", role: role, schools: schools,
                                    commune: commune, activated: activatedDay, weight: activatedDay.isEmpty ? 0 : activeBias))
        }
        for (i, s) in schools.enumerated() {
            let size = i == 10 ? 3 : 24 + rng.below(20)
            for _ in 0..<size {
                let parentBias = s.level == "maternelle" ? 0.55 : s.level == "primaire" ? 0.4 : 0.28
                if rng.chance(0.1), i < 10 {
                    add("parent", [s.uai, schools[(i + 1) % 10].uai], activeBias: parentBias)
                } else {
                    add("parent", [s.uai], activeBias: parentBias)
                }
            }
            for _ in 0..<(i == 10 ? 1 : 3 + rng.below(3)) { add("teacher", [s.uai], activeBias: 0.8) }
            if s.level != "maternelle" { for _ in 0..<(size / 2) { add("student", [s.uai], activeBias: 0.35) } }
        }
        for c in communes.prefix(5) { for _ in 0..<3 { add("commune", [], commune: c.0, activeBias: 0.5) } }
        add("staff", [schools[0].uai], activeBias: 0.6)
        var acsv = "user_id;legacy_id;role;schools;code_commune;activated_on\n"
        for a in accounts { acsv += "\(a.id);\(a.legacy);\(a.role);\(a.schools.joined(separator: "|"));\(a.commune);\(a.activated)\n" }
        try acsv.write(toFile: dir + "/accounts.csv", atomically: true, encoding: .utf8)

        // Logs: old ENT from 2018-09-03 to 2018-10-19, new ENT from 2018-10-01 to 2018-11-30.
        let start = CivilDate(year: 2018, month: 9, day: 3).dayNumber
        let end = CivilDate(year: 2018, month: 11, day: 30).dayNumber
        let oldEnd = CivilDate(year: 2018, month: 10, day: 19).dayNumber
        let newStart = CivilDate(year: 2018, month: 10, day: 1).dayNumber
        let toussaint = CivilDate(year: 2018, month: 10, day: 20).dayNumber...CivilDate(year: 2018, month: 11, day: 4).dayNumber
        let paths = [("messagerie", "/messagerie/boite", "Conversation"), ("cahier_liaison", "/cahier-liaison/12", "SchoolBook"),
                     ("actualites", "/actualites", "Actualites"), ("blog", "/blog/3", "Blog"), ("documents", "/documents", "Workspace"),
                     ("cantine", "/cantine/menus", "Cantine"), ("transport", "/transport", "Transport"),
                     ("periscolaire", "/periscolaire/inscription", "Periscolaire"), ("exercices", "/exercices/5", "Exercizer")]
        let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var access = ""
        var events = ""
        for day in start...end {
            let date = CivilDate(dayNumber: day)
            let weekday = date.isoWeekday
            let offset = day < CivilDate(year: 2018, month: 10, day: 28).dayNumber ? 2 : 1
            var dayFactor = weekday == 7 ? 0.15 : weekday == 6 ? 0.25 : weekday == 3 ? 0.6 : 1.0
            if toussaint.contains(day) { dayFactor *= 0.3 }
            for a in accounts where a.weight > 0 {
                guard let act = CivilDate(iso: a.activated), act.dayNumber <= day else { continue }
                guard rng.chance(a.weight * dayFactor * 0.5) else { continue }
                let hourChoices: [Int]
                switch a.role {
                case "parent": hourChoices = [7, 8, 12, 17, 18, 19, 20, 21]
                case "teacher": hourChoices = [8, 10, 12, 13, 16, 17, 20]
                case "student": hourChoices = [9, 10, 14, 15, 17]
                default: hourChoices = [9, 10, 11, 14, 15]
                }
                let hour = hourChoices[rng.below(hourChoices.count)]
                var second = hour * 3600 + rng.below(3600)
                let useOld = day <= oldEnd && (day < newStart || rng.chance(0.5))
                let useNew = day >= newStart && !useOld || (day >= newStart && rng.chance(0.3))
                let clicks = 1 + rng.below(5)
                for _ in 0..<clicks {
                    var choice = paths[rng.below(a.role == "parent" ? 8 : 5)]
                    if a.role == "commune" { choice = paths[5 + rng.below(3)] }
                    if a.role == "student" { choice = paths[[3, 4, 8][rng.below(3)]] }
                    let epoch = Int64(day) * 86_400 + Int64(second - offset * 3600)
                    if useOld && !a.legacy.isEmpty {
                        let hh = second / 3600, mm = (second % 3600) / 60, ss = second % 60
                        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
                        access += "192.0.2.\(rng.below(200)) - \(a.legacy) [\(p(date.day))/\(monthNames[date.month - 1])/\(date.year):\(p(hh)):\(p(mm)):\(p(ss)) +0\(offset)00] \"GET \(choice.1) HTTP/1.1\" 200 \(1000 + rng.below(9000)) \"-\" \"Mozilla/5.0\"\n"
                    }
                    if useNew {
                        let profil = ["parent": "Relative", "teacher": "Teacher", "student": "Student", "commune": "Collectivite", "staff": "Personnel"][a.role]!
                        events += "{\"event-type\":\"ACCESS\",\"module\":\"\(choice.2)\",\"date\":\(epoch * 1000 + 123),\"userId\":\"\(a.id)\",\"profil\":\"\(profil)\",\"structures\":[\(a.schools.map { "\"\($0)\"" }.joined(separator: ","))]}\n"
                    }
                    second += 60 + rng.below(600)
                    if second >= 86_000 { break }
                }
            }
        }
        // An unknown user in the new ENT.
        events += "{\"event-type\":\"LOGIN\",\"module\":\"Auth\",\"date\":1541406843120,\"userId\":\"stranger\",\"profil\":\"Relative\",\"structures\":[\"\(schools[0].uai)\"]}\n"
        try access.write(toFile: dir + "/access.log", atomically: true, encoding: .utf8)
        try events.write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)

        let storePath = dir + "/store.sqlite"
        let store = try Store(writingTo: storePath, secretPath: dir + "/store.secret", lockTimeoutSeconds: 10)
        _ = try store.loadSchools(dir + "/schools.csv")
        _ = try store.loadAccounts(dir + "/accounts.csv")
        let ingester = try LogIngester(store: store)
        for file in ["access.log", "events.jsonl"] {
            let report = ingester.ingest(path: dir + "/" + file)
            if case .failed(let failure) = report.outcome { fatalError("fixture \(file): \(failure)") }
        }
        try store.completePendingWork()
        return storePath
    }
}
