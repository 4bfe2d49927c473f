/// The roles of every person as `person_role` holds them (the roles the territory's totals
/// are computed with), as one byte per person id: the totals per day and role
/// (`RoleDaySums`) and per period and role (`RolePeriodSums`) look a row's roles up in an
/// array instead of joining each row with `person_role` in SQL.
///
/// Ids are dense (they are identity row ids), so the array is as long as the largest id.
/// Role bits follow the roles' alphabetical order: the lowest bit of a mask is the person's
/// first role (`person_role.first_role`), under which role '*' counts the person once; the
/// high bit marks a person listed in accounts.csv.
struct PersonRoleMasks: Sendable {
    /// The distinct roles of `person_role`, in ascending order: bit i is `roles[i]`.
    let roles: [String]
    /// The roles of each person id (low bits; 0 for a person without a role) and
    /// `listedBit` for a person in accounts.csv.
    private let masks: [UInt8]
    static let listedBit: UInt8 = 0x80

    /// Reads `person_role`, for every person or only for those of `persons` (an SQL table
    /// with a `person` column).
    init(db: Database, persons: String? = nil) throws {
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
        let rows = try db.prepare(persons.map {
            "SELECT r.person, r.role, r.listed FROM \($0) q CROSS JOIN person_role r ON r.person = q.person"
        } ?? "SELECT person, role, listed FROM person_role")
        while try rows.step() {
            let person = rows.int(0)
            guard person >= 0, let b = bit[rows.text(1)] else { continue }
            masks[person] |= b | (rows.int(2) != 0 ? Self.listedBit : 0)
        }
        self.masks = masks
    }

    /// Role slots: slot 0 is '*', slot i + 1 is `roles[i]`.
    var slotCount: Int { roles.count + 1 }

    func mask(of person: Int) -> UInt8 {
        person >= 0 && person < masks.count ? masks[person] : 0
    }

    /// Calls `body` with each role slot of `mask`: every role, and '*' once for the first.
    @inline(__always)
    static func forEachSlot(of mask: UInt8, _ body: (Int) -> Void) {
        var m = mask & ~listedBit
        guard m != 0 else { return }
        body(0)
        while m != 0 {
            body(m.trailingZeroBitCount + 1)
            m &= m - 1
        }
    }

    /// The role name of a slot.
    func roleName(slot: Int) -> String { slot == 0 ? "*" : roles[slot - 1] }
}
