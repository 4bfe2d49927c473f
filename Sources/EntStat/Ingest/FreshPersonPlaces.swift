/// The places of the persons a log file creates without an account, kept in memory by the
/// writer (`LogIngester`) and written when the file ends, instead of being rebuilt in SQL
/// from the rows just inserted (`Store.rebuildPersonPlaces`, about 3.7 µs a person: 5.8 s
/// of the writer's time for the 1.56 M new persons of the national events week).
///
/// Such a person has a single identity (persons are merged only through accounts), no row
/// of `person_place` yet, and every role and school it has came from this file. Its rows
/// are those `rebuildPersonPlaces` writes for a person absent from accounts.csv (SPEC §2.1):
/// its smallest role, else `unknown`; one row per distinct school with the school's level,
/// commune and EPCI (empty for a school missing from the directory), or one row with empty
/// places when the logs gave it no school.
struct FreshPersonPlaces {
    /// What the file gave one person: its smallest role, its schools (as numbers of
    /// `schoolNames`, the first apart so that most persons need no array).
    private struct Person {
        var role: String?
        var firstSchool: Int32 = -1
        var otherSchools: [Int32] = []
    }

    private struct Place {
        var level: String
        var commune: String
        var epci: String
    }

    private var persons: [Int64: Person] = [:]
    /// Schools by their bytes: SQLite compares texts byte for byte, `String` by canonical
    /// equivalence.
    private var schoolNumbers: [[UInt8]: Int32] = [:]
    private var schoolNames: [String] = []
    /// Level, commune and EPCI of each school of the directory, read at the first write
    /// after `forgetDirectory()`.
    private var directory: [[UInt8]: Place]?

    /// A person the file just created, without an account.
    mutating func add(person: Int64) {
        persons[person] = Person()
    }

    func contains(_ person: Int64) -> Bool {
        persons[person] != nil
    }

    /// A role (normalised, nil for none) and schools an event gave the person.
    mutating func note(person: Int64, role: String?, schools: [String]) {
        guard var p = persons[person] else { return }
        if let role, p.role.map({ role.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true {
            p.role = role
        }
        for school in schools {
            let number: Int32
            let key = Array(school.utf8)
            if let known = schoolNumbers[key] {
                number = known
            } else {
                number = Int32(schoolNames.count)
                schoolNumbers[key] = number
                schoolNames.append(school)
            }
            if p.firstSchool < 0 {
                p.firstSchool = number
            } else if p.firstSchool != number && !p.otherSchools.contains(number) {
                p.otherSchools.append(number)
            }
        }
        persons[person] = p
    }

    /// Inserts the places of every person noted and forgets them.
    mutating func write(db: Database) throws {
        guard !persons.isEmpty else { return }
        if directory == nil { directory = try Self.readDirectory(db) }
        let none = Place(level: "", commune: "", epci: "")
        var insert = MultiRowInsert(db: db, table: "person_place",
                                    columns: ["person", "listed", "role", "uai", "level", "code_commune", "epci"])
        for (id, p) in persons.sorted(by: { $0.key < $1.key }) {
            let role = p.role ?? RoleName.unknown
            if p.firstSchool < 0 {
                try insert.add(id, 0, role, "", "", "", "")
                continue
            }
            let schools = ([p.firstSchool] + p.otherSchools).map { schoolNames[Int($0)] }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for uai in schools {
                let place = directory![Array(uai.utf8)] ?? none
                try insert.add(id, 0, role, uai, place.level, place.commune, place.epci)
            }
        }
        try insert.flush()
        discard()
    }

    /// Forgets the persons noted (their file was rolled back, or written).
    mutating func discard() {
        persons.removeAll(keepingCapacity: true)
    }

    /// Forgets the directory read (schools, communes and EPCIs may have been loaded since).
    mutating func forgetDirectory() {
        directory = nil
    }

    /// The place of every school, as `rebuildPersonPlaces` joins them.
    private static func readDirectory(_ db: Database) throws -> [[UInt8]: Place] {
        let s = try db.prepare("""
            SELECT sc.uai, \(Store.schoolPlaceColumns) FROM school sc \(Store.epciJoins(commune: "sc.code_commune"))
            """)
        var places: [[UInt8]: Place] = [:]
        while try s.step() {
            places[Array(s.text(0).utf8)] = Place(level: s.text(1), commune: s.text(2), epci: s.text(3))
        }
        return places
    }
}
