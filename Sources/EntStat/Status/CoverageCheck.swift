/// Finds the coverage gaps of the ledger: the silent losses an analyst would otherwise only
/// notice months later.
///
/// Three checks, per stream (one server's log, see `LogStreamName`), on the files whose
/// name gives a day:
/// 1. **Missing day**: a day inside the stream's range (or in the last `silenceDays` days
///    of the store) with no file, when the stream has a file on at least half of the same
///    weekdays of its range.
/// 2. **Lost share**: when several streams write the same source (servers behind a load
///    balancer), a day on which a stream's share of the source's records falls below
///    `shareRatio` × its usual (median) share — a truncated day of one server.
/// 3. **Low volume**: a day whose records fall below `volumeRatio` × the median of the same
///    weekday of the stream (at least three other such days needed), and below
///    `neighbourRatio` × the median of the stream's days within a week on either side
///    (when it has at least four): a truncated day drops against its neighbours, whereas
///    school holidays, public holidays in them and a stream fading out at the end of a
///    migration lower them all. School holidays lower usage to about a fifth of a school
///    week, hence a low default ratio.
///
/// 4. **Missing hours**: in a stream rotated hourly, hours with no file on a day that has
///    other files of the stream, when at least `hourPresence` of the same weekdays (three
///    or more others) have a file at those hours, and each run of such hours had at least
///    `minimumHourRecords` records due, and `minimumHourShare` of the day's (each hour's
///    median on those weekdays, scaled by the day's level over the hours it has): a quiet
///    hour writes no file, so only the hours a server writes nearly every such day, with
///    traffic, count; the stream's first and last days (a server put in service or read
///    mid-day) are left out.
///
/// A stream whose last file is older than `silenceDays` before the store's last day is
/// taken as retired (the old ENT at the end of a migration), not as a gap.
public struct CoverageCheck: Sendable {
    /// One ledger row, as the checks see it.
    public struct File: Sendable {
        /// The file's name in the ledger, which may give its stream and day (`LogStreamName`).
        public var name: String
        /// `access`, `events`, or `none` (no well-formed record: left out of the checks).
        public var source: String
        /// Its qualifying records.
        public var qualifying: Int
        /// First local day of its qualifying records (days since 1970-01-01), if any.
        public var firstDay: Int?
        /// Last local day of its qualifying records, if any.
        public var lastDay: Int?

        /// One ledger row: the file's name, source, qualifying records and days.
        public init(name: String, source: String, qualifying: Int, firstDay: Int?, lastDay: Int?) {
            self.name = name
            self.source = source
            self.qualifying = qualifying
            self.firstDay = firstDay
            self.lastDay = lastDay
        }
    }

    /// What a stream's files cover.
    public struct Stream: Sendable, Equatable {
        /// The stream's name (`LogStreamName.stream`).
        public var name: String
        /// The source its files write (`access` or `events`).
        public var source: String
        /// Its files in the ledger.
        public var files: Int
        /// The first day its files cover (days their names give, undated files' records);
        /// `Int.max` when none does.
        public var firstDay: Int
        /// The last day its files cover; `Int.min` when none does.
        public var lastDay: Int
        /// The days that have a file of the stream.
        public var days: Int
        /// True when its last file is older than `silenceDays` before the store's last day.
        public var retired: Bool
    }

    /// A gap worth an operator's look.
    public enum Gap: Sendable, Equatable, CustomStringConvertible {
        /// A day with no file of the stream, though it has one on `weekdayPresence` of the same
        /// weekdays.
        case missingDay(stream: String, day: Int, weekdayPresence: Double)
        /// A day on which the stream's share of its source's records fell to `share`, against
        /// `usualShare`.
        case lostShare(stream: String, day: Int, records: Int, share: Double, usualShare: Double)
        /// A day whose `records` fall below `volumeRatio` × `usual`, the median of its weekday,
        /// and below `neighbourRatio` × `nearby`, the median of its neighbouring days (nil
        /// when it has too few).
        case lowVolume(stream: String, day: Int, records: Int, usual: Int, nearby: Int?)
        /// Hours (0–23, ascending) with no file of an hourly stream on a day that has other
        /// files of it, though it has a file at each of them on at least `weekdayPresence`
        /// of the same weekdays, where about `expected` records were due in all.
        case missingHours(stream: String, day: Int, hours: [Int], weekdayPresence: Double, expected: Int)

        /// The day of the gap (days since 1970-01-01).
        public var day: Int {
            switch self {
            case .missingDay(_, let d, _), .lostShare(_, let d, _, _, _), .lowVolume(_, let d, _, _, _), .missingHours(_, let d, _, _, _): return d
            }
        }

        /// The stream the gap is in.
        public var stream: String {
            switch self {
            case .missingDay(let s, _, _), .lostShare(let s, _, _, _, _), .lowVolume(let s, _, _, _, _), .missingHours(let s, _, _, _, _): return s
            }
        }

        /// The gap in French: stream, date, what looks wrong and what to do.
        public var description: String {
            let date = CivilDate(dayNumber: day)
            let weekday = CoverageCheck.weekdayNames[date.isoWeekday - 1]
            switch self {
            case .missingDay(let s, _, let presence):
                return "\(s) \(date) (\(weekday)) : aucun fichier, alors que ce serveur en écrit un \(Int((presence * 100).rounded())) % des \(weekday)s ; "
                    + "récupérez le journal de ce jour sur le serveur puis relancez entstat ingest"
            case .lostShare(let s, _, let records, let share, let usual):
                return "\(s) \(date) (\(weekday)) : \(FrenchText.count(records, "enregistrement")), \(Int((share * 100).rounded())) % du trafic de sa source contre \(Int((usual * 100).rounded())) % d'habitude (journal tronqué ?) ; "
                    + "comparez le fichier à celui du serveur et, s'il manque des lignes, déposez le journal complet à la place du fichier tronqué (même chemin) puis relancez entstat ingest (seules les lignes qui suivent la copie déjà ingérée sont lues)"
            case .lowVolume(let s, _, let records, let usual, let nearby):
                let neighbours = nearby.map { " et \(FrenchText.integer($0)) les jours voisins" } ?? ""
                return "\(s) \(date) (\(weekday)) : \(FrenchText.count(records, "enregistrement")) contre \(FrenchText.integer(usual)) un \(weekday) habituel\(neighbours) (journée tronquée ?) ; "
                    + "vérifiez le journal de ce jour sur le serveur"
            case .missingHours(let s, _, let hours, let presence, let expected):
                let which = hours.count == 1 ? "l'heure \(CoverageCheck.hourRuns(hours))" : "les heures \(CoverageCheck.hourRuns(hours))"
                return "\(s) \(date) (\(weekday)) : aucun fichier pour \(which), alors que ce serveur en écrit un à "
                    + "\(hours.count == 1 ? "cette heure" : "chacune de ces heures") \(Int((presence * 100).rounded())) % des \(weekday)s "
                    + "(environ \(FrenchText.count(expected, "enregistrement")) attendus) ; "
                    + "récupérez ces journaux horaires sur le serveur puis relancez entstat ingest"
            }
        }
    }

    /// Thresholds of the checks above: low volume, lost share, silence (`--volume-ratio`,
    /// `--share-ratio`, `--silence-days`).
    public var volumeRatio = 0.1
    /// Low volume: the day must also fall below this fraction of the median of its
    /// neighbouring days (`neighbourDays` on either side, at least `minimumNeighbours`).
    public var neighbourRatio = 0.5
    /// How far the neighbouring days of the low-volume check reach, on either side.
    static let neighbourDays = 7
    /// The neighbouring days the low-volume check needs to use them.
    static let minimumNeighbours = 4
    /// Lost share: a share below this fraction of the usual one (`--share-ratio`).
    public var shareRatio = 0.5
    /// A stream whose last file is more than this many days before the store's last day is
    /// retired (`--silence-days`).
    public var silenceDays = 3
    /// A lost share is reported only when at least this many records are missing.
    public var minimumDeficit = 50
    /// Missing hours: an hour counts when the stream has a file at it on at least this
    /// fraction of the other same weekdays.
    public var hourPresence = 0.9
    /// Missing hours: the other same weekdays with files of the stream the check needs.
    static let minimumSameWeekdays = 3
    /// Missing hours: a run of consecutive hours counts only where at least this many
    /// records were due (each hour's median on the same weekdays, scaled by the day's level),
    /// and at least `minimumHourShare` of the day's: a quiet hour may have none, and an
    /// early hour of the holidays (no school run) has none where term time had some.
    public var minimumHourRecords = 50
    /// Missing hours: the least share of the day's due records a run must hold.
    public var minimumHourShare = 0.04

    /// A check with the defaults of `entstat status`.
    public init() {}

    static let weekdayNames = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

    /// The streams of the ledger and their gaps, sorted by day then stream.
    public func run(_ files: [File]) -> (streams: [Stream], gaps: [Gap]) {
        // Records per stream and named day.
        var volume: [String: [Int: Int]] = [:]
        var source: [String: String] = [:]
        var fileCount: [String: Int] = [:]
        var undated: [String: (Int, Int)] = [:]
        // The records of each hour (-1: no file), per hourly stream and named day.
        var hourFiles: [String: [Int: [Int]]] = [:]
        for f in files where f.source != "none" {
            let parsed = LogStreamName(path: f.name, source: f.source)
            let key = parsed.stream == f.source ? f.source : parsed.stream
            source[key] = f.source
            fileCount[key, default: 0] += 1
            if let day = parsed.day, let hour = parsed.hour {
                var volumes = hourFiles[key]?[day] ?? [Int](repeating: -1, count: 24)
                volumes[hour] = max(0, volumes[hour]) + f.qualifying
                hourFiles[key, default: [:]][day] = volumes
            }
            let day = parsed.day ?? (f.firstDay != nil && f.firstDay == f.lastDay ? f.firstDay : nil)
            if let day {
                volume[key, default: [:]][day, default: 0] += f.qualifying
            } else if let a = f.firstDay, let b = f.lastDay {
                let r = undated[key] ?? (a, b)
                undated[key] = (min(r.0, a), max(r.1, b))
            }
        }
        let storeLast = volume.values.compactMap { $0.keys.max() }.max() ?? Int.min
        var streams: [Stream] = []
        var gaps: [Gap] = []
        for key in Set(fileCount.keys).sorted() {
            let days = volume[key] ?? [:]
            let dated = days.keys.sorted()
            var first = dated.first ?? Int.max, last = dated.last ?? Int.min
            if let (a, b) = undated[key] { first = min(first, a); last = max(last, b) }
            let retired = !dated.isEmpty && storeLast - dated.last! > silenceDays
            streams.append(Stream(name: key, source: source[key] ?? "", files: fileCount[key] ?? 0, firstDay: first,
                                  lastDay: last, days: days.count, retired: retired))
            guard dated.count >= 7 else { continue }
            // 1. Missing days.
            let end = retired ? dated.last! : storeLast
            // Each weekday's days over the stream's range, and those with a file.
            var same = [Int](repeating: 0, count: 8), present = [Int](repeating: 0, count: 8)
            for day in dated.first!...end {
                let weekday = CivilDate(dayNumber: day).isoWeekday
                same[weekday] += 1
                if days[day] != nil { present[weekday] += 1 }
            }
            for day in dated.first!...end where days[day] == nil {
                let weekday = CivilDate(dayNumber: day).isoWeekday
                let presence = same[weekday] == 0 ? 0 : Double(present[weekday]) / Double(same[weekday])
                if presence >= 0.5 { gaps.append(.missingDay(stream: key, day: day, weekdayPresence: presence)) }
            }
            // 3. Low volume against the same weekday.
            for (day, records) in days {
                let weekday = CivilDate(dayNumber: day).isoWeekday
                let others = days.filter { $0.key != day && CivilDate(dayNumber: $0.key).isoWeekday == weekday }.map(\.value)
                guard others.count >= 3 else { continue }
                let usual = CoverageCheck.median(others.map(Double.init))
                guard usual > 0 && Double(records) < volumeRatio * usual else { continue }
                let around = (day - Self.neighbourDays...day + Self.neighbourDays).compactMap { $0 == day ? nil : days[$0] }
                let nearby = around.count >= Self.minimumNeighbours ? CoverageCheck.median(around.map(Double.init)) : nil
                if let nearby, Double(records) >= neighbourRatio * nearby { continue }
                gaps.append(.lowVolume(stream: key, day: day, records: records, usual: Int(usual.rounded()), nearby: nearby.map { Int($0.rounded()) }))
            }
            // 4. Missing hours.
            if let hours = hourFiles[key] { gaps += missingHours(stream: key, hours) }
        }
        // 2. Shares among the streams of one source.
        let bySource = Dictionary(grouping: streams.filter { volume[$0.name] != nil }, by: \.source)
        for (_, group) in bySource where group.count >= 2 {
            var totals: [Int: Int] = [:]
            for s in group { for (day, v) in volume[s.name]! { totals[day, default: 0] += v } }
            for s in group {
                let days = volume[s.name]!
                let shares = days.compactMap { day, v -> Double? in
                    guard let t = totals[day], t > 0 else { return nil }
                    return Double(v) / Double(t)
                }
                guard shares.count >= 7 else { continue }
                let usual = CoverageCheck.median(shares)
                for (day, v) in days {
                    guard let t = totals[day], t > 0 else { continue }
                    let share = Double(v) / Double(t)
                    // Expected records if the stream had its usual share of the others' traffic.
                    let expected = usual < 1 ? usual / (1 - usual) * Double(t - v) : Double(v)
                    if share < shareRatio * usual && expected - Double(v) >= Double(minimumDeficit)
                        && !gaps.contains(where: { $0.stream == s.name && $0.day == day }) {
                        gaps.append(.lostShare(stream: s.name, day: day, records: v, share: share, usualShare: usual))
                    }
                }
            }
        }
        gaps.sort { ($0.day, $0.stream) < ($1.day, $1.stream) }
        return (streams, gaps)
    }

    /// Check 4 on one hourly stream: `hours` holds, per named day, the records of each hour
    /// (-1 for an hour with no file).
    func missingHours(stream: String, _ hours: [Int: [Int]]) -> [Gap] {
        let days = hours.keys.sorted()
        guard days.count >= 3, let first = days.first, let last = days.last else { return [] }
        let byWeekday = Dictionary(grouping: days, by: { CivilDate(dayNumber: $0).isoWeekday })
        var gaps: [Gap] = []
        for day in days where day != first && day != last {
            let date = CivilDate(dayNumber: day)
            let others = byWeekday[date.isoWeekday]!.filter { $0 != day }
            guard others.count >= Self.minimumSameWeekdays else { continue }
            let volumes = hours[day]!
            // Each hour's usual records on those weekdays (0 where no file), and this day's
            // level against them over the hours it has files for: holidays lower them all.
            let usual = (0..<24).map { h in CoverageCheck.median(others.map { Double(max(0, hours[$0]![h])) }) }
            let present = (0..<24).filter { volumes[$0] >= 0 }
            let usualOfPresent = present.reduce(0.0) { $0 + usual[$1] }
            guard usualOfPresent > 0 else { continue }
            let level = Double(present.reduce(0) { $0 + volumes[$1] }) / usualOfPresent
            // The hour that local time skips (the last Sunday of March, 02:00) has no file.
            let skipped = date.month == 3 && date.isoWeekday == 7 && date.day + 7 > 31 ? 2 : -1
            // The hours the server writes nearly every such day (with the share of those
            // days that have them), in runs of consecutive hours.
            var runs: [[(hour: Int, presence: Double)]] = []
            for hour in 0..<24 where hour != skipped && volumes[hour] < 0 {
                let presence = Double(others.filter { hours[$0]![hour] >= 0 }.count) / Double(others.count)
                guard presence >= hourPresence else { continue }
                if let previous = runs.last?.last, previous.hour == hour - 1 {
                    runs[runs.count - 1].append((hour, presence))
                } else {
                    runs.append([(hour, presence)])
                }
            }
            let dayExpected = usual.reduce(0, +) * level
            for run in runs {
                let expected = run.reduce(0.0) { $0 + usual[$1.hour] * level }
                guard expected >= Double(minimumHourRecords) && expected >= minimumHourShare * dayExpected else { continue }
                gaps.append(.missingHours(stream: stream, day: day, hours: run.map(\.hour), weekdayPresence: run.map(\.presence).min()!,
                                          expected: Int(expected.rounded())))
            }
        }
        return gaps
    }

    /// Hours as a reader of file names says them: `08 à 15, 18`.
    static func hourRuns(_ hours: [Int]) -> String {
        var runs: [String] = []
        var i = 0
        while i < hours.count {
            var j = i
            while j + 1 < hours.count && hours[j + 1] == hours[j] + 1 { j += 1 }
            let a = hours[i] < 10 ? "0\(hours[i])" : "\(hours[i])", b = hours[j] < 10 ? "0\(hours[j])" : "\(hours[j])"
            runs.append(i == j ? a : j == i + 1 ? "\(a), \(b)" : "\(a) à \(b)")
            i = j + 1
        }
        return runs.joined(separator: ", ")
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
