/// `activite_periode_role`, `activite_periode_niveau` and `activite_periode_lieu`: the
/// persons of `activite_periode` counted by role, by role and school level, and by place and
/// role, built by the engine with that table, so that a query needs no GROUP BY over a
/// person's rows to answer "how many active users, by role (or school, commune, EPCI), over
/// `:from`–`:to`".
///
/// - `activite_periode_role`: one row per (role, source, feature), with `users` (persons who
///   have that row in `activite_periode`), `listed_users` (those listed in accounts.csv),
///   `visits`, `logins` and `requests`; role `'*'` counts each person once. It is
///   `activity_period_role` for any range.
/// - `activite_periode_niveau`: one row per (role, level), with `users` and `listed_users`:
///   the persons with a total row who have that couple in person_place (one of two levels
///   counts in both). It is `activity_period_level` for any range.
/// - `activite_periode_lieu`: one row per (kind of place, place, role), kind `school`,
///   `commune` or `epci`, from the total rows: the persons with a row of person_place there,
///   under each role they have there, and once under '*'.
///
/// A person's roles, levels and places are those of person_place, in the commune or EPCI of
/// the range when there is one: the rows the report's queries counted with GROUP BY before.
/// For the territory over one whole rollup (a school year, a month, a week), the counts by
/// role and level are copied from `activity_period_role` and `activity_period_level`, which
/// hold the same figures; otherwise they are counted from the rows of `activite_periode` in
/// memory (a second of SQL grouping for a school year cut at both ends; a few hundredths of
/// a second here). Each connection gets the counts in three small temporary tables (`write`).
enum RangeRoleSums {
    static let roleTable = "activite_periode_role"
    static let levelTable = "activite_periode_niveau"
    static let placeTable = "activite_periode_lieu"

    /// Creates this connection's three temporary tables, empty, if missing.
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
            CREATE TEMP TABLE IF NOT EXISTS \(placeTable) (
                kind         TEXT NOT NULL,
                place        TEXT NOT NULL,
                role         TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                visits       INTEGER NOT NULL,
                logins       INTEGER NOT NULL,
                requests     INTEGER NOT NULL,
                PRIMARY KEY (kind, place, role)
            ) WITHOUT ROWID;
            """)
    }

    /// Puts `roles`, `levels` and `places` (as `Counter.take` gives them) in this
    /// connection's three temporary tables, created if missing.
    static func write(roles: [FigureRow], levels: [FigureRow], places: [FigureRow], to db: Database) throws {
        try createTables(db)
        try db.inTransaction {
            try db.execute("DELETE FROM temp.\(roleTable); DELETE FROM temp.\(levelTable); DELETE FROM temp.\(placeTable);")
            // The counts by role and by place: three keys, then the five figures.
            func insertFigures(_ rows: [FigureRow], into table: String, keys: [String]) throws {
                var insert = MultiRowInsert(db: db, table: "temp.\(table)",
                                            columns: keys + ["users", "listed_users", "visits", "logins", "requests"])
                for row in rows {
                    try insert.add(row.groups[0], row.groups[1], row.groups[2], row.activeUsers, row.listedActiveUsers,
                                   row.connections, row.logins, row.requests)
                }
                try insert.flush()
            }
            try insertFigures(roles, into: roleTable, keys: ["role", "source", "feature"])
            var levelRows = MultiRowInsert(db: db, table: "temp.\(levelTable)", columns: ["role", "level", "users", "listed_users"])
            for row in levels {
                try levelRows.add(row.groups[0], row.groups[1], row.activeUsers, row.listedActiveUsers)
            }
            try levelRows.flush()
            try insertFigures(places, into: placeTable, keys: ["kind", "place", "role"])
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

    /// Counts `rows` by the roles, levels and places persons have in person_place (there,
    /// when `commune` or `epci` is not empty); only by place when `placesOnly` (the counts by
    /// role and level are then empty: the caller copies them). The persons are those
    /// `shared` holds, when given, or loaded from `db`.
    static func count(_ rows: RangeRows, db: Database, commune: String, epci: String, placesOnly: Bool = false,
                      shared: RangeActivity.SharedTables? = nil) throws
        -> (roles: [FigureRow], levels: [FigureRow], places: [FigureRow]) {
        guard rows.count > 0, let people = try Counter.people(db: db, commune: commune, epci: epci, shared: shared) else {
            return ([], [], [])
        }
        var counter = Counter(people: people, places: true)
        let texts = rows.texts
        for i in 0..<rows.count {
            counter.add(person: rows.person[i], source: Int(rows.source[i]), feature: Int(rows.feature[i]), texts: texts,
                        Int(rows.requests[i]), Int(rows.logins[i]), Int(rows.visits[i]), placesOnly: placesOnly)
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
        /// Per kind of place (`placeKinds`): by (place, role) and by (place, '*'); empty
        /// when the counter counts no place.
        private var byPlace: [(kind: String, byRole: RollupFigures.Aggregator, once: RollupFigures.Aggregator)] = []
        /// Combo id of (source text id, feature text id): comboIDs[source][feature], −1
        /// when new; the texts and whether each combo is the total ('*', '*').
        private var comboIDs: [[Int32]] = []
        private var combos: [(source: String, feature: String)] = []
        private var isTotal: [Bool] = []

        /// The kinds of place counted, and their column in `people`'s groups.
        static let placeKinds = [("school", 2), ("commune", 3), ("epci", 4)]

        /// The persons by (role, level, school, commune, EPCI) that `init(people:)` takes:
        /// of the commune or EPCI, when one is given; nil when the store has no person
        /// (nothing to count).
        static func people(db: Database, commune: String, epci: String) throws -> RollupFigures.People? {
            try RollupFigures.People(db: db, placeColumns: ["role", "level", "uai", "code_commune", "epci"], commune: commune, epci: epci)
        }

        /// The same persons, those `shared` holds for the whole report when given (loaded
        /// there once), otherwise loaded from `db`.
        static func people(db: Database, commune: String, epci: String, shared: RangeActivity.SharedTables?) throws
            -> RollupFigures.People? {
            guard let shared else { return try people(db: db, commune: commune, epci: epci) }
            return try shared.people(commune: commune, epci: epci, db: db)
        }

        /// A counter over `people` (one load of person_place: the roles, levels, places and
        /// '*' are projections of it), by place too when `places`.
        init(people: RollupFigures.People, places: Bool = false) {
            byLevel = RollupFigures.Aggregator(people: people.projected { [$0[0], $0[1]] })
            byRole = RollupFigures.Aggregator(people: people.projected { [$0[0]] })
            once = RollupFigures.Aggregator(people: people.projected { _ in ["*"] })
            if places {
                byPlace = Self.placeKinds.map { kind, column in
                    (kind, RollupFigures.Aggregator(people: people.projected { [$0[column], $0[0]] }),
                     RollupFigures.Aggregator(people: people.projected { [$0[column], "*"] }))
                }
            }
        }

        /// Adds one person's row; `source` and `feature` are ids of `texts` (stable for the
        /// whole count). A person must not be added twice for the same source and feature.
        /// `placesOnly`: only the counts by place (the others are copied).
        mutating func add(person: Int64, source: Int, feature: Int, texts: [String], _ r: Int, _ l: Int, _ v: Int,
                          placesOnly: Bool = false) {
            while comboIDs.count <= source { comboIDs.append([]) }
            while comboIDs[source].count <= feature { comboIDs[source].append(-1) }
            var combo = Int(comboIDs[source][feature])
            if combo < 0 {
                combo = combos.count
                comboIDs[source][feature] = Int32(combo)
                combos.append((texts[source], texts[feature]))
                isTotal.append(texts[source] == "*" && texts[feature] == "*")
            }
            if !placesOnly {
                byRole.add(person: person, combo: combo, r, l, v)
                once.add(person: person, combo: combo, r, l, v)
            }
            guard isTotal[combo] else { return }
            if !placesOnly { byLevel.add(person: person, combo: combo, r, l, v) }
            for i in byPlace.indices {
                byPlace[i].byRole.add(person: person, combo: combo, r, l, v)
                byPlace[i].once.add(person: person, combo: combo, r, l, v)
            }
        }

        /// The counts so far, then starts again from zero (the combos seen are kept): by
        /// (role, source, feature), role '*' included; by (role, level), and by (kind of
        /// place, place, role), role '*' included, from the totals only.
        mutating func take() -> (roles: [FigureRow], levels: [FigureRow], places: [FigureRow]) {
            let dimensions: [Dimension] = [.role, .source, .feature]
            byRole.flush(period: "", dimensions: dimensions, combos: combos)
            once.flush(period: "", dimensions: dimensions, combos: combos)
            byLevel.flush(period: "", dimensions: [.role, .level], combos: combos)
            var places: [FigureRow] = []
            for i in byPlace.indices {
                byPlace[i].byRole.flush(period: "", dimensions: [.school, .role], combos: combos)
                byPlace[i].once.flush(period: "", dimensions: [.school, .role], combos: combos)
                for var row in byPlace[i].byRole.takeRows(dimensions: [.school, .role]) + byPlace[i].once.takeRows(dimensions: [.school, .role]) {
                    row.groups.insert(byPlace[i].kind, at: 0)
                    places.append(row)
                }
            }
            return (byRole.takeRows(dimensions: dimensions) + once.takeRows(dimensions: dimensions),
                    byLevel.takeRows(dimensions: [.role, .level]), places)
        }
    }
}
