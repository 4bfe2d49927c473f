import Synchronization

/// `activite_periode`: a table in memory that analyst queries (the report's and
/// `entstat query`'s) may read instead of summing `activity` day by day. It holds, for every
/// person (of the commune or EPCI of `:commune` or `:epci`, when given), the activity rows
/// of the days from `:from` to `:to` summed over those days: one row per (person, source,
/// feature) where source or feature is '*' (totals, one row per service, one row per log),
/// as `activity` has them.
///
/// The engine builds it before running a query that names it, from the pieces that
/// `entstat export --period all` reads (`RollupFigures.plan`): rollups of the school years
/// and months whose activity lies inside the range, a rollup minus the few days it has
/// outside, and day rows. They are merged in key order and the sums appended in the
/// table's key order; its persons are counted by role and level on the way
/// (`RangeRoleSums`: `activite_periode_role`, `activite_periode_niveau`). It is rebuilt only
/// when the range or the place changes. The report's
/// connections share one build (`SharedTables`): the others attach a copy of its bytes as
/// the read-only database `periode`.
public enum RangeActivity {
    public static let tableName = "activite_periode"
    /// The name under which a connection attaches another connection's table: queries name
    /// the table without a schema, so they read it there when `temp` has none.
    static let schema = "periode"

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
    }

    /// The tables already built for the connections of one report: the first connection
    /// that needs a range builds it, the others read a copy of its bytes (a school year's
    /// table takes about half a second of CPU to build, the copy a few milliseconds).
    /// A connection that needs a range being built waits for it. Tables of different
    /// groups (`activite_periode` and its counts; `RangeMonthlySums`'s) are built apart.
    public final class SharedTables: Sendable {
        /// The image of one range, made once: the lock is held while it is built.
        private final class Entry: Sendable {
            let image = Mutex<DatabaseImage?>(nil)
        }
        private struct Key: Hashable {
            var range: DayRange
            var group: String
        }
        private let entries = Mutex<[Key: Entry]>([:])

        public init() {}

        /// The image of `range`'s tables of `group`, built by `build` when missing (once: a
        /// connection that needs the same ones meanwhile waits; others do not); `built`
        /// tells the caller whether its own connection already holds the tables.
        func image(of range: DayRange, group: String = RangeActivity.schema,
                   build: () throws -> DatabaseImage) throws -> (image: DatabaseImage, built: Bool) {
            let key = Key(range: range, group: group)
            let entry = entries.withLock { entries in
                if let entry = entries[key] { return entry }
                let entry = Entry()
                entries[key] = entry
                return entry
            }
            return try entry.image.withLock { slot in
                if let image = slot { return (image, false) }
                let image = try build()
                slot = image
                return (image, true)
            }
        }
    }

    /// Makes `activite_periode` hold the `from`/`to` range when `sql` reads it: already
    /// there, read from `shared` when another connection built it, or built here.
    static func prepare(store: Store, sql: String, parameters: [String: String], shared: SharedTables? = nil) throws {
        guard sql.lowercased().contains(tableName) else { return }
        let db = store.db
        let range = DayRange(parameters: parameters)
        if let current = try currentRange(db), current == range { return }
        guard let shared else { return try build(range, store: store) }
        let (image, built) = try shared.image(of: range) {
            try build(range, store: store)
            return try DatabaseImage(of: "temp", in: db)
        }
        if !built {
            try db.execute("""
                DROP TABLE IF EXISTS temp.\(tableName); DROP TABLE IF EXISTS temp.\(tableName)_range;
                DROP TABLE IF EXISTS temp.\(tableName)_scope; DROP TABLE IF EXISTS temp.\(RangeRoleSums.roleTable);
                DROP TABLE IF EXISTS temp.\(RangeRoleSums.levelTable);
                """)
            try db.attach(image, as: schema)
        }
    }

    /// The range of the table the connection holds: its own (`temp`, where it is built,
    /// since a read-only connection can write no other database) or another connection's
    /// (`periode`, attached read-only); nil when it holds none.
    private static func currentRange(_ db: Database) throws -> DayRange? {
        let holder: String
        if try db.scalarInt("SELECT COUNT(*) FROM temp.sqlite_schema WHERE name = '\(tableName)_range'") ?? 0 > 0 {
            holder = "temp"
        } else if try db.isAttached(schema) {
            holder = schema
        } else {
            return nil
        }
        let current = try db.prepare("SELECT from_day, to_day, commune, epci FROM \(holder).\(tableName)_range")
        guard try current.step() else { return nil }
        return DayRange(from: current.isNull(0) ? nil : current.int(0), to: current.isNull(1) ? nil : current.int(1),
                        commune: current.text(2), epci: current.text(3))
    }

    /// Builds the table for `range` in `temp` (detaching another connection's copy), and the
    /// counts of its persons by role and level (`RangeRoleSums`).
    private static func build(_ range: DayRange, store: Store) throws {
        let db = store.db
        try db.detachImage(schema)
        try RangeRoleSums.reset(db)
        switch try buildPersonRows(range, store: store) {
        case .rollup(let kind, let first) where !range.isScoped:
            // The territory over one whole rollup: its counts are stored already.
            try RangeRoleSums.copy(db, kind: kind, first: first)
        case .counted(var counter):
            try counter?.write(to: db)
        case .rollup, .other:
            try RangeRoleSums.count(db, commune: range.commune, epci: range.epci)
        }
    }

    /// How `activite_periode` was built: one whole rollup copied, rows merged and counted as
    /// they went in (nil: no person to count), or otherwise (not counted).
    private enum Built {
        case rollup(Store.RollupKind, Int)
        case counted(RangeRoleSums.Counter?)
        case other
    }

    /// Builds `activite_periode` for `range`.
    private static func buildPersonRows(_ range: DayRange, store: Store) throws -> Built {
        let db = store.db
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS \(tableName) (
                person   INTEGER NOT NULL,
                source   TEXT NOT NULL,
                feature  TEXT NOT NULL,
                requests INTEGER NOT NULL,
                logins   INTEGER NOT NULL,
                visits   INTEGER NOT NULL,
                PRIMARY KEY (person, source, feature)
            ) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS \(tableName)_range (from_day INTEGER, to_day INTEGER,
                                                                commune TEXT NOT NULL, epci TEXT NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS \(tableName)_scope (person INTEGER PRIMARY KEY);
            DELETE FROM temp.\(tableName);
            DELETE FROM temp.\(tableName)_range;
            DELETE FROM temp.\(tableName)_scope;
            """)
        let described = try db.prepare("INSERT INTO temp.\(tableName)_range(from_day, to_day, commune, epci) VALUES (?1, ?2, ?3, ?4)")
        try described.bind(range.from.map { .int($0) } ?? .null, range.to.map { .int($0) } ?? .null,
                           .text(range.commune), .text(range.epci))
        _ = try described.step()
        guard let fromDay = range.from, let toDay = range.to, fromDay <= toDay else { return .other }
        var filter = "(source = '*' OR feature = '*')"
        if range.isScoped {
            // The persons of the commune or EPCI, as the queries select them.
            let scope = try db.prepare("""
                INSERT INTO temp.\(tableName)_scope(person) SELECT DISTINCT person FROM person_place
                WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2)
                """)
            try scope.bind(.text(range.commune), .text(range.epci))
            _ = try scope.step()
            filter += " AND person IN temp.\(tableName)_scope"
        }
        let insert = "INSERT INTO temp.\(tableName)(person, source, feature, requests, logins, visits)\n"
        guard try store.rollupsAreCurrent() else {
            try db.execute(insert + """
                SELECT person, source, feature, SUM(requests), SUM(logins), SUM(visits) FROM activity
                WHERE day BETWEEN \(fromDay) AND \(toDay) AND \(filter)
                GROUP BY source, feature, person
                """)
            return .other
        }
        let request = ExportRequest(period: .all, from: CivilDate(dayNumber: fromDay), to: CivilDate(dayNumber: toDay))
        let (activeDays, _, periods) = try RollupFigures.planned(db, request: request, fromDay: fromDay, toDay: toDay)
        let pieces = periods.flatMap(\.1)
        if pieces.count == 1 {
            // One whole rollup, or one day: already one row per (person, source, feature).
            switch pieces[0].kind {
            case .rollup(let kind, let first):
                try db.execute(insert + """
                    SELECT person, source, feature, requests, logins, visits FROM activity_period
                    WHERE kind = '\(kind.rawValue)' AND first_day = \(first) AND \(filter)
                    """)
                return .rollup(kind, first)
            case .days(let a, let b) where a == b:
                try db.execute(insert + """
                    SELECT person, source, feature, requests, logins, visits FROM activity
                    WHERE day = \(a) AND \(filter)
                    """)
                return .other
            default: break
            }
        }
        // Several pieces: each read in (person, source, feature) order, one stream per
        // rollup and per day, merged and summed key by key (`PeriodRollupMerge`; the days
        // of a subtracted piece taken away, keys left without activity dropped), and
        // appended to the table in its key order. (A dictionary of sums, then inserted in
        // hash order, took 10 s for a school year cut at both ends.)
        var streams: [Statement] = []
        var weights: [Int64] = []
        let active = Set(activeDays)
        for piece in pieces {
            switch piece.kind {
            case .rollup(let kind, let first):
                streams.append(try PeriodRollupMerge.rollupStream(db, kind: kind, first: first, filter: filter))
                weights.append(Int64(piece.weight))
            case .days(let a, let b):
                for day in a...b where active.contains(day) {
                    streams.append(try PeriodRollupMerge.dayStream(db, day: day, filter: filter))
                    weights.append(Int64(piece.weight))
                }
            }
        }
        let merge = try PeriodRollupMerge(streams: streams, weights: weights)
        var counter = try RangeRoleSums.Counter(db: db, commune: range.commune, epci: range.epci)
        // One transaction (a savepoint: the caller may have one open already); it writes
        // only `temp`, which a read-only connection may write.
        try db.execute("SAVEPOINT range_activity")
        do {
            var insert = MultiRowInsert(db: db, table: "temp.\(tableName)",
                                        columns: ["person", "source", "feature", "requests", "logins", "visits"],
                                        rowsPerStatement: 128)
            var failure: Error?
            try merge.run { batch in
                do {
                    for i in 0..<batch.count {
                        counter?.add(person: batch.person[i], source: Int(batch.source[i]), feature: Int(batch.feature[i]), texts: batch.texts,
                                     Int(batch.requests[i]), Int(batch.logins[i]), Int(batch.visits[i]))
                        try insert.add(Int(batch.person[i]), batch.texts[Int(batch.source[i])], batch.texts[Int(batch.feature[i])],
                                       Int(batch.requests[i]), Int(batch.logins[i]), Int(batch.visits[i]))
                    }
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            try insert.flush()
            try db.execute("RELEASE range_activity")
            return .counted(counter)
        } catch {
            try? db.execute("ROLLBACK TO range_activity; RELEASE range_activity")
            throw error
        }
    }
}
