import Synchronization

/// `activite_periode`: a table that analyst queries (the report's and `entstat query`'s) may
/// read instead of summing `activity` day by day. It holds, for every person (of the commune
/// or EPCI of `:commune` or `:epci`, when given), the activity rows of the days from `:from`
/// to `:to` summed over those days: one row per (person, source, feature) where source or
/// feature is '*' (totals, one row per service, one row per log), as `activity` has them.
///
/// The engine builds it before running a query that names it, from the pieces that
/// `entstat export --period all` reads (`RollupFigures.plan`): rollups of the school years
/// and months whose activity lies inside the range, a rollup minus the few days it has
/// outside, and day rows. They are merged in key order into rows in memory (`RangeRows`),
/// which the table reads in place (`RangeRowsTable`, a virtual table: no B-tree to insert
/// a million rows into); its persons are counted by role and level on the way
/// (`RangeRoleSums`: `activite_periode_role`, `activite_periode_niveau`). It is rebuilt only
/// when the range or the place changes, and the report's connections share one build
/// (`SharedTables`).
public enum RangeActivity {
    public static let tableName = "activite_periode"

    /// The days a table covers: the `from`/`to` parameters (nil: unknown or missing); and
    /// the persons: with a `commune` or `epci` parameter, only those with a place there
    /// (every query that reads the table keeps only them: see Queries/README.md), which
    /// makes a commune's table a fraction of the territory's.
    struct DayRange: Hashable, Sendable {
        var from: Int?
        var to: Int?
        var commune = ""
        var epci = ""

        var isScoped: Bool { !commune.isEmpty || !epci.isEmpty }

        init(from: Int?, to: Int?, commune: String = "", epci: String = "") {
            self.from = from
            self.to = to
            self.commune = commune
            self.epci = epci
        }

        /// The range of a query's parameters; unknown or missing dates select no day (as
        /// `calendar` lookups do in the queries).
        init(parameters: [String: String]) {
            self.init(from: parameters["from"].flatMap { CivilDate(iso: $0) }?.dayNumber,
                      to: parameters["to"].flatMap { CivilDate(iso: $0) }?.dayNumber,
                      commune: parameters["commune"] ?? "", epci: parameters["epci"] ?? "")
        }

        /// Each `kind` period (a week or a month) of the range that holds activity, labelled
        /// and covered by the pieces an export reads for it (`RollupFigures.planned`: a
        /// period cut by the range counts its days inside only); day by day when the rollups
        /// are behind the day rows. Empty for a range without days.
        func periods(_ kind: Store.RollupKind, store: Store) throws -> [(String, [RollupFigures.Piece])] {
            guard let fromDay = from, let toDay = to, fromDay <= toDay else { return [] }
            if try store.rollupsAreCurrent() {
                let request = ExportRequest(period: kind.period, from: CivilDate(dayNumber: fromDay), to: CivilDate(dayNumber: toDay))
                return try RollupFigures.planned(store.db, request: request, fromDay: fromDay, toDay: toDay).periods
            }
            var pieces: [(String, [RollupFigures.Piece])] = []
            var day = fromDay
            while day <= toDay {
                let last = min(kind.bounds(of: day).last, toDay)
                pieces.append((RollupFigures.label(of: day, period: kind.period), [RollupFigures.Piece(kind: .days(day, last))]))
                day = last + 1
            }
            return pieces
        }

        /// The condition that keeps the rows of the place's persons, `people` (those a count
        /// keeps), when there is a place and they are fewer than `below` of the store's
        /// persons: their rows are then searched by their key (`personFilter`, which fills
        /// the temporary table `table`); nil otherwise, without filling it (the largest
        /// places' persons, 20 000 for the Somme's largest EPCI, took 0.06 s to insert).
        func searchedPersons(_ people: RollupFigures.People, below: Double, on db: Database, table: String) throws -> String? {
            guard isScoped else { return nil }
            let everyone = try db.scalarInt("SELECT COUNT(*) FROM person") ?? 0
            guard Double(people.count) < below * Double(everyone) else { return nil }
            return try personFilter(on: db, table: table)
        }

        /// With a commune or an EPCI, fills `db`'s temporary table `table` with the ids of
        /// the persons who have a place there, as the queries select them, and returns the
        /// condition that keeps a packed row's person among them (`person IN temp.table`):
        /// on `person_period`, whose key ends with the person, SQLite then searches each
        /// such person's row instead of reading every person's (a commune's 146 persons
        /// among the Somme year's 85 000). Nil without a place.
        func personFilter(on db: Database, table: String) throws -> String? {
            guard isScoped else { return nil }
            try db.execute("""
                CREATE TEMP TABLE IF NOT EXISTS \(table) (person INTEGER PRIMARY KEY);
                DELETE FROM temp.\(table);
                """)
            let scope = try db.prepare("""
                INSERT INTO temp.\(table)(person) SELECT DISTINCT person FROM person_place
                WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2)
                """)
            try scope.bind(.text(commune), .text(epci))
            _ = try scope.step()
            return "person IN temp.\(table)"
        }
    }

    /// What the engine builds once for a range and every connection reads: values of
    /// `SharedTables`, immutable once built.
    protocol Shared: AnyObject, Sendable {}

    /// The tables already built for the connections of one report: the first connection
    /// that needs a range builds its tables, the others read the same objects (a school
    /// year's person rows take about half a second of CPU to build). A connection that needs
    /// a range being built waits for it. Tables of different groups (`activite_periode` and
    /// its counts; `RangeMonthlySums`'s) are built apart.
    public final class SharedTables: Sendable {
        /// The tables of one range and group, built once: the lock is held while they are.
        private final class Entry: Sendable {
            let value = Mutex<(any Shared)?>(nil)
        }
        private struct Key: Hashable {
            var range: DayRange
            var group: String
        }
        private let entries = Mutex<[Key: Entry]>([:])
        /// The `:to` days (day numbers) of the run's queries: the accounts (`RangeAccounts`)
        /// are counted by all of them in one build per place.
        let toDays: Set<Int>

        /// `toDays`: the `:to` days the run's queries will be given, when known.
        public init(toDays: Set<Int> = []) {
            self.toDays = toDays
        }

        /// The tables of `range` and `group`, built by `build` when missing (once: a
        /// connection that needs the same ones meanwhile waits; others do not).
        func value<T: Shared>(of range: DayRange, group: String, build: () throws -> T) throws -> T {
            let key = Key(range: range, group: group)
            let entry = entries.withLock { entries in
                if let entry = entries[key] { return entry }
                let entry = Entry()
                entries[key] = entry
                return entry
            }
            return try entry.value.withLock { slot in
                if let built = slot as? T { return built }
                let built = try build()
                slot = built
                return built
            }
        }

        /// The persons of `commune` or `epci` ('' = any) by role, level and place, loaded from
        /// `db` once for the report: the counts of `activite_periode`, of the previous
        /// period's and of the monthly counts all read the same ones (a load of person_place
        /// was 2.5 % of the instructions of a report, three times).
        func people(commune: String, epci: String, db: Database) throws -> RollupFigures.People? {
            try value(of: DayRange(from: nil, to: nil, commune: commune, epci: epci), group: LoadedPeople.group) {
                LoadedPeople(try RangeRoleSums.Counter.people(db: db, commune: commune, epci: epci))
            }.people
        }
    }

    /// The persons `SharedTables.people` loaded once.
    private final class LoadedPeople: Shared {
        static let group = "personnes"
        let people: RollupFigures.People?
        init(_ people: RollupFigures.People?) { self.people = people }
    }

    /// One range's person rows (read in place by `temp.activite_periode`, a `RangeRowsTable`)
    /// and their counts by role and level (`RangeRoleSums`).
    final class Built: Shared {
        let rows: RangeRows
        let roles: [FigureRow]
        let levels: [FigureRow]
        let places: [FigureRow]

        init(rows: RangeRows, roles: [FigureRow] = [], levels: [FigureRow] = [], places: [FigureRow] = []) {
            self.rows = rows
            self.roles = roles
            self.levels = levels
            self.places = places
        }
    }

    /// The key of this group in `SharedTables` and `Database.engineTables`.
    static let group = "periode"

    /// Whether `sql` names `activite_periode` or one of its counts' tables (whose names
    /// begin with it).
    static func isNamed(in sql: String) -> Bool {
        SQLMention.contains(tableName, in: sql)
    }

    /// Makes `activite_periode` and its counts hold the `from`/`to` range (and place) of
    /// `parameters` when `sql` names them: already there, taken from `shared` when another
    /// connection built them, or built here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: SharedTables? = nil) throws {
        guard isNamed(in: sql) else { return }
        let range = DayRange(parameters: parameters)
        try fill(store, group: group, range: range, shared: shared,
                 build: { try build(range, store: store, shared: shared) }, write: write)
    }

    /// Creates the tables, empty, when `sql` names them, so that it can be prepared (and its
    /// parameters checked) before they are filled.
    static func declare(on db: Database, sql: String) throws {
        guard isNamed(in: sql) else { return }
        try db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.\(tableName) USING \(RangeRowsTable.moduleName)")
        try RangeRoleSums.createTables(db)
    }

    /// Makes this connection's tables read `built`: the virtual table over its rows, and
    /// the counts copied into three small temporary tables.
    private static func write(_ db: Database, _ built: Built) throws {
        db.rangeRows.rows = built.rows
        try db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.\(tableName) USING \(RangeRowsTable.moduleName)")
        try RangeRoleSums.write(roles: built.roles, levels: built.levels, places: built.places, to: db)
    }

    /// Makes the temporary tables of `group` on `store`'s connection hold `range`: nothing
    /// when they already do; otherwise what `build` makes (once for the report's
    /// connections, through `shared`, when given) written by `write` in one transaction.
    /// Every engine table (`RangeActivity`, `RangeMonthlySums`, `RangeWeeklySources`,
    /// `RangeAccounts`) is filled through it, the one place that keeps `engineTables`.
    static func fill<T: Shared>(_ store: Store, group: String, range: DayRange, shared: SharedTables?,
                                build: () throws -> T, write: (Database, T) throws -> Void) throws {
        let db = store.db
        if db.engineTables[group] == AnyHashable(range) { return }
        let built = try shared?.value(of: range, group: group, build: build) ?? build()
        db.engineTables[group] = nil
        try db.inTransaction { try write(db, built) }
        db.engineTables[group] = AnyHashable(range)
    }

    /// Builds the person rows of `range` and counts them (by the persons `shared` holds,
    /// when given).
    static func build(_ range: DayRange, store: Store, shared: SharedTables? = nil) throws -> Built {
        let db = store.db
        let rows = RangeRows()
        guard let fromDay = range.from, let toDay = range.to, fromDay <= toDay else {
            return Built(rows: rows)
        }
        let classes: PeriodRowClasses = [.total, .bySource, .byFeature]
        // The persons of the commune or EPCI, as the queries select them.
        let personFilter = try range.personFilter(on: db, table: "\(tableName)_scope")
        func counted() throws -> Built {
            let (roles, levels, places) = try RangeRoleSums.count(rows, db: db, commune: range.commune, epci: range.epci, shared: shared)
            return Built(rows: rows, roles: roles, levels: levels, places: places)
        }
        guard try store.rollupsAreCurrent() else {
            // Every day of the range with activity, merged.
            let merge = try PeriodRollupMerge(streams: RollupFigures.activeDays(db, from: fromDay, to: toDay).map {
                try PeriodRollupMerge.dayStream(db, day: $0, classes: classes, filter: personFilter)
            })
            try append(merge, to: rows)
            return try counted()
        }
        let request = ExportRequest(period: .all, from: CivilDate(dayNumber: fromDay), to: CivilDate(dayNumber: toDay))
        let (activeDays, _, periods) = try RollupFigures.planned(db, request: request, fromDay: fromDay, toDay: toDay)
        let pieces = periods.flatMap(\.1)
        if pieces.count == 1 {
            // One whole rollup, or one day: already one row per (person, source, feature).
            switch pieces[0].kind {
            case .rollup(let kind, let first):
                try append(PeriodRollupMerge.rollupStream(db, kind: kind, first: first, classes: classes, filter: personFilter),
                           to: rows)
                guard !range.isScoped else { return try counted() }
                // The territory over one whole rollup: its counts by role and level are stored
                // already; those by place are counted.
                let (roles, levels) = try RangeRoleSums.copied(db, kind: kind, first: first)
                let places = try RangeRoleSums.count(rows, db: db, commune: "", epci: "", placesOnly: true, shared: shared).places
                return Built(rows: rows, roles: roles, levels: levels, places: places)
            case .days(let a, let b) where a == b:
                try append(PeriodRollupMerge.dayStream(db, day: a, classes: classes, filter: personFilter), to: rows)
                return try counted()
            default: break
            }
        }
        // Several pieces: each read in (person, source, feature) order, one stream per
        // rollup and per day, merged and summed key by key (`PeriodRollupMerge`; the days
        // of a subtracted piece taken away, keys left without activity dropped), and
        // appended in key order.
        var streams: [RollupRowStream] = []
        var weights: [Int64] = []
        let active = Set(activeDays)
        for piece in pieces {
            switch piece.kind {
            case .rollup(let kind, let first):
                streams.append(try PeriodRollupMerge.rollupStream(db, kind: kind, first: first, classes: classes, filter: personFilter))
                weights.append(Int64(piece.weight))
            case .days(let a, let b):
                for day in a...b where active.contains(day) {
                    streams.append(try PeriodRollupMerge.dayStream(db, day: day, classes: classes, filter: personFilter))
                    weights.append(Int64(piece.weight))
                }
            }
        }
        try append(PeriodRollupMerge(streams: streams, weights: weights), to: rows)
        return try counted()
    }

    /// Appends the merged rows of `merge` (in key order) to `rows`.
    private static func append(_ merge: PeriodRollupMerge, to rows: RangeRows) throws {
        // The rows' id of each of the merge's text ids.
        var ids: [UInt16] = []
        try merge.run { batch in
            while ids.count < batch.texts.count { ids.append(rows.id(of: batch.texts[ids.count])) }
            for i in 0..<batch.count {
                rows.append(person: batch.person[i], source: ids[Int(batch.source[i])], feature: ids[Int(batch.feature[i])],
                            requests: batch.requests[i], logins: batch.logins[i], visits: batch.visits[i])
            }
            return true
        }
    }

    /// Appends the rows of `stream` (in key order) to `rows`.
    private static func append(_ stream: RollupRowStream, to rows: RangeRows) throws {
        var texts = RollupFigures.TextInterner()
        var ids: [UInt16] = []
        func id(_ text: UnsafeRawBufferPointer) -> UInt16 {
            let t = texts.id(of: text)
            while ids.count <= t { ids.append(rows.id(of: texts.texts[ids.count])) }
            return ids[t]
        }
        while try stream.next() {
            rows.append(person: stream.person, source: id(stream.source), feature: id(stream.feature),
                        requests: stream.requests, logins: stream.logins, visits: stream.visits)
        }
        stream.statement.reset()
    }
}
