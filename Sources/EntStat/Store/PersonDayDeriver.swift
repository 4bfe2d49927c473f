/// The read side of the derived tables: loads the merged timeline of each (person, day)
/// (every identity of the person) and computes its `DayActivity`. It only reads, so it can
/// run on its own connection, on another thread, while the writer stores the previous
/// batch.
final class PersonDayDeriver {
    let db: Database
    /// The names of the day rows' groups (`PackedDayRow`).
    private var names: DayRowNames
    /// Where each batch's read transaction begins, when another thread writes (nil: this
    /// is the writer's connection).
    private let gate: SnapshotGate?

    init(db: Database, featureNames: [Int: String], gate: SnapshotGate? = nil) {
        self.db = db
        self.gate = gate
        names = DayRowNames(featureNames: featureNames)
    }

    /// The next pending pairs after `after` (in (day, person) order), derived; empty when
    /// the queue holds no more. Runs in one read transaction, taken at the gate: it waits
    /// for nothing but SQLite while it holds its snapshot.
    func nextBatch(after: Store.PersonDay?, limit: Int) throws -> DerivedPersonDays {
        guard let gate else { return try readBatch(after: after, limit: limit) }
        return try gate.reading { try readBatch(after: after, limit: limit) }
    }

    private func readBatch(after: Store.PersonDay?, limit: Int) throws -> DerivedPersonDays {
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        let select = try db.statement("""
            SELECT person, day FROM pending_person_day WHERE (day, person) > (?1, ?2) ORDER BY day, person LIMIT ?3
            """)
        try select.bind(.int(after?.day ?? Int.min), .integer(after?.person ?? Int64.min), .int(limit))
        var pairs: [Store.PersonDay] = []
        do {
            defer { select.reset() }
            while try select.step() {
                // A key that is not an integer (only damage or an edit by hand writes one)
                // would be read as another pair, and the queue never get past it.
                guard select.isInteger(0), select.isInteger(1) else {
                    throw StoreError.damaged(path: db.path, table: "pending_person_day",
                                             reason: "une clé (day, person) qui n'est pas faite de nombres entiers")
                }
                let day = try StoredDay.checked(select.int(1), table: "pending_person_day", path: db.path)
                let person = try PersonIDLimit.checked(select.int64(0), table: "pending_person_day", column: "person", db: db)
                pairs.append(Store.PersonDay(person: person, day: day))
            }
        }
        return try derive(pairs)
    }

    /// Computes the figures of these pairs from their timelines.
    func derive(_ pairs: [Store.PersonDay]) throws -> DerivedPersonDays {
        let load = try db.statement("""
            SELECT t.entries FROM identity i JOIN timeline t ON t.identity = i.id AND t.day = ?2
            WHERE i.person = ?1
            """)
        let exists = try db.statement("SELECT 1 FROM person_day WHERE day = ?1 AND person = ?2")
        var result = DerivedPersonDays()
        result.rows.reserveCapacity(pairs.count)
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
            if entries.isEmpty {
                result.append(pair, existed: existed)
            } else {
                let activity = DayActivity(entries: entries, dayStart: ParisClock.midnight(ofDay: pair.day))
                result.append(pair, existed: existed, activity: activity, packed: PackedDayRow(activity, names: &names))
            }
        }
        return result
    }
}
