/// The behavioural constants of the simulation: who comes, when, and for what.
enum TrafficModel {
    /// Profile of a role, with the level of the user's school for parents (nil for commune agents).
    static func profile(role: Role, level: SchoolLevel?) -> BehaviourProfile {
        profiles[index(role: role, level: level)]
    }

    /// Index in `profiles`.
    static func index(role: Role, level: SchoolLevel?) -> Int {
        switch role {
        case .parent:
            switch level {
            case .maternelle?: return 0
            case .elementaire?: return 1
            default: return 2
            }
        case .teacher: return 3
        case .student: return 4
        case .staff: return 5
        case .commune: return 6
        }
    }

    // Hour-of-day weights, local wall time 00…23.
    private static let parentSchool: [Double] = [0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 1.5, 4, 3.5, 1.5, 1, 1.2, 3, 2.8, 1.2, 1, 1.5, 2.5, 3.5, 4.5, 5, 4, 2, 0.8]
    private static let parentWednesday: [Double] = [0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 1, 2.5, 3, 3.5, 3.5, 2.5, 2.5, 2.5, 3, 3, 2.8, 2.8, 3, 3.5, 3.5, 3, 1.5, 0.6]
    private static let parentFree: [Double] = [0.3, 0.15, 0.05, 0.05, 0.05, 0.1, 0.3, 1, 2, 3, 3.5, 3, 2.2, 2, 2.2, 2.5, 2.5, 2.8, 3, 3.5, 3.8, 3.2, 1.8, 0.7]
    private static let teacherSchool: [Double] = [0.05, 0, 0, 0, 0, 0.1, 0.8, 3, 4, 4, 3.5, 2, 2.5, 3.5, 3.5, 3, 3, 2.5, 1.8, 1.5, 2.5, 2.5, 1, 0.2]
    private static let teacherWednesday: [Double] = [0.05, 0, 0, 0, 0, 0.1, 0.5, 1.5, 3, 3.5, 3.5, 2.5, 1.5, 1.5, 2, 2, 1.8, 1.5, 1.2, 1.2, 2, 2, 0.8, 0.2]
    private static let teacherFree: [Double] = [0.1, 0, 0, 0, 0, 0, 0.1, 0.3, 0.8, 1.5, 2, 1.8, 1, 1.2, 1.8, 2.2, 2.2, 2, 2, 2, 2.8, 2.5, 1, 0.2]
    private static let studentSchool: [Double] = [0, 0, 0, 0, 0, 0, 0.1, 0.5, 2, 4, 4, 2, 0.5, 1, 3.5, 3.5, 2, 2, 1.8, 1.5, 1, 0.3, 0, 0]
    private static let studentFree: [Double] = [0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.5, 2, 1.5, 0.8, 1, 1.5, 2, 2, 2, 1.8, 1.5, 1, 0.3, 0, 0]
    private static let office: [Double] = [0, 0, 0, 0, 0, 0, 0.3, 2, 3.5, 3.5, 3, 2, 1.5, 2.5, 3, 3, 2.5, 1, 0.3, 0.1, 0.1, 0, 0, 0]
    private static let communeOffice: [Double] = [0, 0, 0, 0, 0, 0, 0, 0.5, 3, 4, 4, 3.5, 0.8, 1, 3, 3.5, 3.5, 2.5, 0.5, 0.1, 0.05, 0, 0, 0]

    private static func hours(_ a: [Double], _ b: [Double], _ c: [Double]) -> [[Double]] {
        [SplitMix64.cumulative(a), SplitMix64.cumulative(b), SplitMix64.cumulative(c)]
    }

    //                    portail mess  actu  blog  cahier docs agenda mur  exo  cantine transp peri annuaire connexion
    private static let parentFeatures: [Double] = [0, 24, 14, 14, 14, 3, 5, 1, 1, 10, 5, 8, 1, 0]
    private static let parentMaternelleFeatures: [Double] = [0, 22, 12, 26, 18, 3, 5, 2, 0, 10, 3, 9, 1, 0]
    private static let teacherFeatures: [Double] = [0, 18, 5, 14, 12, 16, 8, 8, 12, 1, 0.5, 1, 4, 0]
    private static let studentFeatures: [Double] = [0, 8, 2, 15, 0, 14, 4, 20, 35, 0, 0, 0, 0, 0]
    private static let staffFeatures: [Double] = [0, 30, 18, 5, 5, 14, 18, 2, 0, 6, 2, 4, 10, 0]
    private static let communeFeatures: [Double] = [0, 10, 30, 2, 0, 4, 3, 0, 0, 28, 14, 24, 2, 0]

    //                  school wed  sat   sun   holiday public summer
    private static let parentDays: [Double] = [1, 0.8, 0.45, 0.5, 0.3, 0.3, 0.06]
    private static let teacherDays: [Double] = [1, 0.45, 0.25, 0.45, 0.2, 0.15, 0.08]
    private static let studentDays: [Double] = [1, 0.15, 0.08, 0.1, 0.04, 0.03, 0.01]
    private static let staffDays: [Double] = [1, 0.4, 0.03, 0.02, 0.1, 0.03, 0.02]
    private static let communeDays: [Double] = [1, 0.85, 0.03, 0.01, 0.5, 0.03, 0.25]

    static let profiles: [BehaviourProfile] = [
        // Parents of maternelle: new accounts handed out at school, activated early, used more.
        BehaviourProfile(legacyShare: 0.45, activationShare: 0.88, activationDelay: 12, dormantShare: 0.10,
                         dailyVisit: 0.30, extraVisit: 0.35, pagesMean: 4.5,
                         features: SplitMix64.cumulative(parentMaternelleFeatures), dayFactor: parentDays,
                         hours: hours(parentSchool, parentWednesday, parentFree)),
        // Parents of élémentaire.
        BehaviourProfile(legacyShare: 0.80, activationShare: 0.62, activationDelay: 30, dormantShare: 0.25,
                         dailyVisit: 0.15, extraVisit: 0.25, pagesMean: 3.5,
                         features: SplitMix64.cumulative(parentFeatures), dayFactor: parentDays,
                         hours: hours(parentSchool, parentWednesday, parentFree)),
        // Parents of primaire.
        BehaviourProfile(legacyShare: 0.65, activationShare: 0.74, activationDelay: 22, dormantShare: 0.18,
                         dailyVisit: 0.21, extraVisit: 0.3, pagesMean: 4,
                         features: SplitMix64.cumulative(parentFeatures), dayFactor: parentDays,
                         hours: hours(parentSchool, parentWednesday, parentFree)),
        // Teachers.
        BehaviourProfile(legacyShare: 0.92, activationShare: 0.97, activationDelay: 8, dormantShare: 0.05,
                         dailyVisit: 0.6, extraVisit: 0.5, pagesMean: 8,
                         features: SplitMix64.cumulative(teacherFeatures), dayFactor: teacherDays,
                         hours: hours(teacherSchool, teacherWednesday, teacherFree)),
        // Pupils (élémentaire).
        BehaviourProfile(legacyShare: 0.8, activationShare: 0.75, activationDelay: 20, dormantShare: 0.2,
                         dailyVisit: 0.10, extraVisit: 0.2, pagesMean: 6,
                         features: SplitMix64.cumulative(studentFeatures), dayFactor: studentDays,
                         hours: hours(studentSchool, studentFree, studentFree)),
        // School staff.
        BehaviourProfile(legacyShare: 0.85, activationShare: 0.9, activationDelay: 12, dormantShare: 0.1,
                         dailyVisit: 0.45, extraVisit: 0.3, pagesMean: 5,
                         features: SplitMix64.cumulative(staffFeatures), dayFactor: staffDays,
                         hours: hours(office, office, office)),
        // Commune agents.
        BehaviourProfile(legacyShare: 0.8, activationShare: 0.85, activationDelay: 20, dormantShare: 0.15,
                         dailyVisit: 0.35, extraVisit: 0.4, pagesMean: 6,
                         features: SplitMix64.cumulative(communeFeatures), dayFactor: communeDays,
                         hours: hours(communeOffice, communeOffice, communeOffice)),
    ]

    /// User agents as written in access logs and (JSON-escaped) in event logs.
    static let userAgents: [(access: [UInt8], json: [UInt8])] = [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36", nil),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:63.0) Gecko/20100101 Firefox/63.0", nil),
        ("Mozilla/5.0 (X11; Linux x86_64)", nil),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 12_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Mobile/15E148 Safari/604.1", nil),
        ("Mozilla/5.0 (Linux; Android 8.0.0; SM-G930F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.80 Mobile Safari/537.36", nil),
        ("Mozilla/5.0 (iPad; CPU OS 11_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/11.0 Mobile/15E148 Safari/604.1", nil),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Safari/605.1.15", nil),
        ("Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko", nil),
        ("Mozilla/5.0 (Linux; Android 9; Tablette école) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0 Safari/537.36",
         "Mozilla/5.0 (Linux; Android 9; Tablette \\u00e9cole) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0 Safari/537.36"),
        ("ENT Mobile/2.3 (Android 8.1; fr_FR)", nil),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.17763", nil),
        ("Mozilla/5.0 (compatible; \\\"Quirky\\\" Navigateur/1.0)", "Mozilla/5.0 (compatible; \\\"Quirky\\\" Navigateur/1.0)"),
    ].map { (Array($0.0.utf8), Array(($0.1 ?? $0.0).utf8)) }

    /// Number of user agents users are given (the quirky last one is rarer, see `userAgent`).
    static let userAgentCount = userAgents.count

    /// Agents of anonymous traffic.
    static let bots: [[UInt8]] = [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/7.58.0",
        "=cmd|' /C calc'!A0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36",
    ].map { Array($0.utf8) }

    /// Static assets loaded by pages of the old ENT.
    static let assets: [[UInt8]] = [
        "/static/app.js", "/static/app.css", "/static/img/logo.png", "/static/img/fond.jpg",
        "/static/fonts/marianne.woff2", "/static/vendor/jquery.min.js", "/favicon.ico",
        "/static/img/icones.svg", "/static/app.js.map",
    ].map { Array($0.utf8) }

    /// Class names for teachers and pupils in the event log.
    static let classes: [[UInt8]] = ["CP-A", "CE1-A", "CE2-B", "CM1-A", "CM2-A", "CE1-CE2", "CM1-CM2", "CP-CE1"].map { Array($0.utf8) }
}
