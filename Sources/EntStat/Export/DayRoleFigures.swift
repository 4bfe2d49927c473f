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

    static func compute(store: Store, request: ExportRequest, fromDay: Int, toDay: Int) throws -> RollupFigures.Result? {
        let db = store.db
        guard applies(to: request), !(try Store.hasPendingRoleDays(db)),
              (try db.scalarInt("""
                  SELECT NOT EXISTS (SELECT 1 FROM person p WHERE NOT EXISTS (SELECT 1 FROM person_place pp WHERE pp.person = p.id))
                  """) ?? 0) != 0
        else { return nil }
        let dims = request.dimensions
        func filter(_ column: String, _ grouped: Bool) -> String { "r.\(column) \(grouped ? "!=" : "=") '*'" }
        let select = try db.prepare("""
            SELECT c.date, r.role, r.source, r.feature, r.users, r.listed_users, r.visits, r.logins, r.requests
            FROM activity_day_role r JOIN calendar c ON c.day = r.day
            WHERE r.day BETWEEN ?1 AND ?2 AND \(filter("role", dims.contains(.role)))
              AND \(filter("source", dims.contains(.source))) AND \(filter("feature", dims.contains(.feature)))
            """)
        try select.bind(.int(fromDay), .int(toDay))
        var rows: [[String]: FigureRow] = [:]
        while try select.step() {
            let groups = dims.map { d -> String in
                switch d {
                case .role: return select.text(1)
                case .source: return select.text(2)
                default: return select.text(3)
                }
            }
            var row = FigureRow(period: select.text(0), groups: groups)
            row.activeUsers = select.int(4)
            row.listedActiveUsers = select.int(5)
            row.connections = select.int(6)
            row.logins = select.int(7)
            row.requests = select.int(8)
            rows[[row.period] + groups] = row
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
