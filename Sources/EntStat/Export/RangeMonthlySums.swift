/// `activite_mensuelle_role` and `activite_mensuelle_niveau`: month by month over
/// `:from`–`:to` (a month cut by the range counts its days inside only), the active persons
/// (of the commune or EPCI of `:commune` or `:epci`, when given) counted by role, and by role
/// and school level, from their total rows (`source = '*' AND feature = '*'`). They are
/// `entstat export --period month --by role` (role `'*'`: no `--by`) and
/// `--by role,level` in a few rows per month, as `RangeRoleSums`'s tables are for the whole
/// range.
///
/// The engine builds them before a query that names them, as temporary tables of the
/// connection (a few rows per month, from counts that the report's connections share).
/// Each month with activity inside the range is read as
/// `RollupFigures.plan` reads it for an export: over the territory, a whole month is copied
/// from `activity_period_role` and `activity_period_level`; otherwise its persons' sums are
/// added up from the month's rollup (minus the days outside), weeks and days, and counted.
/// The report's connections share one build (`RangeActivity.SharedTables`), as they share
/// `activite_periode`'s, and a build does not wait for that one.
public enum RangeMonthlySums {
    static let roleTable = "activite_mensuelle_role"
    static let levelTable = "activite_mensuelle_niveau"
    /// The key of this group in `SharedTables` and `Database.engineTables`.
    static let group = "mensuel"

    /// The counts of one range, month by month (`FigureRow.period`: the month).
    final class Built: RangeActivity.Shared {
        let roles: [FigureRow]
        let levels: [FigureRow]

        init(roles: [FigureRow], levels: [FigureRow]) {
            self.roles = roles
            self.levels = levels
        }
    }

    /// The share of the store's persons below which a place's persons' month rows are
    /// searched one by one rather than every person's read. Measured on the Somme year's
    /// store (85 459 persons), `parents_niveau_mensuel.sql` alone, three alternated runs: a
    /// commune of 146 persons 0.50–0.72 → 0.17–0.20 s, Amiens (17 %) 0.60–0.69 → 0.46–0.60
    /// s, its EPCI (23 %) 0.49–0.58 → 0.58–0.63 s.
    static let searchBelow = 0.2

    /// Whether `sql` names either table.
    static func isNamed(in sql: String) -> Bool {
        SQLMention.contains(roleTable, in: sql) || SQLMention.contains(levelTable, in: sql)
    }

    /// Makes both tables hold the `from`/`to` range and place of `parameters` when `sql`
    /// names either: already there, taken from `shared` when another connection built
    /// them, or built here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws {
        guard isNamed(in: sql) else { return }
        let range = RangeActivity.DayRange(parameters: parameters)
        try RangeActivity.fill(store, group: group, range: range, shared: shared,
                               build: { try build(range, store: store, shared: shared) }) { db, built in
            try createTables(db)
            try db.execute("DELETE FROM temp.\(roleTable); DELETE FROM temp.\(levelTable);")
            var roles = MultiRowInsert(db: db, table: "temp.\(roleTable)",
                                       columns: ["mois", "role", "users", "listed_users", "visits", "logins", "requests"])
            for row in built.roles {
                try roles.add(row.period, row.groups[0], row.activeUsers, row.listedActiveUsers, row.connections, row.logins, row.requests)
            }
            try roles.flush()
            var levels = MultiRowInsert(db: db, table: "temp.\(levelTable)", columns: ["mois", "role", "level", "users", "listed_users"])
            for row in built.levels {
                try levels.add(row.period, row.groups[0], row.groups[1], row.activeUsers, row.listedActiveUsers)
            }
            try levels.flush()
        }
    }

    /// Creates this connection's two temporary tables, empty, if missing.
    static func createTables(_ db: Database) throws {
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS \(roleTable) (
                mois         TEXT NOT NULL,
                role         TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                visits       INTEGER NOT NULL,
                logins       INTEGER NOT NULL,
                requests     INTEGER NOT NULL,
                PRIMARY KEY (mois, role)
            ) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS \(levelTable) (
                mois         TEXT NOT NULL,
                role         TEXT NOT NULL,
                level        TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                PRIMARY KEY (mois, role, level)
            ) WITHOUT ROWID;
            """)
    }

    /// Creates the tables, empty, when `sql` names either, so that it can be prepared
    /// (and its parameters checked) before they are filled.
    static func declare(on db: Database, sql: String) throws {
        guard isNamed(in: sql) else { return }
        try createTables(db)
    }

    /// Counts every month of `range` (by the persons `shared` holds, when given). With a
    /// place whose persons are fewer than `searchBelow` of the store's, only their rows are
    /// read, each person's month searched by its key (`DayRange.personFilter`); otherwise
    /// every person's rows are read, and those of the place counted (tests pass 0 and 1 to
    /// take either way).
    static func build(_ range: RangeActivity.DayRange, store: Store, shared: RangeActivity.SharedTables? = nil,
                      searchBelow: Double = searchBelow) throws -> Built {
        let db = store.db
        let months = try range.periods(.month, store: store)
        guard !months.isEmpty else { return Built(roles: [], levels: []) }
        // Loaded for the first month counted (none when every month is copied), or first
        // when the place's persons may be searched.
        var counter: RangeRoleSums.Counter?
        var personFilter: String?
        // A place read whole: only its persons' rows are summed and counted.
        var keep: ((Int64) -> Bool)?
        if range.isScoped {
            guard let people = try RangeRoleSums.Counter.people(db: db, commune: range.commune, epci: range.epci, shared: shared)
            else { return Built(roles: [], levels: []) }
            counter = RangeRoleSums.Counter(people: people)
            personFilter = try range.searchedPersons(people, below: searchBelow, on: db, table: "\(levelTable)_scope")
            if personFilter == nil { keep = { people.contains($0) } }
        }
        let reader = try RollupFigures.PieceReader(db: db, hasSource: false, hasFeature: false, personFilter: personFilter)
        let star = ["*"]
        var roles: [FigureRow] = [], levels: [FigureRow] = []
        for (month, pieces) in months {
            let counted: (roles: [FigureRow], levels: [FigureRow])
            if !range.isScoped, pieces.count == 1, case .rollup(.month, let first) = pieces[0].kind {
                counted = try RangeRoleSums.copied(db, kind: .month, first: first)
            } else {
                if counter == nil {
                    guard let people = try RangeRoleSums.Counter.people(db: db, commune: range.commune, epci: range.epci, shared: shared)
                    else { break }
                    counter = RangeRoleSums.Counter(people: people)
                }
                // The reader reads totals only: every key is a person's total row (combo 0).
                try reader.forEachPersonSum(pieces, keeping: keep) { person, _, r, l, v in
                    counter!.add(person: person, source: 0, feature: 0, texts: star, r, l, v)
                }
                let taken = counter!.take()
                counted = (taken.roles, taken.levels)
            }
            // The totals' rows, by role (the copied ones also hold each service and log).
            for var row in counted.roles where row.groups[1] == "*" && row.groups[2] == "*" {
                row.period = month
                row.groups = [row.groups[0]]
                roles.append(row)
            }
            for var row in counted.levels {
                row.period = month
                levels.append(row)
            }
        }
        return Built(roles: roles, levels: levels)
    }
}
