/// `activite_periode`: a temporary table that analyst queries (the report's and
/// `entstat query`'s) may read instead of summing `activity` day by day. It holds, for every
/// person, the activity rows of the days from `:from` to `:to` summed over those days:
/// one row per (person, source, feature) where source or feature is '*' (totals, one row
/// per service, one row per log), as `activity` has them.
///
/// The engine builds it before running a query that names it, from the rollups of the
/// school years and months whose activity lies inside the range and from the day rows of
/// the other days (the same pieces as `entstat export --period all`); it is rebuilt only
/// when the range changes.
public enum RangeActivity {
    public static let tableName = "activite_periode"

    /// Builds `temp.activite_periode` for the `from`/`to` parameters when `sql` reads it.
    static func prepare(store: Store, sql: String, parameters: [String: String]) throws {
        guard sql.lowercased().contains(tableName) else { return }
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
            CREATE TEMP TABLE IF NOT EXISTS \(tableName)_range (from_day INTEGER, to_day INTEGER);
            """)
        // Unknown or missing dates select no day (as `calendar` lookups do in the queries).
        let fromDay = parameters["from"].flatMap { CivilDate(iso: $0) }?.dayNumber
        let toDay = parameters["to"].flatMap { CivilDate(iso: $0) }?.dayNumber
        let current = try db.prepare("SELECT from_day, to_day FROM temp.\(tableName)_range")
        if try current.step(), current.isNull(0) ? fromDay == nil : current.int(0) == fromDay,
           current.isNull(1) ? toDay == nil : current.int(1) == toDay {
            return
        }
        try db.execute("DELETE FROM temp.\(tableName); DELETE FROM temp.\(tableName)_range;")
        try db.statement("INSERT INTO temp.\(tableName)_range(from_day, to_day) VALUES (?1, ?2)")
            .run(fromDay.map { .int($0) } ?? .null, toDay.map { .int($0) } ?? .null)
        guard let fromDay, let toDay, fromDay <= toDay else { return }
        let filter = "(source = '*' OR feature = '*')"
        let insert = "INSERT INTO temp.\(tableName)(person, source, feature, requests, logins, visits)\n"
        guard try store.rollupsAreCurrent() else {
            try db.execute(insert + """
                SELECT person, source, feature, SUM(requests), SUM(logins), SUM(visits) FROM activity
                WHERE day BETWEEN \(fromDay) AND \(toDay) AND \(filter)
                GROUP BY source, feature, person
                """)
            return
        }
        let activeDays = try RollupFigures.activeDays(db, from: Store.RollupKind.schoolYear.bounds(of: fromDay).first,
                                                      to: Store.RollupKind.schoolYear.bounds(of: toDay).last)
        let request = ExportRequest(period: .all, from: CivilDate(dayNumber: fromDay), to: CivilDate(dayNumber: toDay))
        let pieces = RollupFigures.plan(request: request, fromDay: fromDay, toDay: toDay, activeDays: activeDays).flatMap(\.1)
        if pieces.count == 1 {
            // One whole rollup, or one day: already one row per (person, source, feature).
            switch pieces[0].kind {
            case .rollup(let kind, let first):
                try db.execute(insert + """
                    SELECT person, source, feature, requests, logins, visits FROM activity_period
                    WHERE kind = '\(kind.rawValue)' AND first_day = \(first) AND \(filter)
                    """)
                return
            case .days(let a, let b) where a == b:
                try db.execute(insert + """
                    SELECT person, source, feature, requests, logins, visits FROM activity
                    WHERE day = \(a) AND \(filter)
                    """)
                return
            default: break
            }
        }
        // Several pieces: summed person by person in memory.
        let reader = try RollupFigures.PieceReader(db: db, filter: filter)
        let sums = try reader.sumPerPerson(pieces)
        let add = try db.prepare(insert + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        for (key, counts) in sums {
            let combo = reader.combos[Int(key & 0xFFFF)]
            try add.execute(key >> 16, combo.source, combo.feature, counts.0, counts.1, counts.2)
        }
    }
}
