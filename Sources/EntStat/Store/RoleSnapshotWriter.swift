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

    private init(db: Database) {
        roles = MultiRowInsert(db: db, table: "person_role", columns: ["person", "role", "first_role", "listed"])
        levels = MultiRowInsert(db: db, table: "person_level", columns: ["person", "role", "level"])
        scopes = MultiRowInsert(db: db, table: "person_scope", columns: ["person", "role", "code_commune", "epci"])
    }

    /// Writes the snapshots of the persons of `persons` (a table with an integer primary key
    /// `person`).
    static func write(_ db: Database, persons: String) throws {
        var writer = RoleSnapshotWriter(db: db)
        let read = try db.prepare("""
            SELECT p.person, p.role, p.listed, p.level, p.code_commune, p.epci
            FROM \(persons) c CROSS JOIN person_place p ON p.person = c.person
            ORDER BY c.person
            """)
        var person: Int64 = -1
        var places: [Place] = []
        while try read.step() {
            let next = read.int64(0)
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
    }

    private mutating func number(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let hash = ByteStringTable.hash(bytes)
        if let found = numbers.find(bytes, hash: hash) { return found }
        let n = Int32(texts.count)
        numbers.insert(bytes, hash: hash, value: n)
        texts.append(MultiRowText(Array(bytes)))
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
        for (i, p) in places.enumerated() where i == 0 || p.role != places[i - 1].role {
            try roles.add(person, texts[Int(p.role)], p.role == firstRole ? 1 : 0, listed)
        }
        for (i, p) in places.enumerated() where i == 0 || p.role != places[i - 1].role || p.level != places[i - 1].level {
            try levels.add(person, texts[Int(p.role)], texts[Int(p.level)])
        }
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
