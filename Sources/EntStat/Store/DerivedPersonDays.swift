/// The figures of a batch of (person, day) pairs as computed from their merged timelines,
/// ready to replace their derived rows. The variable-length parts of each pair's rows (its
/// packed detail, its windows' bitmap, its visit starts) are ranges of arrays that the
/// whole batch shares: the writer, which frees the batch, frees three arrays, not four per
/// pair allocated by the reading thread (each such free waited on that thread's lock of
/// the allocator, and copying a pair's row retained its arrays).
struct DerivedPersonDays: Sendable {
    /// One (person, day) pair.
    struct Row: Sendable {
        var pair: Store.PersonDay
        /// True when the pair had derived rows already (they must be deleted first).
        var existed: Bool
        /// False when no fact is left for the pair (its rows are deleted, none written).
        var hasActivity: Bool
        /// Its row of `person_day_activity` (`PackedDayRow`): the total in columns,
        /// the detail in `bytes`.
        var requests = 0
        var logins = 0
        var visits = 0
        var detail = 0..<0
        /// Its row of `person_day`: the bitmap of its 5-minute windows, in `bytes`.
        var windows = 0..<0
        /// Its rows of `visit_start`, in `visitStarts`.
        var visitStarts = 0..<0
    }

    var rows: [Row] = []
    var bytes: [UInt8] = []
    var visitStarts: [DayActivity.VisitStart] = []

    var isEmpty: Bool { rows.isEmpty }

    /// Adds a pair with no fact left.
    mutating func append(_ pair: Store.PersonDay, existed: Bool) {
        rows.append(Row(pair: pair, existed: existed, hasActivity: false))
    }

    /// Adds a pair's figures.
    mutating func append(_ pair: Store.PersonDay, existed: Bool, activity: DayActivity, packed: PackedDayRow) {
        var row = Row(pair: pair, existed: existed, hasActivity: true,
                      requests: packed.requests, logins: packed.logins, visits: packed.visits)
        row.detail = bytes.count..<(bytes.count + packed.detail.count)
        bytes.append(contentsOf: packed.detail)
        row.windows = bytes.count..<(bytes.count + activity.windows.count)
        bytes.append(contentsOf: activity.windows)
        row.visitStarts = visitStarts.count..<(visitStarts.count + activity.visitStarts.count)
        visitStarts.append(contentsOf: activity.visitStarts)
        rows.append(row)
    }
}
