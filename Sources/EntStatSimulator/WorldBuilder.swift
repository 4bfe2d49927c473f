import EntStat
import Foundation

/// Builds the `World` deterministically from the seed and the options.
struct WorldBuilder {
    let seed: UInt64
    let schoolCount: Int
    /// First day of the new ENT, last day of the old one (day serials).
    let newStart: Int
    let switchDay: Int

    /// Schools per département before a new one is started.
    static let schoolsPerDepartement = 600

    func build() -> World {
        // One département per 600 schools, never more than there are département codes (so
        // UAIs and INSEE codes stay unique; beyond, départements simply get bigger).
        let deptCount = min(FrenchNames.departements.count,
                            max(1, (schoolCount + WorldBuilder.schoolsPerDepartement - 1) / WorldBuilder.schoolsPerDepartement))
        var world = World(schools: [], communes: [], epcis: [], accounts: [], shards: [])
        var legacyCounter = 0
        world.accounts.reserveCapacity(schoolCount * 190)
        for d in 0..<deptCount {
            let n = schoolCount / deptCount + (d < schoolCount % deptCount ? 1 : 0)
            var rng = SplitMix64(seed, 0x5EED_0001, UInt64(d))
            let schoolStart = world.schools.count
            let accountStart = world.accounts.count
            buildGeography(dept: d, schools: n, into: &world, rng: &rng)
            buildAccounts(schools: schoolStart..<world.schools.count, into: &world, legacy: &legacyCounter, rng: &rng)
            world.shards.append(WorldShard(number: d, schools: schoolStart..<world.schools.count,
                                           accounts: accountStart..<world.accounts.count))
        }
        return world
    }

    // MARK: Geography

    private func buildGeography(dept: Int, schools n: Int, into world: inout World, rng: inout SplitMix64) {
        let code = FrenchNames.departements[dept]
        let isSomme = dept == 0
        let communeCount = min(999, max(1, Int((Double(n) * 1.4).rounded())))
        // About 55 communes per EPCI (14 in the Somme), and at least three when there are enough
        // communes, so that small départements still have an EPCI breakdown.
        let epciCount = max(min(3, communeCount), min(isSomme ? 14 : 99, Int((Double(communeCount) / 55).rounded())))
        let epciBase = world.epcis.count
        let communeBase = world.communes.count

        // Commune names: real ones first in the Somme, then generated unique ones.
        var names: [String] = []
        var fixedCodes: [String?] = []
        var used = Set<String>()
        if isSomme {
            for (name, insee) in FrenchNames.sommeCommunes.prefix(communeCount) {
                names.append(name); fixedCodes.append(insee); used.insert(name)
            }
        }
        while names.count < communeCount {
            var name = FrenchNames.stems[rng.below(FrenchNames.stems.count)]
                + FrenchNames.suffixes[rng.below(FrenchNames.suffixes.count)]
            if used.contains(name) { name += "-\(["Saint-Martin", "Notre-Dame", "le-Petit", "Sud", "Nord"][rng.below(5)])" }
            if used.contains(name) { continue }
            used.insert(name); names.append(name); fixedCodes.append(nil)
        }
        // INSEE codes: distinct 3-digit suffixes.
        var usedCodes = Set(fixedCodes.compactMap { $0 })
        var codes: [String] = []
        for fixed in fixedCodes {
            if let fixed { codes.append(fixed); continue }
            while true {
                let c = code + String(format: "%03d", rng.between(1, 999))
                if !usedCodes.contains(c) { usedCodes.insert(c); codes.append(c); break }
            }
        }
        // EPCIs.
        for e in 0..<epciCount {
            if isSomme, e < FrenchNames.sommeEpcis.count {
                world.epcis.append(FrenchNames.sommeEpcis[e])
            } else {
                world.epcis.append("CC \(FrenchText.ofPlace(names[min(e, names.count - 1)])) (\(code))")
            }
        }
        for i in 0..<communeCount {
            let epci = i < epciCount ? i : rng.below(epciCount)
            world.communes.append(SimCommune(insee: codes[i], name: names[i], epci: Int32(epciBase + epci)))
        }

        // Schools: towns get many schools and separate levels, villages one primaire.
        let c = Double(communeCount)
        let weights = (0..<communeCount).map { i -> Double in
            i == 0 ? max(1, 0.22 * c) : i == 1 ? max(1, 0.07 * c) : i < 10 ? max(1, 0.01 * c) : 1
        }
        let cum = SplitMix64.cumulative(weights)
        var usedSerials = Set<Int>()
        var trickyLeft = isSomme ? FrenchNames.tricky : []
        for k in 0..<n {
            let commune = k < communeCount && k < 10 ? k : rng.pick(cumulative: cum)
            let town = weights[commune] > 1
            let r = rng.unit()
            let level: SchoolLevel = town
                ? (r < 0.40 ? .maternelle : r < 0.85 ? .elementaire : .primaire)
                : (r < 0.14 ? .maternelle : r < 0.40 ? .elementaire : .primaire)
            let median: Double = level == .maternelle ? 75 : level == .elementaire ? 115 : 62
            let pupils = Int32(min(420, max(12, (median * exp(0.5 * rng.normal())).rounded())))
            var serial = 0
            repeat { serial = rng.between(0, 9999) } while usedSerials.contains(serial)
            usedSerials.insert(serial)
            let uai = WorldBuilder.uai(prefix: "0" + code, serial: serial)
            let name: String
            if !trickyLeft.isEmpty, [2, 5, 9, 14].contains(k) || (n < 15 && k >= 1) {
                name = trickyLeft.removeFirst()
            } else if rng.chance(0.3) {
                name = "\(level.nameWord) \(FrenchText.ofPlace(names[commune]))"
            } else {
                name = "\(level.nameWord) \(FrenchNames.dedications[rng.below(FrenchNames.dedications.count)])"
            }
            world.schools.append(SimSchool(uai: Array(uai.utf8), name: name, level: level,
                                           commune: Int32(communeBase + commune), pupils: pupils,
                                           ipNet: UInt8(rng.below(3)), ipHost: UInt8(rng.between(20, 250))))
        }
    }

    /// UAI with its check letter: `"ABCDEFGHJKLMNPRSTUVWXYZ"[int(first 7 digits) % 23]`.
    static func uai(prefix: String, serial: Int) -> String {
        let digits = prefix + String(format: "%04d", serial)
        let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
        return digits + String(letters[Int(digits)! % 23])
    }

    // MARK: Accounts

    private func buildAccounts(schools: Range<Int>, into world: inout World, legacy: inout Int, rng: inout SplitMix64) {
        let firstAccount = world.accounts.count
        func add(_ role: Role, _ s0: Int, _ s1: Int, commune: Int, level: SchoolLevel?, listed: Bool = true) {
            let behaviour = TrafficModel.profile(role: role, level: level)
            let hasLegacy = rng.chance(behaviour.legacyShare)
            var legacyNumber: Int32 = 0
            if hasLegacy {
                legacy += 1
                legacyNumber = Int32(listed ? 10_000 + legacy * 3 + rng.below(3) : 900_000 + legacy)
            }
            var activation = Int32.max
            if rng.chance(behaviour.activationShare) {
                let mean = hasLegacy ? behaviour.activationDelay : behaviour.activationDelay * 1.6
                var day = newStart + Int(rng.exponential(mean: mean))
                let wd = CivilDate(dayNumber: day).isoWeekday
                if wd >= 6, rng.chance(0.7) { day += 8 - wd }
                activation = Int32(day)
            }
            let dormant = rng.chance(behaviour.dormantShare)
            let engagement = dormant ? 0.03 : Float(exp(0.6 * rng.normal()))
            world.accounts.append(SimAccount(
                uid: rng.next(), legacy: legacyNumber, school0: Int32(s0), school1: Int32(s1),
                commune: Int32(commune), activation: activation, engagement: engagement, role: role,
                level: level, listed: listed, ua: UInt8(rng.chance(0.01) ? TrafficModel.userAgentCount - 1 : rng.below(TrafficModel.userAgentCount - 1))))
        }
        // Élémentaire/primaire schools by commune, for siblings.
        var upperByCommune: [Int32: [Int]] = [:]
        var schoolsByCommune: [Int32: Int] = [:]
        for s in schools {
            let school = world.schools[s]
            schoolsByCommune[school.commune, default: 0] += 1
            if school.level != .maternelle { upperByCommune[school.commune, default: []].append(s) }
        }
        for s in schools {
            let school = world.schools[s]
            let p = Int(school.pupils)
            let commune = Int(school.commune)
            let teachers = max(1, Int((Double(p) / 23).rounded())) + (p > 150 ? 1 : 0)
            for _ in 0..<teachers { add(.teacher, s, -1, commune: commune, level: school.level) }
            let staff = school.level == .maternelle ? max(1, teachers - 1) : (school.level == .primaire || p > 200 ? 1 : 0)
            for _ in 0..<staff { add(.staff, s, -1, commune: commune, level: school.level) }
            let students = school.level == .maternelle ? 0 : school.level == .primaire ? p * 6 / 10 : p
            for _ in 0..<students { add(.student, s, -1, commune: commune, level: school.level) }
            let parents = Int((Double(p) * 1.3).rounded())
            let siblingsSchools = school.level == .maternelle ? upperByCommune[school.commune] ?? [] : []
            for _ in 0..<parents {
                let second = !siblingsSchools.isEmpty && rng.chance(0.15)
                    ? siblingsSchools[rng.below(siblingsSchools.count)] : -1
                add(.parent, s, second, commune: commune, level: school.level)
            }
        }
        // Commune agents: one or more per commune that has a school.
        for (commune, count) in schoolsByCommune.sorted(by: { $0.key < $1.key }) {
            let agents = 1 + (count >= 5 ? 2 : 0) + (rng.chance(0.4) ? 1 : 0)
            for _ in 0..<agents { add(.commune, -1, -1, commune: Int(commune), level: nil) }
        }
        // A few users seen in the logs but missing from the directory export.
        let ghosts = max(1, (world.accounts.count - firstAccount) / 400)
        for _ in 0..<ghosts {
            let s = schools.lowerBound + rng.below(schools.count)
            let r = rng.unit()
            let role: Role = r < 0.4 ? .teacher : r < 0.7 ? .staff : .parent
            add(role, s, -1, commune: Int(world.schools[s].commune), level: world.schools[s].level, listed: false)
        }
    }
}
