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
    /// The distinct roles of `person_place`, in ascending order: bit i is `roles[i]`.
    let roles: [String]
    /// Entries of person p: `entries[offsets[p] ..< offsets[p + 1]]`.
    private let offsets: [Int32]
    /// A place of a person and the roles they hold there.
    private let entries: [(place: Int32, roles: UInt32)]

    init(db: Database) throws {
        let names = try db.prepare("SELECT DISTINCT role FROM person_place ORDER BY role")
        var roles: [String] = []
        while try names.step() { roles.append(names.text(0)) }
        guard roles.count < UInt32.bitWidth else {
            throw DatabaseError(code: 1, message: "\(roles.count) rôles distincts dans person_place : au plus 31 sont prévus", sql: names.sql)
        }
        let bit = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1, UInt32(1) << UInt32($0)) })
        var placeIDs: [String: Int32] = [:]
        var places: [(kind: String, name: String)] = []
        func id(_ kind: String, _ name: String) -> Int32 {
            let key = kind + "\u{1F}" + name
            if let known = placeIDs[key] { return known }
            let new = Int32(places.count)
            places.append((kind, name))
            placeIDs[key] = new
            return new
        }
        let count = Int(try db.scalarInt("SELECT COALESCE(MAX(person), -1) + 1 FROM person_place") ?? 0)
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
        while try rows.step() {
            let person = rows.int(0)
            if person != current {
                flush()
                // Persons without a place between the previous one and this one.
                for p in (current + 1)..<person { offsets[p + 1] = Int32(entries.count) }
                current = person
            }
            guard let role = bit[rows.text(1)] else { continue }
            let commune = rows.text(2), epci = rows.text(3)
            if !commune.isEmpty { add(id("commune", commune), role) }
            if !epci.isEmpty { add(id("epci", epci), role) }
        }
        flush()
        for p in (current + 1)..<count { offsets[p + 1] = Int32(entries.count) }
        self.roles = roles
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
        guard person >= 0, person + 1 < offsets.count else { return }
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
        guard person >= 0, person + 1 < offsets.count else { return }
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
