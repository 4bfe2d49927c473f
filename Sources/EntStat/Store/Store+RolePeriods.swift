/// Totals of the whole territory per rollup period and role (`activity_period_role`), and
/// per period and (role, level) for the total rows (`activity_period_level`): the
/// report's period queries read them when no commune or EPCI is chosen and the period is
/// one whole week, month or school year, instead of counting the persons of every rollup
/// row. They hold, for every (period, role, source, feature), what the person-by-person
/// count gives from `activity_period` and `person_role`: a person of several roles counts
/// in each, and once in role '*'; and for every (period, role, level), the persons with a
/// total row and that pair in `person_level` (a person of two levels counts in each).
///
/// They change with the rows they sum, in the same transaction, so a night pays for its own
/// rows only:
/// - `refreshPeriod` (`Store+Rollups`) adds the rows of a night's new days (one user where
///   a person's row is new to the period), and takes a recomputed person's old rows away
///   before adding the new ones;
/// - `refreshRoleDays` moves the rows of a person whose roles or levels change from the
///   old ones to the new ones;
/// - a period rebuilt in one pass (a first ingest), or every period when thousands of
///   persons change roles (a new directory), is queued in `pending_role_period` and
///   recomputed from all its rollup rows by `refreshRolePeriods()` at the end of the run.
///
/// Readers refuse a store whose queue is not empty, as for the other derived rows.
extension Store {
    /// Recomputes the queued periods, in one transaction, reading their rollup rows on as
    /// many threads as an export reads with: called with no transaction open, so the rows
    /// it reads are committed and a second connection sees them too.
    public func refreshRolePeriods() throws {
        try refreshRolePeriods(roles: nil)
    }

    /// `refreshRolePeriods()` with every person's roles already read (nil: read them).
    func refreshRolePeriods(roles: PersonRoleMasks?) throws {
        try db.transaction { try Store.refreshRolePeriods(db, threads: RollupFigures.defaultWorkers, roles: roles) }
    }

    /// True when periods wait for `refreshRolePeriods()`.
    static func hasPendingRolePeriods(_ db: Database) throws -> Bool {
        try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_role_period)") ?? 0 != 0
    }

    /// `refreshRolePeriods()` inside the caller's transaction. With `threads` > 1, other
    /// connections read the rollup rows: the caller must not have changed them in its
    /// transaction.
    ///
    /// `roles`: every person's roles as `person_role` and `person_level` hold them (nil: read
    /// here).
    static func refreshRolePeriods(_ db: Database, threads: Int = 1, roles: PersonRoleMasks? = nil) throws {
        guard try hasPendingRolePeriods(db) else { return }
        let queued = try db.prepare("SELECT kind, first_day FROM pending_role_period ORDER BY kind, first_day")
        var periods: [RolePeriodSums.Period] = []
        while try queued.step() {
            if let kind = RollupKind(rawValue: queued.text(0)) { periods.append(.init(kind: kind, first: queued.int(1))) }
        }
        let people = try roles ?? PersonRoleMasks(db: db)
        let path = db.path, all = periods
        let perPeriod = try ParallelJobs.run(
            count: all.count, threads: threads,
            callerContext: try RolePeriodSums(db: db, people: people),
            makeContext: { try RolePeriodSums(db: try RollupFigures.openReader(path: path), people: people) },
            job: { sums, index in
                try sums.addRows(of: all[index], sign: 1)
                defer { sums.discard() }
                return sums.rows(of: all[index])
            })
        let delete = try db.statement("DELETE FROM activity_period_role WHERE kind = ?1 AND first_day = ?2")
        let deleteLevels = try db.statement("DELETE FROM activity_period_level WHERE kind = ?1 AND first_day = ?2")
        for (period, rows) in zip(all, perPeriod) {
            try delete.execute(period.kind.rawValue, period.first)
            try deleteLevels.execute(period.kind.rawValue, period.first)
            try RolePeriodSums.add(rows, to: period, db: db)
        }
        try db.execute("DELETE FROM pending_role_period")
    }

    /// Queues every period that has rollups for `refreshRolePeriods()`.
    static func queueAllRolePeriods(_ db: Database) throws {
        try db.execute("""
            INSERT OR IGNORE INTO pending_role_period(kind, first_day)
                SELECT p.kind, p.first_day FROM period p
                WHERE EXISTS (SELECT 1 FROM person_period ap WHERE ap.kind = p.kind AND ap.first_day = p.first_day)
            """)
    }

    /// True when `period`'s totals are queued to be recomputed whole (changes to them
    /// would be overwritten).
    static func rolePeriodIsQueued(_ db: Database, _ kind: RollupKind, first: Int) throws -> Bool {
        try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_role_period WHERE kind = ?1 AND first_day = ?2)",
                         .text(kind.rawValue), .int(first)) ?? 0 != 0
    }
}
