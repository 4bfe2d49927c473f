/// The activity figures of a day-level export grouped by role, source or feature only (or
/// by nothing), read from the territory's totals per day and role (`activity_day_role`):
/// a few hundred rows per day instead of every person's day rows (the day-level `feature`
/// groupings of a school year: about 1.9 s → 0.05 s).
///
/// At the grain of a day, a person has one `activity` row per (source, feature), so the
/// active persons of a (day, role, source, feature) are a sum over persons, and the stored
/// totals are exactly what `RollupFigures` counts person by person. Role `'*'` holds the
/// persons that have a place, which every person has (`Store.rebuildPersonPlaces`); the
/// fast path checks it, and returns nil (the caller then counts person by person) when it
/// does not hold or while the totals wait for an ingest.
enum DayRoleFigures {
    /// True for the requests these totals answer.
    static func applies(to request: ExportRequest) -> Bool {
        request.period == .day && request.dimensions.allSatisfy { [.role, .source, .feature].contains($0) }
    }

    /// True when every person has a place, so that role '*' of the totals counts everyone.
    static func everyPersonHasAPlace(_ db: Database) throws -> Bool {
        (try db.scalarInt("""
            SELECT NOT EXISTS (SELECT 1 FROM person p WHERE NOT EXISTS (SELECT 1 FROM person_place pp WHERE pp.person = p.id))
            """) ?? 0) != 0
    }

    /// The export row of a row of a totals table whose columns, from `first`, are role,
    /// source, feature, users, listed_users, visits, logins and requests.
    static func figureRow(_ s: Statement, period: String, dimensions: [Dimension], from first: Int) -> FigureRow {
        let groups = dimensions.map { d -> String in
            switch d {
            case .role: return s.text(first)
            case .source: return s.text(first + 1)
            default: return s.text(first + 2)
            }
        }
        var row = FigureRow(period: period, groups: groups)
        row.activeUsers = s.int(first + 3)
        row.listedActiveUsers = s.int(first + 4)
        row.connections = s.int(first + 5)
        row.logins = s.int(first + 6)
        row.requests = s.int(first + 7)
        return row
    }

    static func compute(store: Store, request: ExportRequest, fromDay: Int, toDay: Int) throws -> RollupFigures.Result? {
        let db = store.db
        guard applies(to: request), !(try Store.hasPendingRoleDays(db)), try everyPersonHasAPlace(db) else { return nil }
        let dims = request.dimensions
        func filter(_ column: String, _ grouped: Bool) -> String { "r.\(column) \(grouped ? "!=" : "=") '*'" }
        let select = try db.prepare("""
            SELECT c.date, r.role, r.source, r.feature, r.users, r.listed_users, r.visits, r.logins, r.requests
            FROM activity_day_role r JOIN calendar c ON c.day = r.day
            WHERE r.day BETWEEN ?1 AND ?2 AND \(filter("role", dims.contains(.role)))
              AND \(filter("source", dims.contains(.source))) AND \(filter("feature", dims.contains(.feature)))
            """)
        try select.bind(.int(fromDay), .int(toDay))
        var rows: [FigureRow] = []
        while try select.step() {
            rows.append(figureRow(select, period: select.text(0), dimensions: dims, from: 1))
        }
        let active = try db.prepare("""
            SELECT c.date FROM activity_day_role r JOIN calendar c ON c.day = r.day
            WHERE r.day BETWEEN ?1 AND ?2 AND r.role = '*' AND r.source = '*' AND r.feature = '*'
            """)
        try active.bind(.int(fromDay), .int(toDay))
        var activePeriods = Set<String>()
        while try active.step() { activePeriods.insert(active.text(0)) }
        return RollupFigures.Result(rows: rows, activePeriods: activePeriods)
    }
}
