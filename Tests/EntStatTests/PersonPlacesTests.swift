import Foundation
import Testing
@testable import EntStat

/// Every person's communes and EPCI with the roles held there (`PersonPlaces`), read from
/// `person_place` in one scan: checked against places and slots listed by hand.
@Suite struct PersonPlacesTests {
    @Test func placesAndRoleSlotsAreThoseOfPersonPlace() throws {
        let composed = "CA Amiens M\u{E9}tropole", decomposed = "CA Amiens Me\u{301}tropole"
        let store = try RoleSnapshotWriterTests.store(places: [
            // person 1: parent twice in one commune (two schools), teacher there too.
            (1, 0, "parent", "0800001S", "maternelle", "80021", "CA Baie de Somme"),
            (1, 0, "parent", "0800002T", "elementaire", "80021", "CA Baie de Somme"),
            (1, 1, "teacher", "0800002T", "elementaire", "80021", "CA Baie de Somme"),
            // person 2: no place at all.
            (2, 0, "unknown", "", "", "", ""),
            // person 4 (no person 3): one EPCI name in two byte forms, two places for SQLite.
            (4, 1, "staff", "0800003U", "primaire", "80001", composed),
            (4, 1, "staff", "0800004V", "primaire", "80002", decomposed),
            // person 6: a commune account, whose role comes before the others in byte order
            // but after them in the scan.
            (6, 0, "commune", "", "", "80021", ""),
        ])
        let places = try PersonPlaces(db: store.db)
        #expect(places.roles == ["commune", "parent", "staff", "teacher", "unknown"])
        // Compared as bytes: Swift's `==` holds the two forms of "é" equal.
        func bytes(_ texts: [String]) -> [[UInt8]] {
            texts.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        func slots(of person: Int) -> [[UInt8]] {
            var out: [String] = []
            places.forEachSlot(of: person) { place, slot in
                let p = places.places[place]
                out.append("\(p.kind) \(p.name) \(places.roleName(slot: slot))")
            }
            return bytes(out)
        }
        #expect(slots(of: 0) == [])
        #expect(slots(of: 1) == bytes(["commune 80021 *", "commune 80021 parent", "commune 80021 teacher",
                                 "epci CA Baie de Somme *", "epci CA Baie de Somme parent", "epci CA Baie de Somme teacher"]))
        #expect(slots(of: 2) == [])
        #expect(slots(of: 3) == [])
        #expect(slots(of: 4) == bytes(["commune 80001 *", "commune 80001 staff", "commune 80002 *", "commune 80002 staff",
                                 "epci \(composed) *", "epci \(composed) staff", "epci \(decomposed) *", "epci \(decomposed) staff"]))
        #expect(slots(of: 6) == bytes(["commune 80021 *", "commune 80021 commune"]))
        #expect(slots(of: 7) == [])
        // A person id read from a damaged table (`sweep-store --pending --last-row`: the
        // largest 64-bit integer in person_day.person stopped the ingest on an overflow)
        // has no place, whatever its value.
        for id in [Int.max, Int.max - 1, -1, Int.min] {
            #expect(slots(of: id) == [])
            var found = 0
            places.forEachPlace(of: id) { _ in found += 1 }
            #expect(found == 0)
        }
        // The two EPCI byte forms are two places, each with its own name's bytes.
        let epci = places.places.filter { $0.kind == "epci" }.map { Array($0.name.utf8) }
        #expect(epci.count == 3)
        #expect(Set(epci) == [Array("CA Baie de Somme".utf8), Array(composed.utf8), Array(decomposed.utf8)])
        // Places in the byte order of (kind, name), as the tables keyed by them.
        let rank = places.ranksInKeyOrder()
        let ordered = places.places.indices.sorted { rank[$0] < rank[$1] }.map { Array((places.places[$0].kind + " " + places.places[$0].name).utf8) }
        // "Me" + U+0301 (65 CC 81) before "M" + U+00E9 (C3 A9): 0x65 < 0xC3.
        #expect(ordered == ["commune 80001", "commune 80002", "commune 80021", "epci \(decomposed)", "epci \(composed)",
                            "epci CA Baie de Somme"].map { Array($0.utf8) })
    }

    @Test func morePlaceRolesThanAMaskHoldsIsAnError() throws {
        let store = try RoleSnapshotWriterTests.store(places: (0..<33).map { (1, 0, "role\($0)", "", "", "80021", "") })
        #expect(throws: DatabaseError.self) { try PersonPlaces(db: store.db) }
        do {
            _ = try PersonPlaces(db: store.db)
        } catch let error as DatabaseError {
            #expect("\(error)".contains("33 rôles distincts dans person_place"), "\(error)")
        }
    }
}

/// `PlacesReadAhead`: every person's places and the peaks of some days, read on another
/// connection and thread while the writer writes the snapshots.
@Suite struct PlacesReadAheadTests {
    @Test func itReadsWhatTheWriterWouldReadItself() throws {
        let store = try RoleSnapshotWriterTests.store(places: [
            (1, 0, "parent", "0800001S", "maternelle", "80021", "CA Baie de Somme"),
            (2, 0, "teacher", "0800002T", "elementaire", "80021", "CA Baie de Somme"),
            (3, 0, "parent", "0800003U", "primaire", "80001", "CA Amiens Métropole"),
        ])
        // Windows 0 and 1 for person 1, 0 for person 2, 7 for person 3 on the first day;
        // window 15 for person 1 on the second; nobody on the third.
        try store.db.execute("""
            INSERT INTO person_day(person, day, windows) VALUES (1, 17805, x'03'), (2, 17805, x'01'), (3, 17805, x'80'), (1, 17806, x'0080');
            """)
        let ahead = try #require(PlacesReadAhead(path: store.db.path, days: [17805, 17806, 17807]).result())
        let direct = try PersonPlaces(db: store.db)
        func names(_ p: PersonPlaces) -> [String] { p.places.map { "\($0.kind) \($0.name)" } }
        #expect(names(ahead.places) == names(direct))
        #expect(ahead.places.roles == direct.roles)
        func peaks(_ list: [(place: Int, users: Int)]?) -> [String] {
            (list ?? []).map { "\(ahead.places.places[$0.place].name)=\($0.users)" }.sorted()
        }
        // Hand-counted: 80021 and its EPCI have persons 1 and 2 in window 0 on the first day.
        #expect(peaks(ahead.peaks[17805]) == ["80001=1", "80021=2", "CA Amiens Métropole=1", "CA Baie de Somme=2"])
        #expect(peaks(ahead.peaks[17806]) == ["80021=1", "CA Baie de Somme=1"])
        #expect(peaks(ahead.peaks[17807]) == [])
        let counter = try RoleDaySums.PeakCounter(db: store.db, places: direct.places.count)
        for day in [17805, 17806, 17807] {
            #expect(peaks(ahead.peaks[day]) == peaks(try counter.peaks(of: day, places: direct)), "\(day)")
        }
    }

    @Test func aStoreItCannotReadGivesNothingAndTheCallerReadsItself() {
        let missing = TestSupport.scratchRoot.appendingPathComponent("no-such-store.sqlite").path
        #expect(PlacesReadAhead(path: missing, days: [17805]).result() == nil)
    }
}
