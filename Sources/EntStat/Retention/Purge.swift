/// `entstat purge`: deletes per-user rows older than the retention limit (RGPD; the CNIL
/// caps audience-measurement data at 25 months), after freezing every figure that exports
/// and reports give for the closed periods wholly before the limit, so that they keep
/// giving the same numbers.
///
/// Everything happens in one transaction with `secure_delete` on (deleted rows are
/// overwritten in the file), then the WAL is checkpointed: a `kill -9` leaves the store as
/// before or fully purged.
public enum Purge {
    /// What a purge did.
    public struct Result: Sendable, Equatable {
        /// The first day kept per user (days since 1970-01-01).
        public var limitDay: Int
        /// Periods frozen, their export rows and report tables kept, and per-user rows deleted.
        public var frozenPeriods = 0
        /// Export rows frozen for those periods.
        public var frozenFigureRows = 0
        /// Report tables frozen for those periods.
        public var frozenReportTables = 0
        /// Per-user rows deleted.
        public var deletedRows = 0
        /// False when the store was already purged up to this limit or beyond.
        public var changed = false
    }

    /// The first day kept for `keepMonths` months before `today`: the first day of the month
    /// that follows the day `keepMonths` months ago (or that day itself when it is the 1st),
    /// so that months and school years are never cut, and nothing is kept longer than
    /// `keepMonths` months.
    public static func limit(today: CivilDate, keepMonths: Int) -> CivilDate {
        var month = today.year * 12 + (today.month - 1) - keepMonths
        let year = month / 12
        let m = month % 12 + 1
        let day = min(today.day, CivilDate.daysInMonth(year: year, month: m))
        if day == 1 { return CivilDate(year: year, month: m, day: 1) }
        month += 1
        return CivilDate(year: month / 12, month: month % 12 + 1, day: 1)
    }

    /// Freezes, then deletes. `queriesDirectory` is the report's query folder: the report
    /// tables of every whole month and school year frozen are stored for every territory
    /// (all, each commune, each EPCI). `progress` receives a French line as each step
    /// starts; `step`, a finer French text as the step goes on (for a terminal's progress
    /// line: a Somme school year's purge freezes for minutes).
    public static func run(store: Store, limitDay: Int, keepMonths: Int?, queriesDirectory: String?,
                           progress: (String) -> Void = { _ in }, step: (String) -> Void = { _ in }) throws -> Result {
        var result = Result(limitDay: limitDay)
        let db = store.db
        let previous = try store.purgeLimit()
        if let previous, previous >= limitDay { return result }
        // The figures frozen below must be those of every fact ingested so far.
        try store.completePendingWork()
        try db.execute("PRAGMA secure_delete = ON")
        try db.execute("BEGIN IMMEDIATE")
        do {
            if let dataFirst = try db.scalarInt("SELECT MIN(day) FROM timeline").map({ Int($0) }), dataFirst < limitDay {
                let library = try queriesDirectory.map { try QueryLibrary(directory: $0) }
                for (kind, periods) in try periodsToFreeze(db, previous: previous, dataFirst: dataFirst, before: limitDay) {
                    let what = "gel des chiffres par \(kind.frenchName) : \(periods.count) période(s)"
                    progress(what)
                    result.frozenPeriods += periods.count
                    result.frozenFigureRows += try freezeFigures(store, kind: kind, periods: periods) { done, total in
                        step("\(what), regroupement \(done) sur \(total)")
                    }
                    if let library, kind == .month || kind == .schoolYear {
                        result.frozenReportTables += try freezeReports(store, library: library, periods: periods) { done, total in
                            step("\(what), tableaux de rapport : territoire \(done) sur \(total)")
                        }
                    }
                }
            }
            progress("suppression des données par utilisateur antérieures au \(CivilDate(dayNumber: limitDay))")
            result.deletedRows = try store.deletePerUserRows(before: limitDay)
            try db.statement("INSERT OR REPLACE INTO meta(key, value) VALUES ('purged_before', ?1)").run(.text(String(limitDay)))
            try db.statement("""
                INSERT INTO purge_run(purged_at, limit_day, keep_months, rows_deleted, frozen_rows) VALUES (?1, ?2, ?3, ?4, ?5)
                """).run(.text(Store.timestamp()), .int(limitDay), keepMonths.map { .int($0) } ?? .null,
                         .int(result.deletedRows), .int(result.frozenFigureRows))
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        // The rollups of the purged days go too (per-user rows), before the checkpoint.
        try store.refreshActivityPeriods()
        try store.refreshRolePeriods()
        try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        result.changed = true
        return result
    }

    /// What a purge to `limitDay` would do, read without changing anything (`--dry-run`).
    public struct Plan: Sendable {
        /// The first and last day of per-user data that would be deleted; nil when none.
        public var deletedDays: (first: Int, last: Int)?
        /// The closed periods whose figures would be frozen, by kind, in order.
        public var frozen: [(kind: Period, labels: [String])] = []
        /// False when the store is already purged up to this limit or beyond.
        public var changes = true
    }

    /// The plan of `run` for the same limit, on any connection (nothing is written; the
    /// figures queued for computing are not needed to list the periods).
    public static func plan(store: Store, limitDay: Int) throws -> Plan {
        var plan = Plan()
        let db = store.db
        let previous = try store.purgeLimit()
        if let previous, previous >= limitDay { plan.changes = false; return plan }
        guard let dataFirst = try db.scalarInt("SELECT MIN(day) FROM timeline").map({ Int($0) }), dataFirst < limitDay else { return plan }
        let dataLast = Int(try db.scalarInt("SELECT MAX(day) FROM timeline WHERE day < ?1", .int(limitDay)) ?? Int64(dataFirst))
        plan.deletedDays = (dataFirst, dataLast)
        plan.frozen = try periodsToFreeze(db, previous: previous, dataFirst: dataFirst, before: limitDay).map { ($0.kind, $0.periods.map(\.label)) }
        return plan
    }

    /// The periods a purge to `limit` freezes, by kind (kinds with none left out): what
    /// `run` freezes and `plan` lists.
    private static func periodsToFreeze(_ db: Database, previous: Int?, dataFirst: Int, before limit: Int) throws
        -> [(kind: Period, periods: [(label: String, first: Int, last: Int)])] {
        try FrozenFigures.periodKinds.compactMap { kind in
            let periods = try closedPeriods(db, kind: kind, from: previous ?? Int(Int32.min), dataFrom: dataFirst, before: limit)
            return periods.isEmpty ? nil : (kind, periods)
        }
    }

    /// The periods of a kind to freeze before deleting the days before `limit`: those that
    /// start on or after `from` (the previous purge limit: a period that straddled it lost
    /// days then and stays incomplete) and before `limit`, end on or after the first day
    /// with data, and either end before `limit` or are closed as far as the data goes (they
    /// end on or before the last day with data). The latter straddle the limit: a school
    /// year, or an ISO week across the first of a month, which monthly purges would
    /// otherwise always cut before it could be frozen whole.
    static func closedPeriods(_ db: Database, kind: Period, from: Int, dataFrom: Int, before limit: Int) throws -> [(label: String, first: Int, last: Int)] {
        let dataLast = Int(try db.scalarInt("SELECT MAX(day) FROM timeline") ?? Int64(dataFrom))
        let s = try db.prepare("""
            SELECT \(kind.calendarExpression), MIN(c.day), MAX(c.day) FROM calendar c GROUP BY 1
            HAVING MIN(c.day) >= ?1 AND MIN(c.day) < ?2 AND MAX(c.day) >= ?3 AND (MAX(c.day) < ?2 OR MAX(c.day) <= ?4) ORDER BY 2
            """)
        try s.bind(.int(from), .int(limit), .int(dataFrom), .int(dataLast))
        var result: [(String, Int, Int)] = []
        while try s.step() { result.append((s.text(0), s.int(1), s.int(2))) }
        return result
    }

    /// Runs the export query for every set of dimensions and stores the rows of the periods.
    static func freezeFigures(_ store: Store, kind: Period, periods: [(label: String, first: Int, last: Int)],
                              onGrouping: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Int {
        let db = store.db
        let labels = Set(periods.map(\.label))
        let now = Store.timestamp()
        let markPeriod = try db.statement("INSERT OR REPLACE INTO frozen_period(period_kind, period, first_day, last_day, frozen_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        for p in periods { try markPeriod.run(.text(kind.rawValue), .text(p.label), .int(p.first), .int(p.last), .text(now)) }
        let insert = try db.statement("""
            INSERT OR REPLACE INTO frozen_figure(period_kind, period, dimensions, groups, active_users, connections, logins,
                                                 requests, listed_active)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        let all = Dimension.allCases
        var count = 0
        for mask in 0..<(1 << all.count) {
            onGrouping(mask + 1, 1 << all.count)
            let dims = all.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            let request = ExportRequest(period: kind, dimensions: dims, from: CivilDate(dayNumber: periods.first!.first),
                                        to: CivilDate(dayNumber: periods.last!.last))
            let key = FrozenFigures.key(dims)
            for row in try FigureQuery.rows(store: store, request: request, includeAccounts: false, includeFrozen: false)
            where labels.contains(row.period) && row.activeUsers > 0 {
                try insert.run(.text(kind.rawValue), .text(row.period), .text(key),
                               .text(row.groups.joined(separator: String(FrozenFigures.separator))),
                               .int(row.activeUsers), .int(row.connections), .int(row.logins), .int(row.requests),
                               .int(row.listedActiveUsers))
                count += 1
            }
        }
        return count
    }

    /// Stores the result of every report query for each period, and of the comparison query
    /// for the period before it, for every territory.
    static func freezeReports(_ store: Store, library: QueryLibrary, periods: [(label: String, first: Int, last: Int)],
                              onScope: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Int {
        var scopes: [ReportScope] = [.everything]
        let communes = try store.db.prepare("""
            SELECT code_commune FROM person_place WHERE code_commune != '' UNION SELECT code_commune FROM account_place WHERE code_commune != '' ORDER BY 1
            """)
        while try communes.step() { scopes.append(.commune(code: communes.text(0))) }
        let epcis = try store.db.prepare("SELECT epci FROM person_place WHERE epci != '' UNION SELECT epci FROM account_place WHERE epci != '' ORDER BY 1")
        while try epcis.step() { scopes.append(.epci(name: epcis.text(0))) }
        var count = 0
        for (i, scope) in scopes.enumerated() {
            onScope(i + 1, scopes.count)
            for p in periods {
                let length = p.last - p.first + 1
                var jobs = library.queries.keys.sorted().map { ($0, p.first, p.last) }
                jobs.append(("synthese_roles", p.first - length, p.first - 1))
                for (name, from, to) in jobs {
                    var parameters = scope.parameters
                    parameters["from"] = CivilDate(dayNumber: from).description
                    parameters["to"] = CivilDate(dayNumber: to).description
                    let table = try library.query(name).run(on: store, parameters: parameters)
                    try FrozenTable.store(table, in: store, scope: scope, from: from, to: to, query: name)
                    count += 1
                }
            }
        }
        return count
    }
}
