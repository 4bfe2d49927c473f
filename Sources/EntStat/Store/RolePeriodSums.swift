/// Signed sums of `activity_period` rows per (period, role slot, source, feature): the
/// changes to add to `activity_period_role` (`Store+RolePeriods`).
///
/// A rollup row of a person counts in each of the person's roles (from `PersonRoleMasks`)
/// and once in role '*': one user (one listed user if the person is in accounts.csv) and
/// its visits, logins and requests. Rows are added with weight +1 and taken away with
/// weight −1; a row whose users fall to 0 is deleted when written. Rows are read with
/// `RollupFigures.PieceReader`, so a row costs an array read and no `String`.
final class RolePeriodSums {
    let people: PersonRoleMasks
    private let db: Database
    private let reader: RollupFigures.PieceReader
    /// Per period: cell (combo × slots + slot) × 5: users, listed, visits, logins, requests.
    private var cells: [Period: [Int]] = [:]

    /// A rollup period.
    struct Period: Hashable, Comparable {
        var kind: Store.RollupKind
        var first: Int
        static func < (a: Period, b: Period) -> Bool { (a.kind.rawValue, a.first) < (b.kind.rawValue, b.first) }
    }

    init(db: Database, people: PersonRoleMasks) throws {
        self.db = db
        self.people = people
        reader = try RollupFigures.PieceReader(db: db, filter: "1 = 1")
    }

    /// True when nothing was added since the last `write`.
    var isEmpty: Bool { cells.isEmpty }

    /// Adds `sign` × every rollup row of `period` (of one person when given).
    func addRows(of period: Period, person: Int64? = nil, sign: Int) throws {
        let s: Statement
        if let person {
            s = try db.statement("""
                SELECT person, source, feature, requests, logins, visits, ?4 FROM activity_period
                WHERE kind = ?1 AND first_day = ?2 AND person = ?3
                """)
            s.reset()
            try s.bind(.text(period.kind.rawValue), .int(period.first), .integer(person), .int(sign))
        } else {
            s = try db.statement("""
                SELECT person, source, feature, requests, logins, visits, ?3 FROM activity_period WHERE kind = ?1 AND first_day = ?2
                """)
            s.reset()
            try s.bind(.text(period.kind.rawValue), .int(period.first), .int(sign))
        }
        try add(s, to: period)
    }

    /// Adds the rows of the queued days new to `period` (not `removed`), as
    /// `Store.refreshPeriod` is about to add them to the rollups: their counts, and one
    /// user where a person's (source, feature) row is not yet in the period. Called before
    /// the rollups change.
    func addNewDays(of period: Period, last: Int) throws {
        let s = try db.statement("""
            SELECT d.person, d.source, d.feature, d.requests, d.logins, d.visits, ap.person IS NULL
            FROM (SELECT a.person, a.source, a.feature, SUM(a.requests) AS requests, SUM(a.logins) AS logins, SUM(a.visits) AS visits
                  FROM pending_period_person q CROSS JOIN activity a ON a.day = q.day AND a.person = q.person
                  WHERE q.day BETWEEN ?2 AND ?3
                    AND q.person NOT IN (SELECT person FROM pending_period_person WHERE day BETWEEN ?2 AND ?3 AND removed = 1)
                  GROUP BY a.person, a.source, a.feature) d
                 LEFT JOIN activity_period ap
                   ON ap.kind = ?1 AND ap.first_day = ?2 AND ap.person = d.person AND ap.source = d.source AND ap.feature = d.feature
            """)
        s.reset()
        try s.bind(.text(period.kind.rawValue), .int(period.first), .int(last))
        try add(s, to: period)
    }

    /// Adds `sign` × every rollup row, in every period, of the persons of
    /// `temp.role_changed` (their roles are about to change, or have just changed).
    func addRowsOfChangedPersons(sign: Int) throws {
        // The periods between the first and the last of each kind that has rollups (a few
        // dozen a year), listed once; then one key lookup per (person, period).
        let s = try db.statement("""
            WITH bounds AS MATERIALIZED (
                     SELECT 'week' AS kind, (SELECT MIN(first_day) FROM activity_period WHERE kind = 'week') AS lo,
                            (SELECT MAX(first_day) FROM activity_period WHERE kind = 'week') AS hi
                     UNION ALL
                     SELECT 'month', (SELECT MIN(first_day) FROM activity_period WHERE kind = 'month'),
                            (SELECT MAX(first_day) FROM activity_period WHERE kind = 'month')
                     UNION ALL
                     SELECT 'school-year', (SELECT MIN(first_day) FROM activity_period WHERE kind = 'school-year'),
                            (SELECT MAX(first_day) FROM activity_period WHERE kind = 'school-year')),
                 p AS MATERIALIZED (
                     SELECT p.kind, p.first_day FROM bounds b JOIN period p ON p.kind = b.kind AND p.first_day BETWEEN b.lo AND b.hi)
            SELECT p.kind, p.first_day, ap.person, ap.source, ap.feature, ap.requests, ap.logins, ap.visits
            FROM temp.role_changed r
                 CROSS JOIN p
                 CROSS JOIN activity_period ap ON ap.kind = p.kind AND ap.first_day = p.first_day AND ap.person = r.person
            """)
        s.reset()
        var rows: [(Period, Int64, String, String, Int, Int, Int)] = []
        while try s.step() {
            guard let kind = Store.RollupKind(rawValue: s.text(0)) else { continue }
            rows.append((Period(kind: kind, first: s.int(1)), s.int64(2), s.text(3), s.text(4), s.int(5), s.int(6), s.int(7)))
        }
        s.reset()
        // A few rows per changed person (at most `Store.roleChangeAllDays` persons): each
        // is added through a one-row statement, to share the combo ids of the reader.
        let one = try db.statement("SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7")
        for (period, person, source, feature, r, l, v) in rows {
            one.reset()
            try one.bind(.integer(person), .text(source), .text(feature), .int(r), .int(l), .int(v), .int(sign))
            try add(one, to: period)
        }
    }

    private func add(_ s: Statement, to period: Period) throws {
        let slots = people.slotCount, people = self.people
        var c = cells[period] ?? []
        cells[period] = nil
        try reader.readWeighted(s) { person, combo, requests, logins, visits, weight in
            let mask = people.mask(of: Int(person))
            guard mask != 0 else { return }
            let listed = mask & PersonRoleMasks.listedBit != 0 ? 1 : 0
            let base = combo * slots * 5
            if c.count < base + slots * 5 {
                c.append(contentsOf: repeatElement(0, count: base + slots * 5 - c.count))
            }
            let sign = weight < 0 ? -1 : 1
            PersonRoleMasks.forEachSlot(of: mask) { slot in
                let i = base + slot * 5
                c[i] += weight
                c[i + 1] += weight * listed
                c[i + 2] += sign * visits
                c[i + 3] += sign * logins
                c[i + 4] += sign * requests
            }
        }
        cells[period] = c
    }

    /// Forgets the sums (a reader's, once its rows are taken).
    func discard() { cells = [:] }

    /// One row of `activity_period_role`, without its period.
    struct Row: Sendable {
        var role: String
        var source: String
        var feature: String
        var users: Int
        var listed: Int
        var visits: Int
        var logins: Int
        var requests: Int
    }

    /// The nonzero sums of `period`.
    func rows(of period: Period) -> [Row] {
        guard let c = cells[period] else { return [] }
        let slots = people.slotCount
        var rows: [Row] = []
        for (combo, names) in reader.combos.enumerated() {
            for slot in 0..<slots {
                let i = (combo * slots + slot) * 5
                guard i + 4 < c.count, c[i..<(i + 5)].contains(where: { $0 != 0 }) else { continue }
                rows.append(Row(role: people.roleName(slot: slot), source: names.source, feature: names.feature, users: c[i],
                                listed: c[i + 1], visits: c[i + 2], logins: c[i + 3], requests: c[i + 4]))
            }
        }
        return rows
    }

    /// Adds the sums to `activity_period_role` (on the connection given at init), deletes
    /// the rows left without users, and starts again from zero.
    func write() throws {
        let upsert = try db.statement("""
            INSERT INTO activity_period_role(kind, first_day, role, source, feature, users, listed_users, visits, logins, requests)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT(kind, first_day, role, source, feature) DO UPDATE SET
                users = users + excluded.users, listed_users = listed_users + excluded.listed_users,
                visits = visits + excluded.visits, logins = logins + excluded.logins, requests = requests + excluded.requests
            """)
        let prune = try db.statement("DELETE FROM activity_period_role WHERE kind = ?1 AND first_day = ?2 AND users <= 0")
        for period in cells.keys.sorted() {
            for row in rows(of: period) {
                try upsert.execute(period.kind.rawValue, period.first, row.role, row.source, row.feature,
                                   row.users, row.listed, row.visits, row.logins, row.requests)
            }
            try prune.execute(period.kind.rawValue, period.first)
        }
        cells = [:]
    }
}
