import Glibc

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
/// `account_place` in account order. The report's connections share one build per place
/// (`RangeActivity.SharedTables`), which counts the accounts activated by each `:to` of the
/// report's queries at once (its current period and the one before).
public enum RangeAccounts {
    static let placeTable = "comptes_lieu"
    static let levelTable = "comptes_niveau"
    /// The key of this group in `SharedTables` and `Database.engineTables`.
    static let group = "comptes"
    /// The key in `SharedTables` of a build for every day of `SharedTables.toDays` (apart
    /// from `group`'s builds of a single day, whose `to` may be missing too).
    static let groupOfDays = "comptes-jours"
    /// The kinds of place of `comptes_lieu`, in the order of `account_place`'s columns read.
    static let placeKinds = ["school", "commune", "epci"]

    /// The counts of one place, activated by one or several days: the rows of both tables.
    final class Built: RangeActivity.Shared {
        /// The `:to` days counted, in the order of `places`' activated counts.
        let days: [Int?]
        /// (kind, place, role, accounts, activated by each of `days`).
        let places: [(String, String, String, Int, [Int])]
        /// (role, level, activation day or nil, accounts).
        let levels: [(String, String, Int?, Int)]

        init(days: [Int?], places: [(String, String, String, Int, [Int])], levels: [(String, String, Int?, Int)]) {
            self.days = days
            self.places = places
            self.levels = levels
        }
    }

    /// Whether `sql` names either table.
    static func isNamed(in sql: String) -> Bool {
        SQLMention.contains(placeTable, in: sql) || SQLMention.contains(levelTable, in: sql)
    }

    /// The range the tables are built for: the accounts depend on `:to` and the place only.
    static func key(of parameters: [String: String]) -> RangeActivity.DayRange {
        var range = RangeActivity.DayRange(parameters: parameters)
        range.from = nil
        return range
    }

    /// Makes both tables hold the counts of the `to` day and place of `parameters` when
    /// `sql` names either: already there, taken from `shared` when another connection built
    /// them (for every `:to` of `shared.toDays` at once, when it is one of them), or built
    /// here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws {
        guard isNamed(in: sql) else { return }
        let range = key(of: parameters)
        // `shared` is asked in `built` itself: by the place alone when `:to` is one of its days.
        try RangeActivity.fill(store, group: group, range: range, shared: nil,
                               build: { try built(range, shared: shared, db: store.db) }) { db, built in
            guard let column = built.days.firstIndex(of: range.to) else { preconditionFailure("RangeAccounts: \(range) not built") }
            try createTables(db)
            // One transaction (`fill`'s), many rows per statement (a national report's
            // places: some 400 000 rows).
            try db.execute("DELETE FROM temp.\(placeTable); DELETE FROM temp.\(levelTable);")
            var places = MultiRowInsert(db: db, table: "temp.\(placeTable)", columns: ["kind", "place", "role", "accounts", "activated"])
            for (kind, place, role, accounts, activated) in built.places {
                try places.add(kind, place, role, accounts, activated[column])
            }
            try places.flush()
            var levels = MultiRowInsert(db: db, table: "temp.\(levelTable)", columns: ["role", "level", "activated_day", "accounts"])
            for (role, level, day, accounts) in built.levels {
                try levels.add(role, level, day, accounts)
            }
            try levels.flush()
        }
    }

    /// The counts of `range` (its `to` among them): taken from `shared` when another
    /// connection built them (for every `:to` of `shared.toDays` at once, when it is one of
    /// them), or built here.
    private static func built(_ range: RangeActivity.DayRange, shared: RangeActivity.SharedTables?, db: Database) throws -> Built {
        if let shared, let to = range.to, shared.toDays.contains(to) {
            var place = range
            place.to = nil
            return try shared.value(of: place, group: groupOfDays) {
                try build(place, asOf: shared.toDays.sorted().map(Optional.some), db: db)
            }
        }
        return try shared?.value(of: range, group: group) { try build(range, asOf: [range.to], db: db) }
            ?? build(range, asOf: [range.to], db: db)
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

    /// Counts the accounts of `range`'s place, activated by each day of `days` (none by a day
    /// missing or outside the calendar, as the queries' `calendar` lookup gives no day).
    static func build(_ range: RangeActivity.DayRange, asOf days: [Int?], db: Database) throws -> Built {
        var asOf: [Int?] = []
        for day in days {
            if let day, try db.scalarInt("SELECT day FROM calendar WHERE day = ?1", .int(day)) != nil {
                asOf.append(day)
            } else {
                asOf.append(nil)
            }
        }
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
        return counter.built(toDays: days)
    }

    /// Counts accounts fed row by row, each account's rows together: the groups of an
    /// account are gathered, without repeats, then each counted once. Texts are interned per
    /// column (ids dense from 0; the role and level "*" are id 0), and the counts kept in
    /// arrays indexed by those ids, so that counting an account costs no hashing but the
    /// lookup of its day of activation (a national directory: ten million accounts). The
    /// accounts activated are counted by each of several days at once.
    struct Counter {
        private var roles = LastTextInterner(RollupFigures.TextInterner("*"))
        private var levels = LastTextInterner(RollupFigures.TextInterner("*"))
        /// One per kind of place (`placeKinds`: school, commune, EPCI).
        private var schools = LastTextInterner(RollupFigures.TextInterner())
        private var communes = LastTextInterner(RollupFigures.TextInterner())
        private var epcis = LastTextInterner(RollupFigures.TextInterner())
        /// The days by which accounts count as activated (nil: none does).
        private let asOf: [Int?]
        /// byPlace[kind][role id]: per place id, `stride` counts: the accounts, then the
        /// activated ones by each day of `asOf`.
        private var byPlace: [[[Int]]] = [[], [], []]
        private let stride: Int
        /// The current account's activated counts (1 or 0 by each day of `asOf`).
        private var activated: [Int]
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

        init(asOf: [Int?]) {
            self.asOf = asOf
            stride = 1 + asOf.count
            activated = [Int](repeating: 0, count: asOf.count)
        }

        /// One row of the current account (its role, school, commune, EPCI, level).
        mutating func add(role: UnsafeRawBufferPointer, places p: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer),
                          level: UnsafeRawBufferPointer, activatedDay day: Int?) {
            rows.append((roles.id(of: role), schools.id(of: p.0), communes.id(of: p.1), epcis.id(of: p.2),
                         levels.id(of: level)))
            if let day, activatedDay.map({ day < $0 }) ?? true { activatedDay = day }
        }

        private mutating func countPlace(kind: Int, role: Int, place: Int) {
            while byPlace[kind].count <= role { byPlace[kind].append([]) }
            let at = place * stride
            if byPlace[kind][role].count <= at {
                // Whole places only: a multiple of `stride`.
                let count = max(at + stride, byPlace[kind][role].count / stride * 2 * stride)
                byPlace[kind][role] += [Int](repeating: 0, count: count - byPlace[kind][role].count)
            }
            let activated = self.activated
            byPlace[kind][role].withUnsafeMutableBufferPointer { counts in
                counts[at] += 1
                for i in activated.indices { counts[at + 1 + i] += activated[i] }
            }
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
            for (i, asOf) in asOf.enumerated() {
                activated[i] = if let asOf, let day = activatedDay, day <= asOf { 1 } else { 0 }
            }
            let day: Int
            if let known = dayIDs[activatedDay] { day = known } else {
                day = days.count
                days.append(activatedDay)
                dayIDs[activatedDay] = day
            }
            // An account of one row (most of them), whose role and level are not "*" (id 0):
            // its groups are distinct, counted as they are.
            if rows.count == 1, let row = rows.first, row.role != 0, row.level != 0 {
                countPlace(kind: 0, role: row.role, place: row.school)
                countPlace(kind: 0, role: 0, place: row.school)
                countPlace(kind: 1, role: row.role, place: row.commune)
                countPlace(kind: 1, role: 0, place: row.commune)
                countPlace(kind: 2, role: row.role, place: row.epci)
                countPlace(kind: 2, role: 0, place: row.epci)
                countLevel(role: row.role, level: row.level, day: day)
                countLevel(role: row.role, level: 0, day: day)
                countLevel(role: 0, level: row.level, day: day)
                countLevel(role: 0, level: 0, day: day)
                rows.removeAll(keepingCapacity: true)
                activatedDay = nil
                return
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
            for (kind, role, place) in placeGroups { countPlace(kind: kind, role: role, place: place) }
            for (role, level) in levelGroups { countLevel(role: role, level: level, day: day) }
            placeGroups.removeAll(keepingCapacity: true)
            levelGroups.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
            activatedDay = nil
        }

        /// The rows of both tables; `toDays`: the `:to` days as asked, in `asOf`'s order.
        func built(toDays: [Int?]) -> Built {
            var placeRows: [(String, String, String, Int, [Int])] = []
            for kind in 0..<3 {
                let names = [schools, communes, epcis][kind].texts
                for (role, counts) in byPlace[kind].enumerated() {
                    for at in Swift.stride(from: 0, to: counts.count, by: stride) where counts[at] > 0 {
                        placeRows.append((RangeAccounts.placeKinds[kind], names[at / stride], roles.texts[role], counts[at],
                                          Array(counts[(at + 1)..<(at + stride)])))
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
            return Built(days: toDays, places: placeRows, levels: levelRows)
        }
    }

    /// A `TextInterner` that remembers the last text it was given: the directory's rows come
    /// school by school, so consecutive accounts mostly share their role, school, commune,
    /// EPCI and level, and comparing a few bytes then replaces the hash lookup.
    struct LastTextInterner {
        private var interner: RollupFigures.TextInterner
        private var last: [UInt8] = []
        private var lastID = -1

        init(_ interner: RollupFigures.TextInterner) { self.interner = interner }

        var texts: [String] { interner.texts }

        mutating func id(of text: UnsafeRawBufferPointer) -> Int {
            if lastID >= 0, text.count == last.count,
               text.count == 0 || last.withUnsafeBytes({ memcmp($0.baseAddress!, text.baseAddress!, text.count) }) == 0 {
                return lastID
            }
            lastID = interner.id(of: text)
            last.removeAll(keepingCapacity: true)
            last.append(contentsOf: text)
            return lastID
        }
    }
}
