import Synchronization

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
        try run(store: store, limitDay: limitDay, keepMonths: keepMonths, queriesDirectory: queriesDirectory,
                progress: progress, step: step, afterCommit: {})
    }

    /// `run`, with `afterCommit` called between the commit and the rollups' update: a test
    /// throws from it to leave the store as a purge killed there leaves it. With
    /// `otherThreads` false, the figures and report tables are computed on this thread, as
    /// when no thread can be started (a test's way to run that fallback).
    static func run(store: Store, limitDay: Int, keepMonths: Int?, queriesDirectory: String?,
                    progress: (String) -> Void = { _ in }, step: (String) -> Void = { _ in },
                    otherThreads: Bool = true, afterCommit: () throws -> Void) throws -> Result {
        var result = Result(limitDay: limitDay)
        let db = store.db
        let previous = try store.purgeLimit()
        if let previous, previous >= limitDay { return result }
        // The figures frozen below must be those of every fact ingested so far.
        try store.completePendingWork()
        // The figures are computed on read-only connections of their own, which see the
        // store as committed before the transaction (which holds SQLite's write lock, and
        // writes only the frozen tables, which they do not read, until the deletion that
        // follows the freezing): on other threads, with the exports' own counting threads,
        // while this connection stores what they computed. Inside the transaction, this
        // connection's exports would count on one thread.
        let reader = try Store(readingFrom: store.path)
        try db.execute("PRAGMA secure_delete = ON")
        try db.execute("BEGIN IMMEDIATE")
        do {
            if let dataFirst = try db.scalarInt("SELECT MIN(day) FROM timeline").map({ Int($0) }), dataFirst < limitDay {
                let library = try queriesDirectory.map { try QueryLibrary(directory: $0) }
                for (kind, periods) in try periodsToFreeze(db, previous: previous, dataFirst: dataFirst, before: limitDay) {
                    let what = "gel des chiffres par \(kind.frenchName) : \(FrenchText.count(periods.count, "période"))"
                    progress(what)
                    result.frozenPeriods += periods.count
                    result.frozenFigureRows += try freezeFigures(store, reader: reader, kind: kind, periods: periods,
                                                                 threads: otherThreads ? 1 : 0) { done, total in
                        step("\(what), regroupement \(done) sur \(total)")
                    }
                    if let library, kind == .month || kind == .schoolYear {
                        result.frozenReportTables += try freezeReports(store, reader: reader, library: library, periods: periods,
                                                                       threads: otherThreads ? reportThreads : 0) { done, total in
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
        try afterCommit()
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

    /// Runs the export query for every set of dimensions and stores the rows of the
    /// periods through `store` (the transaction's connection). The queries run on a thread
    /// of their own, on a read-only connection to the store (with their own counting
    /// threads), at most four batches of rows ahead of this thread, which only stores
    /// them (SQLite has one writer). Measured on a month of the Somme: its days and weeks
    /// froze in 1 min 49 s, against 3 min computed and stored in turn inside the transaction.
    /// On `reader`, on this thread, when no thread could be started (or `threads` is 0).
    static func freezeFigures(_ store: Store, reader: Store, kind: Period, periods: [(label: String, first: Int, last: Int)],
                              threads: Int = 1, onGrouping: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Int {
        let db = store.db
        let now = Store.timestamp()
        let markPeriod = try db.statement("INSERT OR REPLACE INTO frozen_period(period_kind, period, first_day, last_day, frozen_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        for p in periods { try markPeriod.run(.text(kind.rawValue), .text(p.label), .int(p.first), .int(p.last), .text(now)) }
        var insert = MultiRowInsert(db: db, verb: "INSERT OR REPLACE", table: "frozen_figure",
                                    columns: ["period_kind", "period", "dimensions", "groups", "active_users", "connections",
                                              "logins", "requests", "listed_active"])
        let job = FigureFreezing(kind: kind, periods: periods)
        var count = 0
        var grouping = -1
        func keep(_ batch: FigureFreezing.Batch) throws {
            if batch.mask != grouping {
                grouping = batch.mask
                onGrouping(batch.mask + 1, FrozenFigures.groupings)
            }
            let key = FrozenFigures.key(FrozenFigures.dimensions(ofGrouping: batch.mask))
            for row in batch.rows {
                try insert.add(kind.rawValue, row.period, key, row.groups.joined(separator: String(FrozenFigures.separator)),
                               row.activeUsers, row.connections, row.logins, row.requests, row.listedActiveUsers)
            }
            count += batch.rows.count
        }
        let path = reader.path
        let ran = try threads > 0 && ProducerThreads.run(capacity: 4, produce: { (sink: ProducerThreads.Sink<FigureFreezing.Batch>, _) in
            let own = try Store(readingFrom: path)
            try job.run(on: own) { sink.send($0) }
        }, consume: keep)
        if !ran { try job.run(on: reader) { try keep($0); return true } }
        try insert.flush()
        return count
    }

    /// The threads that compute the report tables a purge freezes: one per core, at most four.
    static let reportThreads = min(4, WorkerThreads.processorCount)

    /// Stores the result of every report query for each period, and of the comparison query
    /// for the period before it, for every territory. The queries run on `threads` threads
    /// (one per core, at most four: each holds a range's rows for its territory),
    /// each on a read-only connection of its own, a territory and period at a time, while
    /// this thread stores the tables through `store` (the transaction's connection); on
    /// `reader`, one after the other, when no thread could be started (or `threads` is 0).
    static func freezeReports(_ store: Store, reader: Store, library: QueryLibrary, periods: [(label: String, first: Int, last: Int)],
                              threads: Int = reportThreads,
                              onScope: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Int {
        var scopes: [ReportScope] = [.everything]
        let communes = try reader.db.prepare("""
            SELECT code_commune FROM person_place WHERE code_commune != '' UNION SELECT code_commune FROM account_place WHERE code_commune != '' ORDER BY 1
            """)
        while try communes.step() { scopes.append(.commune(code: communes.text(0))) }
        let epcis = try reader.db.prepare("SELECT epci FROM person_place WHERE epci != '' UNION SELECT epci FROM account_place WHERE epci != '' ORDER BY 1")
        while try epcis.step() { scopes.append(.epci(name: epcis.text(0))) }
        let jobs = scopes.flatMap { scope in periods.map { ReportJob(scope: scope, first: $0.first, last: $0.last) } }
        var count = 0
        var done = 0
        func keep(_ tables: [ReportJob.Frozen]) throws {
            for frozen in tables {
                try FrozenTable.store(frozen.table, in: store, scope: frozen.scope, from: frozen.from, to: frozen.to, query: frozen.query)
                count += 1
            }
            done += 1
            onScope(min(scopes.count, done / periods.count + 1), scopes.count)
        }
        let path = reader.path
        let next = Atomic<Int>(0)
        onScope(1, scopes.count)
        let ran = try threads > 0 && ProducerThreads.run(capacity: 2 * threads, producers: threads, produce: { (sink: ProducerThreads.Sink<[ReportJob.Frozen]>, _) in
            let own = try Store(readingFrom: path)
            // A territory's queries read little: a small page cache for each thread.
            try own.db.execute("PRAGMA cache_size = -16384")
            while !sink.isCancelled {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < jobs.count else { return }
                guard sink.send(try jobs[k].tables(library: library, on: own)) else { return }
            }
        }, consume: keep)
        if !ran {
            for job in jobs { try keep(try job.tables(library: library, on: reader)) }
        }
        return count
    }

    /// The report tables of one territory and period that a purge freezes.
    private struct ReportJob: Sendable {
        typealias Frozen = (scope: ReportScope, from: Int, to: Int, query: String, table: AnalystQuery.Table)
        var scope: ReportScope
        var first: Int
        var last: Int

        /// Every query of `library` over the period, and the comparison query over the
        /// period of the same length before it, run on `store`.
        func tables(library: QueryLibrary, on store: Store) throws -> [Frozen] {
            let length = last - first + 1
            var runs = library.queries.keys.sorted().map { ($0, first, last) }
            runs.append(("synthese_roles", first - length, first - 1))
            return try runs.map { name, from, to in
                let parameters = scope.parameters(from: CivilDate(dayNumber: from), to: CivilDate(dayNumber: to))
                return (scope, from, to, name, try library.query(name).run(on: store, parameters: parameters))
            }
        }
    }

    /// The export rows a purge freezes for one period kind, every set of dimensions in
    /// turn: what `freezeFigures` stores.
    private struct FigureFreezing: Sendable {
        /// Rows of one set of dimensions (one period's, or a part of them).
        struct Batch: Sendable {
            /// The set of dimensions (`FrozenFigures.dimensions(ofGrouping:)`).
            var mask: Int
            var rows: [FigureRow]
        }

        let kind: Period
        let labels: Set<String>
        let fromDay: Int
        let toDay: Int

        init(kind: Period, periods: [(label: String, first: Int, last: Int)]) {
            self.kind = kind
            labels = Set(periods.map(\.label))
            fromDay = periods.first!.first
            toDay = periods.last!.last
        }

        /// Computes every set of dimensions on `store` and hands the rows of the periods
        /// frozen (those with active users) to `emit`, in batches; stops when `emit`
        /// returns false. A grouping by place is counted period by period
        /// (`RollupFigures.forEachPeriod`: memory holds a few periods, not the range); the
        /// others are computed whole (`FigureQuery.rows`), then cut into batches.
        func run(on store: Store, emit: (Batch) throws -> Bool) throws {
            do {
                for mask in 0..<FrozenFigures.groupings {
                    let dims = FrozenFigures.dimensions(ofGrouping: mask)
                    let request = ExportRequest(period: kind, dimensions: dims, from: CivilDate(dayNumber: fromDay), to: CivilDate(dayNumber: toDay))
                    func send(_ rows: [FigureRow]) throws {
                        let kept = rows.filter { labels.contains($0.period) && $0.activeUsers > 0 }
                        if !kept.isEmpty, try !emit(Batch(mask: mask, rows: kept)) { throw Stopped() }
                    }
                    let streamed = try RollupFigures.forEachPeriod(store: store, request: request, fromDay: fromDay, toDay: toDay,
                                                                   begin: { _ in }) { counted in
                        try send(counted.rows(dimensions: dims))
                    }
                    if !streamed {
                        let rows = try FigureQuery.rows(store: store, request: request, includeAccounts: false, includeFrozen: false)
                        for start in stride(from: 0, to: rows.count, by: 65_536) {
                            try send(Array(rows[start..<min(start + 65_536, rows.count)]))
                        }
                    }
                }
            } catch is Stopped {
                return
            }
        }

        /// Thrown by `run` to itself when `emit` wants no more rows (it stops the counting
        /// of the grouping under way too).
        private struct Stopped: Error {}
    }
}
