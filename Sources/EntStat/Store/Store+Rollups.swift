/// The per-person rollups of `activity` over whole periods: for every ISO week, month and
/// school year, the sums of a person's day rows per source and feature, packed into one
/// row of `person_period` per person (`PackedPeriodRow`; the view `activity_period` shows
/// them unpacked). Exports and reports over long ranges read them instead of the day rows
/// (distinct users are still counted person by person, so a person in two schools counts
/// once in a commune, and figures do not change).
///
/// Maintenance: triggers on `person_day` queue every (day, person) whose derived rows were
/// recomputed, relinked or purged in `pending_period_person`. At the end of each ingest run
/// `refreshActivityPeriods()` brings the (period, person) rollups those pairs touch up to
/// date: the rows of a day new to the rollups are added to its week, month and school
/// year; a person whose day changed (a late file, a relink, a purge) has those periods
/// recomputed from its day rows (school years from its months); a period whose persons
/// are nearly all affected (a first ingest) is rebuilt in one pass, its day rows merged
/// and packed on a second thread (`PeriodRollupMerge`, `PeriodRowPacker`) while the writer
/// appends the packed rows. A run that adds one
/// day thus reads that day's rows, never the whole store nor a person's history. Each
/// period is done in one transaction that records it as done: a `kill -9` only leaves
/// work for the next run, and readers fall back to the day rows while the queue is not
/// empty.
extension Store {
    /// A kind of period that has rollups.
    public enum RollupKind: String, CaseIterable, Sendable {
        /// An ISO week, Monday to Sunday.
        case week
        /// A calendar month.
        case month
        /// A school year, 1 September to 31 August.
        case schoolYear = "school-year"

        /// First and last day of the period holding `day`.
        public func bounds(of day: Int) -> (first: Int, last: Int) {
            let date = CivilDate(dayNumber: day)
            switch self {
            case .week:
                let first = day - (date.isoWeekday - 1)
                return (first, first + 6)
            case .month:
                let first = CivilDate(year: date.year, month: date.month, day: 1).dayNumber
                return (first, first + CivilDate.daysInMonth(year: date.year, month: date.month) - 1)
            case .schoolYear:
                let start = date.month >= 9 ? date.year : date.year - 1
                return (CivilDate(year: start, month: 9, day: 1).dayNumber,
                        CivilDate(year: start + 1, month: 8, day: 31).dayNumber)
            }
        }

        /// The period kind of exports with the same periods.
        public var period: Period {
            switch self {
            case .week: return .week
            case .month: return .month
            case .schoolYear: return .schoolYear
            }
        }
    }

    /// Above this many affected persons (and half of the period's persons), a period is
    /// rebuilt in one pass rather than person by person.
    static let rollupBulkPersons = 4_000

    /// True when the rollups reflect every derived row (the queue is empty).
    public func rollupsAreCurrent() throws -> Bool {
        (try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_period_person)") ?? 1) == 0
    }

    /// True when a run was killed after bringing some periods up to date and before
    /// emptying the queue.
    func rollupRefreshWasInterrupted() throws -> Bool {
        (try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_period_done)") ?? 0) != 0
    }

    /// Brings the rollups of every queued (day, person) up to date and empties the queue.
    /// Returns the number of (period, person) rollups touched.
    ///
    /// Each period is brought up to date in its own transaction, which also records it in
    /// `pending_period_done`: a run killed half-way resumes with the periods not done yet,
    /// so a day is never added twice. The next writer to open the store resumes before it
    /// queues anything new (`Store.init(writingTo:…)`), so a period recorded as done always
    /// holds every pair still queued. `stoppingAfter` stops after that many periods, as
    /// such a kill would (tests).
    @discardableResult
    public func refreshActivityPeriods(stoppingAfter periodLimit: Int = .max) throws -> Int {
        try refreshActivityPeriods(stoppingAfter: periodLimit, roles: nil)
    }

    /// `refreshActivityPeriods(stoppingAfter:)` with every person's roles already read, as
    /// `person_role` and `person_level` hold them (nil: read them).
    @discardableResult
    func refreshActivityPeriods(stoppingAfter periodLimit: Int, roles: PersonRoleMasks?) throws -> Int {
        guard !(try rollupsAreCurrent()) else { return 0 }
        var recomputed = 0
        var periodsDone = 0
        // The totals per period and role change with the rollups (`Store+RolePeriods`).
        let people = try roles ?? PersonRoleMasks(db: db)
        // School years are summed from months when recomputed: months first. The queue is
        // read period by period, never whole into memory (a national week queues millions
        // of pairs); each period's distinct persons are counted here, one bit per person.
        var persons = DistinctPersonCounter()
        let queuedPersons = try db.prepare("SELECT person FROM pending_period_person WHERE day BETWEEN ?1 AND ?2")
        for kind in [RollupKind.week, .month, .schoolYear] {
            let touched = try db.prepare("""
                SELECT p.first_day, p.last_day FROM period p
                WHERE p.kind = ?1
                  AND EXISTS (SELECT 1 FROM pending_period_person q WHERE q.day BETWEEN p.first_day AND p.last_day)
                  AND NOT EXISTS (SELECT 1 FROM pending_period_done d WHERE d.kind = p.kind AND d.first_day = p.first_day)
                ORDER BY p.first_day
                """)
            try touched.bind(.text(kind.rawValue))
            var periods: [(first: Int, last: Int, persons: Int)] = []
            while try touched.step() { periods.append((touched.int(0), touched.int(1), 0)) }
            for i in periods.indices {
                queuedPersons.reset()
                try queuedPersons.bind(.int(periods[i].first), .int(periods[i].last))
                periods[i].persons = try persons.count(queuedPersons)
            }
            for period in periods {
                guard periodsDone < periodLimit else { return recomputed }
                try db.transaction {
                    try refreshPeriod(kind, first: period.first, last: period.last, persons: period.persons, people: people)
                    try db.statement("INSERT INTO pending_period_done(kind, first_day) VALUES (?1, ?2)")
                        .execute(kind.rawValue, period.first)
                }
                periodsDone += 1
                recomputed += period.persons
            }
        }
        try db.transaction { try db.execute("DELETE FROM pending_period_person; DELETE FROM pending_period_done;") }
        return recomputed
    }

    /// Brings one period's rollups up to date for its queued persons.
    ///
    /// - Most of the period's persons queued (a first ingest): the period is rebuilt in one
    ///   pass.
    /// - Otherwise (a nightly run touches a fraction of a month's and a year's persons),
    ///   person by person: a person with a queued day whose earlier rows are in the rollups
    ///   (`removed`: a late file completed the day, a relink, a purge) has the period
    ///   recomputed from its day rows (school years from its months); the others only have
    ///   new days, whose rows are added to their rollups. Adding reads the new days only,
    ///   so a night's cost does not depend on how much history the store holds.
    ///
    /// The period's totals per role follow in the same transaction: queued to be recomputed
    /// after a rebuild in one pass, changed by the rows taken away and added otherwise.
    func refreshPeriod(_ kind: RollupKind, first: Int, last: Int, persons: Int, people: PersonRoleMasks) throws {
        let present = Int(try db.scalarInt("""
            SELECT COUNT(*) FROM person_period WHERE kind = ?1 AND first_day = ?2 AND days > 0
            """, .text(kind.rawValue), .int(first)) ?? 0)
        if persons > Store.rollupBulkPersons && persons * 2 > present {
            try rebuildPeriod(kind, first: first, last: last)
            try db.statement("INSERT OR IGNORE INTO pending_role_period(kind, first_day) VALUES (?1, ?2)").execute(kind.rawValue, first)
            return
        }
        // Changes to totals already queued for a whole recount would be overwritten.
        let totals = try Store.rolePeriodIsQueued(db, kind, first: first) ? nil : try RolePeriodSums(db: db, people: people)
        let period = RolePeriodSums.Period(kind: kind, first: first)
        let recomputed = try db.prepare("""
            SELECT DISTINCT person FROM pending_period_person WHERE day BETWEEN ?1 AND ?2 AND removed = 1 ORDER BY person
            """)
        try recomputed.bind(.int(first), .int(last))
        while try recomputed.step() {
            let person = recomputed.int64(0)
            try totals?.addRows(of: period, person: person, sign: -1)
            try rebuildPeriod(kind, first: first, last: last, person: person)
            try totals?.addRows(of: period, person: person, sign: 1)
        }
        try addNewDays(kind, first: first, last: last, totals: totals)
        try totals?.write()
    }

    /// Adds the rows of the queued days new to the period (persons without a `removed`
    /// day in it) to their packed rollups, and to `totals`: their counts, and one user
    /// where a person's (source, feature) row is new to the period.
    ///
    /// Each person's new days are summed per (source, feature) in memory; its packed row is
    /// read by its key, merged with them and written back.
    func addNewDays(_ kind: RollupKind, first: Int, last: Int, totals: RolePeriodSums?) throws {
        // CROSS JOIN: read the queued pairs, then their day rows.
        let added = try db.statement("""
            SELECT q.person, 1, d.requests, d.logins, d.visits, d.detail
            FROM pending_period_person q CROSS JOIN person_day_activity d ON d.day = q.day AND d.person = q.person
            WHERE q.day BETWEEN ?1 AND ?2
              AND q.person NOT IN (SELECT person FROM pending_period_person WHERE day BETWEEN ?1 AND ?2 AND removed = 1)
            ORDER BY q.person
            """)
        added.reset()
        try added.bind(.int(first), .int(last))
        let existing = try db.statement("""
            SELECT person, days, requests, logins, visits, detail FROM person_period WHERE kind = ?1 AND first_day = ?2 AND person = ?3
            """)
        let write = try db.statement("""
            INSERT INTO person_period(kind, first_day, person, days, requests, logins, visits, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(kind, first_day, person) DO UPDATE SET
                days = excluded.days, requests = excluded.requests, logins = excluded.logins,
                visits = excluded.visits, detail = excluded.detail
            """)
        let period = RolePeriodSums.Period(kind: kind, first: first)
        let new = RollupRowStream(packed: added, table: "person_day_activity", classes: .all)
        var more = try new.next()
        var packer = PeriodRowPacker()
        while more {
            let person = new.person
            var sums = RowSums()
            while more && new.person == person {
                sums.add(new)
                more = try new.next()
            }
            existing.reset()
            try existing.bind(.text(kind.rawValue), .int(first), .integer(person))
            let old = RollupRowStream(packed: existing, table: "person_period", classes: .all)
            var hasOld = try old.next()
            // Both in (source, feature) order: merged as they come.
            for (key, v) in sums.sorted() {
                try key.source.withUnsafeBytes { source in
                    try key.feature.withUnsafeBytes { feature in
                        var order = 1
                        while hasOld {
                            order = RollupRowStream.compare(old.source, old.feature, source, feature)
                            guard order < 0 else { break }
                            packer.add(person: person, source: old.source, feature: old.feature,
                                       days: old.days, requests: old.requests, logins: old.logins, visits: old.visits)
                            hasOld = try old.next()
                            order = 1
                        }
                        totals?.addRow(of: period, person: person, source: source, feature: feature,
                                       requests: Int(v.requests), logins: Int(v.logins), visits: Int(v.visits),
                                       users: order == 0 ? 0 : 1)
                        if order == 0 {
                            packer.add(person: person, source: source, feature: feature, days: old.days + v.days,
                                       requests: old.requests + v.requests, logins: old.logins + v.logins,
                                       visits: old.visits + v.visits)
                            hasOld = try old.next()
                        } else {
                            packer.add(person: person, source: source, feature: feature, days: v.days,
                                       requests: v.requests, logins: v.logins, visits: v.visits)
                        }
                    }
                }
            }
            while hasOld {
                packer.add(person: person, source: old.source, feature: old.feature,
                           days: old.days, requests: old.requests, logins: old.logins, visits: old.visits)
                hasOld = try old.next()
            }
            existing.reset()
            packer.finish()
            let row = packer.take()
            try row.detail.withUnsafeBytes { detail in
                try write.bind(.text(kind.rawValue), .int(first), .integer(person), .integer(row.days[0]),
                               .integer(row.requests[0]), .integer(row.logins[0]), .integer(row.visits[0]))
                try write.bindTextInPlace(detail, at: 8)
                while try write.step() {}
                write.reset()
            }
        }
    }

    /// Rebuilds one period's rollups, for every person: summed on a second thread by
    /// merging the period's day rows (`PeriodRollupMerge`) and packed there
    /// (`PeriodRowPacker`) while this one appends them; with `merging: false` or no
    /// second thread, merged on this thread, then appended.
    ///
    /// The merging thread reads the last committed state on its own connection: the rows
    /// it reads (the period's days, or its months for a school year) must not have changed
    /// in the caller's transaction. `refreshActivityPeriods` commits each period before the
    /// next, months before school years.
    func rebuildPeriod(_ kind: RollupKind, first: Int, last: Int, merging: Bool = true) throws {
        try db.statement("DELETE FROM person_period WHERE kind = ?1 AND first_day = ?2").execute(kind.rawValue, first)
        if merging, try appendMergedPeriod(kind, first: first, last: last) { return }
        // Read whole before appending: a school year reads its months from person_period.
        var batches: [PackedPeriodBatch] = []
        try PeriodRollupMerge(db: db, kind: kind, first: first, last: last).runPacked { batches.append($0); return true }
        let appender = PeriodRollupAppender(db: db, kind: kind, first: first)
        for batch in batches { try appender.append(batch) }
    }

    /// Appends the period's merged rollups (`PeriodRollupMerge`), summed and packed on
    /// other threads; false when they could not be started (nothing was written).
    ///
    /// With two workers, the persons up to the middle id and those after it are merged on
    /// two threads, and the writer appends their rows as they come. The merge was the
    /// bound of this step (the writer was idle two thirds of a week's rebuild); the rows of
    /// the two halves go to two places of the table, each in key order.
    func appendMergedPeriod(_ kind: RollupKind, first: Int, last: Int, workers: Int = RollupFigures.defaultWorkers) throws -> Bool {
        let appender = PeriodRollupAppender(db: db, kind: kind, first: first)
        let middle = workers > 1 ? try PeriodRollupMerge.middlePerson(db, kind: kind, first: first, last: last) : nil
        let filters: [String?] = middle.map { ["person <= \($0)", "person > \($0)"] } ?? [nil]
        return try ReadingThread.run(path: path, cacheKiB: 16384, capacity: 4, producers: filters.count, produce: { reading, sink, index in
            try reading.execute("BEGIN")
            try PeriodRollupMerge(db: reading, kind: kind, first: first, last: last, filter: filters[index]).runPacked { sink.send($0) }
            try reading.execute("COMMIT")
        }, consume: { try appender.append($0) })
    }

    /// Rebuilds one person's rollups of one period: its day rows (read by (day, person)
    /// key) or, for a school year, its months, summed per (source, feature) and packed.
    func rebuildPeriod(_ kind: RollupKind, first: Int, last: Int, person: Int64) throws {
        try db.statement("DELETE FROM person_period WHERE kind = ?1 AND first_day = ?2 AND person = ?3")
            .execute(kind.rawValue, first, person)
        let s: Statement, table: String
        if kind == .schoolYear {
            table = "person_period"
            s = try db.statement("""
                SELECT person, days, requests, logins, visits, detail FROM person_period
                WHERE kind = 'month' AND person = ?3
                  AND first_day IN (SELECT first_day FROM period WHERE kind = 'month' AND first_day BETWEEN ?1 AND ?2)
                """)
        } else {
            table = "person_day_activity"
            s = try db.statement("""
                SELECT person, 1, requests, logins, visits, detail FROM person_day_activity
                WHERE person = ?3 AND day IN (SELECT day FROM calendar WHERE day BETWEEN ?1 AND ?2)
                """)
        }
        s.reset()
        try s.bind(.int(first), .int(last), .integer(person))
        let rows = RollupRowStream(packed: s, table: table, classes: .all)
        var sums = RowSums()
        while try rows.next() { sums.add(rows) }
        s.reset()
        let sorted = sums.sorted()
        guard !sorted.isEmpty else { return }
        var packer = PeriodRowPacker()
        for (key, v) in sorted {
            key.source.withUnsafeBytes { source in
                key.feature.withUnsafeBytes { feature in
                    packer.add(person: person, source: source, feature: feature, days: v.days, requests: v.requests, logins: v.logins, visits: v.visits)
                }
            }
        }
        packer.finish()
        try PeriodRollupAppender(db: db, kind: kind, first: first).append(packer.take())
    }
}
