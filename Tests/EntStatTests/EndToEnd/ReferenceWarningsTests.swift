import Foundation
import EntStat
import Testing

/// Reference files that load, but not as their author meant: an account attached to a
/// school the schools file lacks, a commune code that is no INSEE code. Each row is warned
/// about in one line naming the file, the line and what to do; the figures are those SPEC
/// §2.1 gives (the account counts under that UAI, with no level, commune or EPCI).
@Suite struct ReferenceWarningsTests {
    static let schools = """
        uai;nom;niveau;code_commune;commune;epci
        0809573W;École A;maternelle;80021;Amiens;CA Amiens
        0801622D;École B;elementaire;80001;Abbeville;CA Baie

        """
    /// A teacher of a known school; a parent of an unknown one (line 3), active; a parent of
    /// two unknown schools and a known one (line 4); a commune agent listing an unknown
    /// school, which its places ignore (no warning).
    static let accounts = """
        user_id;legacy_id;role;schools;code_commune;activated_on
        t1;;teacher;0809573W;;2018-09-03
        p1;;parent;0809999Z;;2018-09-05
        p2;;parent;0809998Y|0801622D|0809997X;;
        c1;;commune;0809996W;80021;2018-09-04

        """
    static let unknownLines = [
        "entstat: attention : accounts.csv: ligne 3 : UAI 0809999Z absente du fichier des écoles chargé (schools.csv) ; "
            + "compte chargé quand même, rattaché à cette école sans niveau, commune ni EPCI : chargez le fichier des écoles qui la contient, ou corrigez le compte",
        "entstat: attention : accounts.csv: ligne 4 : UAI 0809997X, 0809998Y absentes du fichier des écoles chargé (schools.csv) ; "
            + "compte chargé quand même, rattaché à ces écoles sans niveau, commune ni EPCI : chargez le fichier des écoles qui les contient, ou corrigez le compte",
    ]
    /// The figures by school, worked out by hand: p1 (1 account, activated, 3 requests on
    /// 1 November) under 0809999Z; p2 under each of its three schools; the commune agent
    /// under no school.
    static let bySchool = [
        "period,school,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
        "2018-11,,0,0,0,0,1,1,1.0000,0.0000",
        "2018-11,0801622D,0,0,0,0,1,0,0.0000,0.0000",
        "2018-11,0809573W,0,0,0,0,1,1,1.0000,0.0000",
        "2018-11,0809997X,0,0,0,0,1,0,0.0000,0.0000",
        "2018-11,0809998Y,0,0,0,0,1,0,0.0000,0.0000",
        "2018-11,0809999Z,1,1,0,3,1,1,1.0000,1.0000",
    ]

    static func write(_ dir: URL) throws {
        try E2E.write(schools, to: dir.appendingPathComponent("schools.csv"))
        try E2E.write(accounts, to: dir.appendingPathComponent("accounts.csv"))
        try E2E.write(FailureSafetyTests.eventLines(user: "p1", count: 3).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("p1.jsonl"))
    }

    static func warnings(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init)
    }

    /// Loaded together: the accounts' load warns, and counts the two rows in its warnings.
    @Test func accountsOfSchoolsTheSchoolsFileLacksAreWarnedAboutAndStillCounted() throws {
        let dir = try E2E.scratch()
        try Self.write(dir)
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv", "p1.jsonl"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.warnings(r.stderr) == Self.unknownLines, "\(r.stderr)")
        #expect(r.stdout.contains("référentiel  schools.csv : 2 lignes chargées, 0 avertissement\n"), "\(r.stdout)")
        #expect(r.stdout.contains("référentiel  accounts.csv : 4 lignes chargées, 2 avertissements\n"), "\(r.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "month", "--by", "school"], in: dir)) == Self.bySchool)
        // The same files again: not read again, nothing said again.
        let again = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv"], in: dir)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
    }

    /// Accounts loaded before any schools file: nothing to check them against yet. The
    /// schools loaded later check them: the warnings name the accounts file and its lines,
    /// and count in the schools' load, which brought them. The figures are the same.
    @Test func accountsLoadedBeforeTheSchoolsAreCheckedWhenTheSchoolsCome() throws {
        let dir = try E2E.scratch()
        try Self.write(dir)
        let accounts = try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "accounts.csv"], in: dir)
        #expect(accounts.status == 0 && accounts.stderr.isEmpty, "\(accounts.stderr)")
        #expect(accounts.stdout.contains("référentiel  accounts.csv : 4 lignes chargées, 0 avertissement\n"), "\(accounts.stdout)")
        let schools = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "p1.jsonl"], in: dir)
        #expect(schools.status == 0, "\(schools.stderr)")
        #expect(Self.warnings(schools.stderr) == Self.unknownLines, "\(schools.stderr)")
        #expect(schools.stdout.contains("référentiel  schools.csv : 2 lignes chargées, 2 avertissements\n"), "\(schools.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "month", "--by", "school"], in: dir)) == Self.bySchool)
        // A schools file that holds them all: no warning.
        try E2E.write(Self.schools + "0809999J;École C;primaire;80002;Ailly;CC\n0809998H;D;primaire;80002;Ailly;CC\n0809997G;E;primaire;80002;Ailly;CC\n",
                      to: dir.appendingPathComponent("schools.csv"))
        try E2E.write(Self.accounts.replacingOccurrences(of: "0809999Z", with: "0809999J").replacingOccurrences(of: "0809998Y", with: "0809998H")
                        .replacingOccurrences(of: "0809997X", with: "0809997G"), to: dir.appendingPathComponent("accounts.csv"))
        let fixed = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv"], in: dir)
        #expect(fixed.status == 0 && fixed.stderr.isEmpty, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("référentiel  accounts.csv : 4 lignes chargées, 0 avertissement\n"), "\(fixed.stdout)")
    }

    /// A national directory against the wrong schools file would warn millions of times:
    /// the first 20 lines are printed, then how many more, and all are counted.
    @Test func manyAccountsOfUnknownSchoolsAreCappedInPrintButCounted() throws {
        let dir = try E2E.scratch()
        try E2E.write(Self.schools, to: dir.appendingPathComponent("schools.csv"))
        var text = "user_id;legacy_id;role;schools;code_commune;activated_on\n"
        for i in 0..<25 { text += "u\(i);;parent;0809999Z;;\n" }
        try E2E.write(text, to: dir.appendingPathComponent("accounts.csv"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = Self.warnings(r.stderr)
        #expect(lines.count == 21, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("entstat: attention : accounts.csv: ligne 2 : UAI 0809999Z absente") == true, "\(r.stderr)")
        #expect(lines.dropLast().last?.hasPrefix("entstat: attention : accounts.csv: ligne 21 : UAI 0809999Z absente") == true, "\(r.stderr)")
        #expect(lines.last == "entstat: attention : accounts.csv : 5 autres avertissements", "\(r.stderr)")
        #expect(r.stdout.contains("référentiel  accounts.csv : 25 lignes chargées, 25 avertissements\n"), "\(r.stdout)")
    }

    /// A commune code of 4 digits (a spreadsheet dropped its zero) is warned about, and the
    /// school loaded with it as it is: its figures stay under that code.
    @Test func aCommuneCodeThatIsNoINSEECodeIsWarnedAbout() throws {
        let dir = try E2E.scratch()
        try E2E.write("uai;nom;niveau;code_commune;commune;epci\n0809573W;École A;maternelle;80021;Amiens;CA\n0800001S;École B;primaire;1053;Bourg;CA B\n",
                      to: dir.appendingPathComponent("schools.csv"))
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on\np1;;parent;0800001S;;2018-09-05\n", to: dir.appendingPathComponent("accounts.csv"))
        try E2E.write(FailureSafetyTests.eventLines(user: "p1", count: 3).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("p1.jsonl"))
        let r = try E2E.run(["ingest", "--db", "s.sqlite", "--schools", "schools.csv", "--accounts", "accounts.csv", "p1.jsonl"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "entstat: attention : schools.csv: ligne 3 : code commune « 1053 » invalide (code INSEE de 5 caractères attendu, comme 80021 ou 2A004) ; "
                + "ligne chargée quand même : corrigez le code (01053 si un tableur a retiré le zéro initial)\n", "\(r.stderr)")
        #expect(r.stdout.contains("référentiel  schools.csv : 2 lignes chargées, 1 avertissement\n"), "\(r.stdout)")
        #expect(E2E.lines(try E2E.export(["--period", "all", "--by", "commune"], in: dir))
                == ["period,commune,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate",
                    "all,1053,1,1,0,3,1,1,1.0000,1.0000"])
    }
}
