/// A person's row of one day in `person_day_activity` (`PackedPeriodRow`'s format): the
/// total group (source = '*', feature = '*') in columns, and every other group of the day's
/// `DayActivity` in `detail`, compact JSON in (source, feature) byte order, each entry's
/// days being 1; in the form of one source when the day's groups are all of one log.
///
/// Built by the derive step's reading thread (`PersonDayDeriver`), so that the one writer
/// only binds the bytes.
struct PackedDayRow: Sendable {
    var requests = 0
    var logins = 0
    var visits = 0
    /// `[[source, feature, 1, requests, logins, visits], …]`, or of one source
    /// `{"source":[[feature, 1, requests, logins, visits], …]}`, UTF-8.
    var detail: [UInt8] = []

    /// A group of the day other than the total, with its place in key order (a struct, not
    /// a tuple: an array of tuples looks its type up in the runtime at every allocation).
    struct Entry {
        var order: Int
        var key: DayActivity.Key
        var counts: DayActivity.Counts
    }

    /// The packed row of `activity`, its names and their order from `names`.
    init(_ activity: DayActivity, names: inout DayRowNames) {
        var entries: [Entry] = []
        entries.reserveCapacity(activity.groups.count)
        for group in activity.groups {
            if group.key.source == nil && group.key.featureID == nil {
                (requests, logins, visits) = (group.counts.requests, group.counts.logins, group.counts.visits)
            } else {
                entries.append(Entry(order: names.order(group.key), key: group.key, counts: group.counts))
            }
        }
        entries.sort { $0.order < $1.order }
        if let source = Self.oneSource(of: entries, total: (requests, logins, visits)) {
            // Its rows of one source only, each once (`PackedPeriodRow`, one source).
            let rows = entries.prefix { $0.key.source == nil }
            detail.reserveCapacity(16 + rows.count * 24)
            PackedPeriodRow.appendOneSourceStart(quotedSource: names.quotedSource(source), to: &detail)
            for (i, entry) in rows.enumerated() {
                PackedPeriodRow.appendOneSourceEntry(i, quotedFeature: names.quotedFeature(entry.key.featureID), days: 1,
                                                     requests: Int64(entry.counts.requests), logins: Int64(entry.counts.logins),
                                                     visits: Int64(entry.counts.visits), to: &detail)
            }
            PackedPeriodRow.appendOneSourceEnd(to: &detail)
            return
        }
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

    /// The one log source of a day's groups (other than the total, in key order), when
    /// they can be packed in the form of one source: every group is of that source or of
    /// every source ('*'), each ('*', feature) group has the counts of (source, feature)
    /// and the (source, '*') group those of the total. Nil otherwise.
    static func oneSource(of entries: [Entry],
                          total: (requests: Int, logins: Int, visits: Int)) -> LogSource? {
        // Key order: the ('*', feature) groups, then (source, '*'), then (source, feature) in
        // the same feature order.
        let stars = entries.prefix { $0.key.source == nil }.count
        guard entries.count == 2 * stars + 1, let source = entries[stars].key.source, entries[stars].key.featureID == nil,
              entries[stars].counts == DayActivity.Counts(requests: total.requests, logins: total.logins, visits: total.visits)
        else { return nil }
        for i in 0..<stars {
            let all = entries[i], one = entries[stars + 1 + i]
            guard all.key.featureID != nil, one.key.source == source, one.key.featureID == all.key.featureID,
                  one.counts == all.counts else { return nil }
        }
        return source
    }
}
