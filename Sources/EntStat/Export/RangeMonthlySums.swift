/// `activite_mensuelle_role` and `activite_mensuelle_niveau`: month by month over
/// `:from`–`:to` (a month cut by the range counts its days inside only), the active persons
/// (of the commune or EPCI of `:commune` or `:epci`, when given) counted by role, and by role
/// and school level, from their total rows (`source = '*' AND feature = '*'`). They are
/// `entstat export --period month --by role` (role `'*'`: no `--by`) and
/// `--by role,level` in a few rows per month, as `RangeRoleSums`'s tables are for the whole
/// range.
///
/// The engine builds them before a query that names them, into an in-memory database
/// attached as `mensuel` (its own, so that another connection's copy attached under that
/// name holds nothing else). Each month with activity inside the range is read as
/// `RollupFigures.plan` reads it for an export: over the territory, a whole month is copied
/// from `activity_period_role` and `activity_period_level`; otherwise its persons' sums are
/// added up from the month's rollup (minus the days outside), weeks and days, and counted.
/// The report's connections share one build (`RangeActivity.SharedTables`), as they share
/// `activite_periode`'s, and a build does not wait for that one.
public enum RangeMonthlySums {
    static let roleTable = "activite_mensuelle_role"
    static let levelTable = "activite_mensuelle_niveau"
    static let schema = "mensuel"

    /// Makes both tables hold the `from`/`to` range and place of `parameters` when `sql`
    /// names either: already there, attached from `shared` when another connection built
    /// them, or built here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws {
        let lower = sql.lowercased()
        guard lower.contains(roleTable) || lower.contains(levelTable) else { return }
        let db = store.db
        let range = RangeActivity.DayRange(parameters: parameters)
        if let current = try currentRange(db), current == range { return }
        guard let shared else { return try build(range, store: store) }
        let (image, built) = try shared.image(of: range, group: schema) {
            try build(range, store: store)
            return try DatabaseImage(of: schema, in: db)
        }
        if !built { try db.attach(image, as: schema) }
    }

    /// The range the attached tables hold; nil when there are none.
    private static func currentRange(_ db: Database) throws -> RangeActivity.DayRange? {
        guard try db.isAttached(schema) else { return nil }
        let current = try db.prepare("SELECT from_day, to_day, commune, epci FROM \(schema).range")
        guard try current.step() else { return nil }
        return RangeActivity.DayRange(from: current.isNull(0) ? nil : current.int(0), to: current.isNull(1) ? nil : current.int(1),
                                      commune: current.text(2), epci: current.text(3))
    }

    /// Builds both tables for `range` in an in-memory database attached as `mensuel`.
    private static func build(_ range: RangeActivity.DayRange, store: Store) throws {
        let db = store.db
        // A database this connection built before is emptied (a DETACH would fail inside
        // the transaction `entstat purge` runs its queries in); another's copy is replaced.
        if try !db.isAttached(schema) || db.holdsImage(schema) { try db.attachWritableMemory(as: schema) }
        try db.execute("""
            CREATE TABLE IF NOT EXISTS \(schema).range (from_day INTEGER, to_day INTEGER, commune TEXT NOT NULL, epci TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS \(schema).\(roleTable) (
                mois         TEXT NOT NULL,
                role         TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                visits       INTEGER NOT NULL,
                logins       INTEGER NOT NULL,
                requests     INTEGER NOT NULL,
                PRIMARY KEY (mois, role)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS \(schema).\(levelTable) (
                mois         TEXT NOT NULL,
                role         TEXT NOT NULL,
                level        TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                PRIMARY KEY (mois, role, level)
            ) WITHOUT ROWID;
            DELETE FROM \(schema).range;
            DELETE FROM \(schema).\(roleTable);
            DELETE FROM \(schema).\(levelTable);
            """)
        let described = try db.prepare("INSERT INTO \(schema).range(from_day, to_day, commune, epci) VALUES (?1, ?2, ?3, ?4)")
        try described.bind(range.from.map { .int($0) } ?? .null, range.to.map { .int($0) } ?? .null,
                           .text(range.commune), .text(range.epci))
        _ = try described.step()
        guard let fromDay = range.from, let toDay = range.to, fromDay <= toDay else { return }
        let months: [(String, [RollupFigures.Piece])]
        if try store.rollupsAreCurrent() {
            let request = ExportRequest(period: .month, from: CivilDate(dayNumber: fromDay), to: CivilDate(dayNumber: toDay))
            months = try RollupFigures.planned(db, request: request, fromDay: fromDay, toDay: toDay).periods
        } else {
            // Rollups behind the day rows: every month day by day.
            var pieces: [(String, [RollupFigures.Piece])] = []
            var day = fromDay
            while day <= toDay {
                let last = min(Store.RollupKind.month.bounds(of: day).last, toDay)
                pieces.append((RollupFigures.label(of: day, period: .month), [RollupFigures.Piece(kind: .days(day, last))]))
                day = last + 1
            }
            months = pieces
        }
        let copyRoles = try db.prepare("""
            INSERT INTO \(schema).\(roleTable)(mois, role, users, listed_users, visits, logins, requests)
            SELECT ?1, role, users, listed_users, visits, logins, requests FROM activity_period_role
            WHERE kind = 'month' AND first_day = ?2 AND source = '*' AND feature = '*'
            """)
        let copyLevels = try db.prepare("""
            INSERT INTO \(schema).\(levelTable)(mois, role, level, users, listed_users)
            SELECT ?1, role, level, users, listed_users FROM activity_period_level WHERE kind = 'month' AND first_day = ?2
            """)
        let insertRole = try db.prepare("""
            INSERT INTO \(schema).\(roleTable)(mois, role, users, listed_users, visits, logins, requests)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        let insertLevel = try db.prepare("""
            INSERT INTO \(schema).\(levelTable)(mois, role, level, users, listed_users) VALUES (?1, ?2, ?3, ?4, ?5)
            """)
        let reader = try RollupFigures.PieceReader(db: db, hasSource: false, hasFeature: false)
        // Loaded for the first month counted (none when every month is copied).
        var counter: RangeRoleSums.Counter?
        let star = ["*"]
        try db.execute("SAVEPOINT range_months")
        do {
            for (month, pieces) in months {
                if !range.isScoped, pieces.count == 1, case .rollup(.month, let first) = pieces[0].kind {
                    for copy in [copyRoles, copyLevels] {
                        copy.reset()
                        try copy.bind(.text(month), .int(first))
                        _ = try copy.step()
                    }
                    continue
                }
                if counter == nil {
                    guard let people = try RangeRoleSums.Counter.people(db: db, commune: range.commune, epci: range.epci)
                    else { break }
                    counter = RangeRoleSums.Counter(levels: people)
                }
                // The reader reads totals only: every key is a person's total row (combo 0).
                for (key, sums) in try reader.sumPerPerson(pieces) {
                    counter!.add(person: key >> 16, source: 0, feature: 0, texts: star, sums.0, sums.1, sums.2)
                }
                let (roles, levels) = counter!.take()
                for row in roles {
                    insertRole.reset()
                    try insertRole.bind(.text(month), .text(row.groups[0]), .int(row.activeUsers), .int(row.listedActiveUsers),
                                        .int(row.connections), .int(row.logins), .int(row.requests))
                    _ = try insertRole.step()
                }
                for row in levels {
                    insertLevel.reset()
                    try insertLevel.bind(.text(month), .text(row.groups[0]), .text(row.groups[1]),
                                         .int(row.activeUsers), .int(row.listedActiveUsers))
                    _ = try insertLevel.step()
                }
            }
            try db.execute("RELEASE range_months")
        } catch {
            try? db.execute("ROLLBACK TO range_months; RELEASE range_months")
            throw error
        }
    }
}
