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
    /// hands each period's cells to `body` in period order, each period's in export order,
    /// `periodsPerRound` periods at a time: memory holds only those, however many lines
    /// the export has (a day-level export by school and feature: 1.8 M lines on the Somme,
    /// 614 MB when kept whole as rows). `begin` first receives the labels of the periods
    /// that hold any qualifying record inside the range.
    ///
    /// Returns false, having called nothing, when the request is not counted person by
    /// person from the rollups alone (no such place grouping, rollups not current): the
    /// caller then uses `compute`.
    static func forEachPeriod(store: Store, request: ExportRequest, fromDay: Int, toDay: Int,
                              workers: Int = defaultWorkers, periodsPerRound: Int = 16,
                              begin: (Set<String>) throws -> Void,
                              _ body: (CountedPeriod) throws -> Void) throws -> Bool {
        guard request.dimensions.contains(where: { $0.isPlace && $0 != .role }), try store.rollupsAreCurrent() else { return false }
        let db = store.db
        let (_, activePeriods, periods) = try planned(db, request: request, fromDay: fromDay, toDay: toDay)
        guard Set(periods.map(\.0)) == activePeriods,
              let people = try People(db: db, placeColumns: request.dimensions.filter(\.isPlace).map(\.column)) else { return false }
        try begin(activePeriods)
        let rounds = stride(from: 0, to: periods.count, by: periodsPerRound).map {
            Array(periods[$0..<min($0 + periodsPerRound, periods.count)])
        }
        // The next round is counted on a thread of its own (with its own connections) while
        // this one writes the last: writing 1.8 M lines takes 0.3 s of the 1.8 s of the
        // largest export. Not inside a transaction, which other connections would not see.
        if workers > 1, sqlite3_get_autocommit(db.handle) != 0 {
            let path = store.path
            let ran = try ReadingThread.run(path: path, cacheKiB: 8192, capacity: 1, produce: { reader, sink, _ in
                for round in rounds {
                    let rows = try aggregate(round, caller: reader, path: path, people: people, request: request, workers: workers)
                    guard sink.send(rows) else { return }
                }
            }, consume: { (counted: [CountedPeriod]) in try counted.forEach(body) })
            if ran { return true }
        }
        for round in rounds {
            try aggregate(round, store: store, people: people, request: request, workers: workers).forEach(body)
        }
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
    /// (so that rows of periods in label order need no sort). With several workers, worker
    /// w takes periods w, w + n, w + 2n…
    /// (neighbouring periods weigh alike), through `ParallelJobs`: each thread (this one
    /// included) on its own read-only connection with a small page cache (the scans read
    /// each page once, and a cache that grows by a page per read would only add allocations
    /// that the threads contend for). Periods are disjoint, so are their rows.
    ///
    /// Only when the store's connection has no transaction open: another connection would
    /// not see what that transaction wrote (`entstat purge` freezes figures inside one).
    static func aggregate(_ periods: [(String, [Piece])], store: Store, people: People, request: ExportRequest,
                          workers: Int) throws -> [CountedPeriod] {
        let n = max(1, min(workers, periods.count))
        guard n > 1, sqlite3_get_autocommit(store.db.handle) != 0 else {
            return try aggregate(periods, db: store.db, people: people, request: request)
        }
        let shares = (0..<n).map { w in stride(from: w, to: periods.count, by: n).map { periods[$0] } }
        let path = store.path
        let results = try ParallelJobs.run(
            count: n, threads: n, callerContext: (try? openReader(path: path)) ?? store.db,
            makeContext: { try openReader(path: path) },
            job: { db, w in Swift.Result { try aggregate(shares[w], db: db, people: people, request: request) } })
        var shared: [[CountedPeriod]] = []
        for (w, result) in results.enumerated() {
            // A share that failed on its thread's connection is computed again on the
            // store's connection: an error then comes from there.
            shared.append(try (try? result.get()) ?? aggregate(shares[w], db: store.db, people: people, request: request))
        }
        return interleaved(shared, count: periods.count)
    }

    /// As `aggregate(_:store:…)`, but every thread reads on a connection of its own
    /// (`caller` for the calling thread, one opened on `path` for each other): for a thread
    /// that is not the store's, such as `forEachPeriod`'s counting thread.
    static func aggregate(_ periods: [(String, [Piece])], caller: Database, path: String, people: People,
                          request: ExportRequest, workers: Int) throws -> [CountedPeriod] {
        let n = max(1, min(workers, periods.count))
        guard n > 1 else { return try aggregate(periods, db: caller, people: people, request: request) }
        let shares = (0..<n).map { w in stride(from: w, to: periods.count, by: n).map { periods[$0] } }
        let shared = try ParallelJobs.run(
            count: n, threads: n, callerContext: caller,
            makeContext: { try openReader(path: path) },
            job: { db, w in try aggregate(shares[w], db: db, people: people, request: request) })
        return interleaved(shared, count: periods.count)
    }

    /// The `count` periods shared among `shares.count` threads (thread w took periods w,
    /// w + n, w + 2n…), in period order.
    private static func interleaved(_ shares: [[CountedPeriod]], count: Int) -> [CountedPeriod] {
        let n = shares.count
        var periods: [CountedPeriod] = []
        periods.reserveCapacity(count)
        for i in 0..<count { periods.append(shares[i % n][i / n]) }
        return periods
    }

    /// The cells of each of `periods`, read through `db`, each period's in export order.
    static func aggregate(_ periods: [(String, [Piece])], db: Database, people: People,
                          request: ExportRequest) throws -> [CountedPeriod] {
        var aggregator = Aggregator(people: people)
        let reader = try PieceReader(db: db, hasSource: request.dimensions.contains(.source),
                                     hasFeature: request.dimensions.contains(.feature))
        for (label, pieces) in periods {
            if pieces.count == 1, pieces[0].isOneRowPerPerson {
                try reader.read(pieces[0]) { person, combo, r, l, v in aggregator.add(person: person, combo: combo, r, l, v) }
            } else {
                try reader.sumPerPerson(pieces) { person, combo, r, l, v in aggregator.add(person: person, combo: combo, r, l, v) }
            }
            aggregator.flush(period: label, dimensions: request.dimensions, combos: reader.combos)
        }
        return aggregator.periods
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

    /// Persons: whether each is listed in accounts.csv, and its groups at the grain of the
    /// place dimensions (distinct tuples of person_place; with a commune or an EPCI, of the
    /// rows of person_place there, and only the persons who have one).
    struct People {
        /// Slot of each person id (−1: not a person, or no place at this grain).
        var slot: [Int32]
        var listed: [Bool] = []
        /// Groups of slot s: groupList[groupStart[s] ..< groupStart[s + 1]].
        var groupStart: [Int32] = [0]
        var groupList: [Int32] = []
        /// Values of each group (in the order of the place dimensions).
        var groupValues: [[String]] = []

        /// `placeColumns` are columns of person_place, or constant expressions (`'*'`: one
        /// group holding every person with a place). `commune` and `epci` ('' = any) keep
        /// the rows of person_place there; they need place columns.
        init?(db: Database, placeColumns: [String], commune: String = "", epci: String = "") throws {
            precondition(!placeColumns.isEmpty || (commune.isEmpty && epci.isEmpty), "a scope needs place columns")
            let maxID = Int(try db.scalarInt("SELECT MAX(id) FROM person") ?? 0)
            guard maxID >= 0, maxID <= PersonIDLimit.largest else { return nil }
            slot = [Int32](repeating: -1, count: maxID + 1)
            let persons = try db.prepare("SELECT id, account IS NOT NULL FROM person ORDER BY id")
            if placeColumns.isEmpty {
                groupValues = [[]]
                while try persons.step() {
                    let id = persons.int(0)
                    guard id >= 0 else { continue }
                    slot[id] = Int32(listed.count)
                    listed.append(persons.int(1) != 0)
                    groupList.append(0)
                    groupStart.append(Int32(groupList.count))
                }
                return
            }
            // 0: no such person; 1: not listed; 2: listed.
            var listedByID = [UInt8](repeating: 0, count: maxID + 1)
            while try persons.step() {
                let id = persons.int64(0)
                if id >= 0 && id <= maxID { listedByID[Int(id)] = persons.int(1) != 0 ? 2 : 1 }
            }
            // The rows in the table's order (a DISTINCT ordered by person sorted them in a
            // temporary tree: 0.09 s of the 0.2 s an export by place spent before counting,
            // on the Somme year's 87 000 rows), then put in person order by a counting sort.
            let cols = placeColumns.joined(separator: ", ")
            let places = try db.prepare("""
                SELECT person, \(cols) FROM person_place
                WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2)
                """)
            try places.bind(.text(commune), .text(epci))
            // Each column's texts numbered from their bytes, a text read as the same string
            // as an earlier one (bytes that are not UTF-8) given that one's number; the
            // groups numbered from their texts' numbers.
            var texts = [TextInterner](repeating: TextInterner(), count: placeColumns.count)
            var sameText = [[Int32]](repeating: [], count: placeColumns.count)
            var numberOfText = [[String: Int32]](repeating: [:], count: placeColumns.count)
            var tuple = [Int32](repeating: 0, count: placeColumns.count)
            var groups = TupleInterner(width: placeColumns.count)
            // (person, group) of each row, and the rows of each person id.
            var rowPerson: [Int32] = [], rowGroup: [Int32] = []
            var rowsOf = [Int32](repeating: 0, count: maxID + 1)
            while try places.step() {
                let person = places.int64(0)
                guard person >= 0, person <= maxID, listedByID[Int(person)] != 0 else { continue }
                for c in 0..<placeColumns.count {
                    let t = texts[c].id(of: places.textUpToNUL(1 + c))
                    while sameText[c].count <= t {
                        let text = texts[c].texts[sameText[c].count]
                        let number = numberOfText[c][text] ?? Int32(sameText[c].count)
                        numberOfText[c][text] = number
                        sameText[c].append(number)
                    }
                    tuple[c] = sameText[c][t]
                }
                let (g, isNew) = tuple.withUnsafeBufferPointer { groups.id(of: $0) }
                if isNew { groupValues.append((0..<placeColumns.count).map { texts[$0].texts[Int(tuple[$0])] }) }
                rowPerson.append(Int32(person))
                rowGroup.append(Int32(g))
                rowsOf[Int(person)] += 1
            }
            // Each id's count turned into where its groups start in `sorted`; placing them
            // moves it to where they end, which is where the next id's start.
            var start: Int32 = 0
            for id in 0...maxID {
                let count = rowsOf[id]
                rowsOf[id] = start
                start += count
            }
            var sorted = [Int32](repeating: 0, count: rowGroup.count)
            for (person, g) in zip(rowPerson, rowGroup) {
                sorted[Int(rowsOf[Int(person)])] = g
                rowsOf[Int(person)] += 1
            }
            rowPerson = []
            rowGroup = []
            // Each person's distinct groups (a person has a few; rows repeated in the table,
            // or texts read as the same string, give one group once).
            groupList.reserveCapacity(sorted.count)
            var end = 0
            for id in 0...maxID where Int(rowsOf[id]) > end {
                let first = groupList.count
                for g in sorted[end..<Int(rowsOf[id])] where !groupList[first...].contains(g) { groupList.append(g) }
                end = Int(rowsOf[id])
                slot[id] = Int32(listed.count)
                listed.append(listedByID[id] == 2)
                groupStart.append(Int32(groupList.count))
            }
        }

        /// The same persons, grouped by `transform` of each group's values: a person's
        /// distinct groups of the result (one load of person_place for several groupings).
        func projected(_ transform: ([String]) -> [String]) -> People {
            var result = self
            var index: [[String]: Int32] = [:]
            result.groupValues = []
            let mapped = groupValues.map { values -> Int32 in
                let key = transform(values)
                if let known = index[key] { return known }
                let g = Int32(result.groupValues.count)
                index[key] = g
                result.groupValues.append(key)
                return g
            }
            result.groupStart = [0]
            result.groupList = []
            result.groupList.reserveCapacity(groupList.count)
            for s in 0..<listed.count {
                let first = result.groupList.count
                for i in Int(groupStart[s])..<Int(groupStart[s + 1]) {
                    let g = mapped[Int(groupList[i])]
                    if !result.groupList[first...].contains(g) { result.groupList.append(g) }
                }
                result.groupStart.append(Int32(result.groupList.count))
            }
            return result
        }
    }

    /// Sums of one (period, group, combo).
    ///
    /// 32 bytes, two to a cache line: the persons counted fit in 32 bits (at most
    /// `PersonIDLimit.largest`, each counted once per cell), their sums may not.
    struct Cell {
        var users: Int32 = 0
        var listed: Int32 = 0
        var requests = 0
        var logins = 0
        var visits = 0
    }

    /// Adds persons' figures to their groups, one period at a time.
    ///
    /// The cells of the period being built sit in one flat array, at group × slotsPerGroup
    /// + combo (combo ids and group ids are dense small integers): no hashing per row, and
    /// the cells one person adds to (its total and each of its features, in its few groups)
    /// lie side by side, a few cache lines per person instead of one per row (a layout by
    /// combo first, in an array of megabytes, missed the cache at nearly every row).
    struct Aggregator {
        let people: People
        let groupCount: Int
        /// The period's cells; `users == 0` marks a cell not touched yet.
        var cells: [Cell] = []
        /// Cells per group: more than the largest combo id added so far (grown by
        /// `widen`, which moves the cells).
        private(set) var slotsPerGroup = 0
        /// Indexes of the touched cells, to turn into rows and clear at `flush`.
        var touched: [Int] = []
        /// Each period flushed, in the order flushed.
        var periods: [CountedPeriod] = []
        /// Rank of each group's value of place column c among that column's values, at
        /// groupRanks[group × placeColumns + c]; and how many bits the ranks of column c need.
        let groupRanks: [Int]
        let placeBits: [Int]

        init(people: People) {
            self.people = people
            groupCount = max(1, people.groupValues.count)
            let columns = people.groupValues.first?.count ?? 0
            var ranks = [Int](repeating: 0, count: people.groupValues.count * columns)
            var bits: [Int] = []
            for c in 0..<columns {
                let column = FigureRowOrder.ranks(Set(people.groupValues.map { $0[c] }))
                for (g, values) in people.groupValues.enumerated() { ranks[g * columns + c] = column.rank[values[c]]! }
                bits.append(column.bits)
            }
            groupRanks = ranks
            placeBits = bits
        }

        /// One person's sums for one (source, feature) over the period being built: the
        /// person must not be added twice for the same combo in one period.
        mutating func add(person: Int64, combo: Int, _ r: Int, _ l: Int, _ v: Int) {
            guard person >= 0, Int(person) < people.slot.count else { return }
            let s = Int(people.slot[Int(person)])
            guard s >= 0 else { return }
            if combo >= slotsPerGroup { widen(toHold: combo) }
            let listed: Int32 = people.listed[s] ? 1 : 0
            for i in Int(people.groupStart[s])..<Int(people.groupStart[s + 1]) {
                let index = Int(people.groupList[i]) * slotsPerGroup + combo
                if cells[index].users == 0 { touched.append(index) }
                cells[index].users += 1
                cells[index].listed += listed
                cells[index].requests += r
                cells[index].logins += l
                cells[index].visits += v
            }
        }

        /// Makes room for combo ids up to `combo` in every group (by half as many again at
        /// least: combos are few, and known after the first persons), moving the cells
        /// touched so far.
        private mutating func widen(toHold combo: Int) {
            let wider = max(combo + 1, slotsPerGroup + slotsPerGroup / 2, 8)
            var moved = [Cell](repeating: Cell(), count: groupCount * wider)
            for (i, index) in touched.enumerated() {
                let at = index / slotsPerGroup * wider + index % slotsPerGroup
                moved[at] = cells[index]
                touched[i] = at
            }
            cells = moved
            slotsPerGroup = wider
        }

        /// The rows of the periods flushed so far, with the values of `dimensions` (those
        /// given to `flush`), which are then forgotten.
        mutating func takeRows(dimensions: [Dimension]) -> [FigureRow] {
            defer { periods.removeAll() }
            return periods.flatMap { $0.rows(dimensions: dimensions) }
        }

        /// Turns the cells of the period just built into a `CountedPeriod`, in export order:
        /// sorted by the ranks of their values, dimension by dimension, then by cell index
        /// (packed with the cell's index into one integer when they fit in `keyBits`, 64;
        /// else compared column by column: tests pass 0 to take that path).
        mutating func flush(period: String, dimensions: [Dimension], combos: [(source: String, feature: String)], keyBits: Int = 64) {
            var counted = CountedPeriod(label: period, cells: [], groupValues: people.groupValues, combos: combos)
            // Nothing counted (maybe no person with a place: no ranks of place values).
            guard !touched.isEmpty else { return periods.append(counted) }
            let sources = FigureRowOrder.ranks(Set(combos.map(\.source)))
            let features = FigureRowOrder.ranks(Set(combos.map(\.feature)))
            let sourceRank = combos.map { sources.rank[$0.source]! }, featureRank = combos.map { features.rank[$0.feature]! }
            let columns = CountedPeriod.columns(of: dimensions), placeColumns = placeBits.count
            /// The rank of a cell's value in `column`, and the bits ranks of that column need.
            func rank(_ column: CountedPeriod.Column, group: Int, combo: Int) -> Int {
                switch column {
                case .source: return sourceRank[combo]
                case .feature: return featureRank[combo]
                case .place(let c): return groupRanks[group * placeColumns + c]
                }
            }
            let widths = columns.map { column -> Int in
                switch column {
                case .source: return sources.bits
                case .feature: return features.bits
                case .place(let c): return placeBits[c]
                }
            }
            let bits = widths.reduce(0, +)
            let indexBits = Int.bitWidth - cells.count.leadingZeroBitCount
            if bits + indexBits <= min(keyBits, 64) {
                // The ranks, the first dimension's highest, and the cell index in one word: a
                // sort of plain integers.
                var keyed = [UInt64]()
                keyed.reserveCapacity(touched.count)
                for index in touched {
                    let group = index / slotsPerGroup, combo = index % slotsPerGroup
                    var key: UInt64 = 0
                    for (column, width) in zip(columns, widths) { key = key << width | UInt64(rank(column, group: group, combo: combo)) }
                    keyed.append(key << indexBits | UInt64(index))
                }
                keyed.sort()
                let mask = UInt64(1) << indexBits - 1
                for (i, k) in keyed.enumerated() { touched[i] = Int(k & mask) }
            } else {
                touched.sort { a, b in
                    for column in columns {
                        let ra = rank(column, group: a / slotsPerGroup, combo: a % slotsPerGroup)
                        let rb = rank(column, group: b / slotsPerGroup, combo: b % slotsPerGroup)
                        if ra != rb { return ra < rb }
                    }
                    return a < b
                }
            }
            counted.cells.reserveCapacity(touched.count)
            for index in touched {
                let cell = cells[index]
                cells[index] = Cell()
                counted.cells.append(CountedPeriod.Cell(
                    group: Int32(index / slotsPerGroup), combo: Int32(index % slotsPerGroup), users: Int(cell.users),
                    listed: Int(cell.listed), requests: cell.requests, logins: cell.logins, visits: cell.visits))
            }
            periods.append(counted)
            touched.removeAll(keepingCapacity: true)
        }
    }

    /// Dense ids of the texts of one column (source or feature names, a handful of short
    /// words), looked up from the bytes SQLite hands out: no String, no allocation, no call
    /// per row.
    ///
    /// A text is keyed by its length and its first and last 8 bytes (fewer for a text
    /// shorter than 8 bytes): for a text of at most 16 bytes that key and its length give
    /// the text itself; longer ones are also compared byte by byte.
    struct TextInterner {
        private struct Key: Equatable {
            var count: Int
            var head: UInt64
            var tail: UInt64
        }
        /// Open-addressing table of ids by key hash (−1: empty), a power of two long.
        private var table = [Int32](repeating: -1, count: 64)
        private var keys: [Key] = []
        private(set) var texts: [String] = []
        /// The bytes of each text longer than 16 bytes (empty for the others).
        private var longBytes: [[UInt8]] = []

        init(_ known: String...) {
            for text in known {
                var text = text
                _ = text.withUTF8 { id(of: UnsafeRawBufferPointer($0)) }
            }
        }

        private static func key(_ text: UnsafeRawBufferPointer) -> Key {
            let count = text.count
            if count >= 8 {
                return Key(count: count, head: text.loadUnaligned(as: UInt64.self),
                           tail: text.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            }
            // Shorter: bytes that cover the text, given its length (two overlapping words
            // of four bytes; or the first, middle and last bytes of at most three).
            if count >= 4 {
                let first = UInt64(text.loadUnaligned(as: UInt32.self))
                let last = UInt64(text.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                return Key(count: count, head: first | last << 32, tail: 0)
            }
            guard count > 0 else { return Key(count: 0, head: 0, tail: 0) }
            let head = UInt64(text[0]) | UInt64(text[count / 2]) << 8 | UInt64(text[count - 1]) << 16
            return Key(count: count, head: head, tail: 0)
        }

        private static func slot(_ key: Key, mask: Int) -> Int {
            var h = key.head &* 0x9E37_79B9_7F4A_7C15 ^ key.tail &* 0xC2B2_AE3D_27D4_EB4F ^ UInt64(key.count)
            h ^= h >> 29
            return Int(truncatingIfNeeded: h) & mask
        }

        mutating func id(of text: UnsafeRawBufferPointer) -> Int {
            let key = Self.key(text)
            let mask = table.count - 1
            var slot = Self.slot(key, mask: mask)
            while true {
                let known = Int(table[slot])
                if known < 0 { break }
                if keys[known] == key && (key.count <= 16 || longBytes[known].elementsEqual(text)) { return known }
                slot = (slot + 1) & mask
            }
            let id = texts.count
            keys.append(key)
            longBytes.append(key.count > 16 ? [UInt8](text) : [])
            texts.append(String(decoding: text, as: UTF8.self))
            table[slot] = Int32(id)
            if texts.count * 2 > table.count {
                table = [Int32](repeating: -1, count: table.count * 2)
                for (id, key) in keys.enumerated() {
                    var slot = Self.slot(key, mask: table.count - 1)
                    while table[slot] >= 0 { slot = (slot + 1) & (table.count - 1) }
                    table[slot] = Int32(id)
                }
            }
            return id
        }
    }

    /// Reads pieces: (person, combo id, requests, logins, visits) rows of one class of
    /// (source, feature): both '*', one of them '*', or neither; from the packed rows of
    /// whole periods (`person_period`) or of days (`person_day_activity`), one row per
    /// person and period or day, decoded by `RollupRowStream`.
    final class PieceReader {
        /// Packed rows of one period (`person_period`), expanded to the rows of `classes`.
        let rollupStatement: Statement
        let dayStatement: Statement
        let classes: PeriodRowClasses
        let readsSource: Bool
        let readsFeature: Bool
        private(set) var combos: [(source: String, feature: String)] = []
        private var sources = TextInterner("*")
        private var features = TextInterner("*")
        /// Combo id of (source id, feature id): comboIDs[source][feature], −1 when new.
        private var comboIDs: [[Int32]] = []

        convenience init(db: Database, hasSource: Bool, hasFeature: Bool) throws {
            try self.init(db: db, classes: .of(hasSource: hasSource, hasFeature: hasFeature),
                          readsSource: hasSource, readsFeature: hasFeature)
        }

        /// Rows of `classes`; a column not read is '*' in every row of these classes.
        init(db: Database, classes: PeriodRowClasses = .all, readsSource: Bool = true, readsFeature: Bool = true) throws {
            self.readsSource = readsSource
            self.readsFeature = readsFeature
            self.classes = classes
            rollupStatement = try db.prepare("""
                SELECT person, days, requests, logins, visits, detail FROM person_period WHERE kind = ?1 AND first_day = ?2
                """)
            dayStatement = try db.prepare("""
                SELECT person, 1, requests, logins, visits, detail FROM person_day_activity WHERE day BETWEEN ?1 AND ?2
                """)
        }

        /// The combo id of ('*', '*'), the totals (ids of "*" are 0); −1 before it is read.
        var totalCombo: Int {
            comboIDs.first?.first.map(Int.init) ?? -1
        }

        /// The id of a (source id, feature id) pair.
        private func combo(_ source: Int, _ feature: Int) -> Int {
            if source < comboIDs.count, feature < comboIDs[source].count {
                let known = comboIDs[source][feature]
                if known >= 0 { return Int(known) }
            }
            while comboIDs.count <= source { comboIDs.append([]) }
            while comboIDs[source].count <= feature { comboIDs[source].append(-1) }
            let id = combos.count
            comboIDs[source][feature] = Int32(id)
            combos.append((sources.texts[source], features.texts[feature]))
            return id
        }

        /// The rows of `pieces` summed person by person (subtracted pieces taken away), in
        /// memory (a GROUP BY would sort them all), each (person, combo id) handed to `body`
        /// once with its sums, in no particular order; keys left with no request, which had
        /// no activity in the pieces, are dropped. Rows of a person id no store can hold are
        /// left out (no grouping counts them).
        func sumPerPerson(_ pieces: [Piece], _ body: (_ person: Int64, _ combo: Int, Int, Int, Int) -> Void) throws {
            var sums = PersonComboSums()
            for piece in pieces {
                let w = piece.weight
                try read(piece) { person, combo, r, l, v in
                    guard person >= 0, person <= Int64(PersonIDLimit.largest) else { return }
                    sums.add(person << 16 | Int64(combo), r, l, v, weight: w)
                }
            }
            sums.forEach(droppingNoRequests: pieces.contains(where: \.subtracted)) { key, r, l, v in
                body(key >> 16, Int(key & 0xFFFF), r, l, v)
            }
        }

        func read(_ piece: Piece, _ body: (Int64, Int, Int, Int, Int) -> Void) throws {
            let s: Statement, table: String
            switch piece.kind {
            case .rollup(let kind, let first):
                (s, table) = (rollupStatement, "person_period")
                s.reset()
                try s.bind(.text(kind.rawValue), .int(first))
            case .days(let a, let b):
                (s, table) = (dayStatement, "person_day_activity")
                s.reset()
                try s.bind(.int(a), .int(b))
            }
            try readPacked(s, table: table, weight: 1) { person, combo, r, l, v, _ in body(person, combo, r, l, v) }
        }

        /// The combo id of a (source, feature) pair given as bytes.
        func combo(source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer) -> Int {
            combo(sources.id(of: source), features.id(of: feature))
        }

        /// Steps `s` (bound by the caller), whose columns are those of `person_period`
        /// (person, days, requests, logins, visits, detail), with the combo id of each of
        /// its rows of `classes` and `weight`; `table` is the table of its detail column.
        func readPacked(_ s: Statement, table: String, weight: Int, _ body: (Int64, Int, Int, Int, Int, Int) -> Void) throws {
            try RollupRowStream(packed: s, table: table, classes: classes).forEachRow { person, source, feature, _, r, l, v in
                let sourceID = readsSource ? sources.id(of: source) : 0
                let featureID = readsFeature ? features.id(of: feature) : 0
                body(person, combo(sourceID, featureID), Int(r), Int(l), Int(v), weight)
            }
            s.reset()
        }
    }
}
