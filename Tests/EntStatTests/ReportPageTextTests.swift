import Foundation
import Testing
@testable import EntStat

/// The report page's French typography, on text written by hand.
@Suite struct FrenchTypographyTests {
    @Test func spacesBeforePunctuationAndInsideGuillemetsDoNotBreak() {
        let nb = "\u{00A0}", fine = "\u{202F}"
        #expect(FrenchTypography.apply(toHTML: "<p>Période : 8 ; « mois » ? oui ! 25 % à 20 h, 13:57</p>")
                == "<p>Période\(nb): 8\(fine); «\(fine)mois\(fine)»\(fine)? oui\(fine)! 25\(fine)% à 20\(nb)h, 13:57</p>")
        // Tags and attributes as they are; an `h` starting a word is no hour; entities kept.
        #expect(FrenchTypography.apply(toHTML: "<a title=\"a : b\" href=\"#x\">2 heures &amp; 3 h</a> :")
                == "<a title=\"a : b\" href=\"#x\">2 heures &amp; 3\(nb)h</a>\(nb):")
    }

    /// The typesetting reads bytes; the same rules read scalar by scalar (as it was written
    /// first) give the same text on random texts made of what the rules look at: spaces,
    /// punctuation, guillemets, digits of several scripts, `h`, letters, `&lt;`, `<` and
    /// `>`, accents and two- to four-byte characters next to the spaces.
    @Test func bytesAndScalarsGiveTheSameText() {
        let pieces = [" ", " ", " ", ":", ";", "?", "!", "%", "«", "»", "h", "he", "1", "٣", "½", "a", "é", "&lt;", "&lt;b", "<", ">",
                      "<p>", "<a title=\"x : 5\">", "</a>", "\u{202F}", "\u{00A0}", "ℌ", "𝟙", "😀", "日", "e\u{0301}"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            for narrow: Unicode.Scalar in ["\u{202F}", "\u{00A0}"] {
                #expect(FrenchTypography.apply(toPlainText: text, narrow: narrow)
                        == Self.typesetScalarByScalar(text, skippingTags: false, narrow: narrow), "round \(round): \(text.debugDescription)")
            }
            #expect(FrenchTypography.apply(toHTML: text) == Self.typesetScalarByScalar(text, skippingTags: true, narrow: "\u{202F}"),
                    "round \(round): \(text.debugDescription)")
        }
    }

    /// The rules of `FrenchTypography`, scalar by scalar.
    static func typesetScalarByScalar(_ text: String, skippingTags: Bool, narrow: Unicode.Scalar) -> String {
        let noBreak: Unicode.Scalar = "\u{00A0}"
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var inTag = false
        for (i, c) in scalars.enumerated() {
            if inTag {
                if c == ">" { inTag = false }
                out.append(c)
                continue
            }
            if skippingTags && c == "<" { inTag = true; out.append(c); continue }
            guard c == " " else { out.append(c); continue }
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            let previous = i > 0 ? scalars[i - 1] : " "
            switch next {
            case ":": out.append(noBreak)
            case ";", "?", "!", "%", "»": out.append(narrow)
            default:
                if previous == "«" {
                    out.append(narrow)
                } else if next == "h", previous.properties.numericType != nil,
                          i + 2 >= scalars.count || !scalars[i + 2].properties.isAlphabetic {
                    out.append(noBreak)
                } else if next.properties.numericType != nil, i >= 4, Array(scalars[(i - 4)..<i]) == Array("&lt;".unicodeScalars) {
                    out.append(noBreak)
                } else if !skippingTags, previous == "<", i < 2 || scalars[i - 2] == " " || scalars[i - 2] == narrow || scalars[i - 2] == "«" {
                    out.append(noBreak)
                } else {
                    out.append(c)
                }
            }
        }
        return String(out)
    }
}

/// A month the report's range cuts says which of its days it holds (the sample data's
/// range, 8 October to 11 November 2018, cuts both its months).
@Suite struct MonthLabelTests {
    @Test func aCutMonthSaysItsDays() {
        let from = CivilDate(year: 2018, month: 10, day: 8), to = CivilDate(year: 2018, month: 11, day: 11)
        #expect(FrenchText.monthLabel("2018-10", from: from, to: to) == "oct. 2018 (dès le 8)")
        #expect(FrenchText.monthLabel("2018-11", from: from, to: to) == "nov. 2018 (jusqu'au 11)")
        #expect(FrenchText.monthLabel("2018-10", from: from, to: CivilDate(year: 2018, month: 10, day: 20)) == "oct. 2018 (du 8 au 20)")
        // Whole months, and a range from the 1st to the month's last day (28 February), say nothing more.
        #expect(FrenchText.monthLabel("2018-12", from: from, to: to) == "déc. 2018")
        #expect(FrenchText.monthLabel("2019-02", from: CivilDate(year: 2019, month: 2, day: 1), to: CivilDate(year: 2019, month: 2, day: 28)) == "févr. 2019")
        #expect(FrenchText.monthLabel("2019-02", from: CivilDate(year: 2019, month: 1, day: 2), to: CivilDate(year: 2019, month: 2, day: 27))
                == "févr. 2019 (jusqu'au 27)")
        #expect(FrenchText.monthLabel("2019-03", from: CivilDate(year: 2019, month: 3, day: 1), to: CivilDate(year: 2019, month: 3, day: 1)) == "mars 2019 (jusqu'au 1er)")
    }
}

/// An ISO week said with its days (Monday to Sunday), worked out from the calendar: 8 October
/// 2018 is the Monday of week 41; week 1 of 2019 starts on Monday 31 December 2018; 2020 has
/// a week 53, to Sunday 3 January 2021.
@Suite struct WeekLabelTests {
    @Test func aWeekSaysItsDays() {
        #expect(FrenchText.weekLabel("2018-W41") == "sem. 41 (8–14 oct. 2018)")
        #expect(FrenchText.weekLabel("2018-W44") == "sem. 44 (29 oct.–4 nov. 2018)")
        #expect(FrenchText.weekLabel("2019-W01") == "sem. 1 (31 déc. 2018–6 janv. 2019)")
        #expect(FrenchText.weekLabel("2020-W53") == "sem. 53 (28 déc. 2020–3 janv. 2021)")
        #expect(FrenchText.weekLabel("2019-W09") == "sem. 9 (25 févr.–3 mars 2019)")
        #expect(FrenchText.weekLabel("2019-W10") == "sem. 10 (4–10 mars 2019)")
        #expect(FrenchText.weekLabel("pas une semaine") == "pas une semaine")
    }

    /// A report from Wednesday 10 October to Wednesday 7 November 2018 counts week 41 from
    /// the 10th and week 45 to the 7th: their labels said 8–14 October and 5–11 November.
    @Test func aWeekTheRangeCutsSaysTheDaysItHolds() {
        let from = CivilDate(year: 2018, month: 10, day: 10), to = CivilDate(year: 2018, month: 11, day: 7)
        #expect(FrenchText.weekLabel("2018-W41", from: from, to: to) == "sem. 41 (10–14 oct. 2018)")
        #expect(FrenchText.weekLabel("2018-W44", from: from, to: to) == "sem. 44 (29 oct.–4 nov. 2018)")
        #expect(FrenchText.weekLabel("2018-W45", from: from, to: to) == "sem. 45 (5–7 nov. 2018)")
        #expect(FrenchText.keyText("2018-W45", column: "semaine", from: from, to: to) == "sem. 45 (5–7 nov. 2018)")
        // Across months and years, and a week of one day.
        #expect(FrenchText.weekLabel("2019-W01", from: CivilDate(year: 2018, month: 12, day: 31), to: CivilDate(year: 2019, month: 1, day: 2))
                == "sem. 1 (31 déc. 2018–2 janv. 2019)")
        #expect(FrenchText.weekLabel("2018-W44", from: CivilDate(year: 2018, month: 10, day: 31), to: CivilDate(year: 2018, month: 11, day: 2))
                == "sem. 44 (31 oct.–2 nov. 2018)")
        #expect(FrenchText.weekLabel("2018-W35", from: CivilDate(year: 2018, month: 9, day: 1), to: CivilDate(year: 2018, month: 9, day: 1))
                == "sem. 35 (1er sept. 2018)")
        // A range that holds the whole week: its days, Monday to Sunday.
        #expect(FrenchText.weekLabel("2018-W42", from: from, to: to) == "sem. 42 (15–21 oct. 2018)")
    }
}

/// A day in a table of the page is written in French, as the page's other dates, and stays
/// ISO in the CSV files: the tables of daily activity, of daily peaks and of the logs read
/// wrote `2018-10-08`. 8 October 2018 is a Monday, 1 November 2018 a Thursday.
@Suite struct DayCellTests {
    @Test func aDayIsWrittenShortInFrench() {
        #expect(FrenchText.shortDate(CivilDate(year: 2018, month: 10, day: 8)) == "8 oct. 2018")
        #expect(FrenchText.shortDate(CivilDate(year: 2018, month: 10, day: 8), weekday: true) == "lun. 8 oct. 2018")
        #expect(FrenchText.shortDate(CivilDate(year: 2018, month: 11, day: 1), weekday: true) == "jeu. 1er nov. 2018")
        #expect(FrenchText.shortDate(CivilDate(year: 2018, month: 11, day: 11), weekday: true) == "dim. 11 nov. 2018")
        #expect(FrenchText.shortDate(CivilDate(year: 2019, month: 2, day: 27), weekday: true) == "mer. 27 févr. 2019")
    }

    /// The weekday is said once: by the date when no column of the table says it (the daily
    /// peaks), by its own column otherwise (the daily activity); a first or last day of the
    /// logs is a date alone. The CSV file keeps the ISO date.
    @Test func aDayCellIsFrenchInThePageAndISOInTheCSV() {
        let peaks = ReportTable(name: "peak_concurrent_users", title: "Pic", question: "",
                                columns: [ReportColumn(name: "jour"), ReportColumn(name: "pic_utilisateurs_simultanes")],
                                rows: [[.text("2018-10-08"), .users(21, secrecy: .shown)]])
        let html = ReportHTML(minCell: 5)
        #expect(html.table(peaks).contains("<tr><th scope=\"row\" class=\"d\"><time datetime=\"2018-10-08\">lun. 8 oct. 2018</time></th><td class=\"n\">21</td></tr>"))
        #expect(ReportCSV.document(peaks, minCell: 5) == "\u{FEFF}jour;pic_utilisateurs_simultanes\r\n2018-10-08;21\r\n")
        let daily = ReportTable(name: "activite_quotidienne", title: "Activité", question: "",
                                columns: [ReportColumn(name: "jour"), ReportColumn(name: "jour_semaine"), ReportColumn(name: "utilisateurs_actifs")],
                                rows: [[.text("2018-11-01"), .ordinal(4), .users(846, secrecy: .shown)]])
        #expect(html.table(daily).contains("<tr><th scope=\"row\" class=\"d\"><time datetime=\"2018-11-01\">1er nov. 2018</time></th><td class=\"n\">jeudi</td><td class=\"n\">846</td></tr>"))
        // Without its weekday column, the same table says the weekday in the date.
        #expect(html.table(daily, columns: ["jour", "utilisateurs_actifs"]).contains("<time datetime=\"2018-11-01\">jeu. 1er nov. 2018</time>"))
        let logs = ReportTable(name: "fichiers_ingeres", title: "Journaux", question: "",
                               columns: [ReportColumn(name: "source"), ReportColumn(name: "premier_jour"), ReportColumn(name: "dernier_jour")],
                               rows: [[.text("access"), .text("2018-10-08"), .text("2018-11-04")]])
        #expect(html.table(logs).contains("<td class=\"d\"><time datetime=\"2018-10-08\">8 oct. 2018</time></td><td class=\"d\"><time datetime=\"2018-11-04\">4 nov. 2018</time></td>"))
        // A text that is no day stays as it is.
        let odd = ReportTable(name: "t", title: "T", question: "", columns: [ReportColumn(name: "jour")], rows: [[.text("2018-13-01")]])
        #expect(html.table(odd).contains("<th scope=\"row\">2018-13-01</th>"))
        #expect(ReportColumn(name: "premier_jour").holdsDays && ReportColumn(name: "lundi").holdsDays)
        #expect(!ReportColumn(name: "jour_semaine").holdsDays && !ReportColumn(name: "utilisateurs_jour_max").holdsDays)
    }

    /// The fixture's report: no day of its tables is left ISO in the page.
    @Test func theReportsTablesHaveNoISODay() throws {
        let html = ReportSafetyTests.output.html
        #expect(html.contains("<td class=\"d\"><time datetime=\"20") && html.contains("<th scope=\"row\" class=\"d\"><time datetime=\"20"))
        let isoCell = try Regex("<t[dh][^>]*>[0-9]{4}-[0-9]{2}-[0-9]{2}</t[dh]>")
        #expect(html.firstMatch(of: isoCell) == nil)
    }
}

/// The page's list of failed logs: only the files still failed, each once, and when, in
/// Paris time. A log repaired and ingested again under its name stayed listed under « ils
/// ne comptent dans aucun chiffre » though it counted, each of its failures on a row, dated
/// by the store's UTC stamp (`2026-12-06T16:17:12Z`) where the page says « Toutes les dates
/// sont en heure de Paris ».
@Suite struct FailedFilesTests {
    @Test func aMomentIsWrittenInParisTime() {
        #expect(FrenchText.shortDateTime(utc: "2026-12-06T16:17:12Z") == "6 déc. 2026 à 17 h 17")
        // Summer time until 01:00 UTC on the last Sunday of October, then winter time.
        #expect(FrenchText.shortDateTime(utc: "2018-10-28T00:30:00Z") == "28 oct. 2018 à 2 h 30")
        #expect(FrenchText.shortDateTime(utc: "2018-10-28T01:30:00Z") == "28 oct. 2018 à 2 h 30")
        #expect(FrenchText.shortDateTime(utc: "2018-12-31T23:05:59Z") == "1er janv. 2019 à 0 h 05")
        #expect(FrenchText.shortDateTime(utc: "2018-12-31 23:05") == nil)
        #expect(FrenchText.shortDateTime(utc: "2018-12-31T25:05:00Z") == nil)
    }

    @Test func onlyTheFilesStillFailedAreListed() throws {
        let store = try TestSupport.scratchStore()
        let dir = URL(fileURLWithPath: store.path).deletingLastPathComponent()
        func day(_ n: Int, _ user: String) -> [UInt8] {
            Array((0..<50).map { "{\"event-type\":\"LOGIN\",\"module\":\"Auth\",\"date\":\(1_538_985_600_000 + Int64(n) * 86_400_000 + Int64($0) * 60_000),\"userId\":\"\(user)\",\"profil\":\"Relative\",\"structures\":[]}\n" }.joined().utf8)
        }
        let repaired = dir.appendingPathComponent("events-1.jsonl.gz").path, lost = dir.appendingPathComponent("events-2.jsonl.gz").path
        let whole = TestSupport.gzip(day(0, "a")), other = TestSupport.gzip(day(1, "b"))
        let ingester = try LogIngester(store: store)
        func ingest(_ path: String, _ bytes: [UInt8]) throws -> Bool {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let report = ingester.ingest(path: path)
            ingester.recordFailure(report)
            if case .failed = report.outcome { return false }
            return true
        }
        #expect(try !ingest(repaired, Array(whole.prefix(whole.count / 2))))
        #expect(try !ingest(lost, Array(other.prefix(other.count / 2))))
        #expect(try !ingest(lost, Array(other.prefix(other.count / 3))), "failed twice: listed once")
        #expect(try ingest(repaired, whole), "repaired and offered again")
        try store.completePendingWork()
        let reading = try Store(readingFrom: store.path)
        let output = try ReportBuilder(store: reading, request: ReportRequest(minCell: 5, queriesDirectory: ReportFixture.queriesDirectory)).build()
        let failed = try #require(output.tables.first { $0.name == "fichiers_en_echec" })
        #expect(failed.rows.map { $0[0].textValue } == [lost])
        // In the page, when, in Paris time; the CSV file keeps the store's stamp.
        let stamp = failed.rows[0][2].textValue
        let moment = try #require(FrenchText.shortDateTime(utc: stamp))
        #expect(output.html.contains("<td>\(FrenchTypography.apply(toHTML: moment))</td></tr>"))
        #expect(!output.html.contains(stamp))
        let csv = try #require(output.csvFiles.first { $0.name == "fichiers_en_echec.csv" }?.content)
        #expect(csv.hasSuffix(";\(stamp)\r\n"))
    }
}

/// The caution of days without any log names the first three runs of such days, then
/// counts the others with French plurals: it wrote « et 1 autre(s) intervalle(s) ».
@Suite struct CoverageNoteTests {
    @Test func theOtherRunsOfDaysWithoutLogsAreCountedInWords() throws {
        let store = try TestSupport.scratchStore()
        let dir = URL(fileURLWithPath: store.path).deletingLastPathComponent()
        let ingester = try LogIngester(store: store)
        // Logs of 8, 10, 12 and 14 October 2018 (one a day, from 10:00 Paris time).
        for n in [0, 2, 4, 6] {
            let path = dir.appendingPathComponent("events-\(n).jsonl").path
            let line = "{\"event-type\":\"LOGIN\",\"module\":\"Auth\",\"date\":\(1_538_985_600_000 + Int64(n) * 86_400_000),\"userId\":\"a\",\"structures\":[]}\n"
            try Data(line.utf8).write(to: URL(fileURLWithPath: path))
            if case .failed(let failure) = ingester.ingest(path: path).outcome { Issue.record("\(failure)") }
        }
        try store.completePendingWork()
        let reading = try Store(readingFrom: store.path)
        func note(to day: Int) throws -> String? {
            let request = ReportRequest(from: CivilDate(year: 2018, month: 10, day: 8), to: CivilDate(year: 2018, month: 10, day: day),
                                        queriesDirectory: ReportFixture.queriesDirectory)
            return try ReportBuilder(store: reading, request: request).coverageNote((CivilDate(year: 2018, month: 10, day: 8), CivilDate(year: 2018, month: 10, day: day)))
        }
        #expect(try note(to: 15) == "4 jours de la période sans aucun journal ingéré (le 9 octobre 2018, le 11 octobre 2018, le 13 octobre 2018 et 1 autre intervalle) : leurs chiffres d'activité sont nuls faute de données, non faute d'usage")
        #expect(try note(to: 14)?.contains("le 13 octobre 2018)") == true)
        let store2 = try Store(readingFrom: store.path)
        let request = ReportRequest(from: CivilDate(year: 2018, month: 10, day: 7), to: CivilDate(year: 2018, month: 10, day: 16),
                                    queriesDirectory: ReportFixture.queriesDirectory)
        let range = (CivilDate(year: 2018, month: 10, day: 7), CivilDate(year: 2018, month: 10, day: 16))
        #expect(try ReportBuilder(store: store2, request: request).coverageNote(range)?.contains("(le 7 octobre 2018, le 9 octobre 2018, le 11 octobre 2018 et 2 autres intervalles)") == true)
    }
}
