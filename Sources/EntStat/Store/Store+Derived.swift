/// The derived tables (`person_day_activity`, `person_day`, `visit_start`, `day_window`) are pure
/// functions of the timelines and of the identity → person mapping (and the totals per day
/// and role, `Store+RoleDays`, of those and of the persons' roles).
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
        /// The person's id (`person.id`).
        public let person: Int64
        /// The local day (days since 1970-01-01).
        public let day: Int
        /// The pair of `person` and `day`.
        public init(person: Int64, day: Int) {
            self.person = person
            self.day = day
        }
    }

    /// True when nothing waits: no figure queued, and the rollups up to date (a run killed
    /// during them, or a purge killed right after its commit, leaves them behind; the
    /// report's queries read them). Readers refuse a store where this is false.
    public func figuresAreComplete() throws -> Bool {
        try !hasPendingWork() && rollupsAreCurrent()
    }

    /// True when derived rows are waiting to be recomputed.
    public func hasPendingWork() throws -> Bool {
        let days = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_window_day)") ?? 0
        return try hasPendingPairs() || days != 0 || Store.hasPendingRoleDays(db) || Store.hasPendingRolePeriods(db)
    }

    /// Works off the queue: recomputes every pending (person, day), batch by batch, then
    /// the concurrency windows of their days. `progress` receives the pairs done so far.
    /// Returns the number of pairs recomputed.
    ///
    /// Two threads share the work: a reader, on its own read-only connection, loads each
    /// batch's timelines and computes its figures (`PersonDayDeriver`) while this thread
    /// writes the previous batch. The timelines do not change meanwhile (the writer lock
    /// is held), so both see the same facts. The reader takes each batch's snapshot at the
    /// store's `SnapshotGate`, so that the write-ahead log can start again while it reads.
    @discardableResult
    public func completePendingWork(batchSize: Int = 20_000, progress: ((Int) -> Void)? = nil,
                                    phaseDone: ((PendingWorkPhase, Double) -> Void)? = nil,
                                    rollupPeriodLimit: Int = .max) throws -> Int {
        var done = 0
        var phaseStart = MonotonicClock.seconds()
        func finished(_ phase: PendingWorkPhase) {
            let now = MonotonicClock.seconds()
            phaseDone?(phase, now - phaseStart)
            phaseStart = now
        }
        let writeBatch = { (derived: DerivedPersonDays) throws in
            try self.db.transaction {
                try self.writeDerived(derived)
                let markDay = try self.db.statement("INSERT OR IGNORE INTO pending_window_day(day) VALUES (?1)")
                let markRoleDay = try self.db.statement("INSERT OR IGNORE INTO pending_role_day(day) VALUES (?1)")
                for day in Set(derived.rows.map(\.pair.day)) {
                    try markDay.execute(day)
                    try markRoleDay.execute(day)
                }
                // A batch is a contiguous run of the queue in (day, person) order, and
                // nothing joins the queue meanwhile: one range delete removes exactly it.
                if let first = derived.rows.first?.pair, let last = derived.rows.last?.pair {
                    try self.db.statement("DELETE FROM pending_person_day WHERE (day, person) BETWEEN (?1, ?2) AND (?3, ?4)")
                        .execute(first.day, first.person, last.day, last.person)
                }
            }
            done += derived.rows.count
            progress?(done)
        }
        if try hasPendingPairs() {
            let names = featureNames
            let gate = snapshotGate
            let threaded = try ReadingThread.run(path: path, cacheKiB: 32768, capacity: 2, produce: { reading, sink, _ in
                let deriver = PersonDayDeriver(db: reading, featureNames: names, gate: gate)
                var after: PersonDay?
                while !sink.isCancelled {
                    let batch = try deriver.nextBatch(after: after, limit: batchSize)
                    guard let last = batch.rows.last?.pair else { break }
                    after = last
                    guard sink.send(batch) else { break }
                }
            }, consume: writeBatch)
            if !threaded {
                // No second thread: read and write in turn on this connection.
                let deriver = PersonDayDeriver(db: db, featureNames: featureNames)
                while true {
                    let batch = try deriver.nextBatch(after: nil, limit: batchSize)
                    if batch.isEmpty { break }
                    try writeBatch(batch)
                }
            }
        }
        try db.transaction {
            let select = try db.prepare("SELECT day FROM pending_window_day")
            var days = Set<Int>()
            while try select.step() { days.insert(select.int(0)) }
            try recomputeWindows(days: days)
            try db.execute("DELETE FROM pending_window_day")
        }
        finished(.personDays)
        // Every person's roles, once the totals per day and role have brought them up to
        // date: neither step after changes them.
        let roles = try refreshRoleDaysKeepingRoles()
        finished(.roleDays)
        try refreshActivityPeriods(stoppingAfter: rollupPeriodLimit, roles: roles)
        finished(.rollups)
        if try rollupsAreCurrent() {
            try refreshRolePeriods(roles: roles)
            finished(.rolePeriods)
        }
        return done
    }

    /// A step of `completePendingWork`, timed for the operator's log.
    public enum PendingWorkPhase: String, Sendable {
        /// Figures of each queued (person, day), and the 5-minute windows of their days.
        case personDays = "indicateurs par personne et par jour"
        /// Totals of the territory per day and role.
        case roleDays = "totaux par jour et par rôle"
        /// Per-person sums over weeks, months and school years.
        case rollups = "cumuls par période"
        /// Totals of the territory per period and role, recounted for the periods rebuilt.
        case rolePeriods = "totaux par période et par rôle"
    }

    private func hasPendingPairs() throws -> Bool {
        try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_person_day)") ?? 0 != 0
    }

    /// Replaces the derived rows of each (person, day) by its newly computed ones: its
    /// rows of activity packed into one row of `person_day_activity` (`PackedDayRow`, packed
    /// by the reading thread), its windows (`person_day`) and its visit starts.
    func writeDerived(_ derived: DerivedPersonDays) throws {
        let deleteActivity = try db.statement("DELETE FROM person_day_activity WHERE day = ?1 AND person = ?2")
        let deleteDay = try db.statement("DELETE FROM person_day WHERE day = ?1 AND person = ?2")
        let deleteStarts = try db.statement("DELETE FROM visit_start WHERE day = ?1 AND person = ?2")
        var activityRows = MultiRowInsert(db: db, table: "person_day_activity",
                                          columns: ["day", "person", "requests", "logins", "visits", "detail"])
        var startRows = MultiRowInsert(db: db, table: "visit_start", columns: ["day", "person", "hour", "visits"])
        // Several rows per statement: a statement that writes more than one row (here, the
        // row and its trigger's) keeps a journal of every page it changes, written to a
        // temporary file; one row per statement wrote two 16 KiB pages there per person-day
        // (26 GB for the 773 000 person-days of the national access week).
        var dayRows = MultiRowInsert(db: db, table: "person_day", columns: ["person", "day", "windows"])
        try derived.bytes.withUnsafeBytes { bytes in
            for row in derived.rows {
                let pair = row.pair
                if row.existed {
                    try deleteActivity.execute(pair.day, pair.person)
                    try deleteDay.execute(pair.day, pair.person)
                    try deleteStarts.execute(pair.day, pair.person)
                }
                guard row.hasActivity else { continue }
                try activityRows.add(pair.day, pair.person, row.requests, row.logins, row.visits,
                                     MultiRowBytes(bytes: UnsafeRawBufferPointer(rebasing: bytes[row.detail]), isText: true))
                try dayRows.add(pair.person, pair.day, MultiRowBytes(bytes: UnsafeRawBufferPointer(rebasing: bytes[row.windows]), isText: false))
                for start in derived.visitStarts[row.visitStarts] {
                    try startRows.add(pair.day, pair.person, start.hour, start.visits)
                }
            }
        }
        try activityRows.flush()
        try dayRows.flush()
        try startRows.flush()
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
