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
/// figures; otherwise they are counted from the rows of `activite_periode` in memory (a
/// second of SQL grouping for a school year cut at both ends; a few hundredths of a second
/// here). Each connection gets the counts in two small temporary tables (`write`).
enum RangeRoleSums {
    static let roleTable = "activite_periode_role"
    static let levelTable = "activite_periode_niveau"

    /// Creates this connection's two temporary tables, empty, if missing.
    static func createTables(_ db: Database) throws {
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
            """)
    }

    /// Puts `roles` and `levels` (as `Counter.take` gives them) in this connection's two
    /// temporary tables, created if missing.
    static func write(roles: [FigureRow], levels: [FigureRow], to db: Database) throws {
        try createTables(db)
        try db.execute("DELETE FROM temp.\(roleTable); DELETE FROM temp.\(levelTable);")
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

    /// The territory's counts of one whole rollup, as stored.
    static func copied(_ db: Database, kind: Store.RollupKind, first: Int) throws -> (roles: [FigureRow], levels: [FigureRow]) {
        let r = try db.prepare("""
            SELECT role, source, feature, users, listed_users, visits, logins, requests FROM activity_period_role
            WHERE kind = ?1 AND first_day = ?2 AND (source = '*' OR feature = '*')
            """)
        try r.bind(.text(kind.rawValue), .int(first))
        var roles: [FigureRow] = []
        while try r.step() {
            var row = FigureRow(period: "", groups: [r.text(0), r.text(1), r.text(2)])
            row.activeUsers = r.int(3)
            row.listedActiveUsers = r.int(4)
            row.connections = r.int(5)
            row.logins = r.int(6)
            row.requests = r.int(7)
            roles.append(row)
        }
        let l = try db.prepare("SELECT role, level, users, listed_users FROM activity_period_level WHERE kind = ?1 AND first_day = ?2")
        try l.bind(.text(kind.rawValue), .int(first))
        var levels: [FigureRow] = []
        while try l.step() {
            var row = FigureRow(period: "", groups: [l.text(0), l.text(1)])
            row.activeUsers = l.int(2)
            row.listedActiveUsers = l.int(3)
            levels.append(row)
        }
        return (roles, levels)
    }

    /// Counts `rows` by the roles and levels persons have in person_place (there, when
    /// `commune` or `epci` is not empty).
    static func count(_ rows: RangeRows, db: Database, commune: String, epci: String) throws -> (roles: [FigureRow], levels: [FigureRow]) {
        guard rows.count > 0, var counter = try Counter(db: db, commune: commune, epci: epci) else { return ([], []) }
        let texts = rows.texts
        for i in 0..<rows.count {
            counter.add(person: rows.person[i], source: Int(rows.source[i]), feature: Int(rows.feature[i]), texts: texts,
                        Int(rows.requests[i]), Int(rows.logins[i]), Int(rows.visits[i]))
        }
        return counter.take()
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
    }
}
