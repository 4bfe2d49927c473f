/// Every figure of one person on one local day, derived from the person's merged timeline
/// (both logs, all identities): requests, logins and visits by source and feature, the
/// 5-minute windows the person was active in, and the clock hours visits started in.
///
/// Visits follow SPEC §2.4: a visit is a maximal run of records at most 1800 s apart
/// (1800 s continues, 1801 s starts a new one); timelines are per local day, so a visit
/// never crosses midnight. A visit counts once for every source, feature and
/// (source, feature) pair it touches, and once in the total.
public struct DayActivity: Equatable, Sendable {
    /// A group of the activity table: a source (nil = all) and a feature id (nil = all).
    public struct Key: Hashable, Sendable, Comparable {
        /// The log counted (nil: both logs).
        public let source: LogSource?
        /// The store feature id counted (nil: all features).
        public let featureID: Int?

        /// The group of `source` and `featureID` (nil = all).
        public init(source: LogSource?, featureID: Int?) {
            self.source = source
            self.featureID = featureID
        }

        /// The stable order of `groups`: all sources, then access, then events; all features
        /// first, then by feature id.
        public static func < (a: Key, b: Key) -> Bool {
            (a.source?.rawValue ?? "*", a.featureID ?? -1) < (b.source?.rawValue ?? "*", b.featureID ?? -1)
        }
    }

    /// Counts of one group.
    public struct Counts: Equatable, Sendable {
        /// Requests: the group's qualifying records.
        public var requests = 0
        /// The group's records that are logins.
        public var logins = 0
        /// Visits that touch the group, each counted once (SPEC §2.4).
        public var visits = 0
    }

    /// The longest gap, in seconds, between two records of one visit (SPEC §2.4).
    public static let visitGap: UInt32 = 1800
    /// Length of an activity window, in seconds (5 minutes).
    public static let windowSeconds = 300
    /// Enough bits for a 25-hour day.
    public static let windowCount = 300

    /// One group with its counts.
    public struct Group: Equatable, Sendable {
        /// The group's source and feature.
        public let key: Key
        /// The group's requests, logins and visits.
        public let counts: Counts
    }

    /// The visits that started in one local clock hour (0–23).
    public struct VisitStart: Equatable, Sendable {
        /// The local clock hour, 0–23.
        public let hour: Int
        /// Visits that started in that hour.
        public let visits: Int
    }

    /// Every group with its counts, in a stable order (all sources first, then access,
    /// then events; all features first, then by feature id).
    public private(set) var groups: [Group] = []
    /// Bitmap of active 5-minute windows (bit w of byte w/8).
    public private(set) var windows = [UInt8](repeating: 0, count: (windowCount + 7) / 8)
    /// Visits by the local clock hour they started in, by hour.
    public private(set) var visitStarts: [VisitStart] = []

    /// Derives the day's figures; `entries` must be sorted (TimelineEntry.normalize).
    ///
    /// Run for every (person, day) a night recomputes (2.5 M in the school year), on the
    /// derive step's reading thread: its counters live in one scratch allocation on the
    /// stack, and only the rows it returns are allocated.
    public init(entries: [TimelineEntry], dayStart: Int64) {
        // Slots: source slot (0 = all, 1 = access, 2 = events) × feature slot (0 = all, 1 + id).
        var maxFeature = 0
        for e in entries { maxFeature = max(maxFeature, e.featureID) }
        let width = maxFeature + 2
        let cells = 3 * width
        var groups: [Group] = []
        var windows = self.windows
        var visitStarts: [VisitStart] = []
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * cells + 24) { scratch in
            let requests = scratch.baseAddress!
            let logins = requests + cells, visits = logins + cells, lastVisit = visits + cells, hours = lastVisit + cells
            requests.initialize(repeating: 0, count: 3 * cells)
            lastVisit.initialize(repeating: -1, count: cells)
            hours.initialize(repeating: 0, count: 24)
            var visitNumber = -1
            var previous: UInt32 = 0
            for (n, entry) in entries.enumerated() {
                if n == 0 || entry.second - previous > DayActivity.visitGap {
                    visitNumber += 1
                    hours[ParisClock.localHour(dayStart + Int64(entry.second))] += 1
                }
                previous = entry.second
                let sourceRow = (entry.source == .access ? 1 : 2) * width
                let featureSlot = entry.featureID + 1
                let count = Int(entry.count)
                let isLogin = entry.isLogin
                @inline(__always) func add(_ i: Int) {
                    requests[i] += count
                    if isLogin { logins[i] += count }
                    if lastVisit[i] != visitNumber {
                        lastVisit[i] = visitNumber
                        visits[i] += 1
                    }
                }
                // The entry's (source, feature), (all, feature), (source, all) and (all, all).
                add(sourceRow + featureSlot)
                add(featureSlot)
                add(sourceRow)
                add(0)
                let window = min(Int(entry.second) / DayActivity.windowSeconds, DayActivity.windowCount - 1)
                windows[window >> 3] |= 1 << UInt8(window & 7)
            }
            var used = 0
            for i in 0..<cells where requests[i] > 0 { used += 1 }
            groups.reserveCapacity(used)
            for s in 0..<3 {
                for slot in 0..<width where requests[s * width + slot] > 0 {
                    let i = s * width + slot
                    let key = Key(source: s == 0 ? nil : (s == 1 ? .access : .events), featureID: slot == 0 ? nil : slot - 1)
                    groups.append(Group(key: key, counts: Counts(requests: requests[i], logins: logins[i], visits: visits[i])))
                }
            }
            for hour in 0..<24 where hours[hour] > 0 { visitStarts.append(VisitStart(hour: hour, visits: hours[hour])) }
        }
        self.groups = groups
        self.windows = windows
        self.visitStarts = visitStarts
    }

    /// The groups as a dictionary.
    public var counts: [Key: Counts] {
        Dictionary(uniqueKeysWithValues: groups.map { ($0.key, $0.counts) })
    }

    /// Visits by start hour as a dictionary.
    public var visitStartHours: [Int: Int] {
        Dictionary(uniqueKeysWithValues: visitStarts.map { ($0.hour, $0.visits) })
    }

    /// Total visits of the day.
    public var visits: Int { counts[Key(source: nil, featureID: nil)]?.visits ?? 0 }

    /// Equal when the counts, the active windows and the visits by start hour are.
    public static func == (a: DayActivity, b: DayActivity) -> Bool {
        a.counts == b.counts && a.windows == b.windows && a.visitStartHours == b.visitStartHours
    }
}
