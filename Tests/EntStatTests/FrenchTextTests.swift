import EntStat
import Testing

/// The one French number and plural rule, which the report, the terminal and the simulator
/// share.
@Suite("French numbers and plurals")
struct FrenchTextTests {
    static let nnbsp = "\u{202F}"

    /// Thousands grouped by a narrow no-break space, from the right, never after a sign.
    @Test func integersAreGroupedByThousands() {
        #expect(FrenchText.integer(0) == "0")
        #expect(FrenchText.integer(999) == "999")
        #expect(FrenchText.integer(1000) == "1\(Self.nnbsp)000")
        #expect(FrenchText.integer(1_234_567) == "1\(Self.nnbsp)234\(Self.nnbsp)567")
        #expect(FrenchText.integer(-123) == "−123")
        #expect(FrenchText.integer(-123_456) == "−123\(Self.nnbsp)456")
    }

    /// Singular for 0 and 1, plural from 2 on (« 0 ligne », « 1 ligne », « 2 lignes »).
    @Test func countsTakeTheSingularUpToOne() {
        #expect(FrenchText.count(0, "ligne") == "0 ligne")
        #expect(FrenchText.count(1, "ligne") == "1 ligne")
        #expect(FrenchText.count(2, "ligne") == "2 lignes")
        #expect(FrenchText.count(1003, "fichier") == "1\(Self.nnbsp)003 fichiers")
        #expect(FrenchText.count(4, "agent communal", "agents communaux") == "4 agents communaux")
        #expect(FrenchText.count(1, "agent communal", "agents communaux") == "1 agent communal")
        #expect(FrenchText.days(1) == "1 jour")
        #expect(FrenchText.days(31) == "31 jours")
    }
}
