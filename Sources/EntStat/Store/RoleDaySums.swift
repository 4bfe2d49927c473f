/// The territory's totals per day and role of the queued days (`pending_role_day`), and
/// the same per commune and EPCI, summed in one pass over each day table (`visit_start` and
/// `activity`) and written to `visit_hour_role` and `activity_day_role`, `visit_day_place`
/// and `activity_day_place`; and each place's daily peak of concurrent users, from
/// `person_day` (`peak_day_place`).
///
/// Each row's roles come from `PersonRoleMasks`, so a row costs an array read instead of
/// an SQL lookup and a sort (for the '*'/'*' rows alone, 1.5 s instead of 5.9 s in SQL on
/// the Somme year; every row of that year: 7.4 s of CPU on two threads, most of it SQLite
/// stepping and decoding the 27 M day rows).
struct RoleDaySums: Sendable {
    let people: PersonRoleMasks
    let places: PersonPlaces

    /// Hours of `visit_start.hour` (local wall clock).
    static let hours = 24

    /// Reads `person_role` and `person_level` (the caller has brought them up to date),
    /// unless `people` gives what they hold, and `person_place`.
    init(db: Database, people: PersonRoleMasks? = nil) throws {
        self.people = try people ?? PersonRoleMasks(db: db)
        places = try PersonPlaces(db: db)
    }

    /// One total of a place and role slot on one day (`activity_day_place`).
    struct PlaceRow: Sendable {
        var place: Int
        var slot: Int
        var users: Int
        var visits: Int
        var logins: Int
        var requests: Int
    }

    /// The person's roles (day totals have no level).
    private func mask(of person: Int) -> PersonRoleMasks.Mask { people.mask(of: person) & ~people.levelBits }
    private func roleName(slot: Int) -> String { people.name(slot: slot).role }

    /// Inserts the sums of every queued day (whose old rows the caller has deleted). The
    /// `activity` rows are read on `threads` threads (see `Store.refreshRoleDays`), the
    /// other threads starting on them while this one sums the visits and the peaks.
    func write(db: Database, threads: Int) throws {
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
            callerContext: (db, try RollupFigures.PieceReader(db: db)),
            makeContext: {
                let reading = try RollupFigures.openReader(path: path)
                return (reading, try RollupFigures.PieceReader(db: reading))
            },
            callerFirst: {
                try writeVisits(db: db)
                try writePlacePeaks(db: db)
            },
            job: { context, index in try sums.volumes(of: allDays[index], reader: context.1) })
        let insertVolumes = try db.statement("""
            INSERT INTO activity_day_role(day, role, source, feature, users, listed_users, visits, logins, requests)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        let insertPlaceVolumes = try db.statement("""
            INSERT INTO activity_day_place(kind, place, day, role, users, visits, logins, requests) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        for (day, rows) in zip(days, perDay) {
            for row in rows.roles {
                try insertVolumes.execute(day, row.role, row.source, row.feature, row.users, row.listed, row.visits, row.logins, row.requests)
            }
            for row in rows.places {
                let place = places.places[row.place]
                try insertPlaceVolumes.execute(place.kind, place.name, day, places.roleName(slot: row.slot),
                                               row.users, row.visits, row.logins, row.requests)
            }
        }
    }

    /// Sums the visits of the queued days per role and hour (`visit_hour_role`) and per
    /// place, role and hour (`visit_day_place`), from `visit_start`.
    private func writeVisits(db: Database) throws {
        let slots = people.slotCount
        // Visits per (role slot, hour) of one day.
        let insertVisits = try db.statement("INSERT INTO visit_hour_role(day, role, hour, visits) VALUES (?1, ?2, ?3, ?4)")
        var visits = [Int](repeating: 0, count: slots * Self.hours)
        // Visits per (place, role slot) and hour of one day, and the (place, slot) cells
        // touched: one row per cell and day, its 24 hours in a JSON array.
        let insertPlaceVisits = try db.statement("""
            INSERT INTO visit_day_place(kind, place, day, role, hours) VALUES (?1, ?2, ?3, ?4, ?5)
            """)
        let placeSlots = places.slotCount
        var placeVisits = [Int](repeating: 0, count: places.places.count * placeSlots * Self.hours)
        var isTouched = [Bool](repeating: false, count: places.places.count * placeSlots)
        var touched: [Int] = []
        var day: Int?
        func flushVisits() throws {
            guard let day else { return }
            for slot in 0..<slots {
                for hour in 0..<Self.hours where visits[slot * Self.hours + hour] != 0 {
                    try insertVisits.execute(day, roleName(slot: slot), hour, visits[slot * Self.hours + hour])
                }
            }
            for i in visits.indices { visits[i] = 0 }
            touched.sort()
            for cell in touched {
                let place = places.places[cell / placeSlots]
                // Read, then cleared: no slice of the array may outlive the read (clearing the
                // array while a slice shares it would copy the whole array).
                var json = "["
                for i in (cell * Self.hours)..<((cell + 1) * Self.hours) {
                    json += (i == cell * Self.hours ? "" : ",") + String(placeVisits[i])
                    placeVisits[i] = 0
                }
                json += "]"
                try insertPlaceVisits.execute(place.kind, place.name, day, places.roleName(slot: cell % placeSlots), json)
                isTouched[cell] = false
            }
            touched.removeAll(keepingCapacity: true)
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
            let person = starts.int(1)
            people.forEachSlot(of: mask(of: person)) { visits[$0 * Self.hours + hour] += n }
            places.forEachSlot(of: person) { place, slot in
                let cell = place * placeSlots + slot
                if !isTouched[cell] {
                    isTouched[cell] = true
                    touched.append(cell)
                }
                placeVisits[cell * Self.hours + hour] += n
            }
        }
        try flushVisits()
    }

    /// Windows of a day counted per place: `person_day.windows` holds at most 38 bytes.
    static let windows = 38 * 8

    /// Writes each place's peak of concurrent users on each queued day (`peak_day_place`):
    /// the largest number of its persons active in one 5-minute window (SPEC §2.4), counted
    /// from the `person_day` window bitmaps of the persons with a row of that place.
    private func writePlacePeaks(db: Database) throws {
        let insert = try db.statement("INSERT INTO peak_day_place(kind, place, day, users) VALUES (?1, ?2, ?3, ?4)")
        var counts = [Int32](repeating: 0, count: places.places.count * Self.windows)
        var touched: [Int] = []
        var isTouched = [Bool](repeating: false, count: places.places.count)
        var day: Int?
        func flush() throws {
            guard let day else { return }
            touched.sort()
            for place in touched {
                let base = place * Self.windows
                var peak: Int32 = 0
                for w in base..<(base + Self.windows) {
                    peak = max(peak, counts[w])
                    counts[w] = 0
                }
                try insert.execute(places.places[place].kind, places.places[place].name, day, Int(peak))
                isTouched[place] = false
            }
            touched.removeAll(keepingCapacity: true)
        }
        let rows = try db.prepare("""
            SELECT pd.day, pd.person, pd.windows FROM pending_role_day q CROSS JOIN person_day pd ON pd.day = q.day
            """)
        while try rows.step() {
            let rowDay = rows.int(0)
            if rowDay != day {
                try flush()
                day = rowDay
            }
            let bitmap = rows.blob(2)
            guard bitmap.count <= Self.windows / 8 else {
                throw DatabaseError(code: 1, message: "person_day.windows de \(bitmap.count) octets (jour \(rowDay)) : au plus \(Self.windows / 8) prévus",
                                    sql: rows.sql)
            }
            places.forEachPlace(of: rows.int(1)) { place in
                if !isTouched[place] {
                    isTouched[place] = true
                    touched.append(place)
                }
                let base = place * Self.windows
                for (i, byte) in bitmap.enumerated() where byte != 0 {
                    var b = byte
                    while b != 0 {
                        counts[base + i * 8 + b.trailingZeroBitCount] += 1
                        b &= b - 1
                    }
                }
            }
        }
        try flush()
    }

    /// The `activity` rows of `day` summed per role slot and (source, feature): active
    /// persons (listed ones apart), visits, logins, requests; and the total rows per place
    /// and role slot.
    func volumes(of day: Int, reader: RollupFigures.PieceReader) throws -> (roles: [RoleCells.Row], places: [PlaceRow]) {
        var sums = RoleCells(people: people)
        let placeSlots = places.slotCount
        // users, visits, logins, requests per (place, slot).
        var placeCells: [Int: (Int, Int, Int, Int)] = [:]
        try reader.read(RollupFigures.Piece(kind: .days(day, day))) { person, combo, requests, logins, visits in
            sums.add(person: person, combo: combo, requests: requests, logins: logins, visits: visits)
            guard combo == reader.totalCombo else { return }
            places.forEachSlot(of: Int(person)) { place, slot in
                let old = placeCells[place * placeSlots + slot] ?? (0, 0, 0, 0)
                placeCells[place * placeSlots + slot] = (old.0 + 1, old.1 + visits, old.2 + logins, old.3 + requests)
            }
        }
        let placeRows = placeCells.keys.sorted().map { key in
            let c = placeCells[key]!
            return PlaceRow(place: key / placeSlots, slot: key % placeSlots, users: c.0, visits: c.1, logins: c.2, requests: c.3)
        }
        return (sums.rows(combos: reader.combos), placeRows)
    }
}
