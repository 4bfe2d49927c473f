/// Writes the copies of `person_place` that the totals per day and role are computed with
/// (`Store.snapshots`: `person_role`, `person_level`, `person_scope`) for the persons of a
/// table, in one scan of their places in person order, instead of three
/// `INSERT … SELECT` that each sorted every row (4.5 s in `sqlite3` for the 1.56 M persons
/// of the national events week, two sorts for the window of `person_role`).
///
/// The rows are those of that SQL (kept in `RoleSnapshotWriterTests` to compare with):
/// per person, each distinct role, with the person's largest `listed` and `first_role` set
/// on its smallest role; each distinct (role, level); each distinct (role, commune, EPCI).
/// Texts are compared byte for byte, as SQLite compares them. The caller has deleted the
/// persons' previous rows.
///
/// When the writer writes every row of `person_role` and `person_level` (the tables were
/// empty before it: a first ingest, or every person changed), it also gives every
/// person's roles as `PersonRoleMasks` would read them from the two tables, which the
/// totals need next (1.5 s for the 1.56 M persons of the national events week).
struct RoleSnapshotWriter {
    /// One row of `person_place`, its texts as numbers of `texts`.
    private struct Place {
        var role: Int32
        var level: Int32
        var commune: Int32
        var epci: Int32
        var listed: Int
    }

    private var numbers = ByteStringTable(capacity: 4096)
    private var texts: [MultiRowText] = []
    private var roles: MultiRowInsert
    private var levels: MultiRowInsert
    private var scopes: MultiRowInsert
    /// The masks being collected, when asked: see `ProvisionalMasks`.
    private var provisional: ProvisionalMasks?

    /// Every person's roles and (role, level) pairs as written, one mask per person id
    /// whose bits are numbered in the order the roles and pairs first came; renumbered
    /// into `PersonRoleMasks`' order (roles, then pairs, each in byte order) at the end.
    private struct ProvisionalMasks {
        var masks: [PersonRoleMasks.Mask] = []
        /// Provisional bit of a role's text number, or of a (role, level) pair's.
        var roleBits: [Int32: Int] = [:]
        var pairBits: [Pair: Int] = [:]
        /// More roles and pairs than a mask holds: `PersonRoleMasks(db:)` says so.
        var overflow = false

        struct Pair: Hashable {
            var role: Int32
            var level: Int32
        }

        /// The next free bit (the listed bit is the high one).
        var nextBit: Int { roleBits.count + pairBits.count }

        mutating func bit(role: Int32) -> PersonRoleMasks.Mask {
            if let b = roleBits[role] { return 1 << PersonRoleMasks.Mask(b) }
            guard let b = freeBit() else { return 0 }
            roleBits[role] = b
            return 1 << PersonRoleMasks.Mask(b)
        }

        mutating func bit(role: Int32, level: Int32) -> PersonRoleMasks.Mask {
            let pair = Pair(role: role, level: level)
            if let b = pairBits[pair] { return 1 << PersonRoleMasks.Mask(b) }
            guard let b = freeBit() else { return 0 }
            pairBits[pair] = b
            return 1 << PersonRoleMasks.Mask(b)
        }

        /// The next free bit, or nil (and `overflow`) when only the listed bit is left.
        private mutating func freeBit() -> Int? {
            guard nextBit < PersonRoleMasks.Mask.bitWidth - 1 else { overflow = true; return nil }
            return nextBit
        }

        mutating func set(person: Int64, _ mask: PersonRoleMasks.Mask) {
            guard person >= 0 else { return }
            let index = Int(person)
            if index >= masks.count { masks.append(contentsOf: repeatElement(0, count: index + 1 - masks.count)) }
            masks[index] = mask
        }
    }

    private init(db: Database) {
        roles = MultiRowInsert(db: db, table: "person_role", columns: ["person", "role", "first_role", "listed"])
        levels = MultiRowInsert(db: db, table: "person_level", columns: ["person", "role", "level"])
        scopes = MultiRowInsert(db: db, table: "person_scope", columns: ["person", "role", "code_commune", "epci"])
    }

    /// Writes the snapshots of the persons of `persons` (a table with an integer primary key
    /// `person`). With `collectingMasks` (the caller knows `person_role` and `person_level`
    /// held no row before), returns the masks `PersonRoleMasks(db:)` would read afterwards;
    /// nil without, or when there are more roles and pairs than a mask holds.
    @discardableResult
    static func write(_ db: Database, persons: String, collectingMasks: Bool = false) throws -> PersonRoleMasks? {
        var writer = RoleSnapshotWriter(db: db)
        if collectingMasks { writer.provisional = ProvisionalMasks() }
        let read = try db.prepare("""
            SELECT p.person, p.role, p.listed, p.level, p.code_commune, p.epci
            FROM \(persons) c CROSS JOIN person_place p ON p.person = c.person
            ORDER BY c.person
            """)
        var person: Int64 = -1
        var places: [Place] = []
        while try read.step() {
            // (Its masks are kept in an array indexed by person.)
            let next = try PersonIDLimit.checked(read.int64(0), table: "person_place", column: "person", db: db)
            if next != person {
                try writer.add(person: person, places: &places)
                person = next
            }
            places.append(Place(role: writer.number(read.blob(1)), level: writer.number(read.blob(3)),
                                commune: writer.number(read.blob(4)), epci: writer.number(read.blob(5)),
                                listed: read.int(2)))
        }
        try writer.add(person: person, places: &places)
        try writer.roles.flush()
        try writer.levels.flush()
        try writer.scopes.flush()
        return writer.finalMasks()
    }

    /// The collected masks renumbered as `PersonRoleMasks(db:)` numbers them: the roles in
    /// byte order, then the (role, level) pairs in byte order of role, then level.
    private func finalMasks() -> PersonRoleMasks? {
        guard let provisional, !provisional.overflow else { return nil }
        typealias Mask = PersonRoleMasks.Mask
        let roleOrder = provisional.roleBits.keys.sorted(by: less)
        let pairOrder = provisional.pairBits.keys.sorted { a, b in
            a.role != b.role ? less(a.role, b.role) : less(a.level, b.level)
        }
        // Final bit of each provisional bit.
        var final = [Mask](repeating: 0, count: provisional.nextBit)
        for (i, role) in roleOrder.enumerated() { final[provisional.roleBits[role]!] = Mask(1) << Mask(i) }
        for (i, pair) in pairOrder.enumerated() { final[provisional.pairBits[pair]!] = Mask(1) << Mask(roleOrder.count + i) }
        let masks = provisional.masks.map { mask in
            (mask & PersonRoleMasks.listedBit) | (mask & ~PersonRoleMasks.listedBit).renumbered(through: final)
        }
        func text(_ n: Int32) -> String { String(decoding: texts[Int(n)].bytes, as: UTF8.self) }
        return PersonRoleMasks(roles: roleOrder.map(text), levels: pairOrder.map { (text($0.role), text($0.level)) }, masks: masks)
    }

    private mutating func number(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let (n, added) = numbers.number(bytes)
        if added { texts.append(MultiRowText(Array(bytes))) }
        return n
    }

    /// Byte order of two texts (SQLite's BINARY collation).
    private func less(_ a: Int32, _ b: Int32) -> Bool {
        texts[Int(a)].bytes.lexicographicallyPrecedes(texts[Int(b)].bytes)
    }

    /// Buffers one person's rows (in primary-key order) and empties `places`.
    private mutating func add(person: Int64, places: inout [Place]) throws {
        guard !places.isEmpty else { return }
        defer { places.removeAll(keepingCapacity: true) }
        let listed = places.map(\.listed).max()!
        // By (role, level): roles and levels in key order, their repeats side by side.
        places.sort { a, b in
            a.role != b.role ? less(a.role, b.role) : a.level != b.level && less(a.level, b.level)
        }
        let firstRole = places[0].role
        var mask: PersonRoleMasks.Mask = listed != 0 ? PersonRoleMasks.listedBit : 0
        for (i, p) in places.enumerated() where i == 0 || p.role != places[i - 1].role {
            try roles.add(person, texts[Int(p.role)], p.role == firstRole ? 1 : 0, listed)
            mask |= provisional?.bit(role: p.role) ?? 0
        }
        for (i, p) in places.enumerated() where i == 0 || p.role != places[i - 1].role || p.level != places[i - 1].level {
            try levels.add(person, texts[Int(p.role)], texts[Int(p.level)])
            mask |= provisional?.bit(role: p.role, level: p.level) ?? 0
        }
        provisional?.set(person: person, mask)
        // By (role, commune, EPCI).
        places.sort { a, b in
            if a.role != b.role { return less(a.role, b.role) }
            if a.commune != b.commune { return less(a.commune, b.commune) }
            return a.epci != b.epci && less(a.epci, b.epci)
        }
        for (i, p) in places.enumerated() {
            if i > 0, p.role == places[i - 1].role, p.commune == places[i - 1].commune, p.epci == places[i - 1].epci { continue }
            try scopes.add(person, texts[Int(p.role)], texts[Int(p.commune)], texts[Int(p.epci)])
        }
    }
}
