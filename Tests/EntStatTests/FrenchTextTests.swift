@testable import EntStat
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

    /// A count hidden as a complement, in a sentence: « de » elided before a vowel. The
    /// synthesis of the communes wrote « un nombre non publié (secret statistique) de agents
    /// communaux ont été actifs ».
    @Test func aHiddenCountsNounTakesDeElided() {
        let hidden = ReportCell.users(66, secrecy: .complement)
        #expect(FrenchText.countPhrase(hidden, noun: "agents communaux", minCell: 5) == "un nombre non publié (secret statistique) d'agents communaux")
        #expect(FrenchText.countPhrase(hidden, noun: "élèves", minCell: 5) == "un nombre non publié (secret statistique) d'élèves")
        #expect(FrenchText.countPhrase(hidden, noun: "parents", minCell: 5) == "un nombre non publié (secret statistique) de parents")
        #expect(FrenchText.countPhrase(hidden, minCell: 5) == "un nombre non publié (secret statistique)")
        #expect(FrenchText.countPhrase(.users(3, secrecy: .small), noun: "agents communaux", minCell: 5) == "moins de 5 agents communaux")
        #expect(FrenchText.countPhrase(.users(1, secrecy: .shown), noun: "agents communaux", minCell: 5) == "1 agent communal")
    }

    /// A number too large to round to its decimals within an `Int` (only a damaged store or
    /// a query gone wrong gives one) is written as it is, never trapped on; the rest keep
    /// their comma and rounding.
    @Test func decimalsTooLargeToRoundAreWrittenAsTheyAre() {
        #expect(FrenchText.decimal(0.45304, digits: 4) == "0,4530")
        #expect(FrenchText.decimal(-2.5, digits: 0) == "-3")
        #expect(FrenchText.decimal(1e14, digits: 4) == "100000000000000,0000")
        #expect(FrenchText.decimal(1e300, digits: 4) == "1e+300")
        #expect(FrenchText.decimal(-4.5e18, digits: 1) == "-4,5e+18")
        #expect(FrenchText.decimal(.infinity, digits: 2) == "inf")
        #expect(FrenchText.decimal(-.infinity, digits: 2) == "-inf")
        #expect(FrenchText.decimal(.nan, digits: 1) == "nan")
        #expect(FrenchText.displayDecimal(1_234.56, digits: 1) == "1\(Self.nnbsp)234,6")
        #expect(FrenchText.displayDecimal(-1e300, digits: 1) == "−1e+300")
        #expect(FrenchText.percent(1e300) == "1e+302\(Self.nnbsp)%")
    }

    /// The report's rates come from its queries as `Double`s (`1.0 * a / b`): an exact half
    /// of the last decimal shown rounds away from zero as the quotient would, though the
    /// `Double` lies a hair below it (57/800 = 0.07125 is 712.4999999999999 ten-thousandths;
    /// 57/400 = 14.25 % is 142.49999999999997 tenths of a point).
    @Test func anExactHalfOfAQuotientRoundsAwayFromZero() {
        #expect((57.0 / 800 * 10_000).rounded() == 712, "the Double is below the half")
        #expect(FrenchText.decimal(57.0 / 800, digits: 4) == "0,0713")
        #expect(FrenchText.decimal(-57.0 / 800, digits: 4) == "-0,0713")
        #expect(FrenchText.percent(57.0 / 400) == "14,3\(Self.nnbsp)%")
        #expect(FrenchText.percent(1.0 / 80) == "1,3\(Self.nnbsp)%")
        // An average over a few days: 2 + 0.005 ≈ 2.01 at two decimals (201 / 100 + 1 / 200).
        #expect(FrenchText.decimal(401.0 / 200, digits: 2) == "2,01")
        // Not a half, however close as a decimal text: rounded as the value is.
        #expect(FrenchText.decimal(0.071249999, digits: 4) == "0,0712")
        #expect(FrenchText.percent(0.14249) == "14,2\(Self.nnbsp)%")
        // Every quotient of counts up to 1 200 at four decimals, against integer arithmetic.
        var differing: [String] = []
        for d in 1...1_200 {
            for n in stride(from: 0, through: d, by: 1) {
                let scaled = (20_000 * n + d) / (2 * d)
                let decimals = String(scaled % 10_000)
                let expected = "\(scaled / 10_000),\(String(repeating: "0", count: 4 - decimals.count))\(decimals)"
                if FrenchText.decimal(Double(n) / Double(d), digits: 4) != expected { differing.append("\(n)/\(d)") }
            }
        }
        #expect(differing.isEmpty, "\(differing.count): \(differing.prefix(5))")
        // Far above any rate, a unit in the last place is no longer negligible: plain rounding.
        #expect(FrenchText.decimal(1e11, digits: 4) == "100000000000,0000")
        #expect(FrenchText.decimal(1e13 + 0.25, digits: 2) == "10000000000000,25")
    }

    /// The report's change of a rate (`evolution`) is the difference of two `Double` rates,
    /// which keeps both their errors: 1 − 769/800 = 0.03875 arrives as 387.4999999999995
    /// ten-thousandths. `DecimalRounding.difference` sets it on the half, so that it rounds
    /// as the exact difference, in CSV (4 decimals) and in HTML (a tenth of a point).
    @Test func theChangeOfARateRoundsAsTheExactDifference() {
        #expect(((1 - 769.0 / 800) * 10_000).rounded() == 387, "the Double is below the half")
        #expect(ReportCell.changeScales == [10_000, 1_000], "the scales checked below: 4 decimals in CSV, a tenth of a point in HTML")
        #expect(FrenchText.decimal(DecimalRounding.difference(1, 769.0 / 800, scales: ReportCell.changeScales), digits: 4) == "0,0388")
        #expect(FrenchText.decimal(DecimalRounding.difference(769.0 / 800, 1, scales: ReportCell.changeScales), digits: 4) == "-0,0388")
        // Every difference of two quotients of counts up to 30, against integer arithmetic.
        var differing: [String] = [], ties = 0
        for q1 in 1...30 {
            for q2 in 1...30 {
                for p1 in 0...q1 {
                    for p2 in 0...q2 {
                        let n = p1 * q2 - p2 * q1, d = q1 * q2
                        let delta = DecimalRounding.difference(Double(p1) / Double(q1), Double(p2) / Double(q2), scales: ReportCell.changeScales)
                        for (scale, digits) in [(10_000, 4), (1_000, 1)] {
                            let scaled = (2 * scale * abs(n) + d) / (2 * d)
                            if (2 * scale * abs(n)) % (2 * d) == d { ties += 1 }
                            let unit = digits == 4 ? 10_000 : 10
                            let decimals = String(scaled % unit)
                            let text = "\(scaled / unit),\(String(repeating: "0", count: digits - decimals.count))\(decimals)"
                            let expected = digits == 4 ? (n < 0 && scaled != 0 ? "-" : "") + text : (n < 0 && scaled != 0 ? "−" : "") + text
                            let got = digits == 4 ? FrenchText.decimal(delta, digits: 4) : FrenchText.displayDecimal(delta * 100, digits: 1)
                            if got != expected { differing.append("\(p1)/\(q1) − \(p2)/\(q2) at \(digits): \(got), not \(expected)") }
                        }
                    }
                }
            }
        }
        #expect(ties > 1_000, "\(ties)")
        #expect(differing.isEmpty, "\(differing.count): \(differing.prefix(5))")
    }
}

/// « de » before a place name, as a commune's report is titled (« Commune d'Abbeville
/// (80001) »): it wrote « Commune de Abbeville », « Commune de Le Crotoy ».
@Suite("« de » before a place name")
struct PlaceNameTests {
    /// Before a vowel, accented or not, in either case, a ligature or a y: « d' ».
    @Test func deIsElidedBeforeAVowelOrY() {
        #expect(FrenchText.ofPlace("Abbeville") == "d'Abbeville")
        #expect(FrenchText.ofPlace("Amiens") == "d'Amiens")
        #expect(FrenchText.ofPlace("Ault") == "d'Ault")
        #expect(FrenchText.ofPlace("Yzeux") == "d'Yzeux")
        #expect(FrenchText.ofPlace("Épehy") == "d'Épehy")
        #expect(FrenchText.ofPlace("E\u{301}pehy") == "d'E\u{301}pehy", "a decomposed É")
        #expect(FrenchText.ofPlace("Œuvres") == "d'Œuvres")
        #expect(FrenchText.ofPlace("Île-de-Batz") == "d'Île-de-Batz")
        #expect(FrenchText.ofPlace("ABBEVILLE") == "d'ABBEVILLE")
        #expect(FrenchText.ofPlace("Y") == "d'Y")
    }

    /// « Le » and « Les », articles of the name, contract with « de »; « La » and « L' » do not.
    @Test func leAndLesContract() {
        #expect(FrenchText.ofPlace("Le Crotoy") == "du Crotoy")
        #expect(FrenchText.ofPlace("LE CROTOY") == "du CROTOY")
        #expect(FrenchText.ofPlace("Les Ulis") == "des Ulis")
        #expect(FrenchText.ofPlace("Les Authieux") == "des Authieux")
        #expect(FrenchText.ofPlace("La Chaussée-Tirancourt") == "de La Chaussée-Tirancourt")
        #expect(FrenchText.ofPlace("L'Étoile") == "de L'Étoile")
        // A name that only starts with the article's letters is no article.
        #expect(FrenchText.ofPlace("Lesbœufs") == "de Lesbœufs")
        #expect(FrenchText.ofPlace("Lechelle") == "de Lechelle")
        #expect(FrenchText.ofPlace("Le") == "de Le")
    }

    /// A consonant, an h (aspirated or not: only a list could tell) and a code keep « de ».
    @Test func deStaysBeforeAConsonantAnHOrACode() {
        #expect(FrenchText.ofPlace("Hangest-sur-Somme") == "de Hangest-sur-Somme")
        #expect(FrenchText.ofPlace("Ham") == "de Ham")
        #expect(FrenchText.ofPlace("Moreuil") == "de Moreuil")
        #expect(FrenchText.ofPlace("Crécy-en-Ponthieu") == "de Crécy-en-Ponthieu")
        #expect(FrenchText.ofPlace("80001") == "de 80001")
        #expect(FrenchText.ofPlace("") == "de ")
    }

    /// A commune's report is titled with its name so written (the fixture's communes).
    @Test func aCommunesReportIsTitledWithIt() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        func title(_ code: String) throws -> String {
            try ReportBuilder(store: store, request: ReportRequest(scope: .commune(code: code), queriesDirectory: ReportFixture.queriesDirectory)).scopeName()
        }
        #expect(try title("80021") == "Commune d'Amiens (80021)")
        #expect(try title("80001") == "Commune d'Abbeville (80001)")
        #expect(try title("80003") == "Commune de Rue (80003)")
        #expect(try title("80005") == "Commune de Hameau-les-Bois (80005)")
    }
}
