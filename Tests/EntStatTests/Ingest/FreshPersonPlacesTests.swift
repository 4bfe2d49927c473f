import Foundation
import Testing
@testable import EntStat

/// The places of persons absent from accounts.csv (SPEC §2.1: role from the record's
/// `profil`, else `unknown`; schools from its `structures`), written from memory for the
/// persons a file creates (`FreshPersonPlaces`) and in SQL for the others
/// (`Store.rebuildPersonPlaces`): both must give the rows listed here by hand, and the same
/// rows as a rebuild of every person.
@Suite struct FreshPersonPlacesTests {
    /// The two schools of both tests, in two communes and two EPCIs.
    static let schools = """
        uai;nom;niveau;code_commune;commune;epci
        0800001S;École A;maternelle;80021;Abbeville;CA Baie de Somme
        0800002T;École B;elementaire;80001;Amiens;CA Amiens Métropole

        """

    @Test func placesOfNewPersonsAreThoseOfTheSQLRebuild() throws {
        let dir = try E2E.scratch()
        try E2E.write(Self.schools, to: dir.appendingPathComponent("schools.csv"))
        func event(_ user: String, _ utc: String, profil: String? = nil, _ structures: [String] = []) -> String {
            LogLine.event(user: user, utc: utc, module: "Blog", profil: profil, structures: structures)
        }
        let first = [
            event("u1", "2018-11-05T08:00:00", profil: "Teacher", ["0800001S"]),
            event("u1", "2018-11-05T09:00:00", profil: "Relative", ["0800002T", "0800001S"]),
            event("u2", "2018-11-05T08:00:00"),
            event("u3", "2018-11-05T08:00:00", profil: "Enseignant", ["9999999Z"]),
            event("u4", "2018-11-05T08:00:00", profil: "Relative"),
            event("u4", "2018-11-05T09:00:00", ["0800002T"]),
            event("u4", "2018-11-05T10:00:00", profil: "Relative", ["0800002T", "0800002T"]),
            // As u1, but in this file only: its rows are written from memory.
            event("u7", "2018-11-05T08:00:00", profil: "Teacher", ["0800001S"]),
            event("u7", "2018-11-05T09:00:00", profil: "Relative", ["0800002T", "0800001S"]),
        ]
        let second = [
            // An identity of the first file given a third school: rebuilt in SQL.
            event("u1", "2018-11-06T08:00:00", profil: "Relative", ["0800003U"]),
            event("u6", "2018-11-06T08:00:00", profil: "Martien", ["0800001S"]),
        ]
        let access = [LogLine.access(user: "u5", time: "05/Nov/2018:09:00:00 +0100", path: "/blog")]
        var files: [String] = []
        for (name, lines) in [("e1.log", first), ("a1.log", access), ("e2.log", second)] {
            try E2E.write(lines.joined(separator: "\n") + "\n", to: dir.appendingPathComponent(name))
            files.append(dir.appendingPathComponent(name).path)
        }
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(writingTo: path, secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        _ = try store.loadSchools(dir.appendingPathComponent("schools.csv").path)
        var options = LogIngester.Options()
        options.workers = 1
        try LogIngester(store: store, options: options).ingest(paths: files) { _, report in
            #expect(report.outcome == .ingested, "\(report.name)")
        }
        let pseudonymizer = try #require(store.pseudonymizer)
        func rows() throws -> [String] {
            var persons: [Int64: String] = [:]
            for (user, source) in [("u1", LogSource.events), ("u2", .events), ("u3", .events), ("u4", .events), ("u5", .access), ("u6", .events), ("u7", .events)] {
                let s = try store.db.prepare("SELECT person FROM identity WHERE pseudonym = ?")
                try s.bind(.blob(pseudonymizer.pseudonym(source: source, rawID: user)))
                #expect(try s.step(), "\(user)")
                persons[s.int64(0)] = user
            }
            let s = try store.db.prepare("SELECT person, listed, role, uai, level, code_commune, epci FROM person_place")
            var out: [String] = []
            while try s.step() {
                out.append(([persons[s.int64(0)] ?? "?"] + (1..<7).map { s.text($0) }).joined(separator: "|"))
            }
            return out.sorted()
        }
        let expected = [
            "u1|0|parent|0800001S|maternelle|80021|CA Baie de Somme",
            "u1|0|parent|0800002T|elementaire|80001|CA Amiens Métropole",
            "u1|0|parent|0800003U|||",
            "u2|0|unknown||||",
            "u3|0|teacher|9999999Z|||",
            "u4|0|parent|0800002T|elementaire|80001|CA Amiens Métropole",
            "u5|0|unknown||||",
            "u6|0|unknown|0800001S|maternelle|80021|CA Baie de Somme",
            "u7|0|parent|0800001S|maternelle|80021|CA Baie de Somme",
            "u7|0|parent|0800002T|elementaire|80001|CA Amiens Métropole",
        ]
        #expect(try rows() == expected)
        try store.db.transaction { try store.rebuildPersonPlaces(onlyDirty: false) }
        #expect(try rows() == expected)
    }

    /// SPEC §1.1: the EPCI epci.csv gives a commune wins over schools.csv's column, for
    /// every kind of person: listed with a school, a commune agent, unlisted and new in a
    /// file (written from memory), unlisted and rebuilt in SQL (schools from a later file).
    @Test func theEpciOfEpciCsvWinsForEveryPerson() throws {
        let dir = try E2E.scratch()
        try E2E.write(Self.schools, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write("code_commune;epci\n80021;CC Ponthieu-Marquenterre\n", to: dir.appendingPathComponent("epci.csv"))
        try E2E.write("""
            user_id;legacy_id;role;schools;code_commune;activated_on
            acc1;;teacher;0800001S;;2018-09-03
            acc2;;commune;;80021;2018-09-03

            """, to: dir.appendingPathComponent("accounts.csv"))
        func event(_ user: String, profil: String, _ structures: [String]) -> String {
            LogLine.event(user: user, utc: "2018-11-05T08:00:00", module: "Blog", profil: profil, structures: structures)
        }
        try E2E.write([event("acc1", profil: "Teacher", []), event("acc2", profil: "Collectivite", []),
                       event("u3", profil: "Relative", ["0800002T"]), event("u4", profil: "Relative", ["0800001S"]),
                       event("u5", profil: "Eleve", [])].joined(separator: "\n") + "\n",
                      to: dir.appendingPathComponent("e1.log"))
        try E2E.write(event("u5", profil: "Eleve", ["0800001S"]) + "\n", to: dir.appendingPathComponent("e2.log"))
        let run = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--epci", "epci.csv",
                               "--accounts", "accounts.csv", "e1.log", "e2.log"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let db = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
        let s = try db.prepare("SELECT listed, role, uai, code_commune, epci FROM person_place ORDER BY 1, 2, 3")
        var rows: [String] = []
        while try s.step() { rows.append((0..<5).map { s.text($0) }.joined(separator: "|")) }
        #expect(rows == [
            "0|parent|0800001S|80021|CC Ponthieu-Marquenterre",
            "0|parent|0800002T|80001|CA Amiens Métropole",
            "0|student|0800001S|80021|CC Ponthieu-Marquenterre",
            "1|commune||80021|CC Ponthieu-Marquenterre",
            "1|teacher|0800001S|80021|CC Ponthieu-Marquenterre",
        ])
    }
}
