import Foundation

/// A deterministic random generator for tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random but plausible records over the DST weekend of October 2018, with everything the
/// engine must get right: users in both logs, visits crossing files, midnight, filtered
/// records. Expected figures are computed independently with Foundation's time zone.
struct RandomLogs {
    /// One generated record.
    struct Record {
        var person: Int
        var utcSeconds: Int64
        var source: String      // access | events
        var qualifies: Bool
        var isLogin: Bool
        var line: String
    }

    var records: [Record] = []
    static let accounts = """
    user_id;legacy_id;role;schools;code_commune;activated_on
    n0;o0;parent;0800001S;;2018-09-10
    n1;o1;parent;0800001S|0800002T;;2018-09-11
    n2;;teacher;0800002T;;2018-09-01
    n3;o3;teacher;0800001S;;
    n4;;commune;;80021;2018-10-01

    """
    static let schools = """
    uai;nom;niveau;code_commune;commune;epci
    0800001S;Les Tilleuls;maternelle;80021;Amiens;CA Amiens Métropole
    0800002T;Jules Ferry;elementaire;80021;Amiens;CA Amiens Métropole

    """

    init(seed: UInt64, count: Int) {
        var rng = SeededGenerator(seed: seed)
        let paths = ["/messagerie", "/blog/3", "/actualites", "/cantine/menu", "/login", "/accueil", "/documents/a/b", "/autre/x"]
        let modules = ["Conversation", "Blog", "Actualites", "Cantine", "Auth", "Timeline", "Workspace", "Mystery"]
        // 2018-10-27 00:00 CEST = 2018-10-26T22:00:00Z; three days.
        let start: Int64 = 1_540_591_200
        var clock = [Int64](repeating: start, count: 7)
        for _ in 0..<count {
            let person = Int.random(in: 0..<7, using: &rng)  // 5 and 6 are not in accounts.csv
            // Mostly short gaps, sometimes exactly 1800 or 1801, sometimes hours.
            let gap: Int64 = [Int64.random(in: 1...600, using: &rng), 1800, 1801, Int64.random(in: 1802...20_000, using: &rng)]
                .randomElement(using: &rng)!
            clock[person] = min(clock[person] + gap, start + 3 * 86_400 + 3600 - 1)
            let t = clock[person]
            let hasLegacy = person == 0 || person == 1 || person == 3 || person == 5
            let useAccess = hasLegacy && Bool.random(using: &rng)
            let k = Int.random(in: 0..<paths.count, using: &rng)
            if useAccess {
                let legacy = person == 5 ? "o5" : "o\(person)"
                var status = 200
                var path = paths[k]
                var qualifies = true
                switch Int.random(in: 0..<12, using: &rng) {
                case 0: status = 404; qualifies = false
                case 1: path = "/static/app.css"; qualifies = false
                case 2: status = 302
                default: break
                }
                let offset = Bool.random(using: &rng) ? 0 : RandomLogs.parisOffset(t)
                records.append(Record(person: person, utcSeconds: t, source: "access", qualifies: qualifies,
                                      isLogin: qualifies && path == "/login",
                                      line: LogLine.access(user: legacy, time: RandomLogs.accessTime(t, offset: offset), path: path, status: status)))
            } else {
                let user = "n\(person)"
                let login = modules[k] == "Auth"
                let ms = t * 1000 + Int64.random(in: 0...999, using: &rng)
                let profil = person == 6 ? "\"profil\":\"Relative\",\"structures\":[\"0800002T\"]," : ""
                records.append(Record(person: person, utcSeconds: t, source: "events", qualifies: true, isLogin: login,
                                      line: "{\"event-type\":\"\(login ? "LOGIN" : "ACCESS")\",\(profil)\"module\":\"\(modules[k])\",\"date\":\(ms),\"userId\":\"\(user)\",\"x\":{\"y\":[null,1.5e3]}}"))
            }
        }
    }

    static func parisOffset(_ t: Int64) -> Int {
        TimeZone(identifier: "Europe/Paris")!.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    static func accessTime(_ t: Int64, offset: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: offset)
        f.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
        let sign = offset >= 0 ? "+" : "-"
        let h = abs(offset) / 3600, m = abs(offset) % 3600 / 60
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t))) + " \(sign)\(String(format: "%02d%02d", h, m))"
    }

    /// Expected daily totals (active_users, connections, logins, requests), computed from
    /// the records with Foundation's Europe/Paris calendar: persons 0..4 are accounts
    /// (n and o ids of one account are one person), 5 and 6 stand alone — but person 5
    /// uses both "o5" (access) and "n5" (events), which nothing links, so they are two users.
    func expectedDailyTotals() -> [String: (Int, Int, Int, Int)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        var byUserDay: [String: [String: [Record]]] = [:]
        for r in records where r.qualifies {
            let user = r.person == 5 ? "\(r.source)-5" : "p\(r.person)"
            let day = f.string(from: Date(timeIntervalSince1970: TimeInterval(r.utcSeconds)))
            byUserDay[day, default: [:]][user, default: []].append(r)
        }
        var result: [String: (Int, Int, Int, Int)] = [:]
        for (day, users) in byUserDay {
            var visits = 0, logins = 0, requests = 0
            for (_, recs) in users {
                let times = recs.map(\.utcSeconds).sorted()
                visits += 1
                for i in 1..<max(times.count, 1) where times[i] - times[i - 1] > 1800 { visits += 1 }
                logins += recs.filter(\.isLogin).count
                requests += recs.count
            }
            result[day] = (users.count, visits, logins, requests)
        }
        return result
    }
}
