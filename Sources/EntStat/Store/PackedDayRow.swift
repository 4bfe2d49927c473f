/// A person's row of one day in `person_day_activity` (`PackedPeriodRow`'s format): the
/// total group (source = '*', feature = '*') in columns, and every other group of the day's
/// `DayActivity` in `detail`, compact JSON in (source, feature) byte order, each entry's
/// days being 1.
///
/// Built by the derive step's reading thread (`PersonDayDeriver`), so that the one writer
/// only binds the bytes.
struct PackedDayRow: Sendable {
    var requests = 0
    var logins = 0
    var visits = 0
    /// `[[source, feature, 1, requests, logins, visits], …]`, UTF-8.
    var detail: [UInt8] = []

    /// The packed row of `activity`, its names and their order from `names`.
    init(_ activity: DayActivity, names: inout DayRowNames) {
        var entries: [(order: Int, key: DayActivity.Key, counts: DayActivity.Counts)] = []
        entries.reserveCapacity(activity.groups.count)
        for group in activity.groups {
            if group.key.source == nil && group.key.featureID == nil {
                (requests, logins, visits) = (group.counts.requests, group.counts.logins, group.counts.visits)
            } else {
                entries.append((names.order(group.key), group.key, group.counts))
            }
        }
        entries.sort { $0.order < $1.order }
        detail.reserveCapacity(16 + entries.count * 28)
        detail.append(UInt8(ascii: "["))
        for (i, entry) in entries.enumerated() {
            if i > 0 { detail.append(UInt8(ascii: ",")) }
            detail.append(UInt8(ascii: "["))
            detail.append(contentsOf: names.quotedSource(entry.key.source))
            detail.append(UInt8(ascii: ","))
            detail.append(contentsOf: names.quotedFeature(entry.key.featureID))
            PackedPeriodRow.appendCounts(days: 1, requests: Int64(entry.counts.requests), logins: Int64(entry.counts.logins),
                                         visits: Int64(entry.counts.visits), to: &detail)
        }
        detail.append(UInt8(ascii: "]"))
    }
}
