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

/// Check 4 of `CoverageCheck`: the hours an hourly stream wrote no file for, on a day it
/// wrote others, against the same weekdays.
@Suite struct MissingHoursTests {
    static let first = CivilDate(year: 2018, month: 10, day: 8).dayNumber  // a Monday

    /// The files of `days` days of one hourly stream: each day the hours `hours(day index)`.
    static func files(days: Int, from start: Int = first, hours: (Int) -> [Int]) -> [CoverageCheck.File] {
        (0..<days).flatMap { i -> [CoverageCheck.File] in
            let day = start + i
            return hours(i).map { h in
                .init(name: "logs/events-fe2-\(CivilDate(dayNumber: day))-\(h < 10 ? "0" : "")\(h).jsonl.gz", source: "events",
                      qualifying: 100, firstDay: day, lastDay: day)
            }
        }
    }

    /// The hour a file's name gives after its date, in both date forms; none without one.
    @Test func theHourOfAFileIsReadFromItsName() {
        #expect(LogStreamName(path: "x/events-fe2-2018-11-05-08.jsonl.gz", source: "events").hour == 8)
        #expect(LogStreamName(path: "events-fe2-2018-11-05_23.jsonl.gz", source: "events").hour == 23)
        #expect(LogStreamName(path: "access.log-2018110507.gz", source: "access").hour == nil)  // ten digits: no date either
        #expect(LogStreamName(path: "access-fe1-2018-11-05.log.gz", source: "access").hour == nil)
        #expect(LogStreamName(path: "events-fe2-2018-11-05-24.jsonl.gz", source: "events").hour == nil)
        #expect(LogStreamName(path: "events-fe2-2018-11-05-123.jsonl.gz", source: "events").hour == nil)
        #expect(LogStreamName(path: "events-fe2-2018-11-05-08.jsonl.gz", source: "events").stream == "events-fe2")
    }

    /// Five weeks of a server writing hours 06 to 22 every day, and hours 00 and 01 on one
    /// day in three (a night hour without traffic writes no file). Tuesday 16 October lost
    /// its files of 08 to 15 (820 of that server's 1 761 records of the sample's day: its
    /// share of the source fell from 54 to 38 %, above the half that check 2 needs): check 4
    /// finds them, and no night hour.
    @Test func aDayWithoutItsDaytimeHoursIsFound() {
        let files = Self.files(days: 35) { i in
            (i % 3 == 0 ? [0, 1] : []) + (6...22).filter { i != 8 || !(8...15).contains($0) }
        }
        let gaps = CoverageCheck().run(files).gaps
        let tuesday = CivilDate(year: 2018, month: 10, day: 16).dayNumber
        #expect(gaps == [.missingHours(stream: "events-fe2", day: tuesday, hours: Array(8...15), weekdayPresence: 1, expected: 800)])
        #expect(gaps.first?.description == "events-fe2 2018-10-16 (mardi) : aucun fichier pour les heures 08 à 15, alors que ce serveur "
                + "en écrit un à chacune de ces heures 100 % des mardis (environ 800 enregistrements attendus) ; récupérez ces journaux horaires sur le serveur puis relancez entstat ingest",
                "\(gaps.first?.description ?? "")")
        // Two runs of lost hours are two gaps; a lone early hour of 100 records of 1 700
        // (5.9 %) is one too.
        let twice = Self.files(days: 35) { i in Array(6...22).filter { i != 8 || ![6, 10, 11, 18].contains($0) } }
        #expect(CoverageCheck().run(twice).gaps.map { [$0.day: $0.description.prefix(61)] } == [
            [tuesday: "events-fe2 2018-10-16 (mardi) : aucun fichier pour l'heure 06"],
            [tuesday: "events-fe2 2018-10-16 (mardi) : aucun fichier pour les heures"],
            [tuesday: "events-fe2 2018-10-16 (mardi) : aucun fichier pour l'heure 18"],
        ])
        #expect(CoverageCheck().run(twice).gaps.map(\.description).contains { $0.contains("heures 10, 11, alors") })
        // Without the loss, nothing.
        #expect(CoverageCheck().run(Self.files(days: 35) { i in (i % 3 == 0 ? [0, 1] : []) + Array(6...22) }).gaps == [])
    }

    /// An hour is a gap only when the server writes it on nearly every same weekday (9 in 10
    /// by default), with three of them at least, and a run of such hours is a gap only when
    /// 50 records at least, and 4 % of the day's, were due there (each hour's median on those
    /// weekdays, scaled by the day's level over the hours it has: holidays lower them all;
    /// an early hour of the holidays loses its traffic); the stream's first and last days (a server
    /// put in service, or read, mid-day) are left out; so is 02 on the last Sunday of March,
    /// an hour local time skips.
    @Test func onlyTheHoursWrittenNearlyEveryDayCount() {
        // Hour 07 missing on Monday 22 October, and on the last day (Monday 5 November): the
        // other Mondays have it 3 times in 4, 75 %, under 90 %.
        let files = Self.files(days: 29) { i in Array(8...20) + (i == 14 || i == 28 ? [] : [7]) }
        #expect(CoverageCheck().run(files).gaps == [])
        var looser = CoverageCheck()
        looser.hourPresence = 0.75
        #expect(looser.run(files).gaps == [.missingHours(stream: "events-fe2", day: Self.first + 14, hours: [7], weekdayPresence: 0.75, expected: 100)])
        // A quiet hour (07, 20 records a Monday where the others have 100 an hour) has no
        // file on Monday 22 October: 20 were due, under the 50 that make it a gap, and 1.5 %
        // of the day's 1 320, under 4 %.
        let quiet = Self.files(days: 29) { i in Array(8...20) + (i == 14 ? [] : [7]) }.map { file -> CoverageCheck.File in
            var f = file
            if f.name.hasSuffix("-07.jsonl.gz") { f.qualifying = 20 }
            return f
        }
        #expect(CoverageCheck().run(quiet).gaps == [])
        var eager = CoverageCheck()
        eager.minimumHourRecords = 20
        #expect(eager.run(quiet).gaps == [])
        eager.minimumHourShare = 0.015
        #expect(eager.run(quiet).gaps == [.missingHours(stream: "events-fe2", day: Self.first + 14, hours: [7], weekdayPresence: 1, expected: 20)])
        // The first and last days without their morning: no gap.
        let edges = Self.files(days: 21) { i in i == 0 || i == 20 ? Array(14...20) : Array(8...20) }
        #expect(CoverageCheck().run(edges).gaps == [])
        // Every hour every day through the spring change (Sunday 31 March 2019), but 02 that
        // day, and 23 on Sunday 24 March: one gap, 23 on the 24th.
        let spring = CivilDate(year: 2019, month: 3, day: 4).dayNumber
        let march = Self.files(days: 35, from: spring) { i in
            let day = spring + i
            return (0..<24).filter { !(day == CivilDate(year: 2019, month: 3, day: 31).dayNumber && $0 == 2)
                && !(day == CivilDate(year: 2019, month: 3, day: 24).dayNumber && $0 == 23) }
        }
        let found = CoverageCheck().run(march).gaps
        #expect(found == [.missingHours(stream: "events-fe2", day: CivilDate(year: 2019, month: 3, day: 24).dayNumber, hours: [23], weekdayPresence: 1, expected: 100)])
        #expect(found.first?.description.contains("aucun fichier pour l'heure 23, alors que ce serveur en écrit un à cette heure 100 % des dimanches (environ 100 enregistrements attendus)") == true)
    }
}
