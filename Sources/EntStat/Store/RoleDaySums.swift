/// The territory's totals per day and role of the queued days (`pending_role_day`), summed
/// in one pass over each day table (`visit_start` and `activity`) and written to
/// `visit_hour_role` and `activity_day_role`.
///
/// Each row's roles come from `PersonRoleMasks`, so a row costs an array read instead of
/// an SQL lookup and a sort (for the '*'/'*' rows alone, 1.5 s instead of 5.9 s in SQL on
/// the Somme year; every row of that year: 7.4 s of CPU on two threads, most of it SQLite
/// stepping and decoding the 27 M day rows).
struct RoleDaySums: Sendable {
    let people: PersonRoleMasks

    /// Hours of `visit_start.hour` (local wall clock).
    static let hours = 24

    /// Reads `person_role` (the caller has brought it up to date).
    init(db: Database) throws {
        people = try PersonRoleMasks(db: db)
    }

    /// The person's roles (day totals have no level).
    private func mask(of person: Int) -> PersonRoleMasks.Mask { people.mask(of: person) & ~people.levelBits }
    private func roleName(slot: Int) -> String { people.name(slot: slot).role }

    /// Inserts the sums of every queued day (whose old rows the caller has deleted). The
    /// `activity` rows are read on `threads` threads (see `Store.refreshRoleDays`).
    func write(db: Database, threads: Int) throws {
        let slots = people.slotCount
        // Visits per (role slot, hour) of one day.
        let insertVisits = try db.statement("INSERT INTO visit_hour_role(day, role, hour, visits) VALUES (?1, ?2, ?3, ?4)")
        var visits = [Int](repeating: 0, count: slots * Self.hours)
        var day: Int?
        func flushVisits() throws {
            guard let day else { return }
            for slot in 0..<slots {
                for hour in 0..<Self.hours where visits[slot * Self.hours + hour] != 0 {
                    try insertVisits.execute(day, roleName(slot: slot), hour, visits[slot * Self.hours + hour])
                }
            }
            for i in visits.indices { visits[i] = 0 }
        }
        let starts = try db.prepare("""
            SELECT v.day, v.person, v.hour, v.visits FROM pending_role_day q CROSS JOIN visit_start v ON v.day = q.day
            """)
        while try starts.step() {
            let rowDay = starts.int(0), hour = starts.int(2), n = starts.int(3)
            if rowDay != day {
                try flushVisits()
                day = rowDay
            }
            guard (0..<Self.hours).contains(hour) else {
                throw DatabaseError(code: 1, message: "heure \(hour) hors de 0–23 dans visit_start (jour \(rowDay))", sql: starts.sql)
            }
            people.forEachSlot(of: mask(of: starts.int(1))) { visits[$0 * Self.hours + hour] += n }
        }
        try flushVisits()

        // activity: the days are shared between this thread and, with `threads` > 1, others
        // with their own read-only connections (the day rows are committed; this
        // transaction's person_role is not, and the masks carry it), then written here in
        // day order.
        let queued = try db.prepare("SELECT day FROM pending_role_day ORDER BY day")
        var days: [Int] = []
        while try queued.step() { days.append(queued.int(0)) }
        let path = db.path, sums = self, allDays = days
        // (A reader's statements do not keep their connection alive: the context holds both.)
        let perDay = try ParallelJobs.run(
            count: allDays.count, threads: threads,
            callerContext: (db, try RollupFigures.PieceReader(db: db, filter: "1 = 1")),
            makeContext: {
                let reading = try RollupFigures.openReader(path: path)
                return (reading, try RollupFigures.PieceReader(db: reading, filter: "1 = 1"))
            },
            job: { context, index in try sums.volumes(of: allDays[index], reader: context.1) })
        let insertVolumes = try db.statement("""
            INSERT INTO activity_day_role(day, role, source, feature, users, listed_users, visits, logins, requests)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        for (day, rows) in zip(days, perDay) {
            for row in rows {
                try insertVolumes.execute(day, row.role, row.source, row.feature, row.users, row.listed, row.visits, row.logins, row.requests)
            }
        }
    }

    /// The `activity` rows of `day` summed per role slot and (source, feature): active
    /// persons (listed ones apart), visits, logins, requests.
    func volumes(of day: Int, reader: RollupFigures.PieceReader) throws -> [RoleCells.Row] {
        var sums = RoleCells(people: people)
        try reader.read(RollupFigures.Piece(kind: .days(day, day))) { person, combo, requests, logins, visits in
            sums.add(person: person, combo: combo, requests: requests, logins: logins, visits: visits)
        }
        return sums.rows(combos: reader.combos)
    }
}
