import CSQLite

/// The activity figures of an export (active users, connections, logins, requests, listed
/// active users per period and group), computed in Swift from the rollups of whole periods
/// (`person_period`) and, for the days of a period cut by `--from`/`--to`, from the packed
/// day rows (`person_day_activity`), both unpacked by `RollupRowStream`.
///
/// Each period of the request is covered by pieces: the rollup of the period itself when
/// every day with activity of that period lies inside the range, or when few of them lie
/// outside (its rows minus those days' rows); otherwise (school years and `all`) the
/// rollups of the months whose activity lies inside, and the day rows of the remaining
/// days (see `plan`). Pieces are summed person by person, then each person counts once
/// in each of its groups: the same figures as `FigureQuery`'s SQL, without sorting tens of
/// millions of rows.
enum RollupFigures {
    /// What a request reads.
    struct Piece: Equatable {
        enum Kind: Equatable {
            case rollup(Store.RollupKind, first: Int)
            case days(Int, Int)
        }
        var kind: Kind
        /// True for rows to take away: the days of a rollup outside the range.
        var subtracted = false

        /// True when the piece has one row per person and (source, feature) already: a
        /// rollup, or a single day.
        var isOneRowPerPerson: Bool {
            if subtracted { return false }
            switch kind {
            case .rollup: return true
            case .days(let a, let b): return a == b
            }
        }

        /// +1, or −1 for a subtracted piece.
        var weight: Int { subtracted ? -1 : 1 }
    }

    /// The live activity rows and the labels of the periods that hold any qualifying record,
    /// or nil when the rollups are not current (the caller then uses the day rows).
    /// `rows` holds each (period, group) once, in no particular order.
    struct Result {
        var rows: [FigureRow]
        var activePeriods: Set<String>

        /// The rows keyed by period and groups (for comparisons).
        var keyed: [[String]: FigureRow] {
            Dictionary(uniqueKeysWithValues: rows.map { ([$0.period] + $0.groups, $0) })
        }
    }

    static func compute(store: Store, request: ExportRequest, fromDay: Int, toDay: Int,
                        workers: Int = defaultWorkers) throws -> Result? {
        guard try store.rollupsAreCurrent() else { return nil }
        let db = store.db
        let planned = try self.planned(db, request: request, fromDay: fromDay, toDay: toDay)
        let activePeriods = planned.activePeriods
        guard !activePeriods.isEmpty else { return Result(rows: [], activePeriods: []) }
        var periods = planned.periods
        // Whole periods without a place grouping: from the totals per period and role.
        var rows: [FigureRow] = []
        if try PeriodRoleFigures.usable(store: store, request: request) {
            periods = try periods.filter { label, pieces in
                guard pieces.count == 1, case .rollup(let kind, let first) = pieces[0].kind else { return true }
                rows += try PeriodRoleFigures.rows(db: db, kind: kind, first: first, label: label, dimensions: request.dimensions)
                return false
            }
            if periods.isEmpty { return Result(rows: rows, activePeriods: activePeriods) }
        }
        guard let people = try People(db: db, placeColumns: request.dimensions.filter(\.isPlace).map(\.column)) else { return nil }
        for counted in try aggregate(periods, store: store, people: people, request: request, workers: workers) {
            rows += counted.rows(dimensions: request.dimensions)
        }
        return Result(rows: rows, activePeriods: activePeriods)
    }

    /// Counts a request grouped by school, commune, EPCI or level period by period, and
    /// hands each period's cells to `body` in period order, each period's in export order:
    /// memory holds at most `periodsAhead` counted periods, however many lines the export
    /// has (a day-level export by school and feature: 1.8 M lines on the Somme, 614 MB
    /// when kept whole as rows). `begin` first receives the labels of the periods that hold
    /// any qualifying record inside the range.
    ///
    /// Returns false, having called nothing, when the request is not counted person by
    /// person from the rollups alone (no such place grouping, rollups not current): the
    /// caller then uses `compute`.
    static func forEachPeriod(store: Store, request: ExportRequest, fromDay: Int, toDay: Int,
                              workers: Int = defaultWorkers, periodsAhead: Int = 16,
                              begin: (Set<String>) throws -> Void,
                              _ body: (CountedPeriod) throws -> Void) throws -> Bool {
        guard request.dimensions.contains(where: { $0.isPlace && $0 != .role }), try store.rollupsAreCurrent() else { return false }
        let db = store.db
        let (_, activePeriods, periods) = try planned(db, request: request, fromDay: fromDay, toDay: toDay)
        guard Set(periods.map(\.0)) == activePeriods,
              let people = try People(db: db, placeColumns: request.dimensions.filter(\.isPlace).map(\.column)) else { return false }
        try begin(activePeriods)
        let aggregator = Aggregator(people: people)
        // `workers` threads, each on its own connection, claim the periods one at a time
        // (`OrderedTickets`) while this one writes those counted, in order: writing the
        // 3.4 M lines of the largest export takes 0.4 s of its 4 s of CPU. Not inside a
        // transaction, which other connections would not see.
        if workers > 1, sqlite3_get_autocommit(db.handle) != 0 {
            let tickets = OrderedTickets(count: periods.count, window: periodsAhead)
            var waiting: [Int: CountedPeriod] = [:]
            var written = 0
            let ran = try ReadingThread.run(path: store.path, cacheKiB: 8192, capacity: periodsAhead, producers: workers, produce: { reader, sink, _ in
                let counter = try PeriodCounter(db: reader, aggregator: aggregator, request: request)
                while let i = tickets.claim(unless: { sink.isCancelled }) {
                    guard sink.send((i, try counter.count(periods[i].0, periods[i].1))) else { return }
                }
            }, consume: { (counted: (index: Int, period: CountedPeriod)) in
                waiting[counted.index] = counted.period
                while let period = waiting.removeValue(forKey: written) {
                    try body(period)
                    written += 1
                    tickets.consumed(below: written)
                }
            })
            if ran { return true }
        }
        let counter = try PeriodCounter(db: db, aggregator: aggregator, request: request)
        for (label, pieces) in periods { try body(try counter.count(label, pieces)) }
        return true
    }

    /// What a request reads: the active days of every period that [from, to] touches (a
    /// week can start in the previous school year; they tell whether a period's activity
    /// lies wholly inside), the labels of the periods with activity inside [from, to], and
    /// the `plan` of those periods.
    static func planned(_ db: Database, request: ExportRequest, fromDay: Int, toDay: Int) throws
        -> (activeDays: [Int], activePeriods: Set<String>, periods: [(String, [Piece])]) {
        let clampedFrom = max(fromDay, -1_000_000), clampedTo = min(toDay, 1_000_000)
        let activeDays = try self.activeDays(db, from: Store.RollupKind.schoolYear.bounds(of: clampedFrom).first - 7,
                                             to: Store.RollupKind.schoolYear.bounds(of: clampedTo).last + 7)
        let activePeriods = Set(activeDays.filter { $0 >= fromDay && $0 <= toDay }.map { label(of: $0, period: request.period) })
        return (activeDays, activePeriods, plan(request: request, fromDay: fromDay, toDay: toDay, activeDays: activeDays))
    }

    /// Threads that share the periods of an export: one per core, at most two.
    static var defaultWorkers: Int { min(2, WorkerThreads.processorCount) }

    /// The cells of `periods`, in the order of `periods` and each period's in export order
    /// (so that rows of periods in label order need no sort). With several workers, each
    /// thread (this one included) claims the next period as soon as it is done with its
    /// last (`ParallelJobs`), and counts it on its own read-only connection with a small
    /// page cache (the scans read each page once, and a cache that grows by a page per
    /// read would only add allocations that the threads contend for). Periods are
    /// disjoint, so are their rows.
    ///
    /// Only when the store's connection has no transaction open: another connection would
    /// not see what that transaction wrote (`entstat purge` freezes figures inside one).
    static func aggregate(_ periods: [(String, [Piece])], store: Store, people: People, request: ExportRequest,
                          workers: Int) throws -> [CountedPeriod] {
        let aggregator = Aggregator(people: people)
        let n = max(1, min(workers, periods.count))
        guard n > 1, sqlite3_get_autocommit(store.db.handle) != 0 else {
            let counter = try PeriodCounter(db: store.db, aggregator: aggregator, request: request)
            return try periods.map { try counter.count($0.0, $0.1) }
        }
        let path = store.path
        let callerCounter = try PeriodCounter(db: (try? openReader(path: path)) ?? store.db, aggregator: aggregator, request: request)
        let results = try ParallelJobs.run(
            count: periods.count, threads: n, callerContext: callerCounter,
            makeContext: { try PeriodCounter(db: try openReader(path: path), aggregator: aggregator, request: request) },
            job: { counter, i in Swift.Result { try counter.count(periods[i].0, periods[i].1) } })
        // A period that failed on its thread's connection is counted again on the store's
        // connection: an error then comes from there.
        var storeCounter: PeriodCounter?
        return try results.enumerated().map { i, result in
            if let counted = try? result.get() { return counted }
            if storeCounter == nil { storeCounter = try PeriodCounter(db: store.db, aggregator: aggregator, request: request) }
            return try storeCounter!.count(periods[i].0, periods[i].1)
        }
    }

    /// A read-only connection to the store for one worker, with an 8 MB page cache (each
    /// period is read once, in key order).
    static func openReader(path: String) throws -> Database {
        let db = try Database(path: path, readOnly: true)
        db.setBusyTimeout(milliseconds: 60_000)
        try db.execute("PRAGMA cache_size = -8192;")
        return db
    }

    /// The label of a day's period (as `Period.calendarExpression` gives it).
    static func label(of day: Int, period: Period) -> String {
        let date = CivilDate(dayNumber: day)
        switch period {
        case .day: return date.description
        case .week: return date.isoWeekLabel
        case .month: return date.monthLabel
        case .schoolYear: return date.schoolYearLabel
        case .all: return "all"
        }
    }

    /// The days in [from, to] that hold a qualifying record, ascending (one key seek per
    /// day in `person_day_activity`).
    static func activeDays(_ db: Database, from: Int, to: Int) throws -> [Int] {
        let next = try db.statement("""
            SELECT MIN(day) FROM person_day_activity WHERE day BETWEEN ?1 AND ?2
            """)
        var days: [Int] = []
        var start = from
        while start <= to {
            next.reset()
            try next.bind(.int(start), .int(to))
            guard try next.step(), !next.isNull(0) else { break }
            let day = next.int(0)
            days.append(day)
            start = day + 1
        }
        next.reset()
        return days
    }

    /// Every period of the request that holds activity, in order, with the pieces that
    /// cover its days inside [from, to].
    ///
    /// A rollup whose period has activity outside the range is still read when those days
    /// are few (at most a quarter of its active days inside): its rows minus those days'
    /// rows (subtracted pieces). A school year cut by a day or two at each end is then one
    /// rollup and three days, instead of its months and the day rows of the months cut.
    /// Sums are additive (visits never cross midnight), and a key whose requests sum to
    /// zero had no activity in the range: readers drop it.
    static func plan(request: ExportRequest, fromDay: Int, toDay: Int, activeDays: [Int]) -> [(String, [Piece])] {
        // Index of the first active day ≥ d.
        func lowerBound(_ d: Int) -> Int {
            var lo = 0, hi = activeDays.count
            while lo < hi { let mid = (lo + hi) / 2; if activeDays[mid] < d { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        func activeCount(_ a: Int, _ b: Int) -> Int { a > b ? 0 : lowerBound(b + 1) - lowerBound(a) }
        // First and last active day inside [a, b], from the sorted active days.
        func activeBounds(_ a: Int, _ b: Int) -> (Int, Int)? {
            var lo = 0, hi = activeDays.count
            while lo < hi { let mid = (lo + hi) / 2; if activeDays[mid] < a { lo = mid + 1 } else { hi = mid } }
            guard lo < activeDays.count, activeDays[lo] <= b else { return nil }
            var lo2 = lo, hi2 = activeDays.count
            while lo2 < hi2 { let mid = (lo2 + hi2) / 2; if activeDays[mid] <= b { lo2 = mid + 1 } else { hi2 = mid } }
            return (activeDays[lo], activeDays[lo2 - 1])
        }
        // Pieces covering [a, b] (inside [fromDay, toDay] and inside the target period).
        // A rollup of kind k is used when all of its period's activity lies in [fromDay, toDay].
        func cover(_ a: Int, _ b: Int, _ kinds: ArraySlice<Store.RollupKind>, into pieces: inout [Piece]) {
            guard a <= b, activeBounds(a, b) != nil else { return }
            guard let kind = kinds.first else {
                pieces.append(Piece(kind: .days(a, b)))
                return
            }
            var d = a
            while d <= b {
                let q = kind.bounds(of: d)
                let segment = (max(q.first, a), min(q.last, b))
                if let active = activeBounds(q.first, q.last) {
                    let inside = activeCount(segment.0, segment.1)
                    let outside = activeCount(q.first, q.last) - inside
                    if active.0 >= fromDay && active.1 <= toDay && active.0 >= a && active.1 <= b {
                        pieces.append(Piece(kind: .rollup(kind, first: q.first)))
                    } else if inside > 0 && outside * 4 <= inside {
                        pieces.append(Piece(kind: .rollup(kind, first: q.first)))
                        if activeCount(q.first, segment.0 - 1) > 0 {
                            pieces.append(Piece(kind: .days(q.first, segment.0 - 1), subtracted: true))
                        }
                        if activeCount(segment.1 + 1, q.last) > 0 {
                            pieces.append(Piece(kind: .days(segment.1 + 1, q.last), subtracted: true))
                        }
                    } else {
                        cover(segment.0, segment.1, kinds.dropFirst(), into: &pieces)
                    }
                }
                d = q.last + 1
            }
        }
        guard let a = activeDays.first(where: { $0 >= fromDay }), let b = activeDays.last(where: { $0 <= toDay }), a <= b else { return [] }
        var result: [(String, [Piece])] = []
        switch request.period {
        case .day:
            for day in activeDays where day >= a && day <= b { result.append((label(of: day, period: .day), [Piece(kind: .days(day, day))])) }
        case .all:
            var pieces: [Piece] = []
            cover(a, b, [.schoolYear, .month], into: &pieces)
            result.append(("all", pieces))
        case .week, .month, .schoolYear:
            let kind: Store.RollupKind = request.period == .week ? .week : request.period == .month ? .month : .schoolYear
            let finer: [Store.RollupKind] = kind == .schoolYear ? [.schoolYear, .month] : [kind]
            var d = a
            while d <= b {
                let p = kind.bounds(of: d)
                var pieces: [Piece] = []
                cover(max(p.first, a), min(p.last, b), finer[...], into: &pieces)
                if !pieces.isEmpty { result.append((label(of: p.first, period: request.period), pieces)) }
                d = p.last + 1
            }
        }
        return result
    }
}
