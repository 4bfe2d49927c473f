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

    public var counts: [Key: Counts] = [:]
    /// Bitmap of active 5-minute windows (bit w of byte w/8).
    public var windows = [UInt8](repeating: 0, count: (windowCount + 7) / 8)
    /// Visits by the local clock hour (0–23) they started in.
    public var visitStartHours: [Int: Int] = [:]

    /// Derives the day's figures; `entries` must be sorted (TimelineEntry.normalize).
    public init(entries: [TimelineEntry], dayStart: Int64) {
        var touched = Set<Key>()
        var previous: UInt32?
        func closeVisit() {
            for key in touched { counts[key, default: Counts()].visits += 1 }
            touched.removeAll(keepingCapacity: true)
        }
        for entry in entries {
            if previous == nil || entry.second - previous! > DayActivity.visitGap {
                if previous != nil { closeVisit() }
                let hour = ParisClock.localHour(dayStart + Int64(entry.second))
                visitStartHours[hour, default: 0] += 1
            }
            previous = entry.second
            let keys = [Key(source: nil, featureID: nil),
                        Key(source: entry.source, featureID: nil),
                        Key(source: nil, featureID: entry.featureID),
                        Key(source: entry.source, featureID: entry.featureID)]
            for key in keys {
                counts[key, default: Counts()].requests += Int(entry.count)
                if entry.isLogin { counts[key, default: Counts()].logins += Int(entry.count) }
                touched.insert(key)
            }
            let window = min(Int(entry.second) / DayActivity.windowSeconds, DayActivity.windowCount - 1)
            windows[window >> 3] |= 1 << UInt8(window & 7)
        }
        if previous != nil { closeVisit() }
    }

    /// Total visits of the day.
    public var visits: Int { counts[Key(source: nil, featureID: nil)]?.visits ?? 0 }
}
