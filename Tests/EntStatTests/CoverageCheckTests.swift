@testable import EntStat
import Testing

/// The low-volume check of `entstat status` (`CoverageCheck`, check 3), on one stream's
/// daily files. Medians computed by hand from the counts below.
@Suite struct CoverageCheckTests {
    /// access-fe1's qualifying records per daily file, 2018-09-01 (a Saturday) to
    /// 2018-11-04, as the ledger of `entstat simulate`'s Somme school year holds them: term
    /// time, then the autumn holidays (from 20 October) while the users leave the old ENT
    /// for the new one, whose files went on.
    static let fe1 = [
        15674, 18580, 48802, 49789, 28638, 49080, 47302, 15910, 19673, 47673, 47444, 28281, 47061, 48226,
        15595, 19346, 48019, 45233, 28222, 44344, 43574, 14000, 18313, 40217, 39793, 25434, 39339, 38491,
        12612, 15086, 37721, 35317, 21465, 34573, 34020, 11362, 12961, 33096, 30885, 18487, 29745, 28594,
        9595, 11027, 28269, 26685, 15569, 23799, 24208, 5630, 5497, 5415, 5553, 4928, 4904, 5319,
        4345, 4184, 4332, 4042, 3627, 3442, 3191, 3121, 2817,
    ]
    static let first = CivilDate(year: 2018, month: 9, day: 1).dayNumber

    static func files(_ counts: [Int]) -> [CoverageCheck.File] {
        counts.enumerated().map { i, n in
            let day = first + i
            return .init(name: "logs/access-fe1-\(CivilDate(dayNumber: day)).log.gz", source: "access", qualifying: n, firstDay: day, lastDay: day)
        }
    }

    static func day(_ month: Int, _ day: Int) -> Int { CivilDate(year: 2018, month: month, day: day).dayNumber }

    /// `entstat status` said « journée tronquée ? » of Thursday 1 and Friday 2 November on
    /// that simulated year: 3 442 records against 36 956 a usual Thursday, 3 191 against
    /// 36 256 a usual Friday, under a tenth of it; but the days around them (holidays, the
    /// old ENT fading out) hold 4 113 and 4 042 (medians): nothing was cut.
    @Test func aStreamFadingOutInTheHolidaysHasNoLowDay() {
        #expect(CoverageCheck().run(Self.files(Self.fe1)).gaps == [])
        var weekdayAlone = CoverageCheck()
        weekdayAlone.neighbourRatio = .infinity
        #expect(weekdayAlone.run(Self.files(Self.fe1)).gaps == [
            .lowVolume(stream: "access-fe1", day: Self.day(11, 1), records: 3442, usual: 36956, nearby: 4113),
            .lowVolume(stream: "access-fe1", day: Self.day(11, 2), records: 3191, usual: 36256, nearby: 4042),
        ])
    }

    /// A day cut short drops against its neighbours too, in term time as in the holidays:
    /// Thursday 11 October with 1 000 records (usual Thursday 36 956, neighbours 25 242),
    /// Thursday 25 October, in the holidays, with 1 200 (neighbours 5 123.5).
    @Test func aDayCutShortIsStillFound() {
        var counts = Self.fe1
        counts[40] = 1000
        counts[54] = 1200
        let gaps = CoverageCheck().run(Self.files(counts)).gaps
        #expect(gaps == [
            .lowVolume(stream: "access-fe1", day: Self.day(10, 11), records: 1000, usual: 36956, nearby: 25242),
            .lowVolume(stream: "access-fe1", day: Self.day(10, 25), records: 1200, usual: 36956, nearby: 5124),
        ])
        #expect(gaps.last?.description == "access-fe1 2018-10-25 (jeudi) : 1\u{202F}200 enregistrements contre 36\u{202F}956 un jeudi habituel et 5\u{202F}124 les jours voisins (journée tronquée ?) ; vérifiez le journal de ce jour sur le serveur"
                || gaps.last?.description == "access-fe1 2018-10-25 (jeudi) : 1\u{00A0}200 enregistrements contre 36\u{00A0}956 un jeudi habituel et 5\u{00A0}124 les jours voisins (journée tronquée ?) ; vérifiez le journal de ce jour sur le serveur",
                "\(gaps.last?.description ?? "")")
        // With fewer than four neighbours (a stream of Thursdays only), the weekday alone
        // decides, as before: 1 November is low again.
        let sparse = Self.files(counts).enumerated().filter { $0.offset % 7 == 5 }.map(\.element)
        #expect(sparse.count == 9)
        #expect(CoverageCheck().run(sparse).gaps.map(\.day) == [Self.day(10, 11), Self.day(10, 25), Self.day(11, 1)])
    }
}
