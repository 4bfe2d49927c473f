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
    /// unless `people` gives what they hold, and `person_place`, unless `places` gives it.
    init(db: Database, people: PersonRoleMasks? = nil, places: PersonPlaces? = nil) throws {
        self.people = try people ?? PersonRoleMasks(db: db)
        self.places = try places ?? PersonPlaces(db: db)
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

    /// What one job of `write` gives for one day: its volumes, or its peaks per place.
    enum DayResult {
        case volumes(roles: [RoleCells.Row], places: [PlaceRow])
        /// Each place touched that day (its index in `places.places`) and its peak.
        case peaks([(place: Int, users: Int)])
    }

    /// Inserts the sums of every queued day (whose old rows the caller has deleted). The
    /// `activity` rows and the window bitmaps of `person_day` are read on `threads` threads
    /// (see `Store.refreshRoleDays`), one job per day for each, the other threads starting on
    /// them while this one sums and inserts the visits. `knownPeaks` holds days whose peaks
    /// were counted already (`PlacesReadAhead`, with these `places`).
    func write(db: Database, threads: Int, knownPeaks: [Int: [(place: Int, users: Int)]] = [:]) throws {
        // The days are shared between this thread and, with `threads` > 1, others with their
        // own read-only connections (the day rows are committed; this transaction's
        // person_role is not, and the masks carry it), then written here in day order.
        let path = db.path, sums = self, allDays = try Store.queuedRoleDays(db), placeCount = places.places.count
        let peakDays = allDays.indices.filter { knownPeaks[allDays[$0]] == nil }
        // (A reader's statements do not keep their connection alive: the context holds both.)
        // Jobs 0..<n: the volumes of day i; n + k: the peaks of day peakDays[k].
        let results = try ParallelJobs.run(
            count: allDays.count + peakDays.count, threads: threads,
            callerContext: (db, try RollupFigures.PieceReader(db: db), try PeakCounter(db: db, places: placeCount), PlaceCells()),
            makeContext: {
                let reading = try RollupFigures.openReader(path: path)
                return (reading, try RollupFigures.PieceReader(db: reading), try PeakCounter(db: reading, places: placeCount), PlaceCells())
            },
            callerFirst: { try writeVisits(db: db) },
            job: { context, index -> DayResult in
                if index < allDays.count {
                    let volumes = try sums.volumes(of: allDays[index], reader: context.1, cells: context.3)
                    return .volumes(roles: volumes.roles, places: volumes.places)
                }
                return .peaks(try context.2.peaks(of: allDays[peakDays[index - allDays.count]], places: sums.places))
            })
        // Day i's volumes, and its peaks, counted here or before.
        var volumes: [(roles: [RoleCells.Row], places: [PlaceRow])] = []
        var peaks = allDays.map { knownPeaks[$0] ?? [] }
        for (index, result) in results.enumerated() {
            switch result {
            case .volumes(let roles, let placeRows): volumes.append((roles, placeRows))
            case .peaks(let counted): peaks[peakDays[index - allDays.count]] = counted
            }
        }
        let insertVolumes = try db.statement("""
            INSERT INTO activity_day_role(day, role, source, feature, users, listed_users, visits, logins, requests)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        var insertPlaceVolumes = MultiRowInsert(db: db, table: "activity_day_place",
                                                columns: ["kind", "place", "day", "role", "users", "visits", "logins", "requests"])
        var insertPeak = MultiRowInsert(db: db, table: "peak_day_place", columns: ["kind", "place", "day", "users"])
        // The rows per place go in in the order of their primary key, (kind, place, day,
        // role): each lands next to the one before instead of in another page of the B-tree.
        let rank = places.ranksInKeyOrder()
        var placeOrder: [(key: UInt64, day: Int32, row: Int32)] = []
        var peakOrder: [(key: UInt64, day: Int32, row: Int32)] = []
        for (dayIndex, day) in volumes.enumerated() {
            for row in day.roles {
                try insertVolumes.execute(allDays[dayIndex], row.role, row.source, row.feature, row.users, row.listed, row.visits, row.logins, row.requests)
            }
            for (i, row) in day.places.enumerated() {
                placeOrder.append((UInt64(rank[row.place]) << 40 | UInt64(dayIndex) << 16 | UInt64(row.slot), Int32(dayIndex), Int32(i)))
            }
        }
        for (dayIndex, day) in peaks.enumerated() {
            for (i, peak) in day.enumerated() {
                peakOrder.append((UInt64(rank[peak.place]) << 40 | UInt64(dayIndex) << 16, Int32(dayIndex), Int32(i)))
            }
        }
        placeOrder.sort { $0.key < $1.key }
        for entry in placeOrder {
            let row = volumes[Int(entry.day)].places[Int(entry.row)]
            let place = places.places[row.place]
            try insertPlaceVolumes.add(place.kind, place.name, allDays[Int(entry.day)], places.roleName(slot: row.slot),
                                       row.users, row.visits, row.logins, row.requests)
        }
        try insertPlaceVolumes.flush()
        peakOrder.sort { $0.key < $1.key }
        for entry in peakOrder {
            let peak = peaks[Int(entry.day)][Int(entry.row)]
            try insertPeak.add(places.places[peak.place].kind, places.places[peak.place].name, allDays[Int(entry.day)], peak.users)
        }
        try insertPeak.flush()
    }

    /// Sums the visits of the queued days per role and hour (`visit_hour_role`) and per
    /// place, role and hour (`visit_day_place`), from `visit_start`.
    private func writeVisits(db: Database) throws {
        let slots = people.slotCount
        // Visits per (role slot, hour) of one day.
        let insertVisits = try db.statement("INSERT INTO visit_hour_role(day, role, hour, visits) VALUES (?1, ?2, ?3, ?4)")
        var visits = [Int](repeating: 0, count: slots * Self.hours)
        // Visits per (place, role slot) and hour of one day, and the (place, slot) cells
        // touched: one row per cell and day, its 24 hours in a JSON array, written in the
        // order of the table's key (kind, place, day, role) and several rows per statement.
        var insertPlaceVisits = MultiRowInsert(db: db, table: "visit_day_place", columns: ["kind", "place", "day", "role", "hours"])
        let placeSlots = places.slotCount
        let rank = places.ranksInKeyOrder()
        var placeVisits = [Int](repeating: 0, count: places.places.count * placeSlots * Self.hours)
        var isTouched = [Bool](repeating: false, count: places.places.count * placeSlots)
        var touched: [Int] = []
        var json: [UInt8] = []
        var day: Int?
        func flushVisits() throws {
            guard let day else { return }
            for slot in 0..<slots {
                for hour in 0..<Self.hours where visits[slot * Self.hours + hour] != 0 {
                    try insertVisits.execute(day, roleName(slot: slot), hour, visits[slot * Self.hours + hour])
                }
            }
            for i in visits.indices { visits[i] = 0 }
            touched.sort { a, b in
                let (ra, rb) = (rank[a / placeSlots], rank[b / placeSlots])
                return ra != rb ? ra < rb : a % placeSlots < b % placeSlots
            }
            for cell in touched {
                let place = places.places[cell / placeSlots]
                // Read, then cleared: no slice of the array may outlive the read (clearing the
                // array while a slice shares it would copy the whole array).
                json.removeAll(keepingCapacity: true)
                json.append(UInt8(ascii: "["))
                for i in (cell * Self.hours)..<((cell + 1) * Self.hours) {
                    if i != cell * Self.hours { json.append(UInt8(ascii: ",")) }
                    PackedPeriodRow.appendInt(Int64(placeVisits[i]), to: &json)
                    placeVisits[i] = 0
                }
                json.append(UInt8(ascii: "]"))
                try insertPlaceVisits.add(place.kind, place.name, day, places.roleName(slot: cell % placeSlots), MultiRowText(json))
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
                let date = CivilDate(dayNumber: try StoredDay.checked(rowDay, table: "visit_start", path: db.path))
                throw StoreError.damaged(path: db.path, table: "visit_start", reason: "heure \(hour) hors de 0 à 23 le \(date)")
            }
            // A count entstat cannot have written (a person's visits of one hour): refused, so
            // that the sums of 200 million persons cannot overflow.
            guard (0...RollupRowStream.largestCount).contains(Int64(n)) else {
                let date = CivilDate(dayNumber: try StoredDay.checked(rowDay, table: "visit_start", path: db.path))
                throw StoreError.damaged(path: db.path, table: "visit_start", reason: "\(n) visites à \(hour) h le \(date), "
                                         + "hors de 0 à \(FrenchText.integer(Int(RollupRowStream.largestCount)))")
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
        try insertPlaceVisits.flush()
    }

    /// Windows of a day counted per place: `person_day.windows` holds at most 38 bytes.
    static let windows = 38 * 8

    /// Counts each place's peak of concurrent users on one day (`peak_day_place`): the
    /// largest number of its persons active in one 5-minute window (SPEC §2.4), from the
    /// `person_day` window bitmaps of the persons with a row of that place. One per thread,
    /// its counters (places × 304 windows) made by its first day and kept, zero, between days.
    final class PeakCounter {
        private let rows: Statement
        private let placeCount: Int
        private var counts: [Int32] = []
        private var isTouched: [Bool] = []
        private var touched: [Int] = []

        init(db: Database, places: Int) throws {
            rows = try db.prepare("SELECT person, windows FROM person_day WHERE day = ?1")
            placeCount = places
        }

        /// The peak of every place with a person active on `day`, in place order.
        func peaks(of day: Int, places: PersonPlaces) throws -> [(place: Int, users: Int)] {
            if isTouched.isEmpty && placeCount > 0 {
                counts = [Int32](repeating: 0, count: placeCount * RoleDaySums.windows)
                isTouched = [Bool](repeating: false, count: placeCount)
            }
            rows.reset()
            try rows.bind(.int(day))
            while try rows.step() {
                let bitmap = rows.blob(1)
                guard bitmap.count <= RoleDaySums.windows / 8 else {
                    throw DatabaseError(code: 1, message: "person_day.windows de \(bitmap.count) octets (jour \(day)) : au plus \(RoleDaySums.windows / 8) prévus",
                                        sql: rows.sql)
                }
                places.forEachPlace(of: rows.int(0)) { place in
                    if !isTouched[place] {
                        isTouched[place] = true
                        touched.append(place)
                    }
                    let base = place * RoleDaySums.windows
                    for (i, byte) in bitmap.enumerated() where byte != 0 {
                        var b = byte
                        while b != 0 {
                            counts[base + i * 8 + b.trailingZeroBitCount] += 1
                            b &= b - 1
                        }
                    }
                }
            }
            rows.reset()
            touched.sort()
            var peaks: [(place: Int, users: Int)] = []
            peaks.reserveCapacity(touched.count)
            for place in touched {
                let base = place * RoleDaySums.windows
                var peak: Int32 = 0
                for w in base..<(base + RoleDaySums.windows) {
                    peak = max(peak, counts[w])
                    counts[w] = 0
                }
                peaks.append((place, Int(peak)))
                isTouched[place] = false
            }
            touched.removeAll(keepingCapacity: true)
            return peaks
        }
    }

    /// The `activity` rows of `day` summed per role slot and (source, feature): active
    /// persons (listed ones apart), visits, logins, requests; and the total rows per place
    /// and role slot, summed in `cells` (the thread's own).
    func volumes(of day: Int, reader: RollupFigures.PieceReader, cells: PlaceCells) throws -> (roles: [RoleCells.Row], places: [PlaceRow]) {
        var sums = RoleCells(people: people)
        let placeSlots = places.slotCount
        cells.prepare(count: places.places.count * placeSlots)
        try reader.read(RollupFigures.Piece(kind: .days(day, day))) { person, combo, requests, logins, visits in
            sums.add(person: person, combo: combo, requests: requests, logins: logins, visits: visits)
            guard combo == reader.totalCombo else { return }
            places.forEachSlot(of: Int(person)) { place, slot in
                cells.add(place * placeSlots + slot, visits: visits, logins: logins, requests: requests)
            }
        }
        return (sums.rows(combos: reader.combos), cells.takeRows(placeSlots: placeSlots))
    }

    /// A thread's sums of users, visits, logins and requests per (place, role slot) cell
    /// of one day: flat arrays and the list of cells touched, kept (zero) from one day to
    /// the next, instead of a dictionary updated for each place of each person.
    final class PlaceCells {
        /// users, visits, logins, requests of cell c at `4 * c ..< 4 * c + 4`.
        private var sums: [Int] = []
        private var isTouched: [Bool] = []
        private var touched: [Int] = []

        /// Room for `count` cells, all zero.
        func prepare(count: Int) {
            guard isTouched.count != count else { return }
            sums = [Int](repeating: 0, count: count * 4)
            isTouched = [Bool](repeating: false, count: count)
            touched.removeAll()
        }

        @inline(__always)
        func add(_ cell: Int, visits: Int, logins: Int, requests: Int) {
            if !isTouched[cell] {
                isTouched[cell] = true
                touched.append(cell)
            }
            sums[cell * 4] += 1
            sums[cell * 4 + 1] += visits
            sums[cell * 4 + 2] += logins
            sums[cell * 4 + 3] += requests
        }

        /// The rows of the cells touched, in cell order, which are then zero again.
        func takeRows(placeSlots: Int) -> [PlaceRow] {
            touched.sort()
            let rows = touched.map { cell in
                defer {
                    for i in (cell * 4)..<(cell * 4 + 4) { sums[i] = 0 }
                    isTouched[cell] = false
                }
                return PlaceRow(place: cell / placeSlots, slot: cell % placeSlots, users: sums[cell * 4],
                                visits: sums[cell * 4 + 1], logins: sums[cell * 4 + 2], requests: sums[cell * 4 + 3])
            }
            touched.removeAll(keepingCapacity: true)
            return rows
        }
    }
}
