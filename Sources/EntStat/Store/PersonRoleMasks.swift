/// The roles of every person as `person_role` holds them (the roles the territory's totals
/// are computed with), and their (role, level) pairs as `person_level` holds them, as one
/// 32-bit mask per person id: the totals per day and role (`RoleDaySums`) and per period,
/// role and level (`RolePeriodSums`) look a row's roles up in an array instead of joining
/// each row with `person_role` in SQL.
///
/// Ids are dense (they are identity row ids), so the array is as long as the largest id.
/// Role bits come first, in the roles' alphabetical order: the lowest bit of a mask is the
/// person's first role (`person_role.first_role`), under which role '*' counts the person
/// once. The (role, level) pairs follow (`levelBits`), then the high bit marks a person
/// listed in accounts.csv.
struct PersonRoleMasks: Sendable {
    typealias Mask = UInt32
    /// The distinct roles of `person_role`, in ascending order: bit i is `roles[i]`.
    let roles: [String]
    /// The distinct (role, level) pairs of `person_level`: bit `roles.count + i` is `levels[i]`.
    let levels: [(role: String, level: String)]
    /// The roles and pairs of each person id (0 for a person without a role) and
    /// `listedBit` for a person in accounts.csv.
    private let masks: [Mask]
    static let listedBit: Mask = 1 << 31
    /// The bits of the (role, level) pairs.
    let levelBits: Mask

    /// Reads `person_role` and `person_level`, for every person or only for those of
    /// `persons` (an SQL table with a `person` column).
    init(db: Database, persons: String? = nil) throws {
        // Roles and pairs keyed by their bytes, as SQLite tells texts apart: two Swift
        // strings can be equal with other bytes (a composed and a decomposed "é"), and are
        // two roles or levels here. Each text gets a number (`ByteStringTable`), so a row is
        // looked up without an allocation.
        var numbers = ByteStringTable(capacity: 256)
        func number(_ bytes: UnsafeRawBufferPointer, adding: Bool) -> Int32? {
            adding ? numbers.number(bytes).number : numbers.find(bytes, hash: ByteStringTable.hash(bytes))
        }
        func pairKey(_ role: Int32, _ level: Int32) -> Int { Int(role) << 32 | Int(level) }
        let names = try db.prepare("SELECT DISTINCT role FROM person_role ORDER BY role")
        var roles: [String] = []
        var roleKeys: [Int32] = []
        while try names.step() {
            roles.append(names.text(0))
            roleKeys.append(number(names.blob(0), adding: true)!)
        }
        let pairNames = try db.prepare("SELECT DISTINCT role, level FROM person_level ORDER BY role, level")
        var levels: [(role: String, level: String)] = []
        var pairKeys: [Int] = []
        while try pairNames.step() {
            levels.append((pairNames.text(0), pairNames.text(1)))
            pairKeys.append(pairKey(number(pairNames.blob(0), adding: true)!, number(pairNames.blob(1), adding: true)!))
        }
        guard roles.count + levels.count < Mask.bitWidth else {
            throw DatabaseError(code: 1, message: "\(roles.count) rôles et \(levels.count) couples (rôle, niveau) distincts dans person_role "
                                    + "et person_level : au plus \(Mask.bitWidth - 1) sont prévus",
                                sql: pairNames.sql)
        }
        let bit = Dictionary(roleKeys.enumerated().map { ($1, Mask(1) << Mask($0)) }, uniquingKeysWith: { first, _ in first })
        let pairBit = Dictionary(pairKeys.enumerated().map { ($1, Mask(1) << Mask(roles.count + $0)) }, uniquingKeysWith: { first, _ in first })
        let count = max(try PersonIDLimit.arrayCount(table: "person_role", column: "person", db: db),
                        try PersonIDLimit.arrayCount(table: "person_level", column: "person", db: db))
        var masks = [Mask](repeating: 0, count: count)
        let rows = try db.prepare(persons.map {
            "SELECT r.person, r.role, r.listed FROM \($0) q CROSS JOIN person_role r ON r.person = q.person"
        } ?? "SELECT person, role, listed FROM person_role")
        while try rows.step() {
            let person = rows.int(0)
            guard person >= 0, let role = number(rows.blob(1), adding: false), let b = bit[role] else { continue }
            try PersonIDLimit.checkIndex(person, count: count, table: "person_role", db: db)
            masks[person] |= b | (rows.int(2) != 0 ? Self.listedBit : 0)
        }
        let pairs = try db.prepare(persons.map {
            "SELECT l.person, l.role, l.level FROM \($0) q CROSS JOIN person_level l ON l.person = q.person"
        } ?? "SELECT person, role, level FROM person_level")
        while try pairs.step() {
            let person = pairs.int(0)
            guard person >= 0, let role = number(pairs.blob(1), adding: false), let level = number(pairs.blob(2), adding: false),
                  let b = pairBit[pairKey(role, level)] else { continue }
            try PersonIDLimit.checkIndex(person, count: count, table: "person_level", db: db)
            masks[person] |= b
        }
        self.init(roles: roles, levels: levels, masks: masks)
    }

    /// Masks with their roles and pairs: read by `init(db:persons:)`, or built by
    /// `RoleSnapshotWriter` (which writes the two tables) in the order that init gives them,
    /// bits numbered as it does.
    init(roles: [String], levels: [(role: String, level: String)], masks: [Mask]) {
        self.roles = roles
        self.levels = levels
        self.masks = masks
        levelBits = ((1 << Mask(levels.count)) - 1) << Mask(roles.count)
    }

    /// Slots: slot 0 is '*', slot i + 1 is `roles[i]`, slot roles.count + 1 + i is `levels[i]`.
    var slotCount: Int { roles.count + levels.count + 1 }

    /// The person's roles, pairs and listed bit.
    func mask(of person: Int) -> Mask {
        person >= 0 && person < masks.count ? masks[person] : 0
    }

    /// Calls `body` with each slot of `mask`: every role and pair, and '*' once when the
    /// mask has a role.
    @inline(__always)
    func forEachSlot(of mask: Mask, _ body: (Int) -> Void) {
        var m = mask & ~Self.listedBit
        guard m & ~levelBits != 0 else { return }
        body(0)
        while m != 0 {
            body(m.trailingZeroBitCount + 1)
            m &= m - 1
        }
    }

    /// The role and level (`*` for a role slot) of a slot.
    func name(slot: Int) -> (role: String, level: String) {
        if slot == 0 { return ("*", "*") }
        if slot <= roles.count { return (roles[slot - 1], "*") }
        return levels[slot - 1 - roles.count]
    }
}
