/// The derived tables (`activity`, `person_day`, `visit_start`, `day_window`) are pure
/// functions of the timelines and of the identity → person mapping.
///
/// A change to the facts does not recompute them on the spot: the transaction that
/// changes a timeline also queues its (person, day) pair in `pending_person_day`. The end
/// of every ingest run works the queue off, in batches, each batch in its own transaction
/// that recomputes its pairs from their *whole* merged timelines and removes them from the
/// queue. A (person, day) touched by twenty hourly files is thus recomputed once, and a
/// `kill -9` at any moment leaves facts and queue consistent: the next run finishes the
/// work. Readers (export, report, query) refuse a store whose queue is not empty.
extension Store {
    /// A person on a local day.
    public struct PersonDay: Hashable, Sendable {
        public let person: Int64
        public let day: Int
        public init(person: Int64, day: Int) {
            self.person = person
            self.day = day
        }
    }

    /// Queues (person, day) pairs whose derived rows must be recomputed.
    public func enqueue(_ pairs: some Sequence<PersonDay>) throws {
        let insert = try db.statement("INSERT OR IGNORE INTO pending_person_day(person, day) VALUES (?1, ?2)")
        for pair in pairs { try insert.execute(pair.person, pair.day) }
    }

    /// True when derived rows are waiting to be recomputed.
    public func hasPendingWork() throws -> Bool {
        let pairs = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_person_day)") ?? 0
        let days = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_window_day)") ?? 0
        return pairs != 0 || days != 0
    }

    /// Works off the queue: recomputes every pending (person, day), batch by batch, then
    /// the concurrency windows of their days. `progress` receives the pairs done so far.
    /// Returns the number of pairs recomputed.
    @discardableResult
    public func completePendingWork(batchSize: Int = 50_000, progress: ((Int) -> Void)? = nil) throws -> Int {
        var done = 0
        while true {
            let batch = try db.prepare("SELECT person, day FROM pending_person_day ORDER BY day, person LIMIT ?1")
            try batch.bind(.int(batchSize))
            var pairs: [PersonDay] = []
            while try batch.step() { pairs.append(PersonDay(person: batch.int64(0), day: batch.int(1))) }
            if pairs.isEmpty { break }
            try db.transaction {
                let days = try recomputePersonDays(pairs)
                let markDay = try db.statement("INSERT OR IGNORE INTO pending_window_day(day) VALUES (?1)")
                for day in days { try markDay.execute(day) }
                let remove = try db.statement("DELETE FROM pending_person_day WHERE day = ?1 AND person = ?2")
                for pair in pairs { try remove.execute(pair.day, pair.person) }
            }
            done += pairs.count
            progress?(done)
        }
        try db.transaction {
            let select = try db.prepare("SELECT day FROM pending_window_day")
            var days = Set<Int>()
            while try select.step() { days.insert(select.int(0)) }
            try recomputeWindows(days: days)
            try db.execute("DELETE FROM pending_window_day")
        }
        try refreshActivityPeriods()
        return done
    }

    /// Recomputes every derived row of these (person, day) pairs (windows excepted);
    /// returns their days.
    func recomputePersonDays(_ pairs: [PersonDay]) throws -> Set<Int> {
        let load = try db.statement("""
            SELECT t.entries FROM identity i JOIN timeline t ON t.identity = i.id AND t.day = ?2
            WHERE i.person = ?1
            """)
        let deleteActivity = try db.statement("DELETE FROM activity WHERE day = ?1 AND person = ?2")
        let insertActivity = try db.statement("INSERT INTO activity(day, person, source, feature, requests, logins, visits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        let exists = try db.statement("SELECT 1 FROM person_day WHERE day = ?1 AND person = ?2")
        let deleteDay = try db.statement("DELETE FROM person_day WHERE day = ?1 AND person = ?2")
        let insertDay = try db.statement("INSERT INTO person_day(person, day, windows) VALUES (?1, ?2, ?3)")
        let deleteStarts = try db.statement("DELETE FROM visit_start WHERE day = ?1 AND person = ?2")
        let insertStart = try db.statement("INSERT INTO visit_start(day, person, hour, visits) VALUES (?1, ?2, ?3, ?4)")
        var days = Set<Int>()
        var entries: [TimelineEntry] = []
        for pair in pairs {
            days.insert(pair.day)
            entries.removeAll(keepingCapacity: true)
            load.reset()
            try load.bind(.integer(pair.person), .int(pair.day))
            while try load.step() { TimelineEntry.decode(load.blob(0), appendingTo: &entries) }
            TimelineEntry.normalize(&entries)
            // A computed (person, day) always has its person_day row: without one, there is
            // nothing to delete.
            exists.reset()
            try exists.bind(.int(pair.day), .integer(pair.person))
            let computedBefore = try exists.step()
            exists.reset()
            if computedBefore {
                try deleteActivity.execute(pair.day, pair.person)
                try deleteDay.execute(pair.day, pair.person)
                try deleteStarts.execute(pair.day, pair.person)
            }
            guard !entries.isEmpty else { continue }
            let activity = DayActivity(entries: entries, dayStart: ParisClock.midnight(ofDay: pair.day))
            for (key, counts) in activity.groups {
                let feature = key.featureID.map { featureNames[$0] ?? FeatureRules.fallback } ?? "*"
                try insertActivity.execute(pair.day, pair.person, key.source?.rawValue ?? "*", feature,
                                           counts.requests, counts.logins, counts.visits)
            }
            try insertDay.run(.integer(pair.person), .int(pair.day), .blob(activity.windows))
            for (hour, visits) in activity.visitStarts {
                try insertStart.execute(pair.day, pair.person, hour, visits)
            }
        }
        return days
    }

    /// Recounts the distinct persons of every 5-minute window of these days.
    public func recomputeWindows(days: Set<Int>) throws {
        let delete = try db.statement("DELETE FROM day_window WHERE day = ?1")
        let select = try db.statement("SELECT windows FROM person_day WHERE day = ?1")
        let insert = try db.statement("INSERT INTO day_window(day, window, users) VALUES (?1, ?2, ?3)")
        for day in days.sorted() {
            try delete.run(.int(day))
            var users = [Int](repeating: 0, count: DayActivity.windowCount)
            select.reset()
            try select.bind(.int(day))
            while try select.step() {
                let bits = select.blob(0)
                for byteIndex in 0..<bits.count where bits[byteIndex] != 0 {
                    let byte = bits[byteIndex]
                    for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 {
                        let w = byteIndex * 8 + bit
                        if w < users.count { users[w] += 1 }
                    }
                }
            }
            for (w, n) in users.enumerated() where n > 0 {
                try insert.run(.int(day), .int(w), .int(n))
            }
        }
    }
}
