import Testing
@testable import EntStat

/// Whether a query names one of the engine's tables: its ASCII letters in any case,
/// anywhere in the text, and nothing else.
@Suite struct SQLMentionTests {
    @Test func aTableIsNamedInAnyCaseAnywhere() {
        #expect(SQLMention.contains("activite_periode", in: "SELECT * FROM activite_periode"))
        #expect(SQLMention.contains("activite_periode", in: "select * from Activite_Periode_Role -- é"))
        #expect(SQLMention.contains("activite_periode", in: "-- lit ACTIVITE_PERIODE\nSELECT 1"))
        #expect(SQLMention.contains("comptes_niveau", in: "SELECT 1 FROM « comptes_niveau »"))
        #expect(!SQLMention.contains("activite_periode", in: "SELECT * FROM activite_period"))
        #expect(!SQLMention.contains("activite_periode", in: "SELECT * FROM activité_periode"))
        #expect(!SQLMention.contains("activite_periode", in: ""))
        #expect(!SQLMention.contains("comptes_niveau", in: "COMPTES_NIVEA"))
        // A name at the very end, and a text that starts like it first.
        #expect(SQLMention.contains("comptes_lieu", in: "comptes_li comptes_lieu"))
        // Only ASCII letters fold: `@` (0x40) and `[` (0x5B) are no letters.
        #expect(!SQLMention.contains("a", in: "@[`{"))
    }

    /// The same answers as lowercasing the whole text and searching it, on texts of ASCII
    /// and accented letters around the names.
    @Test func theSameAsLowercasingForAsciiNames() {
        let pieces = ["activite_", "ACTIVITE_", "periode", "PERIODE", "Periode", "é", "É", " ", "_", "mensuelle", "x", "\n-- "]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            for name in ["activite_periode", "activite_mensuelle"] {
                #expect(SQLMention.contains(name, in: text) == text.lowercased().contains(name), "\(text.debugDescription)")
            }
        }
    }
}
