import Testing
@testable import EntStat

/// A reference row with fewer fields than the header is skipped with a warning naming its line.
@Suite("Reference rows with missing fields")
struct ReferenceShortRowTests {
    static func csv(_ text: String) throws -> SemicolonCSV {
        try SemicolonCSV(bytes: Array(text.utf8), file: "f.csv")
    }

    @Test func schoolsAndAccountsSkipShortRows() throws {
        let schools = try SchoolDirectory(csv: Self.csv("""
            uai;nom;niveau;code_commune;commune;epci
            0800001S;A;maternelle;80021;Amiens;CA
            0800002T;B;elementaire
            0800003U;C;primaire;80620;Péronne;CC

            """), file: "f.csv")
        #expect(schools.schools.map(\.uai) == ["0800001S", "0800003U"])
        #expect(schools.warnings.map(\.description) == ["f.csv: ligne 3 : 3 champs au lieu de 6 ; ligne ignorée"])

        let accounts = try AccountDirectory(csv: Self.csv("""
            user_id;legacy_id;role;schools;code_commune;activated_on
            a;;parent;0800001S;;
            b;;parent

            """), file: "f.csv")
        #expect(accounts.accounts.map(\.userID) == ["a"])
        #expect(accounts.warnings.map(\.description) == ["f.csv: ligne 3 : 3 champs au lieu de 6 ; ligne ignorée"])
    }
}
