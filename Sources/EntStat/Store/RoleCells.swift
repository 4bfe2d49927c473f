/// Sums of rows counted in each of their person's roles (`PersonRoleMasks`), per
/// (source, feature) combo and role slot: users, listed users, visits, logins, requests.
/// The accumulator of both totals tables, per day (`RoleDaySums`) and per period
/// (`RolePeriodSums`).
///
/// A row adds `weight` users (+1; −1 to take a row away) and its counts with the sign of
/// the weight, in each role of its person and once in role '*', and, when asked, in each of
/// its person's (role, level) pairs; a person without a role counts nowhere. Cells live in
/// one flat array, grown as combo ids appear.
struct RoleCells {
    /// One total row, without its day or period.
    struct Row: Sendable {
        var role: String
        /// The level of a (role, level) slot; '*' for a role slot.
        var level: String
        var source: String
        var feature: String
        var users: Int
        var listed: Int
        var visits: Int
        var logins: Int
        var requests: Int
    }

    let people: PersonRoleMasks
    /// Cell (combo × slots + slot) × 5: users, listed, visits, logins, requests.
    private var cells: [Int] = []

    init(people: PersonRoleMasks) {
        self.people = people
    }

    mutating func add(person: Int64, combo: Int, weight: Int = 1, levels: Bool = false, requests: Int, logins: Int, visits: Int) {
        let mask = people.mask(of: Int(person)) & (levels ? ~0 : ~people.levelBits)
        guard mask != 0 else { return }
        let slots = people.slotCount
        let listed = mask & PersonRoleMasks.listedBit != 0 ? 1 : 0
        let base = combo * slots * 5
        if cells.count < base + slots * 5 {
            cells.append(contentsOf: repeatElement(0, count: base + slots * 5 - cells.count))
        }
        let sign = weight < 0 ? -1 : 1
        people.forEachSlot(of: mask) { slot in
            let i = base + slot * 5
            cells[i] += weight
            cells[i + 1] += weight * listed
            cells[i + 2] += sign * visits
            cells[i + 3] += sign * logins
            cells[i + 4] += sign * requests
        }
    }

    /// The cells that hold anything, as rows; `combos` names the combo ids.
    func rows(combos: [(source: String, feature: String)]) -> [Row] {
        let slots = people.slotCount
        var rows: [Row] = []
        for (combo, names) in combos.enumerated() {
            for slot in 0..<slots {
                let i = (combo * slots + slot) * 5
                guard i + 4 < cells.count, cells[i..<(i + 5)].contains(where: { $0 != 0 }) else { continue }
                let name = people.name(slot: slot)
                rows.append(Row(role: name.role, level: name.level, source: names.source, feature: names.feature, users: cells[i],
                                listed: cells[i + 1], visits: cells[i + 2], logins: cells[i + 3], requests: cells[i + 4]))
            }
        }
        return rows
    }
}
