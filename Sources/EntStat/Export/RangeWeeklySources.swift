/// `activite_hebdo_source`: week by week over `:from`–`:to` (a week cut by the range counts
/// its days inside only), the active persons (of the commune or EPCI of `:commune` or
/// `:epci`, when given; persons with a place otherwise) counted by log source: the rows
/// of `entstat export --period week --by source` for any place, plus each week's total
/// (source `'*'`: every person once). `migration_hebdo.sql` reads the old and the new ENT
/// side by side from it.
///
/// The engine builds it before a query that names it, as a temporary table of the
/// connection. Each week is read as `RollupFigures.plan` reads it for an export: over the
/// territory, a whole week is copied from `activity_period_role` (role `'*'`, as the query
/// this replaces read it); otherwise its persons' rows are read from the week's rollup
/// (minus the days outside), or day by day, and counted. A place whose persons are fewer
/// than `searchBelow` of the store's has its persons' rows searched by their key; a larger
/// one's week rows are read whole, and only its persons' details decoded (the query this
/// replaces probed SQLite's index of the place's persons for every row of every week: 0.45
/// s of the 0.64 s `sqlite3` took over the Somme year's 1.48 M week rows).
public enum RangeWeeklySources {
    static let table = "activite_hebdo_source"
    /// The key of this group in `SharedTables` and `Database.engineTables`.
    static let group = "hebdo_source"

    /// The share of the store's persons below which a place's persons' week rows are searched
    /// one by one: one in eight, as `migration_hebdo.sql` chose between its two readings
    /// before this table. Measured on the Somme year's store (85 459 persons), the table
    /// alone through `entstat query`, three runs each way: an EPCI of 6.5 % of the persons
    /// 0.50–0.51 s searched, 0.61–0.67 s read whole; one of 9.4 % 0.57–0.61 s and
    /// 0.56–0.75 s; Amiens (17 %) 0.83–1.28 s and 0.63–0.88 s.
    static let searchBelow = 0.125

    /// The counts of one range, week by week (`FigureRow.period`: the ISO week,
    /// `groups[0]`: the source, `'*'` for the total).
    final class Built: RangeActivity.Shared {
        let rows: [FigureRow]

        init(rows: [FigureRow]) {
            self.rows = rows
        }
    }

    /// Whether `sql` names the table.
    static func isNamed(in sql: String) -> Bool {
        SQLMention.contains(table, in: sql)
    }

    /// Creates the table, empty, when `sql` names it, so that it can be prepared (and its
    /// parameters checked) before it is filled.
    static func declare(on db: Database, sql: String) throws {
        guard isNamed(in: sql) else { return }
        try createTable(db)
    }

    /// Makes the table hold the `from`/`to` range and place of `parameters` when `sql` names
    /// it: already there, taken from `shared` when another connection built it, or built here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws {
        guard isNamed(in: sql) else { return }
        let range = RangeActivity.DayRange(parameters: parameters)
        try RangeActivity.fill(store, group: group, range: range, shared: shared,
                               build: { try build(range, store: store, shared: shared) }) { db, built in
            try createTable(db)
            try db.execute("DELETE FROM temp.\(table)")
            var rows = MultiRowInsert(db: db, table: "temp.\(table)",
                                      columns: ["semaine", "source", "users", "listed_users", "visits", "logins", "requests"])
            for row in built.rows {
                try rows.add(row.period, row.groups[0], row.activeUsers, row.listedActiveUsers, row.connections, row.logins, row.requests)
            }
            try rows.flush()
        }
    }

    /// Creates this connection's temporary table, empty, if missing.
    static func createTable(_ db: Database) throws {
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS \(table) (
                semaine      TEXT NOT NULL,
                source       TEXT NOT NULL,
                users        INTEGER NOT NULL,
                listed_users INTEGER NOT NULL,
                visits       INTEGER NOT NULL,
                logins       INTEGER NOT NULL,
                requests     INTEGER NOT NULL,
                PRIMARY KEY (semaine, source)
            ) WITHOUT ROWID;
            """)
    }

    /// Counts every week of `range` (by the persons `shared` holds, when given), in week
    /// order, each week's sources in byte order. `searchBelow`: see the constant of that
    /// name (tests pass 0 and 1 to take either way).
    static func build(_ range: RangeActivity.DayRange, store: Store, shared: RangeActivity.SharedTables? = nil,
                      searchBelow: Double = searchBelow) throws -> Built {
        let db = store.db
        let weeks = try range.periods(.week, store: store)
        guard !weeks.isEmpty,
              let people = try RangeRoleSums.Counter.people(db: db, commune: range.commune, epci: range.epci, shared: shared)
        else { return Built(rows: []) }
        let reader = try RollupFigures.PieceReader(
            db: db, classes: [.total, .bySource], readsSource: true, readsFeature: false,
            personFilter: range.searchedPersons(people, below: searchBelow, on: db, table: "\(table)_scope"))
        let slot = people.slot, listed = people.listed
        /// Whether a person has a place here (in the commune or EPCI).
        let isHere = { (person: Int64) in people.contains(person) }
        var rows: [FigureRow] = []
        var sums: [FigureRow] = []
        for (week, pieces) in weeks {
            if !range.isScoped, pieces.count == 1, case .rollup(.week, let first) = pieces[0].kind {
                rows += try copied(db, first: first).map { row in
                    var row = row
                    row.period = week
                    return row
                }
                continue
            }
            sums.removeAll(keepingCapacity: true)
            /// Adds one person's row of combo `combo` (once per person and combo).
            func add(_ person: Int64, _ combo: Int, _ r: Int, _ l: Int, _ v: Int) {
                while sums.count <= combo { sums.append(FigureRow(period: week, groups: [reader.combos[sums.count].source])) }
                sums[combo].activeUsers += 1
                if listed[Int(slot[Int(person)])] { sums[combo].listedActiveUsers += 1 }
                sums[combo].connections += v
                sums[combo].logins += l
                sums[combo].requests += r
            }
            try reader.forEachPersonSum(pieces, keeping: isHere) { person, combo, r, l, v in add(person, combo, r, l, v) }
            rows += sums.filter { $0.activeUsers > 0 }.sorted { $0.groups[0].utf8.lexicographicallyPrecedes($1.groups[0].utf8) }
        }
        return Built(rows: rows)
    }

    /// A whole week of the territory: its rows by source of `activity_period_role` (role
    /// `'*'`, feature `'*'`), in source order.
    private static func copied(_ db: Database, first: Int) throws -> [FigureRow] {
        let s = try db.statement("""
            SELECT source, users, listed_users, visits, logins, requests FROM activity_period_role
            WHERE kind = 'week' AND first_day = ?1 AND role = '*' AND feature = '*' ORDER BY source
            """)
        try s.bind(.int(first))
        var rows: [FigureRow] = []
        while try s.step() {
            var row = FigureRow(period: "", groups: [s.text(0)])
            row.activeUsers = s.int(1)
            row.listedActiveUsers = s.int(2)
            row.connections = s.int(3)
            row.logins = s.int(4)
            row.requests = s.int(5)
            rows.append(row)
        }
        s.reset()
        return rows
    }
}
