/// Computes the figures of SPEC §2.4 for every period and group of an `ExportRequest`,
/// straight from the derived tables. Distinct users are counted at the grain asked for
/// (a person in two schools of one commune counts once in that commune), never summed
/// from a finer grain.
///
/// After `entstat purge`, the periods frozen before the purge limit are read from
/// `frozen_figure` (activity figures) and completed with live account figures.
public enum FigureQuery {
    public static func rows(store: Store, request: ExportRequest) throws -> [FigureRow] {
        try rows(store: store, request: request, includeAccounts: true, includeFrozen: true)
    }

    /// `includeAccounts: false` leaves out the account figures (and account-only groups);
    /// `includeFrozen: false` ignores frozen periods (what `entstat purge` freezes).
    ///
    /// The activity part comes from the territory's totals per day and role for a day-level
    /// request without a place grouping (`DayRoleFigures`), otherwise from the rollups of
    /// whole periods (`RollupFigures`) when they are current; `direct: true` (or a store
    /// whose rollups are not current) computes it from the day rows with one SQL query
    /// instead. All give the same figures.
    static func rows(store: Store, request: ExportRequest, includeAccounts: Bool, includeFrozen: Bool,
                     direct: Bool = false) throws -> [FigureRow] {
        let db = store.db
        let fromDay = request.from?.dayNumber ?? Int(Int32.min)
        let toDay = request.to?.dayNumber ?? Int(Int32.max)
        if fromDay > toDay {
            throw ExportRequest.Invalid.emptyRange(from: request.from!.description, to: request.to!.description)
        }
        let placeDims = request.dimensions.filter(\.isPlace)
        let hasSource = request.dimensions.contains(.source)
        let hasFeature = request.dimensions.contains(.feature)
        let periodExpr = request.period.calendarExpression

        var rows: [FigureRow] = []
        var periods = Set<String>()
        var activePeriods: Set<String>?
        if !direct, let fast = try DayRoleFigures.compute(store: store, request: request, fromDay: fromDay, toDay: toDay)
            ?? RollupFigures.compute(store: store, request: request, fromDay: fromDay, toDay: toDay) {
            rows = fast.rows
            var last: String?
            for row in rows where row.period != last {
                periods.insert(row.period)
                last = row.period
            }
            activePeriods = fast.activePeriods
        } else {
            var byKey: [[String]: FigureRow] = [:]
            try directActivity(store: store, request: request, fromDay: fromDay, toDay: toDay, rows: &byKey, periods: &periods)
            rows = Array(byKey.values)
        }
        if includeFrozen {
            try FrozenFigures.merge(store: store, request: request, fromDay: fromDay, toDay: toDay,
                                    rows: &rows, periods: &periods, listPeriods: !hasSource && !hasFeature)
        }
        if includeAccounts && !hasSource && !hasFeature {
            // Periods that hold any qualifying record (whatever the grouping).
            if let activePeriods {
                periods.formUnion(activePeriods)
            } else {
                let periodQuery = try db.prepare("""
                    SELECT DISTINCT \(periodExpr) FROM person_day_activity a JOIN calendar c ON c.day = a.day
                    WHERE a.day BETWEEN ?1 AND ?2
                    """)
                try periodQuery.bind(.int(fromDay), .int(toDay))
                while try periodQuery.step() { periods.insert(periodQuery.text(0)) }
            }
            let lastDays = try periodLastDays(store: store, request: request, periods: periods, fromDay: fromDay, toDay: toDay)
            try AccountFigures(store: store, dims: placeDims.map(\.column)).add(to: &rows, lastDays: lastDays)
        }
        FigureRowOrder.sort(&rows)
        return rows
    }

    /// Writes the CSV of `request` (SPEC §3) to `output`: the same bytes as
    /// `ExportCSV.write` of `rows(store:request:)`.
    ///
    /// A request grouped by school, commune, EPCI or level is written period by period as
    /// `RollupFigures.forEachPeriod` counts it, so memory does not grow with the number of
    /// lines; after `entstat purge` (frozen periods), or when the rollups wait for an
    /// ingest, the rows are computed whole first.
    public static func write(store: Store, request: ExportRequest, to output: (UnsafeRawBufferPointer) -> Void) throws {
        _ = try write(store: store, request: request, streamed: true, to: output)
    }

    /// As `write`; `streamed: false` computes the rows whole. Returns true when the rows
    /// were written period by period.
    static func write(store: Store, request: ExportRequest, streamed: Bool,
                      to output: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        var csv = ExportCSV.Writer(request: request)
        let fromDay = request.from?.dayNumber ?? Int(Int32.min)
        let toDay = request.to?.dayNumber ?? Int(Int32.max)
        if streamed, fromDay <= toDay, try store.purgeLimit() == nil {
            var accounts: AccountFigures?
            var lastDays: [String: Int] = [:]
            let done = try RollupFigures.forEachPeriod(store: store, request: request, fromDay: fromDay, toDay: toDay, begin: { periods in
                guard request.includesAccounts else { return }
                accounts = try AccountFigures(store: store, dims: request.dimensions.filter(\.isPlace).map(\.column))
                lastDays = try periodLastDays(store: store, request: request, periods: periods, fromDay: fromDay, toDay: toDay)
            }) { counted in
                guard request.includesAccounts else { return csv.write(counted, to: output) }
                var rows = counted.rows(dimensions: request.dimensions)
                if let accounts, let lastDay = lastDays[counted.label] {
                    // The period's rows of activity, in export order, then those of its
                    // groups of accounts without activity, in the groups' order: merged.
                    let activity = rows.count
                    accounts.add(to: &rows, lastDays: [counted.label: lastDay])
                    FigureRowOrder.merge(&rows, at: activity)
                }
                csv.write(rows, to: output)
            }
            if done {
                csv.finish(to: output)
                return true
            }
        }
        csv.write(try rows(store: store, request: request), to: output)
        csv.finish(to: output)
        return false
    }

    /// The accounts of every group at the grain of some place dimensions, matched with
    /// activity rows by small integers: one hash of the groups per row, then one mark per
    /// (period, group) in a flat array.
    struct AccountFigures {
        let groups: [(key: [String], value: AccountGroup)]
        let groupIndex: [[String]: Int]

        /// The groups are kept in export order, so that the rows `add` appends for one
        /// period are in it too.
        init(store: Store, dims: [String]) throws {
            groups = try accountGroups(store: store, dims: dims).sorted { FigureRowOrder.groupsPrecede($0.key, $1.key) }
            var index: [[String]: Int] = [:]
            index.reserveCapacity(groups.count)
            for (g, group) in groups.enumerated() { index[group.key] = g }
            groupIndex = index
        }

        /// Sets the account figures of every row whose period has a last day, and adds a
        /// row for every group of accounts without activity in such a period (period by
        /// period, each period's in export order).
        func add(to rows: inout [FigureRow], lastDays: [String: Int]) {
            guard !groups.isEmpty else { return }
            let periods = lastDays.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            var periodIndex: [String: Int] = [:]
            for (p, period) in periods.enumerated() { periodIndex[period.key] = p }
            var covered = [Bool](repeating: false, count: periods.count * groups.count)
            var lastPeriod: String?, p = -1
            for i in rows.indices {
                if rows[i].period != lastPeriod {
                    lastPeriod = rows[i].period
                    p = periodIndex[rows[i].period] ?? -1
                }
                guard p >= 0, let g = groupIndex[rows[i].groups] else { continue }
                let group = groups[g].value
                rows[i].accounts = group.accounts
                rows[i].activatedAccounts = group.activated(onOrBefore: periods[p].value)
                covered[p * groups.count + g] = true
            }
            for (p, period) in periods.enumerated() {
                for (g, group) in groups.enumerated() where !covered[p * groups.count + g] {
                    var row = FigureRow(period: period.key, groups: group.key)
                    row.accounts = group.value.accounts
                    row.activatedAccounts = group.value.activated(onOrBefore: period.value)
                    rows.append(row)
                }
            }
        }
    }

    /// The activity part straight from the day rows, in one SQL query.
    static func directActivity(store: Store, request: ExportRequest, fromDay: Int, toDay: Int,
                               rows byKey: inout [[String]: FigureRow], periods: inout Set<String>) throws {
        let db = store.db
        let placeDims = request.dimensions.filter(\.isPlace)
        let hasSource = request.dimensions.contains(.source)
        let hasFeature = request.dimensions.contains(.feature)
        let periodExpr = request.period.calendarExpression
        let groupExprs = request.dimensions.map { $0.isPlace ? "m.\($0.column)" : "a.\($0.column)" }
        let membership = placeDims.isEmpty ? "" : """
            m AS (SELECT DISTINCT person, \(placeDims.map(\.column).joined(separator: ", ")) FROM person_place),
            """
        // The totals are the columns of the packed day rows; the rows of each log or service
        // are read through the view that unpacks them with SQLite's JSON functions (an
        // independent reading of what `RollupRowStream` decodes).
        let dayRows = !hasSource && !hasFeature
            ? """
              SELECT \(periodExpr) AS period, a.person, '*' AS source, '*' AS feature, a.requests, a.logins, a.visits
              FROM person_day_activity a JOIN calendar c ON c.day = a.day
              WHERE a.day BETWEEN ?1 AND ?2
              """
            : """
              SELECT \(periodExpr) AS period, a.person, a.source, a.feature, a.requests, a.logins, a.visits
              FROM activity a JOIN calendar c ON c.day = a.day
              WHERE a.day BETWEEN ?1 AND ?2
                AND a.source \(hasSource ? "!=" : "=") '*' AND a.feature \(hasFeature ? "!=" : "=") '*'
              """
        let sql = """
            WITH \(membership)
            a AS (\(dayRows))
            SELECT a.period\(groupExprs.map { ", " + $0 }.joined()),
                   COUNT(DISTINCT a.person), SUM(a.visits), SUM(a.logins), SUM(a.requests),
                   COUNT(DISTINCT CASE WHEN p.account IS NOT NULL THEN a.person END)
            FROM a \(placeDims.isEmpty ? "" : "JOIN m ON m.person = a.person")
            JOIN person p ON p.id = a.person
            GROUP BY a.period\(groupExprs.map { ", " + $0 }.joined())
            """
        let statement = try db.prepare(sql)
        try statement.bind(.int(fromDay), .int(toDay))
        let n = request.dimensions.count
        while try statement.step() {
            let period = statement.text(0)
            let groups = (0..<n).map { statement.text(1 + $0) }
            var row = FigureRow(period: period, groups: groups)
            row.activeUsers = statement.int(n + 1)
            row.connections = statement.int(n + 2)
            row.logins = statement.int(n + 3)
            row.requests = statement.int(n + 4)
            row.listedActiveUsers = statement.int(n + 5)
            byKey[[period] + groups] = row
            periods.insert(period)
        }
    }

    /// The accounts of one group: how many, and their activation days, sorted.
    struct AccountGroup {
        var accounts = 0
        var activationDays: [Int] = []

        /// Accounts activated on or before `day` (binary search).
        func activated(onOrBefore day: Int) -> Int {
            var low = 0, high = activationDays.count
            while low < high {
                let mid = (low + high) / 2
                if activationDays[mid] <= day { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// Every group of accounts at the grain of `dims`, read once (an account counts once
    /// per group however many of its schools fall in it).
    ///
    /// The rows of `account_place` are made distinct here, as a `SELECT DISTINCT` of the
    /// same columns would (texts by their bytes, the account, the activation day or NULL),
    /// but without SQLite's temporary tree: that took 0.9 G instructions for the Somme
    /// year's 96 664 rows, before any period of an export could be counted.
    static func accountGroups(store: Store, dims: [String]) throws -> [[String]: AccountGroup] {
        let s = try store.db.prepare("""
            SELECT \(dims.map { $0 + ", " }.joined())account, activated_day FROM account_place
            """)
        /// One distinct row: its texts' tuple number, its account and its activation day.
        struct Distinct: Hashable {
            var tuple: Int32
            var account: Int64
            var day: Int64?
        }
        var texts = [RollupFigures.TextInterner](repeating: RollupFigures.TextInterner(), count: dims.count)
        var tuples = TupleInterner(width: dims.count)
        var tuple = [Int32](repeating: 0, count: dims.count)
        // The strings and the accounts of each tuple.
        var keys: [[String]] = [], byTuple: [AccountGroup] = []
        var seen = Set<Distinct>()
        while try s.step() {
            // Every byte of each text (read as a blob: past a NUL too), as SQLite's BINARY
            // collation compares them.
            for c in 0..<dims.count { tuple[c] = Int32(texts[c].id(of: s.blob(c))) }
            let (t, isNew) = tuple.withUnsafeBufferPointer { tuples.id(of: $0) }
            if isNew {
                keys.append((0..<dims.count).map { s.text($0) })
                byTuple.append(AccountGroup())
            }
            let day: Int64? = s.isNull(dims.count + 1) ? nil : s.int64(dims.count + 1)
            guard seen.insert(Distinct(tuple: Int32(t), account: s.int64(dims.count), day: day)).inserted else { continue }
            byTuple[t].accounts += 1
            if let day { byTuple[t].activationDays.append(Int(day)) }
        }
        // Tuples whose texts read as the same strings (bytes that are not UTF-8, or one text
        // in two Unicode forms) are one group, as a dictionary keyed by the strings makes them.
        var groups: [[String]: AccountGroup] = [:]
        for (t, group) in byTuple.enumerated() {
            groups[keys[t], default: AccountGroup()].accounts += group.accounts
            groups[keys[t], default: AccountGroup()].activationDays += group.activationDays
        }
        for key in groups.keys { groups[key]!.activationDays.sort() }
        return groups
    }

    /// The last day of each period, clipped to `--to`; for `all`, the last day with activity.
    static func periodLastDays(store: Store, request: ExportRequest, periods: Set<String>, fromDay: Int, toDay: Int) throws -> [String: Int] {
        var result: [String: Int] = [:]
        if request.period == .all {
            let s = try store.db.prepare("SELECT MAX(day) FROM person_day_activity WHERE day BETWEEN ?1 AND ?2")
            try s.bind(.int(fromDay), .int(toDay))
            if try s.step(), !s.isNull(0) {
                result["all"] = min(s.int(0), toDay)
                if request.to != nil { result["all"] = toDay }
            }
            return result
        }
        let s = try store.db.prepare("""
            SELECT \(request.period.calendarExpression), MAX(c.day) FROM calendar c
            WHERE c.day <= ?1 GROUP BY 1
            """)
        try s.bind(.int(toDay))
        while try s.step() {
            let label = s.text(0)
            if periods.contains(label) { result[label] = s.int(1) }
        }
        return result
    }
}
