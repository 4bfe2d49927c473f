/// `comptes_lieu` and `comptes_niveau`: the accounts of accounts.csv (of the commune or EPCI
/// of `:commune` or `:epci`, when given) counted once, for every query of a report that
/// shows accounts, instead of each query grouping `account_place` by account again (on a
/// national directory of ten million accounts, about 18 seconds a query).
///
/// - `comptes_lieu`: one row per (kind of place, place, role), kind `school` (UAI), `commune`
///   (INSEE code) or `epci` (name), the place `''` for accounts without one, role `'*'` for
///   every account of the place once; `accounts` (distinct accounts with a row of
///   `account_place` there) and `activated` (those activated on or before `:to`).
/// - `comptes_niveau`: one row per (role, level, day of activation), role and level `'*'`
///   for totals (an account counts once in each: in every level it has, once in its role's
///   total, once in `('*', '*')`), `activated_day` NULL for accounts never activated;
///   `accounts`. Month by month, the accounts activated by a day are the sum of the rows up
///   to it.
///
/// Accounts counted as `account_place` places them: only its rows in the commune or EPCI
/// when one is given (an account of two communes counts in the one of the scope only), and
/// an account counts once per group however many of its schools fall in it — the figures
/// of `entstat export` (SPEC §2, accounts and activated accounts). The engine builds them
/// before a query that names them, as temporary tables of the connection, from one read of
/// `account_place` in account order; the report's connections share one build per (`:to`,
/// place) (`RangeActivity.SharedTables`).
public enum RangeAccounts {
    static let placeTable = "comptes_lieu"
    static let levelTable = "comptes_niveau"
    /// The key of this group in `SharedTables` and `Database.engineTables`.
    static let group = "comptes"
    /// The kinds of place of `comptes_lieu`, in the order of `account_place`'s columns read.
    static let placeKinds = ["school", "commune", "epci"]

    /// The counts of one scope and day: the rows of both tables.
    final class Built: RangeActivity.Shared {
        /// (kind, place, role, accounts, activated).
        let places: [(String, String, String, Int, Int)]
        /// (role, level, activation day or nil, accounts).
        let levels: [(String, String, Int?, Int)]

        init(places: [(String, String, String, Int, Int)], levels: [(String, String, Int?, Int)]) {
            self.places = places
            self.levels = levels
        }
    }

    /// Whether `sql` names either table.
    static func isNamed(in sql: String) -> Bool {
        let lower = sql.lowercased()
        return lower.contains(placeTable) || lower.contains(levelTable)
    }

    /// The range the tables are built for: the accounts depend on `:to` and the place only.
    static func key(of parameters: [String: String]) -> RangeActivity.DayRange {
        var range = RangeActivity.DayRange(parameters: parameters)
        range.from = nil
        return range
    }

    /// Makes both tables hold the counts of the `to` day and place of `parameters` when
    /// `sql` names either: already there, taken from `shared` when another connection built
    /// them, or built here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws {
        guard isNamed(in: sql) else { return }
        let db = store.db
        let range = key(of: parameters)
        if db.engineTables[group] == AnyHashable(range) { return }
        let built = try shared?.value(of: range, group: group) { try build(range, db: db) } ?? build(range, db: db)
        db.engineTables[group] = nil
        try createTables(db)
        // One transaction of the temporary tables, many rows per statement (a national
        // report's places: some 400 000 rows).
        let wrap = !db.isInTransaction
        if wrap { try db.execute("BEGIN") }
        do {
            try db.execute("DELETE FROM temp.\(placeTable); DELETE FROM temp.\(levelTable);")
            var places = MultiRowInsert(db: db, table: "temp.\(placeTable)", columns: ["kind", "place", "role", "accounts", "activated"])
            for (kind, place, role, accounts, activated) in built.places {
                try places.add(kind, place, role, accounts, activated)
            }
            try places.flush()
            var levels = MultiRowInsert(db: db, table: "temp.\(levelTable)", columns: ["role", "level", "activated_day", "accounts"])
            for (role, level, day, accounts) in built.levels {
                try levels.add(role, level, day, accounts)
            }
            try levels.flush()
            if wrap { try db.execute("COMMIT") }
        } catch {
            if wrap { try? db.execute("ROLLBACK") }
            throw error
        }
        db.engineTables[group] = AnyHashable(range)
    }

    /// Creates this connection's two temporary tables, empty, if missing.
    static func createTables(_ db: Database) throws {
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS \(placeTable) (
                kind      TEXT NOT NULL,
                place     TEXT NOT NULL,
                role      TEXT NOT NULL,
                accounts  INTEGER NOT NULL,
                activated INTEGER NOT NULL,
                PRIMARY KEY (kind, place, role)
            ) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS \(levelTable) (
                role          TEXT NOT NULL,
                level         TEXT NOT NULL,
                activated_day INTEGER,
                accounts      INTEGER NOT NULL
            );
            """)
    }

    /// Creates the tables, empty, when `sql` names either, so that it can be prepared (and
    /// its parameters checked) before they are filled.
    static func declare(on db: Database, sql: String) throws {
        guard isNamed(in: sql) else { return }
        try createTables(db)
    }

    /// Counts the accounts of `range`'s place, activated by its `to` day (none when that day
    /// is missing or outside the calendar, as the queries' `calendar` lookup gives no day).
    static func build(_ range: RangeActivity.DayRange, db: Database) throws -> Built {
        var asOf: Int? = nil
        if let to = range.to, try db.scalarInt("SELECT day FROM calendar WHERE day = ?1", .int(to)) != nil { asOf = to }
        let rows = try db.prepare("""
            SELECT account, role, uai, code_commune, epci, level, activated_day FROM account_place
            WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2) ORDER BY account
            """)
        try rows.bind(.text(range.commune), .text(range.epci))
        var counter = Counter(asOf: asOf)
        var current: Int64? = nil
        while try rows.step() {
            let account = rows.int64(0)
            if account != current {
                counter.endAccount()
                current = account
            }
            counter.add(role: rows.blob(1), places: (rows.blob(2), rows.blob(3), rows.blob(4)), level: rows.blob(5),
                        activatedDay: rows.isNull(6) ? nil : rows.int(6))
        }
        counter.endAccount()
        return counter.built()
    }

    /// Counts accounts fed row by row, each account's rows together: the groups of an
    /// account are gathered, without repeats, then each counted once. Texts are interned per
    /// column (ids dense from 0; the role and level "*" are id 0), and the counts kept in
    /// arrays indexed by those ids, so that counting an account costs no hashing but the
    /// lookup of its day of activation (a national directory: ten million accounts).
    struct Counter {
        private var roles = RollupFigures.TextInterner("*")
        private var levels = RollupFigures.TextInterner("*")
        /// Per kind of place (`placeKinds`).
        private var places = [RollupFigures.TextInterner](repeating: RollupFigures.TextInterner(), count: 3)
        private let asOf: Int?
        /// byPlace[kind][role id][place id]: accounts, and activated ones.
        private var byPlace: [[[(accounts: Int, activated: Int)]]] = [[], [], []]
        /// byLevel[role id][level id][day id]: accounts; `days[day id]` is the day of
        /// activation (nil: never), `dayIDs` its inverse.
        private var byLevel: [[[Int]]] = []
        private var days: [Int?] = []
        private var dayIDs: [Int?: Int] = [:]
        /// The current account's rows (role, school, commune, EPCI, level ids), and its
        /// earliest day of activation.
        private var rows: [(role: Int, school: Int, commune: Int, epci: Int, level: Int)] = []
        private var activatedDay: Int? = nil
        /// The current account's groups, each once: (kind, role id, place id) and (role id,
        /// level id).
        private var placeGroups: [(kind: Int, role: Int, place: Int)] = []
        private var levelGroups: [(role: Int, level: Int)] = []

        init(asOf: Int?) {
            self.asOf = asOf
        }

        /// One row of the current account (its role, school, commune, EPCI, level).
        mutating func add(role: UnsafeRawBufferPointer, places p: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer),
                          level: UnsafeRawBufferPointer, activatedDay day: Int?) {
            rows.append((roles.id(of: role), places[0].id(of: p.0), places[1].id(of: p.1), places[2].id(of: p.2),
                         levels.id(of: level)))
            if let day, activatedDay.map({ day < $0 }) ?? true { activatedDay = day }
        }

        private mutating func countPlace(kind: Int, role: Int, place: Int, activated: Int) {
            while byPlace[kind].count <= role { byPlace[kind].append([]) }
            if byPlace[kind][role].count <= place {
                let count = max(place + 1, byPlace[kind][role].count * 2)
                byPlace[kind][role] += Array(repeating: (0, 0), count: count - byPlace[kind][role].count)
            }
            byPlace[kind][role][place].accounts += 1
            byPlace[kind][role][place].activated += activated
        }

        private mutating func countLevel(role: Int, level: Int, day: Int) {
            while byLevel.count <= role { byLevel.append([]) }
            while byLevel[role].count <= level { byLevel[role].append([]) }
            if byLevel[role][level].count <= day {
                byLevel[role][level] += [Int](repeating: 0, count: days.count - byLevel[role][level].count)
            }
            byLevel[role][level][day] += 1
        }

        /// Counts the current account in each of its groups, then forgets it.
        mutating func endAccount() {
            guard !rows.isEmpty else { return }
            let activated = if let asOf, let day = activatedDay, day <= asOf { 1 } else { 0 }
            let day: Int
            if let known = dayIDs[activatedDay] { day = known } else {
                day = days.count
                days.append(activatedDay)
                dayIDs[activatedDay] = day
            }
            // An account's groups: each of its rows' (an account of several schools has
            // several rows, which may share a group).
            for row in rows {
                for (kind, place) in [(0, row.school), (1, row.commune), (2, row.epci)] {
                    for group in [(kind, row.role, place), (kind, 0, place)] where !placeGroups.contains(where: { $0 == group }) {
                        placeGroups.append(group)
                    }
                }
                for group in [(row.role, row.level), (row.role, 0), (0, row.level), (0, 0)]
                where !levelGroups.contains(where: { $0 == group }) {
                    levelGroups.append(group)
                }
            }
            for (kind, role, place) in placeGroups { countPlace(kind: kind, role: role, place: place, activated: activated) }
            for (role, level) in levelGroups { countLevel(role: role, level: level, day: day) }
            placeGroups.removeAll(keepingCapacity: true)
            levelGroups.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
            activatedDay = nil
        }

        /// The rows of both tables.
        func built() -> Built {
            var placeRows: [(String, String, String, Int, Int)] = []
            for kind in 0..<3 {
                let names = places[kind].texts
                for (role, counts) in byPlace[kind].enumerated() {
                    for (place, count) in counts.enumerated() where count.accounts > 0 {
                        placeRows.append((RangeAccounts.placeKinds[kind], names[place], roles.texts[role], count.accounts,
                                          count.activated))
                    }
                }
            }
            var levelRows: [(String, String, Int?, Int)] = []
            for (role, byRole) in byLevel.enumerated() {
                for (level, byDay) in byRole.enumerated() {
                    for (day, n) in byDay.enumerated() where n > 0 {
                        levelRows.append((roles.texts[role], levels.texts[level], days[day], n))
                    }
                }
            }
            return Built(places: placeRows, levels: levelRows)
        }
    }
}
