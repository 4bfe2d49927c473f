/// The figures of one (person, day) as computed from its merged timeline, ready to replace
/// its derived rows.
struct DerivedPersonDay: Sendable {
    var pair: Store.PersonDay
    /// True when the pair had derived rows already (they must be deleted first).
    var existed: Bool
    /// Nil when no fact is left for the pair (its rows are deleted, none written).
    var activity: DayActivity?
    /// Its row of `person_day_activity` (nil with `activity`).
    var packed: PackedDayRow?
}

/// The read side of the derived tables: loads the merged timeline of each (person, day)
/// (every identity of the person) and computes its `DayActivity`. It only reads, so it can
/// run on its own connection, on another thread, while the writer stores the previous
/// batch.
final class PersonDayDeriver {
    let db: Database
    /// The names of the day rows' groups (`PackedDayRow`).
    private var names: DayRowNames

    init(db: Database, featureNames: [Int: String]) {
        self.db = db
        names = DayRowNames(featureNames: featureNames)
    }

    /// The next pending pairs after `after` (in (day, person) order), derived; empty when
    /// the queue holds no more. Runs in one read transaction.
    func nextBatch(after: Store.PersonDay?, limit: Int) throws -> [DerivedPersonDay] {
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        let select = try db.statement("""
            SELECT person, day FROM pending_person_day WHERE (day, person) > (?1, ?2) ORDER BY day, person LIMIT ?3
            """)
        try select.bind(.int(after?.day ?? Int.min), .integer(after?.person ?? Int64.min), .int(limit))
        var pairs: [Store.PersonDay] = []
        while try select.step() { pairs.append(Store.PersonDay(person: select.int64(0), day: select.int(1))) }
        select.reset()
        return try derive(pairs)
    }

    /// Computes the figures of these pairs from their timelines.
    func derive(_ pairs: [Store.PersonDay]) throws -> [DerivedPersonDay] {
        let load = try db.statement("""
            SELECT t.entries FROM identity i JOIN timeline t ON t.identity = i.id AND t.day = ?2
            WHERE i.person = ?1
            """)
        let exists = try db.statement("SELECT 1 FROM person_day WHERE day = ?1 AND person = ?2")
        var result: [DerivedPersonDay] = []
        result.reserveCapacity(pairs.count)
        var entries: [TimelineEntry] = []
        for pair in pairs {
            entries.removeAll(keepingCapacity: true)
            load.reset()
            try load.bind(.integer(pair.person), .int(pair.day))
            while try load.step() { TimelineEntry.decode(load.blob(0), appendingTo: &entries) }
            load.reset()
            TimelineEntry.normalize(&entries)
            // A computed (person, day) always has its person_day row: without one, there is
            // nothing to delete.
            exists.reset()
            try exists.bind(.int(pair.day), .integer(pair.person))
            let existed = try exists.step()
            exists.reset()
            let activity = entries.isEmpty ? nil : DayActivity(entries: entries, dayStart: ParisClock.midnight(ofDay: pair.day))
            let packed = activity.map { PackedDayRow($0, names: &names) }
            result.append(DerivedPersonDay(pair: pair, existed: existed, activity: activity, packed: packed))
        }
        return result
    }
}
