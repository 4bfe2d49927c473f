/// The activity figures of a week, month, school-year or whole-range export grouped by
/// role, source or feature only (or by nothing), for each period that is one whole rollup
/// period: read from the territory's totals per period and role (`activity_period_role`),
/// a few hundred rows per period instead of every person's rollup rows (the week-level
/// `feature` groupings of a school year: about 1.2 s → 0.05 s).
///
/// A rollup has one row per person and (source, feature), so its totals per role are
/// exactly what `RollupFigures` counts person by person. As for `DayRoleFigures`, role
/// `'*'` holds the persons that have a place: the totals are used only when every person
/// has one, and never while they wait for an ingest.
enum PeriodRoleFigures {
    /// True for the requests these totals answer (periods longer than a day).
    static func applies(to request: ExportRequest) -> Bool {
        request.period != .day && request.dimensions.allSatisfy { [.role, .source, .feature].contains($0) }
    }

    /// True when the store's totals can be read for `request`.
    static func usable(store: Store, request: ExportRequest) throws -> Bool {
        let db = store.db
        return try applies(to: request) && !Store.hasPendingRolePeriods(db) && DayRoleFigures.everyPersonHasAPlace(db)
    }

    /// The rows of the period `label`, one whole rollup period.
    static func rows(db: Database, kind: Store.RollupKind, first: Int, label: String,
                     dimensions dims: [Dimension]) throws -> [FigureRow] {
        func filter(_ column: String, _ grouped: Bool) -> String { "\(column) \(grouped ? "!=" : "=") '*'" }
        let select = try db.statement("""
            SELECT role, source, feature, users, listed_users, visits, logins, requests FROM activity_period_role
            WHERE kind = ?1 AND first_day = ?2 AND \(filter("role", dims.contains(.role)))
              AND \(filter("source", dims.contains(.source))) AND \(filter("feature", dims.contains(.feature)))
            """)
        select.reset()
        try select.bind(.text(kind.rawValue), .int(first))
        var rows: [FigureRow] = []
        while try select.step() {
            rows.append(DayRoleFigures.figureRow(select, period: label, dimensions: dims, from: 0))
        }
        select.reset()
        return rows
    }
}
