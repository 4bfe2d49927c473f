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
        public let source: LogSource?
        public let featureID: Int?

        public init(source: LogSource?, featureID: Int?) {
            self.source = source
            self.featureID = featureID
        }

        public static func < (a: Key, b: Key) -> Bool {
            (a.source?.rawValue ?? "*", a.featureID ?? -1) < (b.source?.rawValue ?? "*", b.featureID ?? -1)
        }
    }

    /// Counts of one group.
    public struct Counts: Equatable, Sendable {
        public var requests = 0
        public var logins = 0
        public var visits = 0
    }

    public static let visitGap: UInt32 = 1800
    public static let windowSeconds = 300
    /// Enough bits for a 25-hour day.
    public static let windowCount = 300

    /// Every group with its counts, in a stable order (all sources first, then access,
    /// then events; all features first, then by feature id).
    public private(set) var groups: [(key: Key, counts: Counts)] = []
    /// Bitmap of active 5-minute windows (bit w of byte w/8).
    public private(set) var windows = [UInt8](repeating: 0, count: (windowCount + 7) / 8)
    /// Visits by the local clock hour (0–23) they started in, as (hour, visits), by hour.
    public private(set) var visitStarts: [(hour: Int, visits: Int)] = []

    /// Derives the day's figures; `entries` must be sorted (TimelineEntry.normalize).
    public init(entries: [TimelineEntry], dayStart: Int64) {
        // Slots: source slot (0 = all, 1 = access, 2 = events) × feature slot (0 = all, 1 + id).
        var maxFeature = 0
        for e in entries { maxFeature = max(maxFeature, e.featureID) }
        let width = maxFeature + 2
        var requests = [Int](repeating: 0, count: 3 * width)
        var logins = [Int](repeating: 0, count: 3 * width)
        var visits = [Int](repeating: 0, count: 3 * width)
        var lastVisit = [Int](repeating: -1, count: 3 * width)
        var hours = [Int](repeating: 0, count: 24)
        var visitNumber = -1
        var previous: UInt32 = 0
        for (n, entry) in entries.enumerated() {
            if n == 0 || entry.second - previous > DayActivity.visitGap {
                visitNumber += 1
                hours[ParisClock.localHour(dayStart + Int64(entry.second))] += 1
            }
            previous = entry.second
            let sourceSlot = entry.source == .access ? 1 : 2
            let featureSlot = entry.featureID + 1
            let count = Int(entry.count)
            for slot in [featureSlot, 0] {
                for s in [sourceSlot, 0] {
                    let i = s * width + slot
                    requests[i] += count
                    if entry.isLogin { logins[i] += count }
                    if lastVisit[i] != visitNumber {
                        lastVisit[i] = visitNumber
                        visits[i] += 1
                    }
                }
            }
            let window = min(Int(entry.second) / DayActivity.windowSeconds, DayActivity.windowCount - 1)
            windows[window >> 3] |= 1 << UInt8(window & 7)
        }
        for s in 0..<3 {
            for slot in 0..<width where requests[s * width + slot] > 0 {
                let i = s * width + slot
                let key = Key(source: s == 0 ? nil : (s == 1 ? .access : .events), featureID: slot == 0 ? nil : slot - 1)
                groups.append((key, Counts(requests: requests[i], logins: logins[i], visits: visits[i])))
            }
        }
        for (hour, n) in hours.enumerated() where n > 0 { visitStarts.append((hour, n)) }
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

    public static func == (a: DayActivity, b: DayActivity) -> Bool {
        a.counts == b.counts && a.windows == b.windows && a.visitStartHours == b.visitStartHours
    }
}
