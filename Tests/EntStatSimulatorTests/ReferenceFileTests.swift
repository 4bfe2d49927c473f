import EntStat
import Foundation
import Testing
@testable import EntStatSimulator

/// `schools.csv` and `accounts.csv` follow SPEC §1.1 and §1.2 and agree with each other.
struct ReferenceFileTests {
    private static let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")

    @Test func schoolsHaveValidUAIsAndLevels() throws {
        let o = try SimulatedOutput.make(schools: 40, from: "2018-10-26", to: "2018-10-26")
        defer { o.remove() }
        let rows = o.csv("schools.csv")
        #expect(rows.first == ["uai", "nom", "niveau", "code_commune", "commune", "epci"])
        let schools = rows.dropFirst()
        #expect(schools.count == 40)
        var levels = Set<String>()
        for r in schools {
            #expect(r.count == 6, "\(r)")
            let uai = r[0]
            #expect(uai.count == 8 && uai.hasPrefix("080"))
            let digits = Int(uai.prefix(7))!
            #expect(uai.last == ReferenceFileTests.letters[digits % 23], "\(uai)")
            let level = r[2].lowercased().folding(options: .diacriticInsensitive, locale: nil)
            #expect(["maternelle", "elementaire", "primaire"].contains(level))
            levels.insert(level)
            #expect(r[3].count == 5 && r[3].hasPrefix("80"))
            #expect(!r[4].isEmpty && !r[5].isEmpty)
        }
        #expect(levels.count == 3)
        #expect(Set(schools.map { $0[0] }).count == schools.count)
        // Tricky names survive quoting.
        let names = Set(schools.map { $0[1] })
        #expect(names.contains("Groupe scolaire Jean Moulin; site des Tilleuls"))
        #expect(names.contains("École \"Les P'tits Loups\""))
        #expect(names.contains { $0.contains("&") } && names.contains { $0.contains("<") })
    }

    @Test func accountsReferenceExistingSchools() throws {
        let o = try SimulatedOutput.make(schools: 30, from: "2018-09-10", to: "2018-12-20")
        defer { o.remove() }
        let uais = Set(o.csv("schools.csv").dropFirst().map { $0[0] })
        let rows = o.csv("accounts.csv")
        #expect(rows.first == ["user_id", "legacy_id", "role", "schools", "code_commune", "activated_on"])
        var roles: [String: Int] = [:]
        var ids = Set<String>()
        var legacy = Set<String>()
        var twoSchools = 0
        var activated = 0
        let uuid = try NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        for r in rows.dropFirst() {
            #expect(r.count == 6)
            #expect(uuid.firstMatch(in: r[0], range: NSRange(location: 0, length: r[0].utf16.count)) != nil)
            #expect(ids.insert(r[0]).inserted)
            if !r[1].isEmpty { #expect(r[1].hasPrefix("u")); #expect(legacy.insert(r[1]).inserted) }
            roles[r[2], default: 0] += 1
            let schools = r[3].split(separator: "|").map(String.init)
            for s in schools { #expect(uais.contains(s), "\(s)") }
            if schools.count == 2 { twoSchools += 1 }
            if r[2].lowercased().hasPrefix("commun") || r[2] == "Collectivité" {
                #expect(schools.isEmpty)
                #expect(r[4].count == 5)
            }
            if !r[5].isEmpty {
                activated += 1
                let d = CivilDate(iso: r[5])
                #expect(d != nil && d! <= CivilDate(iso: "2018-12-20")!)
            }
        }
        for role in ["parent", "teacher", "student", "staff", "commune"] { #expect(roles[role, default: 0] > 0, "\(role)") }
        #expect(twoSchools > 0)
        let total = rows.count - 1
        #expect(activated > total / 3 && activated < total)
        // About 1.3 parents per pupil: more parents than pupils with accounts.
        #expect(roles["parent", default: 0] > roles["student", default: 0])
    }
}

/// Names built from a commune's name say « de » as French does: the sample report shows
/// them to officials (it once read « École primaire de Le Crotoy », and a second
/// département's EPCIs « CC de Abbeville »-like names).
struct SimulatedPlaceNameTests {
    /// The world of seed 42 (the committed sample's), new ENT from 2018-09-17, old until
    /// 2018-11-04.
    private func world(schools: Int) -> World {
        WorldBuilder(seed: 42, schoolCount: schools, newStart: CivilDate(iso: "2018-09-17")!.dayNumber,
                     switchDay: CivilDate(iso: "2018-11-04")!.dayNumber).build()
    }

    @Test func theSampleSchoolsOfLeCrotoyAndAultReadAsFrench() {
        let world = world(schools: 30)
        let names = Dictionary(uniqueKeysWithValues: world.schools.map { (String(decoding: $0.uai, as: UTF8.self), $0.name) })
        #expect(names["0801098J"] == "École primaire du Crotoy")
        #expect(names["0807946C"] == "École primaire d'Ault")
        #expect(names["0809505X"] == "École élémentaire d'Ault")
        #expect(names["0805250X"] == "École élémentaire du Centre")
    }

    @Test func generatedEPCINamesElideTheirDe() {
        // Two départements: the second's EPCIs are named after its communes.
        let world = world(schools: 700)
        let generated = world.epcis.filter { $0.hasSuffix(" (02)") }
        #expect(generated.count >= 3)
        let vowels = Set("AEIOUYÉÈÊÂÎÔŒ")
        for name in generated + world.schools.map(\.name) {
            for article in ["Le ", "Les ", "le ", "les "] { #expect(!name.contains(" de " + article), "\(name)") }
            if let r = name.range(of: " de "), let first = name[r.upperBound...].first {
                #expect(!vowels.contains(first), "\(name)")
            }
            if let r = name.range(of: " d'"), let first = name[r.upperBound...].first {
                #expect(vowels.contains(first), "\(name)")
            }
        }
    }
}
