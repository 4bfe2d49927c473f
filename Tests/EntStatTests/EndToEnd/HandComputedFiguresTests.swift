import Foundation
import Testing
@testable import EntStat

/// A small département whose every figure was worked out by hand from SPEC §2 (see the
/// comments): a DST day, a visit cut at midnight, gaps of exactly 1800 s and 1801 s, a
/// parent in two schools, the same person in the old and the new ENT, unknown users,
/// filtered records. The real binary ingests real gzip (multi-member) and plain files.
@Suite("Hand-computed figures, through the real binary")
struct HandComputedFiguresTests {
    static let schools = """
    uai;nom;niveau;code_commune;commune;epci
    0800001S;"École ""Les Tilleuls""; maternelle";maternelle;80021;Amiens;CA Amiens Métropole
    0800002T;École Jules Ferry;Élémentaire;80021;Amiens;CA Amiens Métropole
    0800003U;École de Péronne;primaire;80620;Péronne;CC Haute Somme

    """

    // p1: parent of two schools, also "L-p1" in the old ENT. p2 activates on 2018-10-30.
    static let accounts = """
    user_id;legacy_id;role;schools;code_commune;activated_on
    p1;L-p1;Relative;0800001S|0800002T;;2018-09-10
    t1;;Enseignant;0800002T;;2018-09-01
    t2;;teacher;0800003U;;
    c1;;Collectivité;;80021;2018-10-01
    p2;;parent;0800003U;;2018-10-30

    """

    // Old ENT, server A writing local time.
    static let accessA = [
        LogLine.access(user: "L-p1", time: "27/Oct/2018:23:50:00 +0200", path: "/messagerie/boite?page=2"), // 27th, visit alone
        LogLine.access(user: "L-p1", time: "28/Oct/2018:00:10:00 +0200", path: "/blog/3"),                 // 28th: midnight cut
        LogLine.access(user: "L-p1", time: "28/Oct/2018:00:10:05 +0200", path: "/static/app.JS?v=2"),      // static: filtered
        LogLine.access(user: "L-p1", time: "28/Oct/2018:00:11:00 +0200", path: "/blog/4", status: 404),    // error: filtered
        LogLine.access(user: "-", time: "28/Oct/2018:00:12:00 +0200", path: "/accueil"),                   // anonymous: filtered
    ].joined(separator: "\n") + "\n"

    // Old ENT, server B writing UTC: 00:20Z is 02:20 CEST, 70 min after p1's previous record.
    static let accessB = LogLine.access(user: "L-p1", time: "28/Oct/2018:00:20:00 +0000", path: "/cahier-liaison/7") + "\r\n"

    // New ENT.
    static let events = [
        // 00:40:00 CEST: exactly 1800 s after the 00:10:00 access record → same visit.
        LogLine.event(user: "p1", utc: "2018-10-27T22:40:00", module: "Auth", type: "LOGIN", profil: "Relative"),
        // 01:10:01 CEST: 1801 s later → new visit.
        LogLine.event(user: "p1", utc: "2018-10-27T23:10:01", module: "Conversation", profil: "Relative"),
        // 02:30 CEST and 02:30 CET: one hour apart in real time → two visits.
        LogLine.event(user: "t1", utc: "2018-10-28T00:30:00", module: "Blog", profil: "Teacher"),
        LogLine.event(user: "t1", utc: "2018-10-28T01:30:00", module: "blog", profil: "Teacher"),
        // Unknown users: one with a profil and a school, one with neither.
        LogLine.event(user: "u9", utc: "2018-10-28T10:00:00", module: "Blog", profil: "Teacher", structures: ["0800003U"]),
        LogLine.event(user: "u8", utc: "2018-10-28T10:00:00", module: "Workspace"),
        // No user: filtered.
        LogLine.event(user: nil, utc: "2018-10-28T10:00:00", module: "Blog"),
        // Commune agent on Monday.
        LogLine.event(user: "c1", utc: "2018-10-29T08:00:00", module: "Cantine", profil: "PERS_COLL"),
    ].joined(separator: "\n") + "\n"

    /// Builds the store; returns its folder.
    static func ingested() throws -> URL {
        let dir = try E2E.scratch("handcomputed")
        try E2E.write(schools, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write(accounts, to: dir.appendingPathComponent("accounts.csv"))
        try E2E.writeGzip(accessA, to: dir.appendingPathComponent("access-a.log.gz"), members: 3)
        try E2E.write(accessB, to: dir.appendingPathComponent("access-b.log"))
        try E2E.writeGzip(events, to: dir.appendingPathComponent("events.jsonl.gz"), members: 2)
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv",
                             "events.jsonl.gz", "access-b.log", "access-a.log.gz"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    /// An INSEE code with a leading zero (départements 01 to 09) keeps it as a query
    /// parameter: the report of such a commune counts its accounts (before, `01053` was bound
    /// as the integer 1053 and matched no commune: 0 accounts).
    @Test func aCommuneCodeWithALeadingZeroIsKeptAsText() throws {
        let dir = try E2E.scratch()
        try E2E.write("""
            uai;nom;niveau;code_commune;commune;epci
            0010001A;École de Bourg;elementaire;01053;Bourg-en-Bresse;CA du Bassin de Bourg

            """, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write("""
            user_id;legacy_id;role;schools;code_commune;activated_on
            p1;;parent;0010001A;;2018-09-01
            p2;;parent;0010001A;;
            t1;;teacher;0010001A;;2018-09-01

            """, to: dir.appendingPathComponent("accounts.csv"))
        try E2E.writeGzip(LogLine.event(user: "p1", utc: "2018-10-29T08:00:00", module: "Blog", profil: "Relative") + "\n",
                          to: dir.appendingPathComponent("events.jsonl.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv", "events.jsonl.gz"], in: dir).status == 0)
        let query = try E2E.run(["query", "--db", "s.sqlite", ReportFixture.queriesDirectory + "/communes.sql", "--param", "from=2018-10-01",
                                 "--param", "to=2018-10-31", "--param", "commune=01053", "--param", "epci="], in: dir)
        #expect(query.status == 0, "\(query.stderr)")
        let row = try #require(query.stdout.split(separator: "\r\n").first { $0.hasPrefix("01053,") })
        // 3 accounts, 2 activated, 1 active user.
        #expect(row.hasPrefix("01053,Bourg-en-Bresse,CA du Bassin de Bourg,3,2,"), "\(row)")
        // A query over the engine's table of a range needs its range, named in the SQL or not.
        try E2E.write("SELECT COUNT(*) AS n FROM activite_periode;\n", to: dir.appendingPathComponent("range.sql"))
        let unbounded = try E2E.run(["query", "--db", "s.sqlite", "range.sql"], in: dir)
        #expect(unbounded.status == 1)
        #expect(unbounded.stderr == "entstat: range.sql: - : paramètres manquants : from, to, commune, epci ; ajoutez --param from=… --param to=… --param commune=… --param epci=…\n", "\(unbounded.stderr)")
        try E2E.write("SELECT COUNT(*) AS n FROM school WHERE :epci = '' OR uai = :epci;\n", to: dir.appendingPathComponent("one.sql"))
        let one = try E2E.run(["query", "--db", "s.sqlite", "one.sql"], in: dir)
        #expect(one.status == 1 && one.stderr == "entstat: one.sql: - : paramètre manquant : epci ; ajoutez --param epci=…\n", "\(one.stderr)")
        let report = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--commune", "01053", "--min-cell", "0",
                                  "--queries", ReportFixture.queriesDirectory], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let synthesis = try String(contentsOf: dir.appendingPathComponent("r/synthese_roles.csv"), encoding: .utf8)
        #expect(synthesis.contains("\r\n*;1;1;"), "\(synthesis)")
        #expect(synthesis.contains(";3;2;0,6667;0,3333\r\n"), "3 accounts in the commune: \(synthesis)")
    }

    @Test func ingestSummaryCountsQualifyingFilteredAndRejected() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(Self.accessA, to: dir.appendingPathComponent("a.gz"), members: 2)
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("5 lignes, 2 retenues, 3 filtrées, 0 rejetée"), "\(r.stdout)")
    }

    @Test func dailyTotals() throws {
        let dir = try Self.ingested()
        // 27th: p1 alone. 28th: p1 3 visits (4 requests, 1 login), t1 2, u9 1, u8 1.
        // Accounts 5; activated on or before each day: p1, t1, c1. Listed active: p1 / p1, t1 / c1.
        #expect(E2E.lines(try E2E.export(["--period", "day"], in: dir)) == [
            "period,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "2018-10-27,1,1,0,1,5,3,0.6000,0.2000",
            "2018-10-28,4,7,1,8,5,3,0.6000,0.4000",
            "2018-10-29,1,1,0,1,5,3,0.6000,0.2000",
        ])
    }

    @Test func byRoleOverTheWholeRange() throws {
        let dir = try Self.ingested()
        // "all" ends on the last day with activity (10-29): p2 (10-30) is not yet activated.
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "role"], in: dir)) == [
            "period,role,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "all,commune,1,1,0,1,1,1,1.0000,1.0000",
            "all,parent,1,4,1,5,2,1,0.5000,0.5000",
            "all,teacher,2,3,0,3,2,1,0.5000,0.5000",
            "all,unknown,1,1,0,1,0,0,,",
        ])
    }

    @Test func aParentOfTwoSchoolsCountsOnceInEachLevelAndOnceInTheCommune() throws {
        let dir = try Self.ingested()
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "level"], in: dir)) == [
            "period,level,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "all,,2,2,0,2,1,1,1.0000,1.0000",
            "all,elementaire,2,6,1,7,2,2,1.0000,1.0000",
            "all,maternelle,1,4,1,5,1,1,1.0000,1.0000",
            "all,primaire,1,1,0,1,2,0,0.0000,0.0000",
        ])
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "commune"], in: dir)) == [
            "period,commune,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "all,,1,1,0,1,0,0,,",
            "all,80021,3,7,1,8,3,3,1.0000,1.0000",
            "all,80620,1,1,0,1,2,0,0.0000,0.0000",
        ])
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "epci,school"], in: dir)) == [
            "period,epci,school,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "all,,,1,1,0,1,0,0,,",
            "all,CA Amiens Métropole,,1,1,0,1,1,1,1.0000,1.0000",
            "all,CA Amiens Métropole,0800001S,1,4,1,5,1,1,1.0000,1.0000",
            "all,CA Amiens Métropole,0800002T,2,6,1,7,2,2,1.0000,1.0000",
            "all,CC Haute Somme,0800003U,1,1,0,1,2,0,0.0000,0.0000",
        ])
    }

    @Test func visitsCountOncePerSourceAndPerFeatureTheyTouch() throws {
        let dir = try Self.ingested()
        // p1's first visit of the 28th touches access/blog and events/connexion.
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "source"], in: dir)) == [
            "period,source,active_users,connections,logins,requests",
            "all,access,1,3,0,3",
            "all,events,5,7,1,7",
        ])
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "feature"], in: dir)) == [
            "period,feature,active_users,connections,logins,requests",
            "all,blog,3,4,0,4",
            "all,cahier_liaison,1,1,0,1",
            "all,cantine,1,1,0,1",
            "all,connexion,1,1,1,1",
            "all,documents,1,1,0,1",
            "all,messagerie,1,2,0,2",
        ])
    }

    @Test func weeksMonthsAndTheToClip() throws {
        let dir = try Self.ingested()
        // W43 ends 11-04... no: 2018-10-28 is a Sunday, so W43 ends on the 28th and W44 on 11-04,
        // by which p2 is activated.
        #expect(E2E.lines(try E2E.export(["--period", "week"], in: dir)) == [
            "period,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "2018-W43,4,8,1,9,5,3,0.6000,0.4000",
            "2018-W44,1,1,0,1,5,4,0.8000,0.2000",
        ])
        #expect(E2E.lines(try E2E.export(["--period", "month"], in: dir)) == [
            "period,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "2018-10,5,9,1,10,5,4,0.8000,0.6000",
        ])
        #expect(E2E.lines(try E2E.export(["--period", "month", "--to", "2018-10-29"], in: dir)) == [
            "period,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "2018-10,5,9,1,10,5,3,0.6000,0.6000",
        ])
        #expect(E2E.lines(try E2E.export(["--period", "school-year", "--from", "2018-10-28", "--to", "2018-10-28"], in: dir)) == [
            "period,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "2018-2019,4,7,1,8,5,3,0.6000,0.4000",
        ])
    }

    @Test func peakConcurrentUsersOfTheDSTDay() throws {
        let dir = try Self.ingested()
        // On the 28th only u9 and u8 share a 5-minute window (10:00 UTC = 11:00 CET).
        try E2E.write("SELECT c.date, MAX(w.users) AS peak FROM day_window w JOIN calendar c ON c.day = w.day GROUP BY c.date ORDER BY c.date",
                      to: dir.appendingPathComponent("peak.sql"))
        let r = try E2E.run(["query", "--db", "s.sqlite", "peak.sql"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(E2E.lines(r.stdout) == ["date,peak", "2018-10-27,1", "2018-10-28,2", "2018-10-29,1"])
    }

    @Test func smallCellsAreSuppressedOnRequest() throws {
        let dir = try Self.ingested()
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "role", "--min-cell", "2"], in: dir)) == [
            "period,role,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
            "all,commune,< 2,1,0,1,< 2,< 2,< 2,< 2",
            "all,parent,< 2,4,1,5,2,< 2,< 2,< 2",
            "all,teacher,2,3,0,3,2,< 2,< 2,< 2",
            "all,unknown,< 2,1,0,1,0,0,,",
        ])
    }

    @Test func theStoreHoldsNoRawIdentifierOrAddress() throws {
        let dir = try Self.ingested()
        let bytes = try Data(contentsOf: dir.appendingPathComponent("s.sqlite"))
        let wal = (try? Data(contentsOf: dir.appendingPathComponent("s.sqlite-wal"))) ?? Data()
        // Byte by byte for identifiers of four bytes or more. A two-byte one ("u9") turns up
        // by chance among the store's random bytes (pseudonyms, WAL salts and checksums:
        // about one run in thirty), so it is looked for in every text value instead.
        for needle in ["L-p1", "\"p1\"", "192.0.2.10", "192.0.2.1"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) found in the store")
            #expect(wal.range(of: Data(needle.utf8)) == nil, "\(needle) found in the WAL")
        }
        let db = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
        let tables = try db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        var texts = 0
        while try tables.step() {
            let table = tables.text(0)
            let columns = try db.prepare("SELECT name FROM pragma_table_info(?1)")
            try columns.bind(.text(table))
            while try columns.step() {
                let column = columns.text(0)
                texts += Int(try db.scalarInt("SELECT COUNT(*) FROM \"\(table)\" WHERE typeof(\"\(column)\") = 'text'") ?? 0)
                for needle in ["u9", "p1", "L-p1"] {
                    let found = try db.scalarInt("""
                        SELECT COUNT(*) FROM "\(table)" WHERE typeof("\(column)") = 'text' AND instr("\(column)", ?1) > 0
                        """, .text(needle)) ?? 0
                    #expect(found == 0, "\(needle) found in \(table).\(column)")
                }
            }
        }
        #expect(texts > 100)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("s.secret").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}

@Suite("CSV number formatting")
struct RateFormattingTests {
    @Test func fourDecimalsRoundedHalfAwayFromZero() {
        #expect(ExportCSV.formatRate(2.0 / 3.0) == "0.6667")
        #expect(ExportCSV.formatRate(1.0 / 32) == "0.0313")  // 312.5 exactly: half away from zero
        #expect(ExportCSV.formatRate(1) == "1.0000")
        #expect(ExportCSV.formatRate(0) == "0.0000")
        #expect(ExportCSV.formatRate(-0.5) == "-0.5000")
        #expect(ExportCSV.formatRate(-1.0 / 32) == "-0.0313")
        #expect(ExportCSV.formatRate(-0.00001) == "0.0000")
        #expect(ExportCSV.formatRate(1234.56789) == "1234.5679")
    }
}
