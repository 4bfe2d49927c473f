/// Signed sums of rollup rows (`person_period`, unpacked) per (period, role slot, source, feature): the
/// changes to add to `activity_period_role` and `activity_period_level`
/// (`Store+RolePeriods`).
///
/// A rollup row of a person counts in each of the person's roles (from `PersonRoleMasks`)
/// and once in role '*': one user (one listed user if the person is in accounts.csv) and
/// its visits, logins and requests. A total row (source and feature '*') also counts one
/// user in each of the person's (role, level) pairs. Rows are added with weight +1 and taken away with
/// weight −1; a row whose users fall to 0 is deleted when written. Rows are read with
/// `RollupFigures.PieceReader`, so a row costs an array read and no `String`.
final class RolePeriodSums {
    let people: PersonRoleMasks
    private let db: Database
    private let reader: RollupFigures.PieceReader
    /// The sums of each period.
    private var cells: [Period: RoleCells] = [:]

    /// A rollup period.
    struct Period: Hashable, Comparable {
        var kind: Store.RollupKind
        var first: Int
        static func < (a: Period, b: Period) -> Bool { (a.kind.rawValue, a.first) < (b.kind.rawValue, b.first) }
    }

    init(db: Database, people: PersonRoleMasks) throws {
        self.db = db
        self.people = people
        reader = try RollupFigures.PieceReader(db: db)
    }

    /// Adds `sign` × every rollup row of `period` (of one person when given).
    func addRows(of period: Period, person: Int64? = nil, sign: Int) throws {
        let s: Statement
        if let person {
            s = try db.statement("""
                SELECT person, days, requests, logins, visits, detail FROM person_period
                WHERE kind = ?1 AND first_day = ?2 AND person = ?3
                """)
            s.reset()
            try s.bind(.text(period.kind.rawValue), .int(period.first), .integer(person))
        } else {
            s = try db.statement("""
                SELECT person, days, requests, logins, visits, detail FROM person_period WHERE kind = ?1 AND first_day = ?2
                """)
            s.reset()
            try s.bind(.text(period.kind.rawValue), .int(period.first))
        }
        try add(s, weight: sign, to: period)
    }

    /// Adds one row of a person to `period`: its counts, and `users` users (1 where the
    /// person's (source, feature) row is new to the period, 0 where its counts only grow).
    func addRow(of period: Period, person: Int64, source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer,
                requests: Int, logins: Int, visits: Int, users: Int) {
        var sums = cells[period] ?? RoleCells(people: people)
        cells[period] = nil
        let combo = reader.combo(source: source, feature: feature)
        sums.add(person: person, combo: combo, weight: users, levels: combo == reader.totalCombo,
                 requests: requests, logins: logins, visits: visits)
        cells[period] = sums
    }

    /// Adds `sign` × every rollup row, in every period, of the persons of
    /// `temp.role_changed` (their roles are about to change, or have just changed).
    func addRowsOfChangedPersons(sign: Int) throws {
        // The periods between the first and the last of each kind that has rollups (a few
        // dozen a year), listed once; then one key lookup per (person, period).
        let bounds = try db.prepare("""
            SELECT p.kind, p.first_day FROM period p
            WHERE p.kind IN ('week', 'month', 'school-year')
              AND p.first_day BETWEEN (SELECT MIN(first_day) FROM person_period WHERE kind = p.kind)
                                  AND (SELECT MAX(first_day) FROM person_period WHERE kind = p.kind)
            """)
        var periods: [Period] = []
        while try bounds.step() {
            if let kind = Store.RollupKind(rawValue: bounds.text(0)) { periods.append(Period(kind: kind, first: bounds.int(1))) }
        }
        let rows = try db.statement("""
            SELECT pp.person, pp.days, pp.requests, pp.logins, pp.visits, pp.detail
            FROM temp.role_changed r CROSS JOIN person_period pp ON pp.kind = ?1 AND pp.first_day = ?2 AND pp.person = r.person
            """)
        for period in periods {
            rows.reset()
            try rows.bind(.text(period.kind.rawValue), .int(period.first))
            try add(rows, weight: sign, to: period)
        }
    }

    /// Adds `weight` × the packed rows `s` reads (person_period's columns person, days,
    /// requests, logins, visits, detail).
    private func add(_ s: Statement, weight: Int, to period: Period) throws {
        var sums = cells[period] ?? RoleCells(people: people)
        cells[period] = nil
        let reader = self.reader
        try reader.readPacked(s, table: "person_period", weight: weight) { person, combo, requests, logins, visits, weight in
            sums.add(person: person, combo: combo, weight: weight, levels: combo == reader.totalCombo,
                     requests: requests, logins: logins, visits: visits)
        }
        cells[period] = sums
    }

    /// Forgets the sums (a reader's, once its rows are taken).
    func discard() { cells = [:] }

    /// The nonzero sums of `period`.
    func rows(of period: Period) -> [RoleCells.Row] {
        cells[period]?.rows(combos: reader.combos) ?? []
    }

    /// Adds the sums to `activity_period_role` and `activity_period_level` (on the
    /// connection given at init), deletes the rows left without users, and starts again
    /// from zero.
    func write() throws {
        let prune = try db.statement("""
            DELETE FROM activity_period_role WHERE kind = ?1 AND first_day = ?2 AND users <= 0
            """)
        let pruneLevels = try db.statement("""
            DELETE FROM activity_period_level WHERE kind = ?1 AND first_day = ?2 AND users <= 0
            """)
        for period in cells.keys.sorted() {
            try Self.add(rows(of: period), to: period, db: db)
            try prune.execute(period.kind.rawValue, period.first)
            try pruneLevels.execute(period.kind.rawValue, period.first)
        }
        cells = [:]
    }

    /// Adds `rows` to the stored totals of `period`: rows of role slots to
    /// `activity_period_role`, rows of (role, level) slots to `activity_period_level`.
    static func add(_ rows: [RoleCells.Row], to period: Period, db: Database) throws {
        let upsert = try db.statement("""
            INSERT INTO activity_period_role(kind, first_day, role, source, feature, users, listed_users, visits, logins, requests)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT(kind, first_day, role, source, feature) DO UPDATE SET
                users = users + excluded.users, listed_users = listed_users + excluded.listed_users,
                visits = visits + excluded.visits, logins = logins + excluded.logins, requests = requests + excluded.requests
            """)
        let upsertLevel = try db.statement("""
            INSERT INTO activity_period_level(kind, first_day, role, level, users, listed_users) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT(kind, first_day, role, level) DO UPDATE SET
                users = users + excluded.users, listed_users = listed_users + excluded.listed_users
            """)
        for row in rows {
            if row.level == "*" {
                try upsert.execute(period.kind.rawValue, period.first, row.role, row.source, row.feature,
                                   row.users, row.listed, row.visits, row.logins, row.requests)
            } else {
                try upsertLevel.execute(period.kind.rawValue, period.first, row.role, row.level, row.users, row.listed)
            }
        }
    }
}
