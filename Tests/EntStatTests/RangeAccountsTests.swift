import Foundation
import Testing
@testable import EntStat

/// `comptes_lieu` and `comptes_niveau` (`RangeAccounts`): the accounts of a small directory,
/// counted by hand (SPEC §2: an account of several schools counts once in each school,
/// level, commune or EPCI, once in any total above them; activated = `activated_on` on or
/// before the day asked), over the territory and in a commune or an EPCI.
@Suite struct RangeAccountsTests {
    /// Three schools: A (maternelle, 80021) and C (primaire, 80002) in CA Amiens, B
    /// (élémentaire, 80001) in CA Baie. Seven accounts:
    /// t1 teacher A|B (activated 09-03), t2 teacher A|C (10-10), p1 parent A|C (09-05),
    /// p2 parent B (never), p3 parent without school (never), c1 commune agent of 80021
    /// (09-04), p4 parent of a school missing from schools.csv (09-20).
    static func store() throws -> String {
        let dir = try E2E.scratch()
        let (schools, accounts) = (dir.appendingPathComponent("schools.csv"), dir.appendingPathComponent("accounts.csv"))
        try E2E.write("""
            uai;nom;niveau;code_commune;commune;epci
            0809573W;École A;maternelle;80021;Amiens;CA Amiens
            0801622D;École B;elementaire;80001;Abbeville;CA Baie
            0801234G;École C;primaire;80002;Ailly;CA Amiens

            """, to: schools)
        try E2E.write("""
            user_id;legacy_id;role;schools;code_commune;activated_on
            t1;;teacher;0809573W|0801622D;;2018-09-03
            t2;;teacher;0809573W|0801234G;;2018-10-10
            p1;;parent;0809573W|0801234G;;2018-09-05
            p2;;parent;0801622D;;
            p3;;parent;;;
            c1;;commune;;80021;2018-09-04
            p4;;parent;0899999Z;;2018-09-20

            """, to: accounts)
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(writingTo: path, secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        _ = try store.loadReferences(Store.ReferenceFiles(schools: schools.path, accounts: accounts.path))
        return path
    }

    /// Both tables as a query reads them, for `to` and a place: `comptes_lieu` as
    /// "kind place role accounts/activated", `comptes_niveau` as "role level accounts/activated
    /// by `to`" (summed over the days of activation), each sorted.
    static func tables(_ path: String, to: String, commune: String = "", epci: String = "", store given: Store? = nil,
                       shared: RangeActivity.SharedTables? = nil) throws -> (places: [String], levels: [String]) {
        let store = try given ?? Store(readingFrom: path)
        let parameters = ["to": to, "commune": commune, "epci": epci]
        let places = try AnalystQuery(sql: "SELECT kind, place, role, accounts, activated FROM comptes_lieu", file: "l.sql")
            .run(on: store, parameters: parameters, shared: shared)
        let levels = try AnalystQuery(sql: """
            SELECT role, level, SUM(accounts),
                   SUM(CASE WHEN activated_day <= (SELECT day FROM calendar WHERE date = :to) THEN accounts ELSE 0 END)
            FROM comptes_niveau GROUP BY role, level
            """, file: "n.sql").run(on: store, parameters: parameters, shared: shared)
        func text(_ row: [DatabaseValue], _ keys: Int) -> String {
            row.prefix(keys).map(AnalystQuery.cell).joined(separator: " ") + " "
                + AnalystQuery.cell(row[keys]) + "/" + AnalystQuery.cell(row[keys + 1])
        }
        return (places.rows.map { text($0, 3) }.sorted(), levels.rows.map { text($0, 2) }.sorted())
    }

    @Test func theTerritorysAccountsCountOncePerPlaceLevelAndTotal() throws {
        let path = try Self.store()
        let (places, levels) = try Self.tables(path, to: "2018-09-30")
        #expect(places == [
            "commune  * 2/1", "commune  parent 2/1",
            "commune 80001 * 2/1", "commune 80001 parent 1/0", "commune 80001 teacher 1/1",
            "commune 80002 * 2/1", "commune 80002 parent 1/1", "commune 80002 teacher 1/0",
            "commune 80021 * 4/3", "commune 80021 commune 1/1", "commune 80021 parent 1/1", "commune 80021 teacher 2/1",
            "epci  * 2/1", "epci  parent 2/1",
            // t2 and p1 have schools in two communes of CA Amiens: once each in it.
            "epci CA Amiens * 4/3", "epci CA Amiens commune 1/1", "epci CA Amiens parent 1/1", "epci CA Amiens teacher 2/1",
            "epci CA Baie * 2/1", "epci CA Baie parent 1/0", "epci CA Baie teacher 1/1",
            "school  * 2/1", "school  commune 1/1", "school  parent 1/0",
            "school 0801234G * 2/1", "school 0801234G parent 1/1", "school 0801234G teacher 1/0",
            "school 0801622D * 2/1", "school 0801622D parent 1/0", "school 0801622D teacher 1/1",
            "school 0809573W * 3/2", "school 0809573W parent 1/1", "school 0809573W teacher 2/1",
            "school 0899999Z * 1/1", "school 0899999Z parent 1/1",
        ].sorted())
        #expect(levels == [
            "* * 7/4", "*  3/2", "* elementaire 2/1", "* maternelle 3/2", "* primaire 2/1",
            "commune * 1/1", "commune  1/1",
            "parent * 4/2", "parent  2/1", "parent elementaire 1/0", "parent maternelle 1/1", "parent primaire 1/1",
            "teacher * 2/1", "teacher elementaire 1/1", "teacher maternelle 2/1", "teacher primaire 1/0",
        ].sorted())
        // By day of activation: each account once in ('*', '*'), the two never activated
        // under NULL.
        let store = try Store(readingFrom: path)
        let days = try AnalystQuery(sql: """
            SELECT COALESCE(c.date, 'never'), n.accounts FROM comptes_niveau n LEFT JOIN calendar c ON c.day = n.activated_day
            WHERE n.role = '*' AND n.level = '*' ORDER BY 1
            """, file: "d.sql").run(on: store, parameters: ["to": "2018-09-30", "commune": "", "epci": ""])
        #expect(days.rows.map { $0.map(AnalystQuery.cell).joined(separator: " ") }
                == ["2018-09-03 1", "2018-09-04 1", "2018-09-05 1", "2018-09-20 1", "2018-10-10 1", "never 2"])
    }

    @Test func theActivatedAccountsAreThoseOfTheDayAsked() throws {
        let path = try Self.store()
        // t2's own day: activated (on or before).
        #expect(try Self.tables(path, to: "2018-10-10").places.contains("school 0809573W * 3/3"))
        #expect(try Self.tables(path, to: "2018-10-09").places.contains("school 0809573W * 3/2"))
        // Before the first activation, and a day outside the calendar (as the queries'
        // `calendar` lookup of :to finds none): no account activated, all still counted.
        for to in ["2018-09-02", "2050-01-01"] {
            let (places, levels) = try Self.tables(path, to: to)
            #expect(places.contains("school 0809573W * 3/0") && places.contains("commune 80021 * 4/0"), "\(to)")
            #expect(places.allSatisfy { $0.hasSuffix("/0") }, "\(to)")
            #expect(levels.contains("* * 7/0"), "\(to)")
        }
    }

    /// A report's build counts the accounts activated by each of its `:to` days in one read
    /// (`SharedTables.toDays`): each day's tables are those of a build for it alone, whatever
    /// the order the connections ask for them in.
    @Test func oneBuildForSeveralDaysGivesEachDaysTables() throws {
        let path = try Self.store()
        let days = ["2018-10-09", "2018-10-10", "2050-01-01", "2018-09-02"]
        let shared = RangeActivity.SharedTables(toDays: Set(days.compactMap { CivilDate(iso: $0)?.dayNumber }))
        let store = try Store(readingFrom: path)
        for to in days + days.reversed() {
            for (commune, epci) in [("", ""), ("80021", ""), ("", "CA Amiens")] {
                let alone = try Self.tables(path, to: to, commune: commune, epci: epci)
                let together = try Self.tables(path, to: to, commune: commune, epci: epci, store: store, shared: shared)
                #expect(together == alone, "\(to) \(commune) \(epci)")
            }
        }
        #expect(try Self.tables(path, to: "2018-10-10", store: store, shared: shared).places.contains("school 0809573W * 3/3"))
        #expect(try Self.tables(path, to: "2018-10-09", store: store, shared: shared).places.contains("school 0809573W * 3/2"))
        #expect(try Self.tables(path, to: "2050-01-01", store: store, shared: shared).places.contains("school 0809573W * 3/0"))
        // A day the report did not announce is built on its own.
        #expect(try Self.tables(path, to: "2018-09-30", store: store, shared: shared).places.contains("commune 80021 * 4/3"))
    }

    @Test func aCommuneOrEpciKeepsOnlyTheAccountsRowsThere() throws {
        let path = try Self.store()
        // In 80021: t1, t2 and p1 by school A only, and c1.
        let commune = try Self.tables(path, to: "2018-09-30", commune: "80021")
        #expect(commune.places == [
            "commune 80021 * 4/3", "commune 80021 commune 1/1", "commune 80021 parent 1/1", "commune 80021 teacher 2/1",
            "epci CA Amiens * 4/3", "epci CA Amiens commune 1/1", "epci CA Amiens parent 1/1", "epci CA Amiens teacher 2/1",
            "school  * 1/1", "school  commune 1/1",
            "school 0809573W * 3/2", "school 0809573W parent 1/1", "school 0809573W teacher 2/1",
        ].sorted())
        #expect(commune.levels == [
            "* * 4/3", "*  1/1", "* maternelle 3/2", "commune * 1/1", "commune  1/1",
            "parent * 1/1", "parent maternelle 1/1", "teacher * 2/1", "teacher maternelle 2/1",
        ].sorted())
        // In CA Amiens: school C too (t2 and p1 there as well, still once in each total).
        let epci = try Self.tables(path, to: "2018-09-30", epci: "CA Amiens")
        #expect(epci.levels == [
            "* * 4/3", "*  1/1", "* maternelle 3/2", "* primaire 2/1", "commune * 1/1", "commune  1/1",
            "parent * 1/1", "parent maternelle 1/1", "parent primaire 1/1",
            "teacher * 2/1", "teacher maternelle 2/1", "teacher primaire 1/0",
        ].sorted())
        #expect(epci.places.contains("commune 80002 * 2/1") && epci.places.contains("school 0801234G * 2/1"))
        #expect(!epci.places.contains { $0.contains("CA Baie") || $0.contains("0801622D") })
        // A place without accounts: empty tables.
        let none = try Self.tables(path, to: "2018-09-30", commune: "99999")
        #expect(none.places.isEmpty && none.levels.isEmpty)
    }
}
