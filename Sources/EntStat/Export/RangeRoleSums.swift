import CSQLite

/// `activite_periode_role` and `activite_periode_niveau`: the persons of `activite_periode`
/// counted by role (and by role and school level), built by the engine with that table, so
/// that a query needs no GROUP BY over a person's rows to answer "how many active users, by
/// role, over `:from`–`:to`".
///
/// - `activite_periode_role`: one row per (role, source, feature), with `users` (persons who
///   have that row in `activite_periode`), `listed_users` (those listed in accounts.csv),
///   `visits`, `logins` and `requests`; role `'*'` counts each person once. It is
///   `activity_period_role` for any range.
/// - `activite_periode_niveau`: one row per (role, level), with `users` and `listed_users`:
///   the persons with a total row who have that couple in person_place (one of two levels
///   counts in both). It is `activity_period_level` for any range.
///
/// A person's roles and levels are those of person_place, in the commune or EPCI of the
/// range when there is one: the rows the report's queries counted with GROUP BY before.
/// For the territory over one whole rollup (a school year, a month, a week), the rows are
/// copied from `activity_period_role` and `activity_period_level`, which hold the same
/// figures; otherwise they are counted from `activite_periode` (a second of SQL grouping for
/// a school year cut at both ends, a third of a second here).
enum RangeRoleSums {
    static let roleTable = "activite_periode_role"
    static let levelTable = "activite_periode_niveau"

    /// Creates both tables in `temp` if missing, and empties them.
    static func reset(_ db: Database) throws {
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS \(roleTable) (
                role         TEXT NOT NULL,
                source       TEXT NOT NULL,
                feature      TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                visits       INTEGER NOT NULL,
                logins       INTEGER NOT NULL,
                requests     INTEGER NOT NULL,
                PRIMARY KEY (role, source, feature)
            ) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS \(levelTable) (
                role         TEXT NOT NULL,
                level        TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                PRIMARY KEY (role, level)
            ) WITHOUT ROWID;
            DELETE FROM temp.\(roleTable);
            DELETE FROM temp.\(levelTable);
            """)
    }

    /// Copies the territory's figures of one whole rollup.
    static func copy(_ db: Database, kind: Store.RollupKind, first: Int) throws {
        let copyRoles = try db.prepare("""
            INSERT INTO temp.\(roleTable)(role, source, feature, users, listed_users, visits, logins, requests)
            SELECT role, source, feature, users, listed_users, visits, logins, requests FROM activity_period_role
            WHERE kind = ?1 AND first_day = ?2 AND (source = '*' OR feature = '*')
            """)
        try copyRoles.bind(.text(kind.rawValue), .int(first))
        _ = try copyRoles.step()
        let copyLevels = try db.prepare("""
            INSERT INTO temp.\(levelTable)(role, level, users, listed_users)
            SELECT role, level, users, listed_users FROM activity_period_level WHERE kind = ?1 AND first_day = ?2
            """)
        try copyLevels.bind(.text(kind.rawValue), .int(first))
        _ = try copyLevels.step()
    }

    /// Counts persons' rows by the roles and levels they have in person_place (there, when
    /// `commune` or `epci` is not empty): fed the rows of `activite_periode` as they are
    /// merged, or read back from the table (`count`), then written (`write`).
    struct Counter {
        private var byRole: RollupFigures.Aggregator
        private var once: RollupFigures.Aggregator
        private var byLevel: RollupFigures.Aggregator
        /// Combo id of (source text id, feature text id): comboIDs[source][feature], −1
        /// when new; the texts and whether each combo is the total ('*', '*').
        private var comboIDs: [[Int32]] = []
        private var combos: [(source: String, feature: String)] = []
        private var isTotal: [Bool] = []

        /// Nil when the store has no person (nothing to count).
        init?(db: Database, commune: String, epci: String) throws {
            guard let levels = try Self.people(db: db, commune: commune, epci: epci) else { return nil }
            self.init(levels: levels)
        }

        /// The persons by (role, level) that `init(levels:)` takes: of the commune or EPCI,
        /// when one is given.
        static func people(db: Database, commune: String, epci: String) throws -> RollupFigures.People? {
            try RollupFigures.People(db: db, placeColumns: ["role", "level"], commune: commune, epci: epci)
        }

        /// A counter over persons grouped by (role, level) (one load of person_place: the
        /// roles and '*' are projections of it).
        init(levels: RollupFigures.People) {
            byLevel = RollupFigures.Aggregator(people: levels)
            byRole = RollupFigures.Aggregator(people: levels.projected { [$0[0]] })
            once = RollupFigures.Aggregator(people: levels.projected { _ in ["*"] })
        }

        /// Adds one person's row; `source` and `feature` are ids of `texts` (stable for the
        /// whole count). A person must not be added twice for the same source and feature.
        mutating func add(person: Int64, source: Int, feature: Int, texts: [String], _ r: Int, _ l: Int, _ v: Int) {
            while comboIDs.count <= source { comboIDs.append([]) }
            while comboIDs[source].count <= feature { comboIDs[source].append(-1) }
            var combo = Int(comboIDs[source][feature])
            if combo < 0 {
                combo = combos.count
                comboIDs[source][feature] = Int32(combo)
                combos.append((texts[source], texts[feature]))
                isTotal.append(texts[source] == "*" && texts[feature] == "*")
            }
            byRole.add(person: person, combo: combo, r, l, v)
            once.add(person: person, combo: combo, r, l, v)
            if isTotal[combo] { byLevel.add(person: person, combo: combo, r, l, v) }
        }

        /// The counts so far, then starts again from zero (the combos seen are kept): by
        /// (role, source, feature), role '*' included, and by (role, level), totals only.
        mutating func take() -> (roles: [FigureRow], levels: [FigureRow]) {
            let dimensions: [Dimension] = [.role, .source, .feature]
            byRole.flush(period: "", dimensions: dimensions, combos: combos)
            once.flush(period: "", dimensions: dimensions, combos: combos)
            byLevel.flush(period: "", dimensions: [.role, .level], combos: combos)
            defer {
                byRole.rows.removeAll()
                once.rows.removeAll()
                byLevel.rows.removeAll()
            }
            return (Array((byRole.rows + once.rows).joined()), Array(byLevel.rows.joined()))
        }

        /// Writes the counts into both tables (emptied by `reset`).
        mutating func write(to db: Database) throws {
            let (roles, levels) = take()
            let insertRole = try db.prepare("""
                INSERT INTO temp.\(roleTable)(role, source, feature, users, listed_users, visits, logins, requests)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """)
            for row in roles {
                insertRole.reset()
                try insertRole.bind(.text(row.groups[0]), .text(row.groups[1]), .text(row.groups[2]), .int(row.activeUsers),
                                    .int(row.listedActiveUsers), .int(row.connections), .int(row.logins), .int(row.requests))
                _ = try insertRole.step()
            }
            let insertLevel = try db.prepare("INSERT INTO temp.\(levelTable)(role, level, users, listed_users) VALUES (?1, ?2, ?3, ?4)")
            for row in levels {
                insertLevel.reset()
                try insertLevel.bind(.text(row.groups[0]), .text(row.groups[1]), .int(row.activeUsers), .int(row.listedActiveUsers))
                _ = try insertLevel.step()
            }
        }
    }

    /// Counts the rows already in `temp.activite_periode` and writes both tables.
    static func count(_ db: Database, commune: String, epci: String) throws {
        guard var counter = try Counter(db: db, commune: commune, epci: epci) else { return }
        var texts = RollupFigures.TextInterner()
        let rows = try db.prepare("SELECT person, source, feature, requests, logins, visits FROM temp.\(RangeActivity.tableName)")
        let h = rows.handle
        func text(_ i: Int32) -> UnsafeRawBufferPointer {
            let start = sqlite3_column_text(h, i)
            return UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(h, i)))
        }
        while try rows.step() {
            let source = texts.id(of: text(1)), feature = texts.id(of: text(2))
            counter.add(person: sqlite3_column_int64(h, 0), source: source, feature: feature, texts: texts.texts,
                        Int(sqlite3_column_int64(h, 3)), Int(sqlite3_column_int64(h, 4)), Int(sqlite3_column_int64(h, 5)))
        }
        try counter.write(to: db)
    }
}
