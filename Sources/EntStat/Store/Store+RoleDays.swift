/// Totals of the whole territory per day and role (`visit_hour_role`, `activity_day_role`):
/// the report's day-level queries read them when no commune or EPCI is chosen, and so do
/// day-level exports without a place grouping (`DayRoleFigures`), instead of looking up the
/// role of each of millions of `visit_start` and `activity` rows. A person of several roles
/// counts in each, and once in role '*' (under `person_role.first_role`), exactly as those
/// queries count from the day rows.
///
/// They are derived rows, kept like `day_window`:
/// - a day whose derived rows change is queued in `pending_role_day` (with
///   `pending_window_day`, by the same code);
/// - a person whose places change is queued in `pending_role_person` (triggers on
///   `person_place`); their roles are compared with `person_role`, the roles the totals
///   were computed with (and their listing in accounts.csv), and their (role, level) pairs
///   with `person_level`; every day of a person whose roles, listing or levels changed is
///   queued too, and their rows in the totals per period are moved;
/// - `refreshRoleDays()`, at the end of every run, recomputes the queued days from their
///   day rows in one transaction and empties both queues. A night thus recomputes its own
///   day (and the days of the rare person whose role changed), never the whole store.
///
/// Readers refuse a store whose queues are not empty, as for the other derived rows.
extension Store {
    /// Brings the totals per day and role up to date, in one transaction, on as many
    /// threads as an export reads with (one per core, at most two): called with no
    /// transaction open, so the day rows it reads are committed and a second connection
    /// sees them too.
    public func refreshRoleDays() throws {
        try refreshRoleDaysKeepingRoles()
    }

    /// `refreshRoleDays()`, returning every person's roles as they are once it is done
    /// (`person_role` and `person_level`), when it had to read them: the steps after it
    /// in `completePendingWork` change neither table, and reuse them instead of reading
    /// them again (1.5 s each for the 1.56 M persons of the national events week).
    @discardableResult
    func refreshRoleDaysKeepingRoles() throws -> PersonRoleMasks? {
        try db.transaction { try Store.refreshRoleDays(db, threads: RollupFigures.defaultWorkers) }
    }

    /// True when days or persons wait for `refreshRoleDays()`.
    static func hasPendingRoleDays(_ db: Database) throws -> Bool {
        try db.scalarInt("""
            SELECT EXISTS (SELECT 1 FROM pending_role_day) OR EXISTS (SELECT 1 FROM pending_role_person)
            """) ?? 0 != 0
    }

    /// The days queued in `pending_role_day`, in order.
    static func queuedRoleDays(_ db: Database) throws -> [Int] {
        let queued = try db.prepare("SELECT day FROM pending_role_day ORDER BY day")
        var days: [Int] = []
        while try queued.step() { days.append(queued.int(0)) }
        return days
    }

    /// Above this many persons whose roles changed (a new directory), every day is
    /// recomputed rather than looking for each person's days.
    static let roleChangeAllDays = 2_000

    /// The copies of `person_place` the totals were computed with, and the columns each
    /// keeps: roles and listing (`person_role`, written with its `first_role` apart), (role,
    /// level) pairs, (role, commune, EPCI) rows. A queued person whose rows of one of them
    /// differ from `person_place`'s is a person whose totals move.
    static let snapshots: [(table: String, columns: [String])] = [
        ("person_role", ["role", "listed"]), ("person_level", ["role", "level"]), ("person_scope", ["role", "code_commune", "epci"]),
    ]

    /// The persons of `queued` whose distinct `columns` of `person_place` are not those of
    /// `snapshot` (a row gained or lost, either way).
    static func changedPersons(snapshot: String, columns: [String], queued: String = "pending_role_person") -> String {
        let now = "SELECT DISTINCT q.person, " + columns.map { "p." + $0 }.joined(separator: ", ")
            + " FROM \(queued) q CROSS JOIN person_place p ON p.person = q.person"
        let then = "SELECT q.person, " + columns.map { "s." + $0 }.joined(separator: ", ")
            + " FROM \(queued) q CROSS JOIN \(snapshot) s ON s.person = q.person"
        return "SELECT person FROM (\(now) EXCEPT \(then))\nUNION\nSELECT person FROM (\(then) EXCEPT \(now))"
    }

    /// `refreshRoleDays()` inside the caller's transaction. With `threads` > 1, other
    /// connections read the day rows of the queued days and `person_place`: the caller must
    /// not have changed them in its transaction (they would not see the change).
    ///
    /// Returns the roles of every person it read (nil when it read none): those of
    /// `person_role` and `person_level` once it is done.
    @discardableResult
    static func refreshRoleDays(_ db: Database, threads: Int = 1) throws -> PersonRoleMasks? {
        guard try hasPendingRoleDays(db) else { return nil }
        // Persons whose roles (and listing in accounts.csv), (role, level) pairs or (role,
        // commune, EPCI) rows differ from those the totals were computed with.
        // - A queued person without a row in `person_role` had no place when the totals were
        //   computed, hence no row in any snapshot (all three are written together from
        //   `person_place`): changed exactly when they have a place now. On a first ingest
        //   that is everyone, found with two key lookups each instead of the comparisons
        //   below (625 000 new persons: 1.8 s → 0.3 s).
        // - The others (`temp.role_known`) are compared snapshot by snapshot.
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS role_changed(person INTEGER PRIMARY KEY);
            CREATE TEMP TABLE IF NOT EXISTS role_known(person INTEGER PRIMARY KEY);
            DELETE FROM temp.role_changed;
            DELETE FROM temp.role_known;
            INSERT INTO temp.role_changed(person)
                SELECT q.person FROM pending_role_person q
                WHERE NOT EXISTS (SELECT 1 FROM person_role s WHERE s.person = q.person)
                  AND EXISTS (SELECT 1 FROM person_place p WHERE p.person = q.person);
            INSERT INTO temp.role_known(person)
                SELECT q.person FROM pending_role_person q WHERE EXISTS (SELECT 1 FROM person_role s WHERE s.person = q.person);
            INSERT OR IGNORE INTO temp.role_changed(person)
            """ + snapshots.map { changedPersons(snapshot: $0.table, columns: $0.columns, queued: "temp.role_known") }
                .joined(separator: "\nUNION\n"))
        // The totals per period move with them: their rollup rows are taken away under the
        // old roles and levels and added under the new ones (a new directory: every period, recomputed).
        let changed = Int(try db.scalarInt("SELECT COUNT(*) FROM temp.role_changed") ?? 0)
        let moving = changed > 0 && changed <= roleChangeAllDays
        if changed > roleChangeAllDays { try queueAllRolePeriods(db) }
        func moveRolePeriods(sign: Int) throws {
            guard moving else { return }
            let sums = try RolePeriodSums(db: db, people: try PersonRoleMasks(db: db, persons: "temp.role_changed"))
            try sums.addRowsOfChangedPersons(sign: sign)
            try sums.write()
        }
        // Every person's places and the peaks of the days queued so far do not depend on the
        // roles: another connection reads them while this one writes the snapshots.
        var readAhead: PlacesReadAhead?
        if threads > 1 { readAhead = PlacesReadAhead(path: db.path, days: try queuedRoleDays(db)) }
        defer { _ = readAhead?.result() }
        try moveRolePeriods(sign: -1)
        try db.execute(snapshots.map { "DELETE FROM \($0.table) WHERE person IN (SELECT person FROM temp.role_changed);" }.joined())
        // Every person's roles, for the totals below: collected by the snapshot writer when
        // it writes every row of the two tables, read from them otherwise.
        let writesAllRoles = try db.scalarInt("""
            SELECT NOT EXISTS (SELECT 1 FROM person_role) AND NOT EXISTS (SELECT 1 FROM person_level)
            """) == 1
        let writtenRoles = try RoleSnapshotWriter.write(db, persons: "temp.role_changed", collectingMasks: writesAllRoles)
        try moveRolePeriods(sign: 1)
        // Their days. A new directory changes thousands of persons: every day. Otherwise,
        // each person's days are looked for in the months where the person has a month
        // rollup (one key lookup per month, then one per day of those months), plus the days
        // still queued for the rollups: a night's new persons cost a few lookups each,
        // whatever the length of the store's history.
        if changed > roleChangeAllDays {
            try db.execute("""
                INSERT OR IGNORE INTO pending_role_day(day)
                    SELECT c.day FROM calendar c
                    WHERE c.day BETWEEN (SELECT MIN(day) FROM person_day) AND (SELECT MAX(day) FROM person_day)
                      AND EXISTS (SELECT 1 FROM person_day pd WHERE pd.day = c.day)
                """)
        } else if changed > 0 {
            try db.execute("""
                INSERT OR IGNORE INTO pending_role_day(day)
                    SELECT pd.day
                    FROM temp.role_changed r
                         CROSS JOIN period m ON m.kind = 'month'
                             AND m.first_day BETWEEN (SELECT MIN(day) FROM person_day) - 31 AND (SELECT MAX(day) FROM person_day)
                         CROSS JOIN calendar c ON c.day BETWEEN m.first_day AND m.last_day
                         CROSS JOIN person_day pd ON pd.day = c.day AND pd.person = r.person
                    WHERE EXISTS (SELECT 1 FROM person_period ap
                                  WHERE ap.kind = 'month' AND ap.first_day = m.first_day AND ap.person = r.person)
                    UNION
                    SELECT q.day FROM pending_period_person q WHERE q.person IN (SELECT person FROM temp.role_changed)
                """)
        }
        // The queued days, recomputed from their day rows.
        try db.execute("""
            DELETE FROM visit_hour_role WHERE day IN (SELECT day FROM pending_role_day);
            DELETE FROM activity_day_role WHERE day IN (SELECT day FROM pending_role_day);
            DELETE FROM visit_day_place WHERE day IN (SELECT day FROM pending_role_day);
            DELETE FROM activity_day_place WHERE day IN (SELECT day FROM pending_role_day);
            DELETE FROM peak_day_place WHERE day IN (SELECT day FROM pending_role_day);
            """)
        var roles: PersonRoleMasks?
        if try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_role_day)") ?? 0 != 0 {
            let ahead = readAhead?.result()
            let sums = try RoleDaySums(db: db, people: writtenRoles, places: ahead?.places)
            try sums.write(db: db, threads: threads, knownPeaks: ahead?.peaks ?? [:])
            roles = sums.people
        }
        try db.execute("""
            DELETE FROM pending_role_day;
            DELETE FROM pending_role_person;
            DELETE FROM temp.role_changed;
            DELETE FROM temp.role_known;
            """)
        return roles
    }
}
