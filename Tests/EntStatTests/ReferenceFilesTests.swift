import Testing
@testable import EntStat

/// SPEC §1.1 (schools, both formats), §1.2 (accounts) and §2.1 (role synonyms).
@Suite struct ReferenceFilesTests {
    private func csv(_ text: String, file: String = "test.csv") throws(SemicolonCSV.Failure) -> SemicolonCSV {
        try SemicolonCSV(bytes: Array(text.utf8), file: file)
    }

    // MARK: - SemicolonCSV

    @Test func quotedFieldsDoubledQuotesAndNewlines() throws {
        let c = try csv("a;b;c\n\"x;y\";\"say \"\"hi\"\"\";plain\n\"two\nlines\";;\"\"\nlast;row;here")
        #expect(c.header == ["a", "b", "c"])
        #expect(c.rows.map(\.fields) == [["x;y", "say \"hi\"", "plain"], ["two\nlines", "", ""], ["last", "row", "here"]])
        #expect(c.rows.map(\.line) == [2, 3, 5], "a row starts on the line after the embedded newline")
    }

    @Test func bomCrlfAndBlankLines() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("uai;nom\r\n\r\n0801234G;École « A »\r\n\n0800001S;B\r\n".utf8)
        let c = try SemicolonCSV(bytes: bytes, file: "s.csv")
        #expect(c.header == ["uai", "nom"])
        #expect(c.column("uai") == 0, "the BOM is not part of the first column name")
        #expect(c.rows.map(\.fields) == [["0801234G", "École « A »"], ["0800001S", "B"]])
        #expect(c.rows.map(\.line) == [3, 5])
    }

    @Test func crlfInsideQuotesIsKept() throws {
        let c = try csv("a;b\r\n\"x\r\ny\";z\r\n")
        #expect(c.rows.map(\.fields) == [["x\r\ny", "z"]])
    }

    /// A file with bare-CR line ends (old Mac format) reads as one long row: refused,
    /// saying so, rather than with a column missing from its header.
    @Test func bareCRLineEndsAreNamed() throws {
        let accounts = "user_id;legacy_id;role;schools;code_commune;activated_on\ru1;l1;Teacher;0801234G;80021;2018-09-03\r"
        for text in [accounts, "uai;nom\r0801234G;A\r0800001S;B", "a;\"b\"\rx;y\r\n1;2\n"] {
            do throws(SemicolonCSV.Failure) {
                _ = try csv(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description == "test.csv: ligne 1 : fins de ligne CR seules (ancien format Mac) : convertissez en LF ou CRLF")
            }
            // Streamed (the accounts and schools loaders), in chunks of any size.
            let path = try TestSupport.writeTemporaryFile(Array(text.utf8))
            defer { TestSupport.removeTemporaryFile(path) }
            #expect(throws: SemicolonCSV.Failure.self) {
                try SemicolonCSV.stream(path: path, file: "a.csv", onHeader: { header in Issue.record("header \(header) handed out") }, onRow: { _ in })
            }
        }
        // A CR inside quotes is text, and CRLF line ends are fine.
        #expect(try csv("a;\"b\rc\"\r\n1;2\r\n").header == ["a", "b\rc"])
        #expect(try csv("a;b\r\n1;2\r\n").rows.map(\.fields) == [["1", "2"]])
    }

    @Test func columnLookupIsCaseInsensitiveAndTrimmed() throws {
        let c = try csv(" UAI ;Nom\n1;2\n")
        #expect(c.column("uai") == 0)
        #expect(c.column("nom") == 1)
        #expect(c.column("epci") == nil)
    }

    @Test func unterminatedQuoteAndEmptyFileFail() {
        #expect(throws: SemicolonCSV.Failure.self) { try csv("a;b\n\"open;x\n") }
        #expect(throws: SemicolonCSV.Failure.self) { try csv("") }
        #expect(throws: SemicolonCSV.Failure.self) { try csv("\n\n") }
        do throws(SemicolonCSV.Failure) {
            _ = try csv("a;b\nok;1\n\"open\n")
            Issue.record("unterminated quote accepted")
        } catch {
            #expect(error.line == 3)
        }
    }

    // MARK: - UAI

    @Test func uaiCheckLetter() {
        // "ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23], computed by hand: 801234 = 23·34836 + 6 → G.
        #expect(UAI.isValid("0801234G"))
        #expect(!UAI.isValid("0801234X"), "the SPEC's example letter is not the right one")
        #expect(UAI.isValid("0800001S"))   // 800001 % 23 = 16 → S
        #expect(UAI.isValid("0801999N"))   // 801999 % 23 = 11 → N
        #expect(UAI.isValid("0000000A"))
        #expect(UAI.isValid("9999999P"))
        #expect(!UAI.isValid("0801234g"), "upper case letter")
        #expect(!UAI.isValid("080123G"))
        #expect(!UAI.isValid("08012345G"))
        #expect(!UAI.isValid("08O1234G"))
        #expect(UAI.checkLetter(digits: "0801234") == "G")
        #expect(UAI.checkLetter(digits: "080123") == nil)
    }

    @Test func uaiWithSignOrSpacesIsInvalidNotACrash() {
        for odd in ["-123456A", "+801234G", "-000001A", " 801234G", "0801 34G"] {
            #expect(!UAI.isValid(odd), "\(odd)")
        }
        #expect(UAI.checkLetter(digits: "-123456") == nil)
        #expect(UAI.checkLetter(digits: "+801234") == nil)
    }

    // MARK: - Schools, own format

    static let ownSchools = """
    uai;nom;niveau;code_commune;commune;epci
    0801234G;"École Jules-Verne; annexe";Élémentaire;80021;Amiens;CA Amiens Métropole
    0800001X;"Les ""Petits"" <Loups> & Cie";MATERNELLE;80021;Amiens;CA Amiens Métropole
    0801999N;Groupe scolaire;primaire;80001;Abbeville;CA Baie de Somme
    0802000P;Sans niveau;;80002;Acheux;CC Somme Sud-Ouest
    0802001Q;Niveau inconnu;college;80002;Acheux;CC Somme Sud-Ouest
    0801234G;Doublon;maternelle;80021;Amiens;CA Amiens Métropole
    """

    @Test func ownSchoolsFormat() throws {
        let dir = try SchoolDirectory(csv: try csv(Self.ownSchools), file: "schools.csv")
        #expect(dir.format == .entstat)
        #expect(dir.schools.map(\.uai) == ["0801234G", "0800001X", "0801999N", "0802000P", "0802001Q"])
        #expect(dir.schools.map(\.level) == ["elementaire", "maternelle", "primaire", "", ""])
        #expect(dir.schools[0].name == "École Jules-Verne; annexe")
        #expect(dir.schools[1].name == "Les \"Petits\" <Loups> & Cie")
        #expect(dir.schools.map(\.uaiValid) == [true, false, true, true, false])
        #expect(dir.communes["80021"] == SchoolDirectory.Commune(code: "80021", name: "Amiens", epci: "CA Amiens Métropole"))
        #expect(dir.communes["80001"]?.epci == "CA Baie de Somme")
        #expect(dir.communes.count == 3)
        // Warnings: wrong letter (line 3), no level (5), bad level + bad letter (6), duplicate (7).
        let lines = dir.warnings.map(\.line)
        #expect(lines.contains(3))
        #expect(lines.contains(5))
        #expect(lines.filter { $0 == 6 }.count == 2)
        #expect(lines.contains(7))
        #expect(!lines.contains(2))
        #expect(!lines.contains(4))
        #expect(dir.warnings.first { $0.line == 3 }?.message.contains("S") == true, "names the expected letter")
    }

    /// SPEC §1.1: a commune code is INSEE's, 5 characters (`80021`, Corsica's `2A004`,
    /// overseas `97411`). Another is warned about, naming the line, and the row loaded
    /// with it as it is (as a wrong UAI letter is).
    @Test func aCommuneCodeThatIsNoINSEECodeIsWarnedAbout() throws {
        #expect(["80021", "01053", "2A004", "2B033", "97411"].allSatisfy(CommuneCode.isValid))
        #expect(!["1053", "800210", "8002X", "2C004", "2a004", "8 021", "", "80021 "].contains(where: CommuneCode.isValid))
        let text = """
            uai;nom;niveau;code_commune;commune;epci
            0801234G;A;primaire;80021;Amiens;CA
            0800001S;B;primaire;2A004;Ajaccio;CA Pays Ajaccien
            0801999N;C;primaire;1053;Bourg;CA B
            0802000P;D;primaire;800210;Amiens;CA
            0802002S;E;primaire;8002X;Acheux;CC

            """
        let dir = try SchoolDirectory(csv: try csv(text), file: "schools.csv")
        #expect(dir.schools.map(\.codeCommune) == ["80021", "2A004", "1053", "800210", "8002X"])
        #expect(dir.warnings.map(\.description) == [
            "schools.csv: ligne 4 : code commune « 1053 » invalide (code INSEE de 5 caractères attendu, comme 80021 ou 2A004) ; ligne chargée quand même : corrigez le code (01053 si un tableur a retiré le zéro initial)",
            "schools.csv: ligne 5 : code commune « 800210 » invalide (code INSEE de 5 caractères attendu, comme 80021 ou 2A004) ; ligne chargée quand même : corrigez le code",
            "schools.csv: ligne 6 : code commune « 8002X » invalide (code INSEE de 5 caractères attendu, comme 80021 ou 2A004) ; ligne chargée quand même : corrigez le code",
        ])
        // The Annuaire's export is checked the same way.
        let annuaire = try SchoolDirectory(csv: try csv(Self.annuaire.replacingOccurrences(of: "80000;80021;Amiens;1;0", with: "80000;8021;Amiens;1;0")), file: "annuaire.csv")
        #expect(annuaire.warnings.filter { $0.message.hasPrefix("code commune") }.map(\.description) == [
            "annuaire.csv: ligne 3 : code commune « 8021 » invalide (code INSEE de 5 caractères attendu, comme 80021 ou 2A004) ; ligne chargée quand même : corrigez le code (08021 si un tableur a retiré le zéro initial)",
        ])
    }

    @Test func schoolsWithASignedUAIDoNotCrash() throws {
        let text = "uai;nom;niveau;code_commune;commune;epci\n-123456A;X;maternelle;80021;Amiens;E\n"
        let dir = try SchoolDirectory(csv: try csv(text), file: "schools.csv")
        #expect(dir.schools.count == 1)
        #expect(dir.schools.first?.uaiValid == false)
        #expect(dir.warnings.count == 1)
    }

    /// A header that is not the expected one is refused naming the file and its line 1.
    @Test func unknownHeaderIsAnError() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "accepted"
        }
        let unknown = try csv("a;b\n1;2\n"), missing = try csv("uai;nom\n0801234G;x\n")
        #expect(message { _ = try SchoolDirectory(csv: unknown, file: "x.csv") }.hasPrefix("x.csv: ligne 1 : en-tête non reconnu : ni schools.csv"))
        // A missing column: every file says which, and the columns its first line must name.
        #expect(message { _ = try SchoolDirectory(csv: missing, file: "x.csv") }
                == "x.csv: ligne 1 : colonne « niveau » absente de l'en-tête ; corrigez la première ligne, qui doit nommer les colonnes uai;nom;niveau;code_commune;commune;epci")
        #expect(message { _ = try SchoolDirectory(csv: try csv("uai;nom;niveau;code_commune;commune\n0801234G;x;primaire;80021;Amiens\n"), file: "schools.csv") }
                == "schools.csv: ligne 1 : colonne « epci » absente de l'en-tête ; corrigez la première ligne, qui doit nommer les colonnes uai;nom;niveau;code_commune;commune;epci")
        #expect(message { _ = try SchoolDirectory(csv: try csv("Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement\n0801234G;x;Ecole\n"), file: "annuaire.csv") }
                == "annuaire.csv: ligne 1 : colonne « Code_commune » absente de l'en-tête ; l'export de l'Annuaire de l'éducation doit garder, parmi les autres, les colonnes "
                   + "Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Code_commune;Nom_commune;Ecole_maternelle;Ecole_elementaire : téléchargez-le de nouveau sans le modifier")
        #expect(message { _ = try EpciMap(csv: unknown, file: "epci.csv") }
                == "epci.csv: ligne 1 : colonne « code_commune » absente de l'en-tête ; corrigez la première ligne, qui doit nommer les colonnes code_commune;epci")
        #expect(message { _ = try EpciMap(csv: try csv("code_commune;EPCI_nom\n80021;x\n"), file: "epci.csv") }
                == "epci.csv: ligne 1 : colonne « epci » absente de l'en-tête ; corrigez la première ligne, qui doit nommer les colonnes code_commune;epci")
        #expect(message { _ = try AccountDirectory.Columns(header: ["user_id", "role"], file: "accounts.csv") }
                == "accounts.csv: ligne 1 : colonne « legacy_id » absente de l'en-tête ; corrigez la première ligne, qui doit nommer les colonnes user_id;legacy_id;role;schools;code_commune;activated_on")
    }

    // MARK: - Schools, Annuaire de l'éducation export

    static let annuaire = """
    Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Statut_public_prive;Adresse_1;Code_postal;Code_commune;Nom_commune;Ecole_maternelle;Ecole_elementaire;Voie_generale;Code_departement
    0801234G;Ecole primaire Jules Verne;Ecole;Public;1 rue A;80000;80021;Amiens;1;1;;080
    0800001S;Ecole maternelle Les Tilleuls;Ecole;Public;"2 rue B; bis";80000;80021;Amiens;1;0;;080
    0801999N;Ecole élémentaire Pasteur;Ecole;Privé;3 rue C;80100;80001;Abbeville;0;1;;080
    0802000P;Collège Jean Moulin;Collège;Public;4 rue D;80100;80001;Abbeville;;;;080
    0802001A;Lycée Louis Thuillier;Lycée;Public;5 rue E;80000;80021;Amiens;;;1;080
    0802002B;Ecole sans classe;Ecole;Public;6 rue F;80200;80002;Acheux;0;0;;080
    0802003C;École accentuée;École;Public;7 rue G;80200;80002;Acheux;1;1;;080
    """

    @Test func annuaireExport() throws {
        let dir = try SchoolDirectory(csv: try csv(Self.annuaire), file: "annuaire.csv")
        #expect(dir.format == .annuaire)
        #expect(dir.schools.map(\.uai) == ["0801234G", "0800001S", "0801999N", "0802002B", "0802003C"], "only Type_etablissement = Ecole")
        #expect(dir.schools.map(\.level) == ["primaire", "maternelle", "elementaire", "", "primaire"])
        #expect(dir.schools.map(\.codeCommune) == ["80021", "80021", "80001", "80002", "80002"])
        #expect(dir.schools[0].name == "Ecole primaire Jules Verne")
        #expect(dir.communes["80021"] == SchoolDirectory.Commune(code: "80021", name: "Amiens", epci: ""))
        #expect(dir.communes["80001"]?.name == "Abbeville")
        #expect(dir.communes["80100"] == nil, "postal codes are not communes")
        #expect(dir.communes.count == 3)
    }

    @Test func epciMap() throws {
        let map = try EpciMap(csv: try csv("code_commune;epci\n80021;CA Amiens Métropole\n80001;CA Baie de Somme\n80021;Autre\n"), file: "epci.csv")
        #expect(map.epciByCommune == ["80021": "CA Amiens Métropole", "80001": "CA Baie de Somme"])
        #expect(map.warnings.map(\.line) == [4])
        #expect(throws: ReferenceError.self) { try EpciMap(csv: try csv("commune;epci\n1;2\n"), file: "epci.csv") }
    }

    // MARK: - Roles, folding

    @Test(arguments: [
        ("parent", "parent"), ("Relative", "parent"), ("PARENT", "parent"), ("relative", "parent"),
        ("teacher", "teacher"), ("Teacher", "teacher"), ("Enseignant", "teacher"), ("ENSEIGNANT", "teacher"),
        ("student", "student"), ("Student", "student"), ("Eleve", "student"), ("Élève", "student"), ("ÉLÈVE", "student"),
        ("E\u{301}le\u{300}ve", "student"), ("élève", "student"),
        ("staff", "staff"), ("Personnel", "staff"), ("PERS_ETAB", "staff"), ("pers_etab", "staff"),
        ("commune", "commune"), ("Collectivite", "commune"), ("Collectivité", "commune"), ("COLLECTIVITÉ", "commune"),
        ("PERS_COLL", "commune"), ("Commune", "commune"), (" Teacher ", "teacher"),
    ])
    func roleSynonyms(name: String, role: String) {
        #expect(RoleName.normalize(name) == role)
    }

    /// `RoleName.normalize` looks a name up before folding it, which is right only when
    /// every key is its own folding.
    @Test func everySynonymKeyIsFolded() {
        #expect(RoleName.synonyms.count == 12)
        for key in RoleName.synonyms.keys {
            #expect(TextFolding.fold(key) == key, "\(key)")
        }
    }

    @Test func unknownRoles() {
        for name in ["", "Guest", "admin", "parents", "PERS", "SuperAdmin"] {
            #expect(RoleName.normalize(name) == nil, "\(name)")
        }
    }

    @Test func textFolding() {
        #expect(TextFolding.fold("Élève ") == "eleve")
        #expect(TextFolding.fold("  ÉLÉMENTAIRE") == "elementaire")
        #expect(TextFolding.fold("Garçon à l'École") == "garcon a l'ecole")
        #expect(TextFolding.fold("Maïs Noël Où Hôpital") == "mais noel ou hopital")
        #expect(TextFolding.fold("E\u{301}cole") == "ecole")
        #expect(SchoolLevel(text: "Élémentaire") == .elementaire)
        #expect(SchoolLevel(text: "MATERNELLE") == .maternelle)
        #expect(SchoolLevel(text: " Primaire ") == .primaire)
        #expect(SchoolLevel(text: "college") == nil)
    }

    // MARK: - Accounts

    static let accounts = """
    user_id;legacy_id;role;schools;code_commune;activated_on
    u1;L1;Relative;0801234G|0800001S;99999;2018-09-03
    u2;;Élève;0801234G;;
    u3;L3;PERS_COLL;;80021;2018-10-01
    u4;;Collectivité;;;2018-02-30
    u5;L5;Enseignant; 0801234G | 0801234G |0801999N ;;2018/09/03
    u6;L1;teacher;0801999N;;2019-01-15
    u1;L7;parent;0801234G;;
    ;L8;parent;0801234G;;
    u9;;Sorcier;0801234G;;
    u10;;parent;0801234G
    u11;;staff;;;2018-9-1
    """

    @Test func accountsFile() throws {
        let dir = try AccountDirectory(csv: try csv(Self.accounts), file: "accounts.csv")
        #expect(dir.accounts.map(\.userID) == ["u1", "u2", "u3", "u4", "u5", "u6", "u9", "u11"])
        let byID = Dictionary(uniqueKeysWithValues: dir.accounts.map { ($0.userID, $0) })
        #expect(byID["u1"] == AccountDirectory.Account(userID: "u1", legacyID: "L1", role: "parent",
                                                       schools: ["0801234G", "0800001S"], codeCommune: "",
                                                       activatedOn: CivilDate(year: 2018, month: 9, day: 3)))
        #expect(byID["u2"]?.role == "student")
        #expect(byID["u2"]?.activatedOn == nil)
        #expect(byID["u3"]?.role == "commune")
        #expect(byID["u3"]?.codeCommune == "80021")
        #expect(byID["u3"]?.schools == [])
        #expect(byID["u4"]?.role == "commune")
        #expect(byID["u4"]?.activatedOn == nil, "31 February is not a date")
        #expect(byID["u5"]?.role == "teacher")
        #expect(byID["u5"]?.schools == ["0801234G", "0801999N"])
        #expect(byID["u5"]?.activatedOn == nil)
        #expect(byID["u6"]?.legacyID == "", "legacy id L1 already belongs to u1")
        #expect(byID["u9"]?.role == "unknown")
        #expect(byID["u11"]?.activatedOn == nil)
        let warned = Set(dir.warnings.map(\.line))
        // u4 (no commune code + bad date: line 5), u5 bad date (6), u6 legacy (7), duplicate u1 (8),
        // empty id (9), unknown role (10), short row (11), bad date (12).
        #expect(warned == [5, 6, 7, 8, 9, 10, 11, 12])
        #expect(dir.warnings.filter { $0.line == 5 }.count == 2)
    }

    @Test func accountsMissingColumn() {
        #expect(throws: ReferenceError.self) {
            try AccountDirectory(csv: try csv("user_id;legacy_id;role;schools;activated_on\nu;;parent;;\n"), file: "accounts.csv")
        }
    }
}
