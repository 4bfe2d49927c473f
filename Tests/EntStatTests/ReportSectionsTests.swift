@testable import EntStat
import Testing

/// What the report's sections write around their tables: the sentences under the charts,
/// the bars of the rates by EPCI, the line under a headline figure.
@Suite struct ReportSectionsTests {
    // MARK: The sentence under a lines chart names the series the chart has no line for.

    @Test func theSeriesWithNoLineAreNamedUnderTheChart() {
        let sentence = "Part des comptes utilisés."
        let roles: [SVGChart.Series] = [.init(name: "Ensemble", values: [0.5, 0.4]), .init(name: "Agents communaux", values: [nil, nil]),
                                        .init(name: "Inconnus (hors annuaire)", values: [nil, nil]), .init(name: "Parents", values: [nil, 0.2])]
        #expect(ReportSections.caption(sentence, undrawn: roles) == "Part des comptes utilisés. Sans courbe, faute de taux publié : Agents communaux, Inconnus (hors annuaire).")
        #expect(ReportSections.caption(sentence, undrawn: [roles[1], roles[0]], figure: "chiffre") == "Part des comptes utilisés. Sans courbe, faute de chiffre publié : Agents communaux.")
        // Every series drawn, or a chart of one series (its title names it): the sentence alone.
        #expect(ReportSections.caption(sentence, undrawn: [roles[0], roles[3]]) == sentence)
        #expect(ReportSections.caption(sentence, undrawn: [roles[1]]) == sentence)
    }

    /// The report fixture's staff and agents are small groups: their monthly rates are all
    /// `< 5`, so the chart has no line for them, and says so.
    @Test func theReportSaysWhichRolesHaveNoLine() throws {
        let html = ReportSafetyTests.output.html
        #expect(html.contains("l&#39;ensemble en bleu foncé). Sans courbe, faute de taux publié\u{00A0}: Personnels, Agents communaux.</figcaption>"))
        // Their legend entries are gone with their lines; the other roles' are there.
        let chart = try #require(html.components(separatedBy: "aria-label=\"Taux d&#39;actifs mensuel par rôle\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        #expect(chart.contains(">Parents<") && chart.contains(">Enseignants<") && chart.contains(">Élèves<"))
        #expect(!chart.contains(">Personnels<") && !chart.contains(">Agents communaux<"))
    }

    /// No line at all (a commune whose parents' rates by level are all `s`): the sentence
    /// alone, saying so, instead of an empty chart.
    @Test func aChartWithNothingToDrawIsASentence() {
        let html = ReportHTML(minCell: 5)
        let hidden: [SVGChart.Series] = [.init(name: "Élémentaire", values: [nil, nil]), .init(name: "Primaire", values: [nil, nil])]
        let none = ReportSections.linesFigure(html, hidden, labels: ["sept. 2018", "oct. 2018"], title: "t", percent: true, sentence: "Part des comptes parents activés.")
        #expect(none == "<p class=\"note\">Part des comptes parents activés. Aucune courbe, faute de taux publié : Élémentaire, Primaire.</p>")
        // No value at all in the period: no data, rather than figures not published.
        #expect(ReportSections.linesFigure(html, [], labels: [], title: "t", percent: true, sentence: "Part.") == "<p class=\"note\">Part. Aucune courbe : aucune donnée sur la période.</p>")
        // One series with nothing to draw: the sentence says so without naming it (the
        // chart's title did).
        #expect(ReportSections.linesFigure(html, [.init(name: "Pic", values: [nil, nil])], labels: ["1/10", "2/10"], title: "t", percent: false,
                                           sentence: "Le pic.", figure: "chiffre") == "<p class=\"note\">Le pic. Aucune courbe, faute de chiffre publié.</p>")
        let one = ReportSections.linesFigure(html, hidden + [.init(name: "Maternelle", values: [0.5, nil])], labels: ["sept. 2018", "oct. 2018"],
                                             title: "t", percent: true, sentence: "Part des comptes parents activés.")
        #expect(one.hasPrefix("<figure><figcaption>Part des comptes parents activés. Sans courbe, faute de taux publié : Élémentaire, Primaire.</figcaption><svg "))
    }

    // MARK: Bars of the rates by EPCI: a group without accounts has no bar.

    @Test func theUsersWithoutEPCIHaveNoBar() {
        let e = ReportTable(name: "epci", title: "", question: "", columns: [ReportColumn(name: "epci"), ReportColumn(name: "taux_actifs")],
                            rows: [[.text("*"), .rate(0.893, secrecy: .shown)],
                                   [.text(""), .rate(nil, secrecy: .shown)],
                                   [.text("CA Amiens Métropole"), .rate(0.896, secrecy: .shown)],
                                   [.text("CC du Vimeu"), .rate(nil, secrecy: .small)],
                                   [.text("CC du Pays du Coquelicot"), .rate(0.0, secrecy: .shown)]])
        #expect(ReportSections.epciBarRows(e).map { e.cell($0, "epci").textValue } == ["CA Amiens Métropole", "CC du Vimeu", "CC du Pays du Coquelicot"])
    }

    /// A commune's report drew its one EPCI's bar, hidden: « CC du Territoire Nord Picardie s ».
    @Test func aBarChartNeedsTwoBarsAndOneDrawn() {
        let hidden = SVGChart.Bar(label: "CC du Territoire Nord Picardie", value: nil, display: "s")
        let shown = SVGChart.Bar(label: "CA Amiens Métropole", value: 0.896, display: "89,6 %")
        #expect(!ReportSections.chartsBars([hidden]))
        #expect(!ReportSections.chartsBars([shown]))
        #expect(!ReportSections.chartsBars([hidden, hidden]))
        #expect(ReportSections.chartsBars([hidden, shown]))
    }

    // MARK: The headline figures of the synthesis: a figure hidden as a complement says so in words.

    @Test func aTileHiddenAsAComplementSaysWhy() {
        let previous = "période précédente : aucune activité enregistrée"
        #expect(ReportSections.tileNote(.users(367, secrecy: .complement), previous: previous)
                == "non publié (secret statistique) ; période précédente : aucune activité enregistrée")
        #expect(ReportSections.tileNote(.rate(0.8, secrecy: .complement), previous: previous).hasPrefix("non publié (secret statistique) ; "))
        #expect(ReportSections.tileNote(.users(3, secrecy: .small), previous: previous) == previous, "« < 5 » says itself")
        #expect(ReportSections.tileNote(.users(367, secrecy: .shown), previous: previous) == previous)
    }

    // MARK: The weekday × hour heatmaps and their grid of figures.

    /// A hidden count of visits (`< 5` at 1 a.m. on Monday, `s` at 2 a.m.) was drawn as the
    /// grey of none and written « 0 » in the grid of figures, though the CSV says `< 5`.
    @Test func aHiddenHourIsStruckThroughAndWrittenAsHidden() throws {
        let t = ReportTable(name: "rythmes_semaine_heure", title: "", question: "",
                            columns: ["role", "jour_semaine", "heure", "connexions"].map { ReportColumn(name: $0) },
                            rows: [[.text("*"), .ordinal(1), .ordinal(0), .volume(5, secrecy: .shown)],
                                   [.text("*"), .ordinal(1), .ordinal(1), .volume(3, secrecy: .small)],
                                   [.text("*"), .ordinal(1), .ordinal(2), .volume(12, secrecy: .complement)],
                                   [.text("*"), .ordinal(2), .ordinal(8), .volume(117, secrecy: .shown)],
                                   [.text("parent"), .ordinal(1), .ordinal(3), .volume(2, secrecy: .small)]])
        let cells = ReportSections.heatmapCells(t, role: "*")
        let values = ReportSections.heatmapValues(cells)
        #expect(values[0][0] == 5 && values[0][1] == nil && values[0][2] == nil && values[0][3] == 0 && values[1][8] == 117)
        let days = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
        let pivot = ReportSections.heatmapPivot(ReportHTML(minCell: 5), cells, days: days)
        let monday = try #require(pivot.components(separatedBy: "<th scope=\"row\">Lundi</th>").dropFirst().first?.components(separatedBy: "</tr>").first)
        #expect(monday.hasPrefix("<td class=\"n\">5</td><td class=\"n\">&lt; 5</td><td class=\"n\">s</td><td class=\"n\">0</td>"), "\(monday)")
        let svg = SVGChart.heatmap(values, rowLabels: days, title: "t")
        #expect(svg.components(separatedBy: "class=\"hidden\"").count - 1 == 2, "one stroke per hidden hour")
        #expect(SVGChart.heatmap(ReportSections.heatmapValues(ReportSections.heatmapCells(t, role: "teacher")), rowLabels: days, title: "t")
                    .components(separatedBy: "class=\"hidden\"").count == 1, "none hidden, none struck")
    }

    /// The report fixture: the grid of figures of the all-roles heatmap says, hour by hour,
    /// what its CSV says (`< 5`, `s`, the count; 0 for an hour without a row).
    @Test func theGridOfFiguresIsTheCSVs() throws {
        let output = ReportSafetyTests.output
        let csv = try #require(output.csvFiles.first { $0.name == "rythmes_semaine_heure.csv" }).content
        var expected = [[String]](repeating: [String](repeating: "0", count: 24), count: 7)
        var hidden = 0
        for line in csv.split(separator: "\r\n").dropFirst() {
            let f = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, f[0] == "*", let d = Int(f[1]), let h = Int(f[2]) else { continue }
            expected[d - 1][h] = f[3]
            if Int(f[3]) == nil { hidden += 1 }
        }
        let html = output.html
        let grid = try #require(html.components(separatedBy: "<table class=\"pivot\">").dropFirst().first?.components(separatedBy: "</table>").first)
        let rows = grid.components(separatedBy: "<th scope=\"row\">").dropFirst()
        #expect(rows.count == 7)
        for (d, row) in rows.enumerated() {
            let cells = row.components(separatedBy: "<td class=\"n\">").dropFirst().map {
                String($0.prefix { $0 != "<" }).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "\u{202F}", with: "").replacingOccurrences(of: "\u{00A0}", with: " ")
            }
            #expect(cells == expected[d], "day \(d + 1)")
        }
        #expect(hidden > 0, "the fixture has hidden hours")
    }

    // MARK: The CCTP annex's tiles.

    /// A peak the table hides as `s` (to protect a day's users) was written in full in the
    /// tile of the maximum, or of the 95th percentile.
    @Test func aTileNeverShowsAPeakTheTableHides() {
        let peaks = ReportTable(name: "peak_concurrent_users", title: "", question: "",
                                columns: [ReportColumn(name: "jour"), ReportColumn(name: "pic_utilisateurs_simultanes")],
                                rows: [[.text("2018-10-08"), .users(9, secrecy: .complement)],
                                       [.text("2018-10-09"), .users(7, secrecy: .shown)],
                                       [.text("2018-10-10"), .users(7, secrecy: .complement)],
                                       [.text("2018-10-11"), .users(3, secrecy: .small)]])
        let html = ReportHTML(minCell: 5)
        #expect(ReportSections.publishedPeak(peaks, 9, html: html) == "s")
        #expect(ReportSections.publishedPeak(peaks, 7, html: html) == "7", "a day shows 7")
        #expect(ReportSections.publishedPeak(peaks, 3, html: html) == "< 5")
        #expect(ReportSections.publishedPeak(peaks, 8, html: html) == nil)
        // The date of the maximum only when the first day reaching it shows it: 9 on a hidden
        // day, no date; 7 first reached on the 9th, shown.
        #expect(ReportSections.maximumPeakDay(peaks, 9) == nil)
        #expect(ReportSections.maximumPeakDay(peaks, 7) == CivilDate(year: 2018, month: 10, day: 9))
        var later = peaks
        later.rows.swapAt(1, 2)  // 7 first reached on a day that hides it, then shown on another
        #expect(ReportSections.maximumPeakDay(later, 7) == nil)
    }

    // MARK: The chart of daily users.

    /// A day of fewer users than the threshold is a gap in the line; a threshold of 0 or 1
    /// hides no count (from 1 to N − 1: none), and the sentence said « un jour de moins de 0
    /// utilisateurs est masqué », « moins de 1 utilisateurs ».
    @Test func theDailyChartSpeaksOfHiddenDaysOnlyWhenSomeCanBe() throws {
        let plain = "Utilisateurs actifs chaque jour ; les mercredis sont grisés. Les week-ends et les vacances scolaires apparaissent en creux."
        #expect(ReportSections.dailyChartSentence(minCell: 0) == plain)
        #expect(ReportSections.dailyChartSentence(minCell: 1) == plain)
        #expect(ReportSections.dailyChartSentence(minCell: 2)
                == "Utilisateurs actifs chaque jour ; les mercredis sont grisés. Les week-ends et les vacances scolaires apparaissent en creux ; un jour de moins de 2 utilisateurs est masqué (trou dans la courbe).")
        #expect(ReportSections.dailyChartSentence(minCell: 5).hasSuffix(" ; un jour de moins de 5 utilisateurs est masqué (trou dans la courbe)."))
        // On the page, at each threshold (the default one's report is `ReportSafetyTests`').
        let store = try Store(readingFrom: ReportFixture.shared)
        for minCell in [0, 1] {
            let request = ReportRequest(minCell: minCell, queriesDirectory: ReportFixture.queriesDirectory, styleSheet: "")
            let html = try ReportBuilder(store: store, request: request).build().html
            #expect(html.contains("vacances scolaires apparaissent en creux.</figcaption>"), "--min-cell \(minCell)")
            #expect(!html.contains("un jour de moins de"), "--min-cell \(minCell)")
        }
        #expect(ReportSafetyTests.output.html.contains("apparaissent en creux\u{202F}; un jour de moins de 5 utilisateurs est masqué (trou dans la courbe).</figcaption>"))
    }

    // MARK: A chart with nothing to draw is a sentence.

    /// The fixture's commune 80005 has one school of 3 parents and a teacher: every day's
    /// peak of simultaneous users is `< 5`, and its page drew an empty chart of peaks on an
    /// axis labelled « 0, 1, 1, 2 ». A week with no log (January 2019, after the fixture's
    /// logs) drew an empty chart of peaks and an empty bar chart of services (its days are
    /// in the table of daily activity, at 0 users: their chart is drawn, flat).
    @Test func chartsWithNothingToDrawAreSentences() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let commune = ReportRequest(minCell: 5, scope: .commune(code: "80005"), queriesDirectory: ReportFixture.queriesDirectory)
        let small = try ReportBuilder(store: store, request: commune).build().html
        #expect(!small.contains("aria-label=\"Pic quotidien d&#39;utilisateurs simultanés\""))
        #expect(small.contains("<p class=\"note\">Chaque jour d&#39;activité, le plus grand nombre d&#39;utilisateurs distincts actifs dans une même tranche de 5 minutes. Aucune courbe, faute de chiffre publié.</p>"))
        let empty = ReportRequest(from: CivilDate(year: 2019, month: 1, day: 7), to: CivilDate(year: 2019, month: 1, day: 13), minCell: 5,
                                  queriesDirectory: ReportFixture.queriesDirectory)
        let none = try ReportBuilder(store: store, request: empty).build().html
        #expect(none.contains("aria-label=\"Utilisateurs actifs par jour\"") && !none.contains("aria-label=\"Pic quotidien d&#39;utilisateurs simultanés\""))
        #expect(!none.contains("aria-label=\"Taux d&#39;usage des services, tous rôles\""))
        #expect(none.components(separatedBy: "Aucune courbe\u{00A0}: aucune donnée sur la période.</p>").count - 1 == 5,
                "the rates by role, the parents' two, the weeks of the migration and the peaks")
    }

    // MARK: Sentences at the edges.

    /// At `--min-cell 2` the methodology said « compris entre 1 et 1 est remplacé par
    /// « < 2 » »; a week without any active parent said « 0 parent a utilisé au moins un de
    /// ces trois services, soit – des parents actifs » (now « Aucun parent n'a utilisé… »,
    /// `ReportPageWordingTests.aCountOfNoneReadsAucun`).
    @Test func sentencesAtTheEdgesReadAsFrench() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let two = try ReportBuilder(store: store, request: ReportRequest(minCell: 2, queriesDirectory: ReportFixture.queriesDirectory)).build().html
        #expect(two.contains("pic d&#39;utilisateurs simultanés) égal à 1 est remplacé par «\u{202F}&lt;\u{00A0}2\u{202F}»"))
        #expect(!two.contains("entre 1 et 1"))
        #expect(ReportSafetyTests.output.html.contains("simultanés) compris entre 1 et 4 est remplacé par «\u{202F}&lt;\u{00A0}5\u{202F}»"))
        let empty = ReportRequest(from: CivilDate(year: 2019, month: 1, day: 7), to: CivilDate(year: 2019, month: 1, day: 13), minCell: 5,
                                  queriesDirectory: ReportFixture.queriesDirectory)
        let none = try ReportBuilder(store: store, request: empty).build().html
        #expect(none.contains("<p class=\"finding\">Aucun parent n&#39;a utilisé la cantine, le transport scolaire ni les activités périscolaires\u{202F}; aucun agent communal n&#39;a été actif.</p>"))
        #expect(!none.contains("soit –"))
        #expect(ReportSafetyTests.output.html.contains(" des parents actifs\u{202F}; "))
    }

    // MARK: The analysts' replay and the averages.

    /// The methodology's command replays a table over the report's own period and territory:
    /// it said `--param from=AAAA-MM-JJ … --param commune= --param epci=` in every report,
    /// which in a commune's report replays the whole territory.
    @Test func theReplayCommandIsThisReports() throws {
        let from = CivilDate(year: 2018, month: 10, day: 8), to = CivilDate(year: 2018, month: 11, day: 11)
        #expect(ReportSections.replayCommand(scope: .everything, from: from, to: to)
                == "entstat query Queries/<nom>.sql --param from=2018-10-08 --param to=2018-11-11 --param commune= --param epci=")
        #expect(ReportSections.replayCommand(scope: .commune(code: "80021"), from: from, to: to).hasSuffix(" --param commune=80021 --param epci="))
        #expect(ReportSections.replayCommand(scope: .epci(name: "CC de l'Est de la Somme"), from: from, to: to)
                .hasSuffix(" --param commune= --param \"epci=CC de l'Est de la Somme\""))
        #expect(ReportSections.shellWord("epci=A \"b\" $x `y` \\") == "\"epci=A \\\"b\\\" \\$x \\`y\\` \\\\\"")
        #expect(ReportSections.shellWord("epci=Amiens-Métropole") == "epci=Amiens-Métropole")
        let store = try Store(readingFrom: ReportFixture.shared)
        let request = ReportRequest(minCell: 5, scope: .commune(code: "80005"), queriesDirectory: ReportFixture.queriesDirectory)
        let html = try ReportBuilder(store: store, request: request).build().html
        #expect(html.contains(" --param commune=80005 --param epci=\u{202F}» la rejoue (sans le secret statistique)."))
    }

    /// A column of averages keeps its decimal on a whole value (« 97 » stood under « 105,9 »
    /// in the connections per day of activity); the other volumes stay whole.
    @Test func anAverageKeepsItsDecimal() {
        let html = ReportHTML(minCell: 5)
        #expect(html.display(.volume(97, secrecy: .shown), column: ReportColumn(name: "connexions_par_jour_actif")) == "97,0")
        #expect(html.display(.volume(1234, secrecy: .shown), column: ReportColumn(name: "requetes_par_jour_actif")) == "1\u{202F}234,0")
        #expect(html.display(.volume(105.94, secrecy: .shown), column: ReportColumn(name: "connexions_par_jour_actif")) == "105,9")
        #expect(html.display(.volume(97, secrecy: .shown), column: ReportColumn(name: "connexions")) == "97")
        #expect(html.display(.volume(97, secrecy: .shown), column: ReportColumn(name: "connexions_jour_max")) == "97")
        // The CSV files are unchanged.
        #expect(ReportCSV.field(.volume(97, secrecy: .shown), column: ReportColumn(name: "connexions_par_jour_actif"), minCell: 5) == "97")
    }
}
