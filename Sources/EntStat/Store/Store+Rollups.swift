/// The per-person rollups of `activity` over whole periods (`activity_period`): for every
/// ISO week, month and school year, one row per person, source and feature with the sums
/// of its day rows. Exports and reports over long ranges read them instead of the day rows
/// (distinct users are still counted person by person, so a person in two schools counts
/// once in a commune, and figures do not change).
///
/// Maintenance: triggers on `person_day` queue every (day, person) whose derived rows were
/// recomputed, relinked or purged in `pending_period_person`. At the end of each ingest run
/// `refreshActivityPeriods()` recomputes the (period, person) rollups those pairs touch:
/// weeks and months from the person's day rows of the period, school years from the
/// person's months. A run that adds one day thus recomputes, for the persons active that
/// day, one week, one month and one school year each, never the whole store; a period
/// whose persons are nearly all affected (a first ingest) is rebuilt in one pass.
/// Recomputation is idempotent and the queue is emptied last: a `kill -9` only leaves
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

    /// Recomputes the rollups of every queued (day, person) and empties the queue. Returns
    /// the number of (period, person) rollups recomputed.
    @discardableResult
    public func refreshActivityPeriods() throws -> Int {
        guard !(try rollupsAreCurrent()) else { return 0 }
        var recomputed = 0
        // School years are summed from months: months first. The queue is read period by
        // period in SQL, never whole into memory (a national week queues millions of pairs).
        for kind in [RollupKind.week, .month, .schoolYear] {
            let touched = try db.prepare("""
                SELECT p.first_day, p.last_day, COUNT(DISTINCT q.person)
                FROM period p JOIN pending_period_person q ON q.day BETWEEN p.first_day AND p.last_day
                WHERE p.kind = ?1 GROUP BY p.first_day ORDER BY p.first_day
                """)
            try touched.bind(.text(kind.rawValue))
            var periods: [(first: Int, last: Int, persons: Int)] = []
            while try touched.step() { periods.append((touched.int(0), touched.int(1), touched.int(2))) }
            for period in periods {
                // Rebuilt in one pass when most of its persons are affected (a first ingest),
                // person by person otherwise (a nightly run touches a fraction of a month's
                // and a year's persons).
                let present = Int(try db.scalarInt("""
                    SELECT COUNT(*) FROM activity_period WHERE kind = ?1 AND first_day = ?2 AND source = '*' AND feature = '*'
                    """, .text(kind.rawValue), .int(period.first)) ?? 0)
                let bulk = period.persons > Store.rollupBulkPersons && period.persons * 2 > present
                try db.transaction {
                    if bulk {
                        try rebuildPeriod(kind, first: period.first, last: period.last)
                    } else {
                        let persons = try db.prepare("""
                            SELECT DISTINCT person FROM pending_period_person WHERE day BETWEEN ?1 AND ?2 ORDER BY person
                            """)
                        try persons.bind(.int(period.first), .int(period.last))
                        while try persons.step() {
                            try rebuildPeriod(kind, first: period.first, last: period.last, person: persons.int64(0))
                        }
                    }
                }
                recomputed += period.persons
            }
        }
        try db.transaction { try db.execute("DELETE FROM pending_period_person") }
        return recomputed
    }

    /// Rebuilds one period's rollups, for every person.
    func rebuildPeriod(_ kind: RollupKind, first: Int, last: Int) throws {
        try db.statement("DELETE FROM activity_period WHERE kind = ?1 AND first_day = ?2").execute(kind.rawValue, first)
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
