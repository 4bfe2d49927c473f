/// The per-person rollups of `activity` over whole periods (`activity_period`): for every
/// ISO week, month and school year, one row per person, source and feature with the sums
/// of its day rows. Exports and reports over long ranges read them instead of the day rows
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
/// on a second thread (`PeriodRollupMerge`) while the writer appends the sums. A run that adds one
/// day thus reads that day's rows, never the whole store nor a person's history. Each
/// period is done in one transaction that records it as done: a `kill -9` only leaves
/// work for the next run, and readers fall back to the day rows while the queue is not
/// empty.
extension Store {
    /// A kind of period that has rollups.
    public enum RollupKind: String, CaseIterable, Sendable {
        case week
        case month
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
        guard !(try rollupsAreCurrent()) else { return 0 }
        var recomputed = 0
        var periodsDone = 0
        // The totals per period and role change with the rollups (`Store+RolePeriods`).
        let people = try PersonRoleMasks(db: db)
        // School years are summed from months when recomputed: months first. The queue is
        // read period by period in SQL, never whole into memory (a national week queues
        // millions of pairs).
        for kind in [RollupKind.week, .month, .schoolYear] {
            let touched = try db.prepare("""
                SELECT p.first_day, p.last_day, COUNT(DISTINCT q.person)
                FROM period p JOIN pending_period_person q ON q.day BETWEEN p.first_day AND p.last_day
                WHERE p.kind = ?1
                  AND NOT EXISTS (SELECT 1 FROM pending_period_done d WHERE d.kind = p.kind AND d.first_day = p.first_day)
                GROUP BY p.first_day ORDER BY p.first_day
                """)
            try touched.bind(.text(kind.rawValue))
            var periods: [(first: Int, last: Int, persons: Int)] = []
            while try touched.step() { periods.append((touched.int(0), touched.int(1), touched.int(2))) }
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
            SELECT COUNT(*) FROM activity_period WHERE kind = ?1 AND first_day = ?2 AND source = '*' AND feature = '*'
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
        try totals?.addNewDays(of: period, last: last)
        // CROSS JOIN: read the queued pairs, then their day rows (SQLite would otherwise
        // scan every day row of the period).
        try db.statement("""
            INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
            SELECT ?1, ?2, a.person, a.source, a.feature, COUNT(*), SUM(a.requests), SUM(a.logins), SUM(a.visits)
            FROM pending_period_person q CROSS JOIN activity a ON a.day = q.day AND a.person = q.person
            WHERE q.day BETWEEN ?2 AND ?3
              AND q.person NOT IN (SELECT person FROM pending_period_person WHERE day BETWEEN ?2 AND ?3 AND removed = 1)
            GROUP BY a.person, a.source, a.feature
            ON CONFLICT(kind, first_day, person, source, feature) DO UPDATE SET
                days = days + excluded.days, requests = requests + excluded.requests,
                logins = logins + excluded.logins, visits = visits + excluded.visits
            """).execute(kind.rawValue, first, last)
        try totals?.write()
    }

    /// Rebuilds one period's rollups, for every person: summed on a second thread by
    /// merging the period's day rows (`PeriodRollupMerge`) while this one appends them, or,
    /// with `merging: false` or no second thread, by one `INSERT … SELECT … GROUP BY`.
    ///
    /// The merging thread reads the last committed state on its own connection: the rows
    /// it reads (the period's days, or its months for a school year) must not have changed
    /// in the caller's transaction. `refreshActivityPeriods` commits each period before the
    /// next, months before school years.
    func rebuildPeriod(_ kind: RollupKind, first: Int, last: Int, merging: Bool = true) throws {
        try db.statement("DELETE FROM activity_period WHERE kind = ?1 AND first_day = ?2").execute(kind.rawValue, first)
        if merging, try appendMergedPeriod(kind, first: first, last: last) { return }
        let sql: String
        if kind == .schoolYear {
            sql = """
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                SELECT ?1, ?2, person, source, feature, SUM(days), SUM(requests), SUM(logins), SUM(visits)
                FROM activity_period WHERE kind = 'month' AND first_day BETWEEN ?2 AND ?3
                GROUP BY person, source, feature
                """
        } else {
            sql = """
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                SELECT ?1, ?2, person, source, feature, COUNT(*), SUM(requests), SUM(logins), SUM(visits)
                FROM activity WHERE day BETWEEN ?2 AND ?3
                GROUP BY person, source, feature
                """
        }
        try db.statement(sql).execute(kind.rawValue, first, last)
    }

    /// Appends the period's merged rollups (`PeriodRollupMerge`), summed on a second
    /// thread; false when no thread could be started (nothing was written).
    func appendMergedPeriod(_ kind: RollupKind, first: Int, last: Int) throws -> Bool {
        var appender = PeriodRollupAppender(db: db, kind: kind, first: first)
        return try ReadingThread.run(path: path, cacheKiB: 16384, capacity: 4, produce: { reading, sink in
            try reading.execute("BEGIN")
            try PeriodRollupMerge(db: reading, kind: kind, first: first, last: last).run { sink.send($0) }
            try reading.execute("COMMIT")
        }, consume: { try appender.append($0) })
    }

    /// Rebuilds one person's rollups of one period (day rows read by (day, person) key).
    func rebuildPeriod(_ kind: RollupKind, first: Int, last: Int, person: Int64) throws {
        try db.statement("DELETE FROM activity_period WHERE kind = ?1 AND first_day = ?2 AND person = ?3")
            .execute(kind.rawValue, first, person)
        let sql: String
        if kind == .schoolYear {
            sql = """
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                SELECT ?1, ?2, ?4, source, feature, SUM(days), SUM(requests), SUM(logins), SUM(visits)
                FROM activity_period
                WHERE kind = 'month' AND person = ?4
                  AND first_day IN (SELECT first_day FROM period WHERE kind = 'month' AND first_day BETWEEN ?2 AND ?3)
                GROUP BY source, feature
                """
        } else {
            sql = """
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                SELECT ?1, ?2, ?4, source, feature, COUNT(*), SUM(requests), SUM(logins), SUM(visits)
                FROM activity
                WHERE person = ?4 AND day IN (SELECT day FROM calendar WHERE day BETWEEN ?2 AND ?3)
                GROUP BY source, feature
                """
        }
        try db.statement(sql).execute(kind.rawValue, first, last, person)
    }
}
