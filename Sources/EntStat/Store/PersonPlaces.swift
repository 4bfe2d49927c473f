/// The communes and EPCI of every person, with the roles they hold there, as `person_place`
/// has them now: the totals per day and place (`RoleDaySums`) look a row's places up in
/// flat arrays instead of joining each row with `person_place` in SQL.
///
/// A place is a commune (a row's `code_commune`) or an EPCI (its `epci`); a person counts
/// in each of their places, under each role they hold there and once under '*' (as the
/// report's queries for one commune or EPCI count: the persons with a row of that place).
struct PersonPlaces: Sendable {
    /// The places: kind ("commune" or "epci") and name.
    let places: [(kind: String, name: String)]
    /// The distinct roles of `person_place`, in byte order: bit i is `roles[i]`.
    let roles: [String]
    /// Entries of person p: `entries[offsets[p] ..< offsets[p + 1]]`.
    private let offsets: [Int32]
    /// A place of a person and the roles they hold there.
    private let entries: [(place: Int32, roles: UInt32)]

    /// Reads `person_place` in one scan, its texts looked up by their bytes (as SQLite
    /// tells texts apart) without a `String` per row: a role's bit is provisional (in the
    /// order roles first come) until the scan has seen them all, then renumbered into byte
    /// order. (A `SELECT DISTINCT role` first, then a `String` and a dictionary lookup per
    /// text: 1.1 s for the 1.61 M rows of the national events week.)
    init(db: Database) throws {
        var roleBits = ByteStringTable(capacity: 64)
        var roleNames: [[UInt8]] = []
        // Place of a commune's or an EPCI's bytes.
        var placeIDs = [ByteStringTable(capacity: 4096), ByteStringTable(capacity: 1024)]
        let kinds = ["commune", "epci"]
        var places: [(kind: String, name: String)] = []
        let count = try PersonIDLimit.arrayCount(table: "person_place", column: "person", db: db)
        var offsets = [Int32](repeating: 0, count: count + 1)
        var entries: [(place: Int32, roles: UInt32)] = []
        let rows = try db.prepare("SELECT person, role, code_commune, epci FROM person_place WHERE person >= 0 ORDER BY person")
        var current = -1
        var mine: [(place: Int32, roles: UInt32)] = []
        func flush() {
            guard current >= 0 else { return }
            entries += mine
            offsets[current + 1] = Int32(entries.count)
            mine.removeAll(keepingCapacity: true)
        }
        func add(_ place: Int32, _ role: UInt32) {
            if let i = mine.firstIndex(where: { $0.place == place }) { mine[i].roles |= role } else { mine.append((place, role)) }
        }
        func place(_ kind: Int, _ name: UnsafeRawBufferPointer) -> Int32 {
            let hash = ByteStringTable.hash(name)
            if let known = placeIDs[kind].find(name, hash: hash) { return known }
            let new = Int32(places.count)
            places.append((kinds[kind], String(decoding: name, as: UTF8.self)))
            placeIDs[kind].insert(name, hash: hash, value: new)
            return new
        }
        while try rows.step() {
            let person = rows.int(0)
            try PersonIDLimit.checkIndex(person, count: count, table: "person_place", db: db)
            if person != current {
                flush()
                // Persons without a place between the previous one and this one.
                for p in (current + 1)..<person { offsets[p + 1] = Int32(entries.count) }
                current = person
            }
            let roleBytes = rows.blob(1)
            let (bit, added) = roleBits.number(roleBytes)
            if added { roleNames.append(Array(roleBytes)) }
            // Past 31 roles, the scan goes on only to count them for the error below.
            guard roleNames.count < UInt32.bitWidth else { continue }
            let role = UInt32(1) << UInt32(bit)
            let commune = rows.blob(2), epci = rows.blob(3)
            if !commune.isEmpty { add(place(0, commune), role) }
            if !epci.isEmpty { add(place(1, epci), role) }
        }
        guard roleNames.count < UInt32.bitWidth else {
            throw DatabaseError(code: 1, message: "\(roleNames.count) rôles distincts dans person_place : au plus 31 sont prévus", sql: rows.sql)
        }
        flush()
        for p in (current + 1)..<count { offsets[p + 1] = Int32(entries.count) }
        // The roles in byte order (SQLite's), and each provisional bit's final one.
        let order = roleNames.indices.sorted { roleNames[$0].lexicographicallyPrecedes(roleNames[$1]) }
        var final = [UInt32](repeating: 0, count: roleNames.count)
        for (i, provisional) in order.enumerated() { final[provisional] = UInt32(1) << UInt32(i) }
        for i in entries.indices { entries[i].roles = entries[i].roles.renumbered(through: final) }
        self.roles = order.map { String(decoding: roleNames[$0], as: UTF8.self) }
        self.places = places
        self.offsets = offsets
        self.entries = entries
    }

    /// Role slots per place: slot 0 is '*', slot i + 1 is `roles[i]`.
    var slotCount: Int { roles.count + 1 }

    /// Calls `body` with each (place, role slot) the person counts in: every role they hold
    /// in each of their places, and '*' once per place.
    @inline(__always)
    func forEachSlot(of person: Int, _ body: (_ place: Int, _ slot: Int) -> Void) {
        guard person >= 0, person < offsets.count - 1 else { return }
        for i in Int(offsets[person])..<Int(offsets[person + 1]) {
            let place = Int(entries[i].place)
            body(place, 0)
            var m = entries[i].roles
            while m != 0 {
                body(place, m.trailingZeroBitCount + 1)
                m &= m - 1
            }
        }
    }

    /// Calls `body` with each place of the person.
    @inline(__always)
    func forEachPlace(of person: Int, _ body: (_ place: Int) -> Void) {
        guard person >= 0, person < offsets.count - 1 else { return }
        for i in Int(offsets[person])..<Int(offsets[person + 1]) { body(Int(entries[i].place)) }
    }

    /// Each place's rank in the byte order of (kind, name), SQLite's order of the tables
    /// keyed by them.
    func ranksInKeyOrder() -> [Int] {
        let order = places.indices.sorted { a, b in
            let (x, y) = (places[a], places[b])
            return x.kind != y.kind ? x.kind.utf8.lexicographicallyPrecedes(y.kind.utf8)
                                    : x.name.utf8.lexicographicallyPrecedes(y.name.utf8)
        }
        var rank = [Int](repeating: 0, count: places.count)
        for (r, place) in order.enumerated() { rank[place] = r }
        return rank
    }

    /// The role name of a slot.
    func roleName(slot: Int) -> String { slot == 0 ? "*" : roles[slot - 1] }
}
