/// The nine sections of the report, laid out from the tables the queries returned.
struct ReportSections {
    /// One section: anchor, title, HTML body.
    struct Section {
        let id: String
        let title: String
        let body: String
    }

    let html: ReportHTML
    let tables: [String: ReportTable]
    let comparison: ReportTable
    let previous: ReportTable
    let from: CivilDate
    let to: CivilDate
    let previousFrom: CivilDate
    let previousTo: CivilDate
    let minCell: Int
    /// The threshold asked for, when `minCell` was raised from it (`ReportRequest`).
    var minCellRaisedFrom: Int? = nil
    let scope: ReportScope
    let territory: String
    /// Whether the report was made with the reports it is published with
    /// (`ReportRequest.publishedWith`): the methodology says so.
    var publishedTogether = false

    func all() -> [Section] {
        [synthesis(), adoption(), parents(), services(), communes(), migration(), rhythms(), cctp(), methodology()]
    }

    func table(_ name: String) -> ReportTable { tables[name]! }

    /// Shown value of a cell (`< 5` when hidden).
    func shown(_ cell: ReportCell, _ column: String = "") -> String {
        html.display(cell, column: ReportColumn(name: column))
    }

    static let roleOrder = ["parent", "teacher", "student", "staff", "commune", "unknown"]

    // MARK: 1. Synthèse

    /// The comparison table of section 1: each headline figure, now and in the previous
    /// period of the same length, and the change (hidden with either side, as `s`).
    static func comparison(current: ReportTable, previous: ReportTable) -> ReportTable {
        let columns = [ReportColumn(name: "indicateur", kind: .text), ReportColumn(name: "periode", kind: .users),
                       ReportColumn(name: "periode_precedente", kind: .users), ReportColumn(name: "evolution", kind: .change)]
        var rows: [[ReportCell]] = []
        let previousHasActivity = hasActivity(previous)
        func row(_ label: String, _ column: String, role: String) {
            let now = current.rows(where: "role", is: role).first.map { current.cell($0, column) }
            let before = previous.rows(where: "role", is: role).first.map { previous.cell($0, column) }
            let zero: ReportCell = {
                switch current.columns.first(where: { $0.name == column })?.kind {
                case .rate: return .rate(nil, secrecy: .shown)
                case .volume: return .volume(0, secrecy: .shown)
                default: return .users(0, secrecy: .shown)
                }
            }()
            let a = now ?? zero, b = before ?? zero
            let isRate: Bool = { if case .rate = a { return true }; return false }()
            // Hidden as a complement (« s »), never as « < 5 »: a change is no count, and
            // 100 users against 3 before would have read as a change below 5.
            let hidden: ReportCell.Secrecy = a.isSuppressed || b.isSuppressed ? .complement : .shown
            var delta: Double?
            // A rate's change rounds as the exact difference would (`DecimalRounding`).
            if let x = a.number, let y = b.number { delta = isRate ? DecimalRounding.difference(x, y, scales: ReportCell.changeScales) : x - y }
            if case .rate(nil, _) = b { delta = nil }
            if usageColumns.contains(column) && !previousHasActivity {
                rows.append([.text(label), a, .empty, .change(nil, isRate: isRate, secrecy: .shown)])
                return
            }
            rows.append([.text(label), a, b, .change(delta, isRate: isRate, secrecy: hidden)])
        }
        row("Utilisateurs actifs — ensemble", "utilisateurs_actifs", role: "*")
        for r in current.rows.map({ current.cell($0, "role").textValue }) where r != "*" {
            row("Utilisateurs actifs — \(FrenchText.role(r).lowercased())", "utilisateurs_actifs", role: r)
        }
        row("Comptes activés — ensemble", "comptes_actives", role: "*")
        row("Taux d'activation — ensemble", "taux_activation", role: "*")
        row("Taux d'actifs — ensemble", "taux_actifs", role: "*")
        for r in ["parent", "teacher"] where !current.rows(where: "role", is: r).isEmpty {
            row("Taux d'actifs — \(FrenchText.role(r).lowercased())", "taux_actifs", role: r)
        }
        row("Connexions — ensemble", "connexions", role: "*")
        row("Authentifications — ensemble", "authentifications", role: "*")
        return ReportTable(name: "synthese", title: "Chiffres clés et comparaison avec la période précédente",
                           question: "Les chiffres clés de la période, comparés à la période précédente de même durée.",
                           columns: columns, rows: rows)
    }

    /// The columns of `synthese_roles` that the logs give (the accounts and activations
    /// come from the directory, whatever logs were loaded): without the previous period's
    /// logs, its CSV file leaves them empty, and the comparison table and the headline
    /// figures say « aucune activité enregistrée » instead of a change.
    static let usageColumns: Set<String> = ["utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions",
                                             "authentifications", "requetes", "taux_actifs"]

    /// Whether the previous period's synthesis holds any activity: none means its logs were
    /// most likely not loaded, so its usage figures are unknown rather than zero.
    static func hasActivity(_ previous: ReportTable) -> Bool {
        previous.rows(where: "role", is: "*").first.map { previous.cell($0, "utilisateurs_actifs").count > 0 } ?? false
    }

    /// The previous period's synthesis as its CSV file shows it: with no activity at all, its
    /// usage cells are left empty, as the comparison table (`synthese.csv`) and the page
    /// leave them (« aucune activité enregistrée »), never 0 users and a rate of 0 that an
    /// analyst would read as a fact; the accounts and activations stay.
    static func previousAsPublished(_ previous: ReportTable) -> ReportTable {
        guard !hasActivity(previous) else { return previous }
        var table = previous
        let blank = Set(table.columns.indices.filter { usageColumns.contains(table.columns[$0].name) })
        table.rows = table.rows.map { row in row.enumerated().map { blank.contains($0.offset) ? .empty : $0.element } }
        return table
    }

    /// The line under a headline figure: what a figure hidden as a complement means (a
    /// lone « s » in large type says nothing to a reader who has not reached the footer;
    /// « < 5 » says itself), then the previous period's figure.
    static func tileNote(_ cell: ReportCell, previous: String) -> String {
        cell.secrecy == .complement ? "non publié (secret statistique) ; " + previous : previous
    }

    func synthesis() -> Section {
        let s = table("synthese_roles")
        var tiles = ""
        func tile(_ label: String, role: String, column: String) {
            guard let now = s.rows(where: "role", is: role).first else { return }
            let before = previous.rows(where: "role", is: role).first
            let a = s.cell(now, column)
            var cmp = "période précédente : "
            if !Self.hasActivity(previous) && Self.usageColumns.contains(column) {
                cmp += "aucune activité enregistrée"
            } else if let before {
                let b = previous.cell(before, column)
                cmp += shown(b, column)
            } else {
                cmp += "0"
            }
            tiles += html.tile(label: label, value: shown(a, column), comparison: Self.tileNote(a, previous: cmp))
        }
        tile("Utilisateurs actifs", role: "*", column: "utilisateurs_actifs")
        tile("Parents actifs", role: "parent", column: "utilisateurs_actifs")
        tile("Enseignants actifs", role: "teacher", column: "utilisateurs_actifs")
        tile("Élèves actifs", role: "student", column: "utilisateurs_actifs")
        tile("Taux d'activation des comptes", role: "*", column: "taux_activation")
        tile("Taux d'actifs", role: "*", column: "taux_actifs")
        tile("Connexions (visites)", role: "*", column: "connexions")
        var body = html.paragraph("Période : \(FrenchText.dateRange(from, to)), comparée à la période précédente de même durée (\(FrenchText.dateRange(previousFrom, previousTo))). Un utilisateur actif s'est servi de l'ENT au moins une fois sur la période ; le taux d'actifs rapporte les utilisateurs actifs inscrits à l'annuaire au nombre de comptes distribués.")
        body += "<div class=\"tiles\">\(tiles)</div>"
        if !Self.hasActivity(previous) {
            body += "<p class=\"note\">Aucune activité n'est enregistrée pour la période précédente (ses journaux n'ont sans doute pas été chargés) : les évolutions d'usage ne sont pas calculées.</p>"
        }
        body += html.table(comparison)
        body += html.table(s, columns: ["role", "utilisateurs_actifs", "connexions", "authentifications", "comptes",
                                        "comptes_actives", "taux_activation", "taux_actifs"],
                           caption: "Par rôle, sur la période")
        return Section(id: "synthese", title: "Synthèse", body: body)
    }

    // MARK: 2. Adoption

    func monthSeries(_ t: ReportTable, key: String, values: [String], column: String) -> (labels: [String], series: [SVGChart.Series]) {
        var months: [String] = []
        for row in t.rows {
            let m = t.cell(row, "mois").textValue
            if !months.contains(m) { months.append(m) }
        }
        var series: [SVGChart.Series] = []
        for v in values {
            let rows = t.rows(where: key, is: v)
            guard !rows.isEmpty else { continue }
            let byMonth = Dictionary(rows.map { (t.cell($0, "mois").textValue, t.cell($0, column).number) }, uniquingKeysWith: { a, _ in a })
            let label = key == "role" ? FrenchText.role(v) : FrenchText.level(v)
            series.append(SVGChart.Series(name: label, values: months.map { byMonth[$0] ?? nil }))
        }
        return (months.map { FrenchText.monthLabel($0, from: from, to: to) }, series)
    }

    /// The sentence under a lines chart, naming the series it has no line for (the chart's
    /// legend leaves them out): a role without accounts has no rate, and a small group's
    /// figures are not published. `figure`: what is missing, « taux » or « chiffre ».
    static func caption(_ sentence: String, undrawn series: [SVGChart.Series], figure: String = "taux") -> String {
        let names = series.count > 1 ? series.filter { !$0.isDrawn }.map(\.name) : []
        guard !names.isEmpty else { return sentence }
        return sentence + " Sans courbe, faute de \(figure) publié : " + names.joined(separator: ", ") + "."
    }

    /// A chart of lines with its sentence (`caption`); when none of its series has a value
    /// to draw (every rate of a commune's levels `s`, every day's peak of a commune `< 5`),
    /// the sentence alone, saying so, instead of an empty chart (with an axis of nothing);
    /// when the period has no value at all (no x position), that it holds no data, not that
    /// its figures are hidden.
    static func linesFigure(_ html: ReportHTML, _ series: [SVGChart.Series], labels: [String], title: String, percent: Bool,
                            marks: Set<Int> = [], labelEvery: Int = 1, sentence: String, figure: String = "taux") -> String {
        guard series.contains(where: \.isDrawn) else {
            guard !labels.isEmpty else {
                return "<p class=\"note\">" + HTMLText.escape(sentence + " Aucune courbe : aucune donnée sur la période.") + "</p>"
            }
            // (One series: the chart's title names it.)
            let names = series.count > 1 ? series.map(\.name).joined(separator: ", ") : ""
            return "<p class=\"note\">" + HTMLText.escape(sentence + " Aucune courbe, faute de \(figure) publié" + (names.isEmpty ? "." : " : \(names).")) + "</p>"
        }
        return html.figure(SVGChart.lines(series, xLabels: labels, title: title, percent: percent, marks: marks, labelEvery: labelEvery),
                           sentence: caption(sentence, undrawn: series, figure: figure))
    }

    func adoption() -> Section {
        let trend = table("tendance_mensuelle")
        let (labels, series) = monthSeries(trend, key: "role", values: ["*"] + ReportSections.roleOrder, column: "taux_actifs")
        var body = html.paragraph("Pour chaque rôle et chaque niveau d'école : comptes distribués, comptes activés, taux d'activation (comptes activés / comptes) et taux d'actifs (comptes utilisés au moins une fois / comptes). Un utilisateur rattaché à deux écoles de niveaux différents compte dans chacun des deux niveaux, et une seule fois dans le total du rôle.")
        body += Self.linesFigure(html, series, labels: labels, title: "Taux d'actifs mensuel par rôle", percent: true,
                                 sentence: "Part des comptes utilisés au moins une fois dans le mois, par rôle (une ligne par rôle ; l'ensemble en bleu foncé).")
        body += html.table(table("adoption_role_niveau"))
        body += html.table(trend, columns: ["mois", "role", "utilisateurs_actifs", "connexions", "comptes", "comptes_actives",
                                            "taux_activation", "taux_actifs"])
        return Section(id: "adoption", title: "Adoption par rôle et niveau d'école", body: body)
    }

    // MARK: 3. Parents

    func parents() -> Section {
        let t = table("parents_niveau_mensuel")
        let levels = ["maternelle", "elementaire", "primaire"]
        let active = monthSeries(t, key: "niveau", values: levels, column: "taux_actifs")
        let activation = monthSeries(t, key: "niveau", values: levels, column: "taux_activation")
        let overall = table("adoption_role_niveau")
        func rate(_ level: String, _ column: String) -> ReportCell? {
            overall.rows.first { overall.cell($0, "role").textValue == "parent" && overall.cell($0, "niveau").textValue == level }
                .map { overall.cell($0, column) }
        }
        var body = html.paragraph("Selon le retour d'expérience à l'origine de ce rapport, les parents s'impliqueraient davantage quand leurs comptes leur sont remis dès l'école maternelle, alors qu'ils sont encore très présents à l'école. Les chiffres ci-dessous comparent l'usage des comptes parents niveau par niveau ; ils décrivent la situation, ils ne démontrent pas à eux seuls cet effet. Une école primaire (classes maternelles et élémentaires) forme son propre niveau.")
        if let m = rate("maternelle", "taux_actifs"), let e = rate("elementaire", "taux_actifs") {
            body += "<p class=\"finding\">Part des comptes parents utilisés sur la période : \(HTMLText.escape(FrenchText.ratePhrase(m))) en maternelle, contre \(HTMLText.escape(FrenchText.ratePhrase(e))) en élémentaire"
            if let p = rate("primaire", "taux_actifs") { body += " et \(HTMLText.escape(FrenchText.ratePhrase(p))) en primaire" }
            body += ".</p>"
        }
        body += Self.linesFigure(html, active.series, labels: active.labels, title: "Taux de parents actifs par niveau", percent: true,
                                 sentence: "Part des comptes parents utilisés au moins une fois dans le mois, selon le niveau de l'école de l'enfant.")
        body += Self.linesFigure(html, activation.series, labels: activation.labels, title: "Taux d'activation des comptes parents par niveau", percent: true,
                                 sentence: "Part des comptes parents activés à la fin de chaque mois, selon le niveau de l'école.")
        body += html.table(t)
        return Section(id: "parents", title: "Parents selon le niveau d'école", body: body)
    }

    // MARK: 4. Services

    func services() -> Section {
        let t = table("services_par_role")
        func bars(_ role: String) -> [SVGChart.Bar] {
            t.rows(where: "role", is: role).map { row in
                let cell = t.cell(row, "taux_penetration")
                return SVGChart.Bar(label: FrenchText.feature(t.cell(row, "service").textValue), value: cell.number, display: shown(cell))
            }
        }
        var body = html.paragraph("Pour chaque service de l'ENT, le nombre d'utilisateurs distincts, de connexions (une connexion qui touche plusieurs services compte dans chacun) et le taux d'usage : la part des utilisateurs actifs du rôle qui s'en sont servis. Services classés du plus au moins utilisé.")
        // (No service used in the period: no chart, the table says « Aucune donnée ».)
        let allBars = bars("*")
        if !allBars.isEmpty {
            body += html.figure(SVGChart.bars(allBars, title: "Taux d'usage des services, tous rôles", maximum: 1),
                                sentence: "Part des utilisateurs actifs qui ont utilisé chaque service sur la période, tous rôles confondus.")
        }
        let parentBars = bars("parent")
        if !parentBars.isEmpty {
            body += html.figure(SVGChart.bars(parentBars, title: "Taux d'usage des services chez les parents", maximum: 1),
                                sentence: "Part des parents actifs qui ont utilisé chaque service.")
        }
        body += html.table(t, columns: ["role", "service", "utilisateurs", "connexions", "utilisateurs_actifs_role", "taux_penetration"])
        return Section(id: "services", title: "Services utilisés", body: body)
    }

    // MARK: 5. Communes et EPCI

    /// The rows of the EPCI table that get a bar: each EPCI's, not the total's, nor that of a
    /// group without accounts, which has no rate (the users outside the directory, « (sans
    /// EPCI) », had a bar of « – »). A hidden rate keeps its bar, empty, with its mark.
    static func epciBarRows(_ e: ReportTable) -> [[ReportCell]] {
        e.rows.filter { row in
            if case .rate(nil, .shown) = e.cell(row, "taux_actifs") { return false }
            return e.cell(row, "epci").textValue != "*"
        }
    }

    /// True when a bar chart compares something: two bars or more, one at least drawn.
    static func chartsBars(_ bars: [SVGChart.Bar]) -> Bool {
        bars.count > 1 && bars.contains { $0.value != nil }
    }

    /// True when `cell` is a count shown as 0: a sentence says « aucun », not « 0 parent a
    /// utilisé ».
    static func isNone(_ cell: ReportCell) -> Bool {
        cell.secrecy == .shown && cell.count == 0
    }

    /// The sentence over the communes' services: the parents who used one of them at least,
    /// with their `share` of the active parents, and the active commune agents. No one reads
    /// « aucun » (it wrote « 0 parent a utilisé au moins un de ces trois services, soit
    /// 0,0 % des parents actifs ; 0 agent communal a été actif »); without any active parent
    /// the share has no value and is not said (no « soit – des parents actifs »).
    static func communeServicesFinding(parents: ReportCell, share: ReportCell, agents: ReportCell, minCell: Int) -> String {
        let used: String
        if isNone(parents) {
            used = "Aucun parent n'a utilisé la cantine, le transport scolaire ni les activités périscolaires"
        } else {
            let who = FrenchText.countPhrase(parents, noun: "parents", minCell: minCell)
            let rate = share.number == nil && !share.isSuppressed ? "" : ", soit \(FrenchText.ratePhrase(share)) des parents actifs"
            used = who.prefix(1).uppercased() + who.dropFirst() + " " + FrenchText.agreeing(parents, "a utilisé", "ont utilisé")
                + " au moins un de ces trois services" + rate
        }
        let active = isNone(agents) ? "aucun agent communal n'a été actif"
            : FrenchText.countPhrase(agents, noun: "agents communaux", minCell: minCell) + " " + FrenchText.agreeing(agents, "a été actif", "ont été actifs")
        return used + " ; " + active + "."
    }

    func communes() -> Section {
        let e = table("epci")
        let bars = Self.epciBarRows(e).map { row -> SVGChart.Bar in
            let c = e.cell(row, "taux_actifs")
            return SVGChart.Bar(label: FrenchText.keyText(e.cell(row, "epci").textValue, column: "epci"), value: c.number, display: shown(c))
        }
        var body = html.paragraph("Taux d'activation et taux d'actifs par intercommunalité et par commune, et parents actifs. Un utilisateur compte dans la commune de chacune de ses écoles ; un agent communal dans sa commune.")
        // A chart compares EPCIs: not for one alone (a commune's report), nor when every rate
        // is hidden (a bar of « s » and nothing drawn); the table below holds them.
        if Self.chartsBars(bars) {
            body += html.figure(SVGChart.bars(bars, title: "Taux d'actifs par EPCI", maximum: 1),
                                sentence: "Part des comptes utilisés au moins une fois sur la période, par EPCI.")
        }
        body += html.table(e)
        body += html.table(table("communes"), columns: ["code_commune", "commune", "epci", "comptes", "taux_activation",
                                                        "utilisateurs_actifs", "taux_actifs", "comptes_parents", "parents_actifs", "taux_parents_actifs"])
        let schools = html.table(table("ecoles"), columns: ["uai", "ecole", "niveau", "commune", "comptes", "taux_activation",
                                                             "utilisateurs_actifs", "taux_actifs", "parents_actifs"])
        body += scope == .everything ? "<details><summary>Détail par école (ecoles.csv)</summary>\(schools)</details>" : schools
        let p = table("communes_parents_services")
        body += "<h3>Communes et parents : cantine, transport, périscolaire</h3>"
        body += html.paragraph("L'ENT ouvre un canal entre la collectivité et les parents. Ce tableau mesure l'usage, par les parents, des services qui relèvent de la commune (cantine, transport scolaire, activités périscolaires) et l'activité des agents communaux.")
        if let total = p.rows(where: "code_commune", is: "*").first {
            body += "<p class=\"finding\">" + HTMLText.escape(Self.communeServicesFinding(
                parents: p.cell(total, "parents_services_commune"), share: p.cell(total, "taux_parents_services_commune"),
                agents: p.cell(total, "agents_communaux_actifs"), minCell: minCell)) + "</p>"
        }
        body += html.table(p, columns: ["code_commune", "commune", "parents_actifs", "parents_cantine", "parents_transport",
                                        "parents_periscolaire", "taux_parents_services_commune", "agents_communaux_actifs",
                                        "connexions_agents_communaux"])
        return Section(id: "communes", title: "Communes et EPCI", body: body)
    }

    // MARK: 6. Migration

    /// The sentence of the migration: of the persons active in the old ENT, those found in
    /// the new one, and their share. No one found reads « aucune n'a utilisé le nouvel ENT »
    /// (it wrote « 0 a aussi utilisé le nouvel ENT, soit 0,0 % »); a count hidden as `s`,
    /// with no noun, takes a singular verb (« un nombre non publié (secret statistique) a
    /// aussi utilisé »).
    static func migrationFinding(before: ReportCell, found: ReportCell, share: ReportCell, minCell: Int) -> String {
        guard !isNone(before) else { return "Personne n'a utilisé l'ancien ENT pendant la période." }
        let sur = "Sur " + FrenchText.countPhrase(before, noun: "personnes", minCell: minCell) + " "
            + FrenchText.agreeing(before, "active", "actives") + " dans l'ancien ENT pendant la période, "
        guard !isNone(found) else { return sur + "aucune n'a utilisé le nouvel ENT." }
        let verb = found.secrecy == .complement ? "a aussi utilisé" : FrenchText.agreeing(found, "a aussi utilisé", "ont aussi utilisé")
        return sur + FrenchText.countPhrase(found, minCell: minCell) + " " + verb + " le nouvel ENT, soit " + FrenchText.ratePhrase(share) + "."
    }

    func migration() -> Section {
        let w = table("migration_hebdo")
        // « S41 »: the week's number, as French calendars abbreviate it.
        let labels = w.rows.map { "S" + w.cell($0, "semaine").textValue.suffix(2) }
        let series = [("Ancien ENT", "utilisateurs_ancien_ent"), ("Nouvel ENT", "utilisateurs_nouvel_ent"), ("Les deux", "utilisateurs_les_deux")].map { name, column in
            SVGChart.Series(name: name, values: w.rows.map { w.cell($0, column).number })
        }
        let b = table("migration_bilan")
        var body = html.paragraph("Pendant le tuilage, les deux ENT fonctionnent en parallèle. Une personne est reconnue dans les deux journaux grâce à son identifiant dans l'ancien ENT (legacy_id de l'annuaire). Les semaines sont des semaines ISO (du lundi au dimanche).")
        if let total = b.rows(where: "role", is: "*").first {
            body += "<p class=\"finding\">" + HTMLText.escape(Self.migrationFinding(
                before: b.cell(total, "utilisateurs_ancien_ent"), found: b.cell(total, "utilisateurs_retrouves"),
                share: b.cell(total, "part_retrouves"), minCell: minCell)) + "</p>"
        }
        // Nobody outside the directory can be followed from one ENT to the other: their share
        // is left empty by the query, and said why.
        if !b.rows(where: "role", is: "unknown").isEmpty {
            body += "<p class=\"note\">Les personnes absentes de l'annuaire (inconnus) ne peuvent pas être reconnues d'un ENT à l'autre : leur part retrouvée n'est pas calculée, et elles comptent dans l'ensemble parmi les personnes non retrouvées.</p>"
        }
        body += Self.linesFigure(html, series, labels: labels, title: "Utilisateurs actifs par semaine dans chaque ENT", percent: false,
                                 labelEvery: max(1, labels.count / 12),
                                 sentence: "Utilisateurs actifs chaque semaine dans l'ancien ENT, dans le nouveau, et dans les deux la même semaine.", figure: "chiffre")
        body += html.table(b)
        // The week's days are in its label: its Monday stays in the CSV only.
        body += html.table(w, columns: w.columns.map(\.name).filter { $0 != "lundi" })
        return Section(id: "migration", title: "La migration", body: body)
    }

    // MARK: 7. Rythmes

    /// The cells of a role's weekday × hour grid (`rythmes_semaine_heure`): nil where the
    /// table has no row (no visit then).
    static func heatmapCells(_ t: ReportTable, role: String) -> [[ReportCell?]] {
        var grid = [[ReportCell?]](repeating: [ReportCell?](repeating: nil, count: 24), count: 7)
        for row in t.rows(where: "role", is: role) {
            let d = t.cell(row, "jour_semaine").count, h = t.cell(row, "heure").count
            if (1...7).contains(d) && (0...23).contains(h) { grid[d - 1][h] = t.cell(row, "connexions") }
        }
        return grid
    }

    /// The heatmap's values: 0 without a row, nil where the count is hidden (a hidden count
    /// was drawn, and written in the grid of figures, as 0).
    static func heatmapValues(_ cells: [[ReportCell?]]) -> [[Double?]] {
        cells.map { $0.map { cell in cell.map { $0.number } ?? 0 } }
    }

    /// The grid of figures behind a heatmap: each hour's count as the table shows it (`< 5`,
    /// `s`), 0 without a row.
    static func heatmapPivot(_ html: ReportHTML, _ cells: [[ReportCell?]], days: [String]) -> String {
        var pivot = "<div class=\"table-wrap\"><table class=\"pivot\"><thead><tr><th scope=\"col\">Jour</th>"
        for h in 0..<24 { pivot += "<th scope=\"col\" class=\"n\">\(h) h</th>" }
        pivot += "</tr></thead><tbody>"
        for (d, row) in cells.enumerated() {
            pivot += "<tr><th scope=\"row\">\(days[d])</th>"
                + row.map { "<td class=\"n\">\(HTMLText.escape($0.map { html.display($0, column: ReportColumn(name: "connexions")) } ?? "0"))</td>" }.joined()
                + "</tr>"
        }
        return pivot + "</tbody></table></div>"
    }

    /// The sentence under the chart of daily users: a day of fewer users than the
    /// threshold is a gap in the line; at a threshold of 0 or 1, which hides no count
    /// (`Suppression.isSmall`), it says nothing of hidden days (it read « un jour de moins
    /// de 0 utilisateurs est masqué »).
    static func dailyChartSentence(minCell: Int) -> String {
        let sentence = "Utilisateurs actifs chaque jour ; les mercredis sont grisés. Les week-ends et les vacances scolaires apparaissent en creux"
        guard minCell > 1 else { return sentence + "." }
        return sentence + " ; un jour de moins de \(minCell) utilisateurs est masqué (trou dans la courbe)."
    }

    func rhythms() -> Section {
        let r = table("rythmes_semaine_heure")
        var body = html.paragraph("Quand les utilisateurs se connectent-ils ? Chaque case compte les connexions commencées à cette heure (heure de Paris) ce jour de la semaine, sur toute la période ; plus la case est foncée, plus il y en a. Le mercredi (sans classe, ou classe le matin seulement, selon la commune) et le week-end se distinguent.")
        let days = FrenchText.weekdays.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        // Every role's cells, gathered once: the all-roles map's also serve its grid below.
        let allRoles = Self.heatmapCells(r, role: "*")
        for role in ["*", "parent", "teacher", "student", "commune"] where !r.rows(where: "role", is: role).isEmpty {
            let name = role == "*" ? "tous rôles" : FrenchText.role(role).lowercased()
            let values = Self.heatmapValues(role == "*" ? allRoles : Self.heatmapCells(r, role: role))
            let struck = values.contains { $0.contains { $0 == nil } } ? " Case barrée : nombre de connexions non publié (secret statistique)." : ""
            body += html.figure(SVGChart.heatmap(values, rowLabels: days, title: "Connexions par jour et heure, \(name)"),
                                sentence: "Connexions par jour de la semaine et heure de début, \(name).\(struck)")
        }
        // The numbers behind the all-roles heatmap, as a weekday × hour grid.
        body += "<details><summary>Chiffres de la carte « tous rôles » (connexions par jour et heure ; rythmes_semaine_heure.csv)</summary>"
            + Self.heatmapPivot(html, allRoles, days: days)
            + "<p class=\"note\">Détail par rôle : rythmes_semaine_heure.csv.</p></details>"
        let daily = table("activite_quotidienne")
        let labels = daily.rows.map { row -> String in
            let d = CivilDate(iso: daily.cell(row, "jour").textValue)
            return d.map { "\($0.day)/\($0.month)" } ?? ""
        }
        let wednesdays = Set(daily.rows.indices.filter { daily.cell(daily.rows[$0], "jour_semaine").count == 3 })
        let series = [SVGChart.Series(name: "Utilisateurs actifs", values: daily.rows.map { daily.cell($0, "utilisateurs_actifs").number })]
        body += Self.linesFigure(html, series, labels: labels, title: "Utilisateurs actifs par jour", percent: false,
                                 marks: wednesdays, labelEvery: max(1, labels.count / 10),
                                 sentence: Self.dailyChartSentence(minCell: minCell), figure: "chiffre")
        body += "<details><summary>Chiffres jour par jour (activite_quotidienne.csv)</summary>" + html.table(daily) + "</details>"
        return Section(id: "rythmes", title: "Rythmes", body: body)
    }

    // MARK: 8. Annexe CCTP

    /// The first day whose peak is `maximum`, when the table shows that day's peak: the date
    /// of a hidden day would give its count (nil then).
    static func maximumPeakDay(_ peaks: ReportTable, _ maximum: Int) -> CivilDate? {
        guard let row = peaks.rows.first(where: { peaks.cell($0, "pic_utilisateurs_simultanes").count == maximum }),
              !peaks.cell(row, "pic_utilisateurs_simultanes").isSuppressed else { return nil }
        return CivilDate(iso: peaks.cell(row, "jour").textValue)
    }

    /// A day's peak of `n` users as the table of daily peaks publishes it: the figure when a
    /// day shows it, else the mark of the days hiding it (`< 5`, `s`), so that a tile never
    /// shows a count the table hides; nil when no day holds `n`.
    static func publishedPeak(_ peaks: ReportTable, _ n: Int, html: ReportHTML) -> String? {
        let cells = peaks.rows.map { peaks.cell($0, "pic_utilisateurs_simultanes") }.filter { $0.count == n }
        guard let cell = cells.first(where: { !$0.isSuppressed }) ?? cells.first else { return nil }
        return html.display(cell, column: ReportColumn(name: "pic_utilisateurs_simultanes"))
    }

    func cctp() -> Section {
        let peaks = table("peak_concurrent_users")
        let values = peaks.rows.map { peaks.cell($0, "pic_utilisateurs_simultanes").count }.sorted()
        // (`n` is always a day's peak, which `publishedPeak` finds; were it not, the mark of
        // a hidden figure, never a count the table does not publish.)
        func usersText(_ n: Int) -> String { Self.publishedPeak(peaks, n, html: html) ?? FrenchText.complementMark }
        var body = html.paragraph("Les chiffres dont un cahier des clauses techniques particulières (CCTP) a besoin pour dimensionner le prochain ENT, sur la période du \(FrenchText.date(from)) au \(FrenchText.date(to)).")
        if let maximum = values.last {
            let rank = max(0, Int((0.95 * Double(values.count)).rounded(.up)) - 1)
            let p95 = values[rank]
            body += "<div class=\"tiles\">"
            body += html.tile(label: "Pic d'utilisateurs simultanés (maximum)", value: usersText(maximum),
                              comparison: Self.maximumPeakDay(peaks, maximum).map { "atteint pour la première fois le \(FrenchText.date($0))" }
                                  ?? "date non publiée (secret statistique)")
            body += html.tile(label: "Pic quotidien, 95ᵉ centile", value: usersText(p95),
                              comparison: "95 % des jours d'activité ont un pic inférieur ou égal à cette valeur")
            body += html.tile(label: "Jours d'activité", value: FrenchText.integer(values.count), comparison: "jours avec au moins une connexion")
            body += "</div>"
            body += html.paragraph("Utilisateurs simultanés : nombre d'utilisateurs distincts ayant une activité dans une même tranche de 5 minutes (00:00–00:04:59, 00:05–00:09:59…, comptées depuis minuit : le jour du passage à l'heure d'hiver, l'heure répétée a ses propres tranches). Ce n'est pas un nombre de sessions ouvertes au même instant. Le pic d'un jour est la tranche la plus chargée ; le 95ᵉ centile est calculé sur \(values.count > 1 ? "les \(FrenchText.days(values.count))" : "le seul jour") d'activité (rang le plus proche).")
        }
        let labels = peaks.rows.map { row -> String in
            CivilDate(iso: peaks.cell(row, "jour").textValue).map { "\($0.day)/\($0.month)" } ?? ""
        }
        body += Self.linesFigure(html, [SVGChart.Series(name: "Pic", values: peaks.rows.map { peaks.cell($0, "pic_utilisateurs_simultanes").number })],
                                 labels: labels, title: "Pic quotidien d'utilisateurs simultanés", percent: false,
                                 labelEvery: max(1, labels.count / 10),
                                 sentence: "Chaque jour d'activité, le plus grand nombre d'utilisateurs distincts actifs dans une même tranche de 5 minutes.",
                                 figure: "chiffre")
        let hours = table("heures_chargees")
        // The busiest hours whose visits are shown (hidden ones come last, `SecrecyOrder`).
        let top = hours.rows.filter { !hours.cell($0, "connexions").isSuppressed }.prefix(3).map { "\(hours.cell($0, "heure").count) h" }
        if !top.isEmpty {
            body += "<p class=\"finding\">Heures les plus chargées (début des connexions) : \(HTMLText.escape(top.joined(separator: ", "))).</p>"
        }
        body += html.table(hours, maxRows: 24)
        body += html.table(table("volumes_par_role"))
        let services = table("services_par_role")
        body += html.table(services, columns: ["service", "utilisateurs", "connexions", "requetes", "taux_penetration"],
                           caption: "Classement des services par nombre d'utilisateurs, tous rôles",
                           rowFilter: { services.cell($0, "role").textValue == "*" })
        body += "<details><summary>Pic quotidien, jour par jour (peak_concurrent_users.csv)</summary>" + html.table(peaks) + "</details>"
        return Section(id: "cctp", title: "Annexe CCTP : dimensionnement", body: body)
    }

    // MARK: 9. Méthodologie

    /// The command that replays a table's query over this report's period and territory (a
    /// commune's report said `--param commune=`, the whole territory's figures): the
    /// parameters of `ReportScope.parameters(from:to:)`, each shell-quoted when it must be
    /// (`--param "epci=CC de l'Est"`).
    static func replayCommand(scope: ReportScope, from: CivilDate, to: CivilDate) -> String {
        let parameters = scope.parameters(from: from, to: to)
        return "entstat query Queries/<nom>.sql" + ["from", "to", "commune", "epci"].map { " --param " + shellWord($0 + "=" + (parameters[$0] ?? "")) }.joined()
    }

    /// `word` as a POSIX shell reads it back: as it is when made of safe characters, else in
    /// double quotes, with `\`, `"`, `$` and `` ` `` escaped.
    static func shellWord(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "=_.,/:+-".unicodeScalars.contains($0) }
        guard !safe else { return word }
        return "\"" + word.map { "\\\"$`".contains($0) ? "\\" + String($0) : String($0) }.joined() + "\""
    }

    func methodology() -> Section {
        let definitions: [(String, String)] = [
            ("Utilisateur", "Une personne qui s'est servie de l'ENT, identifiée par son compte de l'annuaire de l'ENT (accounts.csv) : ses traces dans l'ancien ENT (identifiant legacy_id) et dans le nouveau (user_id) sont celles d'une seule personne. Une personne absente de l'annuaire est comptée quand même, avec le rôle indiqué par le journal, ou « inconnu »."),
            ("Rôle, niveau, commune, EPCI", "Ils viennent de l'annuaire et des écoles de la personne (pour un agent communal, de sa commune). Une personne rattachée à plusieurs écoles compte une fois dans chacune, et une seule fois dans tout total au-dessus : les effectifs ne s'additionnent donc pas toujours."),
            ("Enregistrement retenu", "Toute trace d'un utilisateur identifié ; dans l'ancien ENT, seulement les réponses réussies (statut 200 à 399) hors fichiers statiques (images, feuilles de style, scripts, polices). Les lignes illisibles sont rejetées et comptées à part."),
            ("Dates", "Toutes les dates sont en heure de Paris, quel que soit le fuseau du serveur ; un jour est un jour civil, une semaine va du lundi au dimanche (semaine ISO), une année scolaire du 1er septembre au 31 août."),
            ("Requêtes", "Nombre d'enregistrements retenus."),
            ("Authentifications", "Enregistrements retenus qui sont des ouvertures de session (ce que les consoles des éditeurs appellent « connexions »)."),
            ("Utilisateurs actifs", "Personnes distinctes ayant au moins un enregistrement retenu dans la période et le groupe."),
            ("Connexions (visites)", "Suite des enregistrements d'un même utilisateur sur un même jour, ancien et nouvel ENT confondus, où deux enregistrements consécutifs sont séparés de 30 minutes au plus (un écart de 30 minutes pile continue la visite, un écart plus long en ouvre une nouvelle) ; une visite ne passe jamais minuit. Par service, une visite compte une fois pour chaque service qu'elle touche."),
            ("Pic d'utilisateurs simultanés", "Pour un jour, le plus grand nombre d'utilisateurs distincts actifs dans une même tranche de 5 minutes."),
            ("Comptes, comptes activés", "Comptes de l'annuaire du groupe ; activés : ceux dont la date d'activation est au plus tard le dernier jour de la période (ou du mois)."),
            ("Taux d'activation", "Comptes activés / comptes."),
            ("Taux d'actifs", "Utilisateurs actifs inscrits à l'annuaire / comptes ; il ne dépasse pas 100 %, sauf avertissement en tête du rapport. Un compte peut servir avant que l'annuaire n'enregistre son activation : le taux d'actifs peut dépasser le taux d'activation."),
            ("Taux d'usage d'un service", "Utilisateurs du service / utilisateurs actifs du même groupe sur la même période."),
            ("Période précédente", "La période de même durée qui précède immédiatement la période du rapport."),
            ("Évolution", "Écart avec la période précédente, calculé sur les valeurs exactes avant arrondi (il peut différer d'un dixième de l'écart des valeurs affichées) ; pour un taux, en points de pourcentage (pt). Elle est masquée (« s ») quand l'un des deux chiffres l'est."),
        ]
        var body = "<dl class=\"defs\">"
        for (term, text) in definitions { body += "<dt>\(HTMLText.escape(term))</dt><dd>\(HTMLText.escape(text))</dd>" }
        body += "</dl>"
        body += "<h3>Période et périmètre</h3>"
        body += html.paragraph("Période couverte : du \(FrenchText.date(from)) au \(FrenchText.date(to)) inclus. Périmètre : \(scope == .everything ? "ensemble du territoire" : territory).")
        if scope != .everything {
            body += html.paragraph("Pour une commune ou un EPCI, seuls comptent les utilisateurs et les comptes rattachés à une école (ou, pour un agent communal, à une commune) de ce territoire ; un parent dont les enfants sont scolarisés dans deux communes compte dans chacune.")
        }
        body += "<h3>Secret statistique</h3>"
        if minCell <= 1 {
            body += html.paragraph("Aucun effectif n'est masqué dans ce rapport (seuil --min-cell \(minCell)) : ce rapport ne doit pas être publié tel quel.")
        } else {
            if let asked = minCellRaisedFrom {
                body += html.paragraph("Le seuil de ce rapport a été relevé de \(asked) à \(minCell) : au seuil \(asked), des effectifs masqués restaient déductibles des autres cellules, quels que soient les chiffres masqués en plus (par exemple quatre communes à « < \(asked) » agents chacune, leur total à « < \(asked) » aussi : chacune en a 1). Au seuil \(minCell), aucun ne l'est.")
            }
            if publishedTogether {
                let (others, shared): (String, String)
                switch scope {
                case .commune: (others, shared) = ("celui du territoire, celui de l'EPCI", "la ligne de la commune, celles de ses écoles, celle de l'EPCI")
                case .epci: (others, shared) = ("celui du territoire, ou ceux de ses communes", "la ligne de l'EPCI, celles de ses communes et de leurs écoles")
                case .everything: (others, shared) = ("ceux des communes, des EPCI", "la ligne de chaque commune, de chaque école, de chaque EPCI")
                }
                body += html.paragraph("Ce rapport est publié avec d'autres (\(others)) : les chiffres qu'il partage avec eux (\(shared)) y sont masqués ou montrés comme dans ceux-ci, pour qu'on ne puisse pas retrouver, en les lisant ensemble, un chiffre que l'un d'eux masque.")
            }
            body += html.paragraph("En bref : tout effectif \(minCell == 2 ? "d'une seule personne" : "de 1 à \(minCell - 1) personnes") est remplacé par « < \(minCell) », et d'autres chiffres, notés « s », sont masqués pour qu'on ne puisse pas retrouver un petit effectif par différence. Le détail suit.")
            body += html.paragraph("Tout effectif de personnes distinctes (utilisateurs, comptes, parents, agents, pic d'utilisateurs simultanés) \(minCell == 2 ? "égal à 1" : "compris entre 1 et \(minCell - 1)") est remplacé par « < \(minCell) », dans ce rapport comme dans les fichiers CSV, ainsi que tout taux calculé à partir de lui. Pour qu'un effectif masqué ne puisse pas être retrouvé par différence avec un total, ni un petit groupe qu'aucune ligne ne montre (par exemple les agents d'une commune, par différence entre la commune et ses écoles), d'autres effectifs sont masqués aussi : le plus petit effectif non nul parmi les lignes détaillées du total (ou, à défaut, le total), dans chaque tableau et entre tableaux (une commune, ses écoles et ses agents ; un EPCI et ses communes) ; ils sont remplacés par « \(FrenchText.complementMark) » (secret statistique), car ils ne sont pas forcément petits. Un même effectif qui figure dans deux tableaux est masqué dans les deux. Des effectifs masqués dont la somme se déduit des autres cellules ne doivent pas pouvoir être retrouvés un à un (trois rôles masqués dont le total est 3 valent 1 chacun) : un effectif de plus est alors masqué. Chaque personne active ayant au moins une connexion et une requête, les connexions et requêtes d'un groupe dont l'effectif est masqué (et ce qui en est calculé : par jour d'activité, au jour le plus chargé) sont masquées avec lui, et protégées par différence comme les effectifs ; les autres volumes, dont les authentifications, sont publiés, sauf lorsqu'il faut en masquer un pour protéger un effectif (il est alors protégé de la même façon). Les parts d'un total (la part de chaque heure dans les connexions de la période) sont toutes masquées quand ce total ne peut pas être publié : chacune permettrait de le retrouver.")
        }
        body += "<h3>Journaux lus</h3>"
        body += html.table(table("fichiers_ingeres"))
        let failed = table("fichiers_en_echec")
        if failed.rows.isEmpty {
            body += html.paragraph("Aucun fichier en échec : tous les journaux proposés ont été chargés, ou reconnus comme déjà chargés.")
        } else {
            body += html.paragraph("Les fichiers suivants n'ont pas pu être lus jusqu'au bout ou contenaient trop de lignes illisibles (plus de 5 %) ; ils ne comptent dans aucun chiffre tant qu'ils n'ont pas été réparés et proposés à nouveau.")
            body += html.table(failed)
        }
        body += "<h3>Pour les analystes : refaire les calculs</h3>"
        body += html.paragraph("Chaque tableau est aussi un fichier CSV (UTF-8, séparateur point-virgule, virgule décimale) dans le dossier de ce rapport, produit par la requête SQL du même nom du dossier Queries/ ; « \(Self.replayCommand(scope: scope, from: from, to: to)) » la rejoue (sans le secret statistique). Dans les CSV, « * » désigne la ligne de total et les taux sont des fractions à 4 décimales ; les codes y restent ceux des requêtes : rôles parent, teacher (enseignant), student (élève), staff (personnel), commune (agent communal), unknown (hors annuaire) ; niveaux maternelle, elementaire (élémentaire), primaire ; journaux access (ancien ENT) et events (nouvel ENT) ; services sous leur nom court (cahier_liaison, periscolaire…), et connexion pour l'ouverture et la fermeture de session.")
        return Section(id: "methodologie", title: "Méthodologie", body: body)
    }
}
