import Testing
@testable import EntStat

/// A reference row with fewer fields than the header is skipped with a warning naming its line.
@Suite("Reference rows with missing fields")
struct ReferenceShortRowTests {
    static func csv(_ text: String) throws(SemicolonCSV.Failure) -> SemicolonCSV {
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

    /// A stray `;` shifts the columns after it: the row is skipped with a warning, never
    /// loaded shifted. A trailing `;` (an empty last field) is harmless.
    @Test func rowsWithExtraFilledFieldsAreSkipped() throws {
        let schools = try SchoolDirectory(csv: Self.csv("""
            uai;nom;niveau;code_commune;commune;epci
            0800001S;A;maternelle;80021;Amiens;CA;
            0800002T;B; près du parc;maternelle;80021;Amiens;CA
            0800003U;C;primaire;80620;Péronne;CC

            """), file: "f.csv")
        #expect(schools.schools.map(\.uai) == ["0800001S", "0800003U"])
        #expect(schools.schools.first?.codeCommune == "80021")
        #expect(schools.warnings.map(\.description) == ["f.csv: ligne 3 : 7 champs au lieu de 6 ; ligne ignorée"])
    }

    /// A header ending in `;` (a spreadsheet's export) with rows that do not: every row loads.
    @Test func aTrailingSemicolonInTheHeaderAloneIsHarmless() throws {
        let schools = try SchoolDirectory(csv: Self.csv("""
            uai;nom;niveau;code_commune;commune;epci;
            0800001S;A;maternelle;80021;Amiens;CA
            0800003U;C;primaire;80620;Péronne;CC

            """), file: "f.csv")
        #expect(schools.schools.map(\.uai) == ["0800001S", "0800003U"])
        #expect(schools.warnings.isEmpty)
    }

    /// A quote opened and never closed swallows the lines up to the next quote; the text
    /// after that quote gives it away, and the whole file is refused (the previous one is kept).
    @Test func textAfterAClosingQuoteRefusesTheFile() {
        do throws(SemicolonCSV.Failure) {
            _ = try Self.csv("""
                uai;nom;niveau;code_commune;commune;epci
                0801234X;"Ecole X;maternelle;80021;Amiens;CA
                0800001S;A;maternelle;80021;Amiens;CA
                0800002T;"Groupe Jean Moulin; site des Tilleuls";elementaire;80021;Amiens;CA

                """)
            Issue.record("a stray quote was accepted")
        } catch {
            #expect(error.description == "f.csv: ligne 4 : texte après un guillemet fermant (guillemet mal placé, ou ouvert plus haut et jamais refermé) ; corrigez les guillemets")
        }
        // Spaces after a closing quote are tolerated.
        #expect((try? Self.csv("a;b\n\"x\" ;y\n"))?.rows.first?.fields == ["x ", "y"])
    }

    /// A file cut in the middle of its last line, and a file with its header alone, are
    /// refused: either would replace the whole directory with a part of it, or nothing.
    @Test func aTruncatedOrHeaderOnlyFileIsRefused() {
        let header = "user_id;legacy_id;role;schools;code_commune;activated_on\n"
        for (text, line, start) in [(header + "a;;parent;0800001S;;\nb;;par", 3, "dernière ligne incomplète (3 champs au lieu de 6)"),
                                    (header, 2, "aucune ligne après l'en-tête")] {
            do throws(SemicolonCSV.Failure) {
                _ = try Self.csv(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == line)
                #expect(error.message.hasPrefix(start), "\(error.message)")
            }
        }
        // A last line complete without its line break is fine.
        #expect((try? Self.csv(header + "a;;parent;0800001S;;"))?.rows.count == 1)
    }
}
