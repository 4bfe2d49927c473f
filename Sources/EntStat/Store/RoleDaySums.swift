/// The territory's totals per day and role of the queued days (`pending_role_day`), summed
/// in one pass over each day table (`visit_start` and `activity`) and written to
/// `visit_hour_role` and `activity_day_role`.
///
/// Each person's roles are held as a bitmask in an array indexed by person id (ids are
/// dense: they are identity row ids), so a row costs an array read instead of an SQL
/// lookup and a sort (for the '*'/'*' rows alone, 1.5 s instead of 5.9 s in SQL on the
/// Somme year; every row of that year: 7.4 s of CPU on two threads, most of it SQLite
/// stepping and decoding the 27 M day rows). Role bits follow the roles' alphabetical
/// order: the lowest bit of a mask is the person's first role (`person_role.first_role`),
/// under which role '*' counts the person once; the high bit marks a person listed in
/// accounts.csv.
struct RoleDaySums: Sendable {
    /// The distinct roles of `person_role`, in ascending order: bit i is `roles[i]`.
    let roles: [String]
    /// The roles of each person id (low bits; 0 for a person without a role) and
    /// `listedBit` for a person in accounts.csv.
    private let masks: [UInt8]
    private static let listedBit: UInt8 = 0x80

    /// Hours of `visit_start.hour` (local wall clock).
    static let hours = 24

    /// Reads `person_role` (the caller has brought it up to date).
    init(db: Database) throws {
        let names = try db.prepare("SELECT DISTINCT role FROM person_role ORDER BY role")
        var roles: [String] = []
        while try names.step() { roles.append(names.text(0)) }
        guard roles.count < UInt8.bitWidth else {
            throw DatabaseError(code: 1, message: "\(roles.count) rôles distincts dans person_role : au plus \(UInt8.bitWidth - 1) sont prévus",
                                sql: names.sql)
        }
        self.roles = roles
        let bit = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1, UInt8(1) << UInt8($0)) })
        let count = Int(try db.scalarInt("SELECT COALESCE(MAX(person), -1) + 1 FROM person_role") ?? 0)
        var masks = [UInt8](repeating: 0, count: count)
        let rows = try db.prepare("SELECT person, role, listed FROM person_role")
        while try rows.step() {
            let person = rows.int(0)
            guard person >= 0, let b = bit[rows.text(1)] else { continue }
            masks[person] |= b | (rows.int(2) != 0 ? Self.listedBit : 0)
        }
        self.masks = masks
    }

    private func mask(of person: Int) -> UInt8 {
        person >= 0 && person < masks.count ? masks[person] : 0
    }

    /// Calls `body` with the index of each role of `mask` (slot 0 is '*', role i is slot
    /// i + 1): every role, and '*' once for the first.
    @inline(__always)
    private static func forEachSlot(of mask: UInt8, _ body: (Int) -> Void) {
        var m = mask & ~listedBit
        guard m != 0 else { return }
        body(0)
        while m != 0 {
            body(m.trailingZeroBitCount + 1)
            m &= m - 1
        }
    }

    /// The role name of a slot.
    private func roleName(slot: Int) -> String { slot == 0 ? "*" : roles[slot - 1] }

    /// Inserts the sums of every queued day (whose old rows the caller has deleted). The
    /// `activity` rows are read on `threads` threads (see `Store.refreshRoleDays`).
    func write(db: Database, threads: Int) throws {
        let slots = roles.count + 1
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
            Self.forEachSlot(of: mask(of: starts.int(1))) { visits[$0 * Self.hours + hour] += n }
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

    /// One row of `activity_day_role`, without its day.
    struct VolumeRow: Sendable {
        var role: String
        var source: String
        var feature: String
        var users = 0
        var listed = 0
        var visits = 0
        var logins = 0
        var requests = 0
    }

    /// The `activity` rows of `day` summed per role slot and (source, feature): active
    /// persons (listed ones apart), visits, logins, requests.
    func volumes(of day: Int, reader: RollupFigures.PieceReader) throws -> [VolumeRow] {
        let slots = roles.count + 1
        // Cell (combo × slots + slot) × 5: users, listed, visits, logins, requests.
        var cells: [Int] = []
        try reader.read(RollupFigures.Piece(kind: .days(day, day))) { person, combo, requests, logins, visits in
            let mask = mask(of: Int(person))
            let listed = mask & Self.listedBit != 0 ? 1 : 0
            let base = combo * slots * 5
            if cells.count < base + slots * 5 {
                cells.append(contentsOf: repeatElement(0, count: base + slots * 5 - cells.count))
            }
            Self.forEachSlot(of: mask) { slot in
                let i = base + slot * 5
                cells[i] += 1
                cells[i + 1] += listed
                cells[i + 2] += visits
                cells[i + 3] += logins
                cells[i + 4] += requests
            }
        }
        var rows: [VolumeRow] = []
        for (combo, names) in reader.combos.enumerated() {
            for slot in 0..<slots {
                let i = (combo * slots + slot) * 5
                guard i < cells.count, cells[i] != 0 else { continue }
                rows.append(VolumeRow(role: roleName(slot: slot), source: names.source, feature: names.feature, users: cells[i],
                                      listed: cells[i + 1], visits: cells[i + 2], logins: cells[i + 3], requests: cells[i + 4]))
            }
        }
        return rows
    }
}
