import Foundation
import Testing
@testable import EntStat

/// Reference files are read record by record (a national `accounts.csv` holds about ten
/// million rows): the streamed records are those of the whole-file reader wherever the
/// chunks are cut, and the accounts streamed into the store (repeated ids found by their
/// pseudonyms in the store) are those of `AccountDirectory`, with the same warnings.
@Suite struct ReferenceStreamingTests {
    /// BOM, CRLF, quoted separators, line breaks and doubled quotes, blank lines, no final
    /// line break.
    static let tricky = "\u{FEFF}a;b;c\r\n1;\"x;y\";\"say \"\"hi\"\"\"\r\n\r\n2;\"multi\r\nline\";z\n3;;\"\"\"\"\n\n4;é;\"last\""

    static func whole(_ text: String) throws -> [SemicolonCSV.Row] {
        let csv = try SemicolonCSV(bytes: Array(text.utf8), file: "t.csv")
        return [SemicolonCSV.Row(line: 1, fields: csv.header)] + csv.rows
    }

    static func chunked(_ bytes: [UInt8], cuts: [Int]) -> [SemicolonCSV.Row] {
        var parser = SemicolonCSV.Parser()
        var rows: [SemicolonCSV.Row] = []
        var start = 0
        for cut in cuts + [bytes.count] {
            bytes[start..<cut].withUnsafeBytes { parser.feed($0, final: cut == bytes.count) { rows.append($0) } }
            start = cut
        }
        return rows
    }

    static func same(_ a: [SemicolonCSV.Row], _ b: [SemicolonCSV.Row]) -> Bool {
        a.map(\.line) == b.map(\.line) && a.map(\.fields) == b.map(\.fields)
    }

    @Test func recordsDoNotDependOnWhereChunksAreCut() throws {
        let reference = try Self.whole(Self.tricky)
        #expect(reference.count == 5)
        #expect(reference[1].fields == ["1", "x;y", "say \"hi\""])
        #expect(reference[2].fields == ["2", "multi\r\nline", "z"])
        #expect(reference[2].line == 4 && reference[3].line == 6 && reference[4].line == 8)
        let bytes = Array(Self.tricky.utf8)
        for cut in 0...bytes.count {
            #expect(Self.same(Self.chunked(bytes, cuts: [cut]), reference), "one cut at \(cut)")
        }
        #expect(Self.same(Self.chunked(bytes, cuts: Array(1..<bytes.count)), reference), "one byte at a time")
    }

    @Test func aStreamedGzipFileGivesTheRecordsOfTheWholeFile() throws {
        let dir = try E2E.scratch()
        let url = dir.appendingPathComponent("t.csv.gz")
        try E2E.writeGzip(Self.tricky, to: url)
        var rows: [SemicolonCSV.Row] = []
        try SemicolonCSV.stream(path: url.path, file: url.path, onHeader: { rows.append(SemicolonCSV.Row(line: 1, fields: $0)) },
                                onRow: { rows.append($0) })
        #expect(Self.same(rows, try Self.whole(Self.tricky)))
        #expect(throws: SemicolonCSV.Failure.self) {
            try E2E.write("a;b\n1;\"open\n", to: dir.appendingPathComponent("bad.csv"))
            try SemicolonCSV.stream(path: dir.appendingPathComponent("bad.csv").path, file: "bad.csv", onHeader: { _ in }, onRow: { _ in })
        }
    }

    /// A file saved in Windows-1252 (an accent as the one byte 0xE9) is refused, whole or
    /// streamed, at the line of its first such field, wherever the chunks are cut (0xE9 at
    /// the end of a chunk must not be taken for the start of a sequence the next completes).
    @Test func aFileThatIsNotUTF8IsRefusedAtItsLine() throws {
        let latin1 = Array("uai;nom\n0801;Ecole\n0802;".utf8) + [0xC9] + Array("cole\n0803;".utf8) + [0xE9, 0xA9] + Array("\n".utf8)
        do {
            _ = try SemicolonCSV(bytes: latin1, file: "ecoles.csv")
            Issue.record("a Windows-1252 file was read")
        } catch {
            #expect(error.description == "ecoles.csv: ligne 3 : texte qui n'est pas en UTF-8 (fichier enregistré en Windows-1252 ou Latin-1 ?) ; enregistrez-le en UTF-8 (dans un tableur : « CSV UTF-8 »)")
        }
        for cut in 1..<latin1.count {
            var parser = SemicolonCSV.Parser()
            latin1[..<cut].withUnsafeBytes { parser.feed($0, final: false) { _ in } }
            latin1[cut...].withUnsafeBytes { parser.feed($0, final: true) { _ in } }
            #expect(parser.failure(file: "ecoles.csv")?.line == 3, "cut at \(cut)")
        }
        // The same text in UTF-8 is read, its accent whole.
        let utf8 = try SemicolonCSV(bytes: Array("uai;nom\n0802;École\n".utf8), file: "ecoles.csv")
        #expect(utf8.rows.map(\.fields) == [["0802", "École"]])
    }

    /// Repeats the store finds only once every row is in: a repeated `user_id` whose row has
    /// warnings of its own (only the repeat is said), a `legacy_id` first seen on a skipped
    /// row (the next row keeps it), a repeated `legacy_id` on a row with other warnings (the
    /// repeat is said first), a third `user_id`, and a row over two lines.
    static let repeats = """
    user_id;legacy_id;role;schools;code_commune;activated_on
    u1;L1;parent;0801234G;;
    u2;L2;parent;0801234G;;
    u1;L3;Sorcier;0801234G;;2018-13-45
    u4;L3;Sorcier;0801234G;;
    u5;L2;Sorcier;0801234G;;bad
    u2;;parent;;;
    u8;L8;parent;"0801234G|
    0801999N";;2018-09-03
    u1;L1;parent;;;
    "u6";"L6;x";parent;0801234G;;
    u7;L1;parent;0801999N;;
    u8;L9;teacher;0801999N;;
    """

    @Test(arguments: [ReferenceFilesTests.accounts, Self.repeats])
    func accountsStreamedIntoTheStoreAreThoseOfTheDirectory(text: String) throws {
        let directory = try AccountDirectory(csv: try SemicolonCSV(bytes: Array(text.utf8), file: "accounts.csv"), file: "accounts.csv")
        let dir = try E2E.scratch()
        let file = dir.appendingPathComponent("accounts.csv")
        try E2E.write(text, to: file)
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(writingTo: path, secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        let load = try store.loadAccounts(file.path)
        #expect(load.rows == directory.accounts.count)
        #expect(load.warningCount == directory.warnings.count)
        // The same warnings, in file order (the whole-file reader lists short rows first).
        let key = { (w: ReferenceWarning) in "\(w.line) \(w.message)" }
        #expect(load.warnings.map(key) == directory.warnings.map(key).sorted { Int($0.prefix { $0 != " " })! < Int($1.prefix { $0 != " " })! })
        let p = try #require(store.pseudonymizer)
        let rows = try store.db.prepare("SELECT id, user_pseudonym, legacy_pseudonym, role, code_commune, activated_day FROM account ORDER BY id")
        // An account's id is the line its row starts on (the first row of its user_id).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for a in directory.accounts {
            #expect(try rows.step())
            let line = try #require(lines.firstIndex { $0.hasPrefix(a.userID + ";") || $0.hasPrefix("\"\(a.userID)\";") }) + 1
            #expect(rows.int(0) == line, "\(a.userID)")
            #expect([UInt8](rows.blob(1)) == p.pseudonym(source: .events, rawID: a.userID), "\(a.userID)")
            #expect(rows.isNull(2) == a.legacyID.isEmpty, "\(a.userID)")
            if !a.legacyID.isEmpty { #expect([UInt8](rows.blob(2)) == p.pseudonym(source: .access, rawID: a.legacyID)) }
            #expect(rows.text(3) == a.role && rows.text(4) == a.codeCommune)
            #expect(rows.isNull(5) ? a.activatedOn == nil : rows.int(5) == a.activatedOn?.dayNumber)
        }
        #expect(try !rows.step())
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM account_school") == Int64(directory.accounts.filter { $0.role != "commune" }.map(\.schools.count).reduce(0, +)))
    }

    /// `repeats` worked out by hand: the rows kept, the links with the old ENT, and the
    /// warnings in file order.
    @Test func repeatedIdsAreFoundByHand() throws {
        let dir = try E2E.scratch()
        let file = dir.appendingPathComponent("accounts.csv")
        try E2E.write(Self.repeats, to: file)
        let store = try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                              secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        let load = try store.loadAccounts(file.path)
        #expect(load.rows == 7)
        let (user, legacy) = (AccountDirectory.repeatedUserMessage, AccountDirectory.repeatedLegacyMessage)
        #expect(load.warnings.map { "\($0.line) \($0.message.prefix(12))" } == [
            "4 \(user.prefix(12))", "5 rôle « Sorci", "6 \(legacy.prefix(12))", "6 rôle « Sorci", "6 activated_on",
            "7 \(user.prefix(12))", "10 \(user.prefix(12))", "12 \(legacy.prefix(12))", "13 \(user.prefix(12))",
        ])
        #expect(load.warningCount == 9)
        let p = try #require(store.pseudonymizer)
        var links: [Int: [UInt8]?] = [:]
        let rows = try store.db.prepare("SELECT id, legacy_pseudonym FROM account")
        while try rows.step() { links[rows.int(0)] = rows.isNull(1) ? nil : [UInt8](rows.blob(1)) }
        let expected: [Int: String?] = [2: "L1", 3: "L2", 5: "L3", 6: nil, 8: "L8", 11: "L6;x", 12: nil]
        #expect(links.keys.sorted() == expected.keys.sorted())
        for (id, raw) in expected {
            #expect(links[id] == raw.map { p.pseudonym(source: .access, rawID: $0) }, "line \(id)")
        }
        // The row over two lines keeps both its schools; the skipped rows have none.
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM account_school WHERE account = 8") == 2)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM account_school WHERE account IN (4, 7, 10, 13)") == 0)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('account_user', 'account_legacy')") == 2)
    }

    /// Where each account belongs (`account_place`), worked out by hand: a commune's agent
    /// in its commune (EPCI from epci.csv over schools.csv), a teacher in each of her two
    /// schools, a parent with no school and one whose school is missing from the directory
    /// (counted, with no level, commune or EPCI), a school whose commune only schools.csv
    /// places in an EPCI. Loading the schools again rebuilds the same places.
    @Test func accountPlacesAreWorkedOutByHand() throws {
        let dir = try E2E.scratch()
        let (schools, epci, accounts) = (dir.appendingPathComponent("schools.csv"), dir.appendingPathComponent("epci.csv"),
                                         dir.appendingPathComponent("accounts.csv"))
        try E2E.write("""
            uai;nom;niveau;code_commune;commune;epci
            0809573W;École A;maternelle;80021;Amiens;CA Amiens
            0801622D;École B;elementaire;80001;Abbeville;CA Baie

            """, to: schools)
        try E2E.write("code_commune;epci\n80021;CA Amiens Métropole\n", to: epci)
        try E2E.write("""
            user_id;legacy_id;role;schools;code_commune;activated_on
            t1;;teacher;0809573W|0801622D;;2018-09-03
            p1;;parent;;;
            c1;;commune;0809573W;80021;2018-09-04
            p2;;parent;0899999Z;;2018-09-05

            """, to: accounts)
        let store = try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                              secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        _ = try store.loadReferences(Store.ReferenceFiles(schools: schools.path, epci: epci.path, accounts: accounts.path))
        let day = { (iso: String) in CivilDate(iso: iso)!.dayNumber }
        let expected = [
            "2 teacher 0801622D elementaire 80001 CA Baie \(day("2018-09-03"))",
            "2 teacher 0809573W maternelle 80021 CA Amiens Métropole \(day("2018-09-03"))",
            "3 parent     -",
            "4 commune   80021 CA Amiens Métropole \(day("2018-09-04"))",
            "5 parent 0899999Z    \(day("2018-09-05"))",
        ]
        func places() throws -> [String] {
            var rows: [String] = []
            let s = try store.db.prepare("""
                SELECT account, role, uai, level, code_commune, epci, COALESCE(activated_day, '-') FROM account_place
                ORDER BY account, uai
                """)
            while try s.step() { rows.append((0..<7).map { s.text($0) }.joined(separator: " ")) }
            return rows
        }
        #expect(try places() == expected)
        try E2E.write((try String(contentsOf: schools, encoding: .utf8)) + "0801234G;École C;primaire;80002;Ailly;CC\n", to: schools)
        _ = try store.loadSchools(schools.path)
        #expect(try places() == expected)
    }

    /// An account attached to a school the schools file lacks gets its warning among the
    /// other warnings of the file, in line order (after those of its own row), and in the
    /// count the store records for the load. A commune agent's schools are not checked:
    /// its places come from its commune.
    @Test func unknownSchoolWarningsTakeTheirPlaceAmongTheFilesWarnings() throws {
        let dir = try E2E.scratch()
        let (schools, accounts) = (dir.appendingPathComponent("schools.csv"), dir.appendingPathComponent("accounts.csv"))
        try E2E.write("uai;nom;niveau;code_commune;commune;epci\n0809573W;École A;maternelle;80021;Amiens;CA Amiens\n", to: schools)
        try E2E.write("""
            user_id;legacy_id;role;schools;code_commune;activated_on
            u1;;Sorcier;0809573W;;
            u2;;parent;0899999Z;;
            u3;;Sorcier;0899998Y|0809573W;;
            c1;;commune;0899997X;80021;
            u2;;parent;0899996W;;

            """, to: accounts)
        let store = try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                              secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        let loads = try store.loadReferences(Store.ReferenceFiles(schools: schools.path, accounts: accounts.path))
        let load = try #require(loads.last)
        let unknown = { (uai: String) in Store.unknownSchoolsMessage([uai], schoolsFile: schools.path) }
        let sorcier = "rôle « Sorcier » inconnu ; compté comme rôle inconnu (hors annuaire)"
        #expect(load.warnings.map { "\($0.line) \($0.message)" } == [
            "2 \(sorcier)", "3 \(unknown("0899999Z"))", "4 \(sorcier)", "4 \(unknown("0899998Y"))", "6 \(AccountDirectory.repeatedUserMessage)",
        ])
        #expect(load.warnings.allSatisfy { $0.file == accounts.path })
        #expect(load.warningCount == 5)
        #expect(try store.db.scalarInt("SELECT warnings FROM reference_load WHERE kind = 'accounts'") == 5)
        #expect(Store.unknownSchoolsMessage(["0899998Y", "0899999Z"], schoolsFile: "s.csv")
                == "UAI 0899998Y, 0899999Z absentes du fichier des écoles chargé (s.csv) ; compte chargé quand même, rattaché à ces écoles sans niveau, commune ni EPCI : chargez le fichier des écoles qui les contient, ou corrigez le compte")
        // The secret's rotation reloads the accounts: checked the same way.
        let rotated = try store.rotateSecret(accountsPath: accounts.path)
        #expect(rotated.load.warnings.map(\.line) == [2, 3, 4, 4, 6])
    }

    @Test func onlyTheFirstWarningsAreKeptButAllAreCounted() throws {
        let dir = try E2E.scratch()
        let file = dir.appendingPathComponent("accounts.csv")
        var text = "user_id;legacy_id;role;schools;code_commune;activated_on\n"
        for i in 0..<250 { text += "u\(i);;Sorcier;0801234G;;\n" }
        try E2E.write(text, to: file)
        let store = try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                              secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        let load = try store.loadAccounts(file.path)
        #expect(load.rows == 250)
        #expect(load.warningCount == 250)
        #expect(load.warnings.count == Store.ReferenceLoad.keptWarnings)
        #expect(load.warnings.first?.line == 2)
    }
}
