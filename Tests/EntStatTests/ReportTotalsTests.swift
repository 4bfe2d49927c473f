import Foundation
import Testing
@testable import EntStat

/// SPEC §2: a person counts once in any total above their groups. The '*' rows of the report's
/// queries must not add up a person's volumes once per role.
@Suite struct ReportTotalsTests {
    /// A store at the latest schema holding `facts` (SQL), with the rollups of its day rows
    /// and the totals per day and role as the ingest would write them; and a query runner
    /// over the whole school year (the territory, or the scope given).
    static func store(_ name: String, facts: String) throws -> (Store, (String) throws -> AnalystQuery.Table) {
        let (store, run) = try scopedStore(name, facts: facts)
        return (store, { try run($0, "") })
    }

    static func scopedStore(_ name: String, facts: String) throws -> (Store, (String, String) throws -> AnalystQuery.Table) {
        let path = try E2E.scratch(name).appendingPathComponent("s.sqlite").path
        do {
            let db = try Database(path: path)
            try Migrations.migrate(db)
            try db.execute(facts + """
                ;
                INSERT INTO activity_period(kind, first_day, person, source, feature, days, requests, logins, visits)
                    SELECT p.kind, p.first_day, a.person, a.source, a.feature, 1, a.requests, a.logins, a.visits
                    FROM activity a JOIN period p ON a.day BETWEEN p.first_day AND p.last_day;
                INSERT OR IGNORE INTO pending_role_day(day) SELECT day FROM activity UNION SELECT day FROM visit_start;
                """)
            try Store.refreshRoleDays(db)
        }
        let store = try Store(readingFrom: path)
        let library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
        return (store, { name, commune in
            try library.query(name).run(on: store, parameters: ["from": "2018-09-01", "to": "2019-07-06", "commune": commune, "epci": ""])
        })
    }

    @Test func aPersonWithTwoRolesCountsOnceInTheAllRolesRows() throws {
        // Person 1 is a parent and a teacher, person 2 a parent; both active on 2018-10-01 (a Monday).
        let (store, runScoped) = try Self.scopedStore("two-roles", facts: """
                INSERT INTO person(id, account) VALUES (1, NULL), (2, NULL);
                INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES
                    (1, 0, 'parent', 'U1', 'primaire', '80001', 'E'), (1, 0, 'teacher', 'U2', 'primaire', '80001', 'E'),
                    (2, 0, 'parent', 'U1', 'primaire', '80001', 'E');
                INSERT INTO visit_start(day, person, hour, visits)
                    SELECT day, 1, 8, 2 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 2, 8, 1 FROM calendar WHERE date = '2018-10-01';
                INSERT INTO activity(day, person, source, feature, requests, logins, visits)
                    SELECT day, 1, '*', '*', 10, 1, 2 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 2, '*', '*', 5, 1, 1 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 1, 'access', '*', 4, 0, 1 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 1, 'events', '*', 6, 1, 1 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 2, 'events', '*', 5, 1, 1 FROM calendar WHERE date = '2018-10-01'
            """)
        let run = { (name: String) in try runScoped(name, "") }
        func rows(_ name: String) throws -> [[String: Int]] {
            let table = try run(name)
            return table.rows.map { row in
                var d: [String: Int] = [:]
                for (i, c) in table.columns.enumerated() {
                    switch row[i] {
                    case .integer(let v): d[c] = Int(v)
                    case .text(let t): d[c] = t == "*" ? -1 : (["parent": 1, "teacher": 2][t] ?? 0)
                    default: break
                    }
                }
                return d
            }
        }
        // Independently: every person once.
        let visits = Int(try store.db.scalarInt("SELECT SUM(visits) FROM visit_start") ?? 0)
        let requests = Int(try store.db.scalarInt("SELECT SUM(requests) FROM activity WHERE source = '*' AND feature = '*'") ?? 0)
        #expect(visits == 3 && requests == 15)

        let rhythm = try rows("rythmes_semaine_heure")
        #expect(rhythm.first { $0["role"] == 1 }?["connexions"] == 3)
        #expect(rhythm.first { $0["role"] == 2 }?["connexions"] == 2)
        let rhythmTotal = try #require(rhythm.first { $0["role"] == -1 })
        #expect(rhythmTotal["jour_semaine"] == 1 && rhythmTotal["heure"] == 8)
        #expect(rhythmTotal["connexions"] == visits)

        let volumes = try rows("volumes_par_role")
        let total = try #require(volumes.first { $0["role"] == -1 })
        #expect(total["connexions"] == visits)
        #expect(total["requetes"] == requests)
        #expect(total["authentifications"] == 2)
        #expect(total["utilisateurs_jour_max"] == 2)
        #expect(volumes.first { $0["role"] == 1 }?["connexions"] == 3)
        #expect(volumes.first { $0["role"] == 2 }?["connexions"] == 2)

        // Every person is in commune 80001: its figures, computed from the day rows, equal
        // the territory's, read from the totals per day and role.
        #expect(try run("rythmes_semaine_heure").csv() == runScoped("rythmes_semaine_heure", "80001").csv())
        #expect(try run("volumes_par_role").csv() == runScoped("volumes_par_role", "80001").csv())
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM visit_hour_role") == 3, "parent, teacher, '*' at 8 h")

        let synthesis = try rows("synthese_roles")
        let all = try #require(synthesis.first { $0["role"] == -1 })
        #expect(all["utilisateurs_actifs"] == 2)
        #expect(all["connexions"] == visits)
        #expect(all["requetes"] == requests)
        #expect(synthesis.first { $0["role"] == 1 }?["requetes"] == 15)
        #expect(synthesis.first { $0["role"] == 2 }?["requetes"] == 10)

        // Person 1 used both ENTs, person 2 the new one only.
        let migration = try rows("migration_bilan")
        let both = try #require(migration.first { $0["role"] == -1 })
        #expect(both["utilisateurs_ancien_ent"] == 1)
        #expect(both["utilisateurs_nouvel_ent"] == 2)
        #expect(both["utilisateurs_retrouves"] == 1)
        #expect(migration.first { $0["role"] == 1 }?["utilisateurs_nouvel_ent"] == 2)
        #expect(migration.first { $0["role"] == 2 }?["utilisateurs_ancien_ent"] == 1)
    }

    @Test func aParentOfTwoCommunesCountsOnceInTheTerritoryRowOfCommuneServices() throws {
        // Person 1: a parent with schools in two communes, 3 visits to the canteen; person 2:
        // a parent of one commune, 1 visit. Both active on 2018-10-01.
        let (_, run) = try Self.store("two-communes", facts: """
                INSERT INTO person(id, account) VALUES (1, NULL), (2, NULL);
                INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci) VALUES
                    (1, 0, 'parent', 'U1', 'primaire', '80001', 'E'), (1, 0, 'parent', 'U2', 'primaire', '80002', 'E'),
                    (2, 0, 'parent', 'U1', 'primaire', '80001', 'E');
                INSERT INTO activity(day, person, source, feature, requests, logins, visits)
                    SELECT day, 1, '*', '*', 6, 0, 3 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 1, '*', 'cantine', 6, 0, 3 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 2, '*', '*', 2, 0, 1 FROM calendar WHERE date = '2018-10-01'
                    UNION ALL SELECT day, 2, '*', 'cantine', 2, 0, 1 FROM calendar WHERE date = '2018-10-01'
            """)
        let table = try run("communes_parents_services")
        func cell(_ commune: String, _ column: String) -> DatabaseValue? {
            guard let c = table.columns.firstIndex(of: column),
                  let row = table.rows.first(where: { $0[0] == .text(commune) }) else { return nil }
            return row[c]
        }
        #expect(cell("80001", "connexions_parents_services_commune") == .integer(4))
        #expect(cell("80002", "connexions_parents_services_commune") == .integer(3))
        #expect(cell("*", "parents_cantine") == .integer(2))
        #expect(cell("*", "connexions_parents_services_commune") == .integer(4), "3 + 1: person 1 once")
    }
}
