/// Totals of the whole territory per day and role (`visit_hour_role`, `activity_day_role`):
/// the report's `rythmes_semaine_heure` and `volumes_par_role` read them when no commune or
/// EPCI is chosen, instead of looking up the role of each of millions of `visit_start` and
/// `activity` rows. A person of several roles counts in each, and once in role '*' (under
/// `person_role.first_role`), exactly as those queries count from the day rows.
///
/// They are derived rows, kept like `day_window`:
/// - a day whose derived rows change is queued in `pending_role_day` (with
///   `pending_window_day`, by the same code);
/// - a person whose places change is queued in `pending_role_person` (triggers on
///   `person_place`); their roles are compared with `person_role`, the roles the totals
///   were computed with, and every day of a person whose roles changed is queued too;
/// - `refreshRoleDays()`, at the end of every run, recomputes the queued days from their
///   day rows in one transaction and empties both queues. A night thus recomputes its own
///   day (and the days of the rare person whose role changed), never the whole store.
///
/// Readers refuse a store whose queues are not empty, as for the other derived rows.
extension Store {
    /// Brings the totals per day and role up to date, in one transaction.
    public func refreshRoleDays() throws {
        try db.transaction { try Store.refreshRoleDays(db) }
    }

    /// True when days or persons wait for `refreshRoleDays()`.
    static func hasPendingRoleDays(_ db: Database) throws -> Bool {
        try db.scalarInt("""
            SELECT EXISTS (SELECT 1 FROM pending_role_day) OR EXISTS (SELECT 1 FROM pending_role_person)
            """) ?? 0 != 0
    }

    /// Above this many persons whose roles changed (a new directory), every day is
    /// recomputed rather than looking for each person's days.
    static let roleChangeAllDays = 2_000

    /// `refreshRoleDays()` inside the caller's transaction.
    static func refreshRoleDays(_ db: Database) throws {
        guard try hasPendingRoleDays(db) else { return }
        // Persons whose set of roles differs from the one the totals were computed with.
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS role_now(person INTEGER NOT NULL, role TEXT NOT NULL, PRIMARY KEY (person, role)) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS role_changed(person INTEGER PRIMARY KEY);
            DELETE FROM temp.role_now;
            DELETE FROM temp.role_changed;
            INSERT OR IGNORE INTO temp.role_now(person, role)
                SELECT p.person, p.role FROM pending_role_person q CROSS JOIN person_place p ON p.person = q.person;
            INSERT OR IGNORE INTO temp.role_changed(person)
                SELECT person FROM (SELECT person, role FROM temp.role_now
                                    EXCEPT
                                    SELECT r.person, r.role FROM pending_role_person q CROSS JOIN person_role r ON r.person = q.person)
                UNION
                SELECT person FROM (SELECT r.person, r.role FROM pending_role_person q CROSS JOIN person_role r ON r.person = q.person
                                    EXCEPT
                                    SELECT person, role FROM temp.role_now);
            DELETE FROM person_role WHERE person IN (SELECT person FROM temp.role_changed);
            INSERT INTO person_role(person, role, first_role)
                SELECT person, role, role = MIN(role) OVER (PARTITION BY person) FROM temp.role_now
                WHERE person IN (SELECT person FROM temp.role_changed);
            """)
        // Their days, found among the days that hold derived rows.
        let changed = Int(try db.scalarInt("SELECT COUNT(*) FROM temp.role_changed") ?? 0)
        if changed > 0 {
            let range = "c.day BETWEEN (SELECT MIN(day) FROM person_day) AND (SELECT MAX(day) FROM person_day)"
            if changed > roleChangeAllDays {
                try db.execute("""
                    INSERT OR IGNORE INTO pending_role_day(day)
                        SELECT c.day FROM calendar c WHERE \(range)
                          AND EXISTS (SELECT 1 FROM person_day pd WHERE pd.day = c.day)
                    """)
            } else {
                try db.execute("""
                    INSERT OR IGNORE INTO pending_role_day(day)
                        SELECT c.day FROM calendar c WHERE \(range)
                          AND EXISTS (SELECT 1 FROM temp.role_changed r CROSS JOIN person_day pd
                                      WHERE pd.day = c.day AND pd.person = r.person)
                    """)
            }
        }
        // The queued days, recomputed from their day rows, in one pass each: per role, with
        // the part counted under each person's first role (suffix 1), whose sum is '*'.
        // CROSS JOIN: read the queue, then each day's rows in key order, then each person.
        try db.execute("""
            DELETE FROM visit_hour_role WHERE day IN (SELECT day FROM pending_role_day);
            DELETE FROM activity_day_role WHERE day IN (SELECT day FROM pending_role_day);
            INSERT INTO visit_hour_role(day, role, hour, visits)
                WITH g AS MATERIALIZED (
                    SELECT v.day, v.hour, r.role, SUM(v.visits) AS n, SUM(r.first_role * v.visits) AS n1
                    FROM pending_role_day q CROSS JOIN visit_start v ON v.day = q.day
                         CROSS JOIN person_role r ON r.person = v.person
                    GROUP BY v.day, v.hour, r.role)
                SELECT day, role, hour, n FROM g
                UNION ALL
                SELECT day, '*', hour, SUM(n1) FROM g GROUP BY day, hour;
            INSERT INTO activity_day_role(day, role, users, visits, logins, requests)
                WITH g AS MATERIALIZED (
                    SELECT a.day, r.role, COUNT(*) AS u, SUM(a.visits) AS v, SUM(a.logins) AS l, SUM(a.requests) AS q,
                           SUM(r.first_role) AS u1, SUM(r.first_role * a.visits) AS v1,
                           SUM(r.first_role * a.logins) AS l1, SUM(r.first_role * a.requests) AS q1
                    FROM pending_role_day q CROSS JOIN activity a ON a.day = q.day AND a.source = '*' AND a.feature = '*'
                         CROSS JOIN person_role r ON r.person = a.person
                    GROUP BY a.day, r.role)
                SELECT day, role, u, v, l, q FROM g
                UNION ALL
                SELECT day, '*', SUM(u1), SUM(v1), SUM(l1), SUM(q1) FROM g GROUP BY day;
            DELETE FROM pending_role_day;
            DELETE FROM pending_role_person;
            DELETE FROM temp.role_now;
            DELETE FROM temp.role_changed;
            """)
    }
}
