/// Relations a reader knows from the report's published structure (the queries' documented
/// meaning, the tables' keys), beyond a total and its parts in one table: the same
/// accounts in every month and in the previous period, a day's or an hour's visits adding
/// up to the period's, a service's users among its role's… Each kind is one function below.
///
/// Exact equalities of a total and its parts are `Relation`s (so step 2 also protects them
/// alone); inequalities are `Equation`s of kind `.atLeast` or `.atMost`, never relations
/// (one hidden cell of an inequality is not recomputable: it only bounds the others); a
/// figure published twice under two names is a group (hidden everywhere with one place).
/// Every cell of a group must hold the same value: a link the data do not meet is left out
/// (it cannot be a structural relation), and one met by chance only hides more.
extension ReportSuppression {
    /// What `statedRelations` states, to add to the tables' own relations.
    struct Stated {
        var relations: [Relation] = []
        var equations: [Equation] = []
        var groups: [[CellRef]] = []

        static func + (a: Stated, b: Stated) -> Stated {
            Stated(relations: a.relations + b.relations, equations: a.equations + b.equations, groups: a.groups + b.groups)
        }
    }

    /// Every relation kind below, over the tables of one period (and the previous period's
    /// `synthese_roles_periode_precedente`, when given with them).
    static func statedRelations(_ tables: [ReportTable]) -> Stated {
        let cells = Cells(tables: tables)
        var stated = previousPeriodAccounts(cells) + monthsVersusPeriod(cells) + daysVersusPeriod(cells) + hoursVersusDays(cells)
            + servicesVersusRole(cells) + parentServicesVersusServices(cells) + levelsVersusSchools(cells)
            + weeksVersusPeriod(cells) + dayMaxima(cells) + nestedSetDifferences(cells)
            + weeksVersusDays(cells) + communeAgents(cells)
        // A relation the true values do not meet is no structural one (a query changed by
        // an analyst): left out, rather than leave the solver no starting point.
        stated.equations = stated.equations.filter { cells.holds($0) }
        return stated
    }

    /// Finds the tables, rows and cells the relations are made of, by name.
    struct Cells {
        let tables: [ReportTable]

        func table(_ name: String) -> Int? { tables.firstIndex { $0.name == name } }

        /// The rows of table `t` whose text (or ordinal) key cells hold the given values.
        func rows(_ t: Int, _ key: [String: String]) -> [Int] {
            let columns = key.map { (tables[t].column($0.key), $0.value) }
            guard columns.allSatisfy({ $0.0 != nil }) else { return [] }
            return tables[t].rows.indices.filter { r in
                columns.allSatisfy { text(tables[t].rows[r][$0.0!]) == $0.1 }
            }
        }

        /// The rows of table `t` by the text of their `column`, the total (`*`) and empty
        /// keys left out: for lookups. To go through them, `rowsInKeyOrder`.
        func rowsByKey(_ t: Int, _ column: String) -> [String: [Int]] {
            guard tables[t].column(column) != nil else { return [:] }
            var found: [String: [Int]] = [:]
            for r in tables[t].rows.indices {
                let value = key(t, r, column)
                if value != "*" && !value.isEmpty { found[value, default: []].append(r) }
            }
            return found
        }

        /// `rowsByKey` in the keys' order: a dictionary's own order changes from run to run
        /// (Swift seeds its hashing per process), and the relations' order is part of the
        /// path the secrecy's passes take, so relations are stated in this one.
        func rowsInKeyOrder(_ t: Int, _ column: String) -> [(key: String, rows: [Int])] {
            rowsByKey(t, column).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }

        func row(_ t: Int, _ key: [String: String]) -> Int? {
            let found = rows(t, key)
            return found.count == 1 ? found[0] : nil
        }

        func text(_ cell: ReportCell) -> String {
            if case .ordinal(let n) = cell { return String(n) }
            return cell.textValue
        }

        /// The text of a key cell.
        func key(_ t: Int, _ r: Int, _ column: String) -> String {
            guard let c = tables[t].column(column) else { return "" }
            return text(tables[t].rows[r][c])
        }

        func ref(_ t: Int, _ r: Int, _ column: String) -> CellRef? {
            tables[t].column(column).map { CellRef(table: t, row: r, column: $0) }
        }

        func value(_ ref: CellRef) -> Int { tables[ref.table].rows[ref.row][ref.column].count }

        /// The value of a sum of cells, each with its coefficient.
        func value(_ terms: [(ref: CellRef, coefficient: Int)]) -> Int {
            terms.reduce(0) { $0 + $1.coefficient * value($1.ref) }
        }

        /// Whether the cells' values meet an equation.
        func holds(_ equation: Equation) -> Bool {
            let sum = value(equation.terms)
            switch equation.kind {
            case .equal: return sum == 0
            case .atLeast: return sum >= 0
            case .atMost: return sum <= 0
            }
        }

        /// The same figure published in several cells: a group when they all hold the same
        /// value, else nothing.
        func same(_ refs: [CellRef?]) -> [[CellRef]] {
            let found = refs.compactMap { $0 }
            guard found.count > 1, found.count == refs.count, Set(found.map(value)).count == 1 else { return [] }
            return [found]
        }

        /// `small` ≤ `large`, each a sum of cells (missing cells: nothing stated).
        func atMost(_ small: [CellRef?], _ large: [CellRef?], times: Int = 1) -> [Equation] {
            guard small.allSatisfy({ $0 != nil }), large.allSatisfy({ $0 != nil }), !small.isEmpty, !large.isEmpty else { return [] }
            return [Equation(kind: .atLeast, terms: large.map { ($0!, times) } + small.map { ($0!, -1) })]
        }

        /// A difference of nested sets row `r` publishes (`whole` − `subset`, itself a set of
        /// the group's persons or accounts) as terms of an equation; nil when table `t` lacks
        /// a column.
        func difference(_ t: Int, _ r: Int, _ columns: (whole: String, subset: String)) -> [(ref: CellRef, coefficient: Int)]? {
            guard let whole = ref(t, r, columns.whole), let subset = ref(t, r, columns.subset) else { return nil }
            return [(whole, 1), (subset, -1)]
        }

        /// A difference (`difference`) at most the sum of others: a part's among its
        /// totals'.
        func differenceAtMost(_ part: [(ref: CellRef, coefficient: Int)], _ wholes: [[(ref: CellRef, coefficient: Int)]]) -> Equation {
            Equation(kind: .atLeast, terms: wholes.flatMap { $0 } + part.map { ($0.ref, -$0.coefficient) })
        }

        /// A total over groups a person may belong to several of: each part at most the
        /// total, the total at most the sum of its parts.
        func overlapping(total: CellRef?, parts: [CellRef?]) -> [Equation] {
            guard total != nil, !parts.isEmpty else { return [] }
            return atMost([total], parts) + parts.flatMap { atMost([$0], [total]) }
        }

        /// A total that is exactly the sum of its parts.
        func exact(total: CellRef?, parts: [CellRef?]) -> [Relation] {
            guard let total, !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return [] }
            return [Relation(total: total, parts: parts.map { $0! })]
        }

        /// The days of `activite_quotidienne`: their row, date and weekday.
        func days() -> (table: Int, rows: [(row: Int, date: String, weekday: String)])? {
            guard let t = table("activite_quotidienne") else { return nil }
            return (t, tables[t].rows.indices.map { ($0, key(t, $0, "jour"), key(t, $0, "jour_semaine")) })
        }

        /// The days with an active user (a hidden count is at least 1, a zero is shown): a
        /// reader counts them.
        func activeDays() -> Int? {
            guard let (t, rows) = days(), let u = tables[t].column("utilisateurs_actifs") else { return nil }
            return rows.filter { tables[t].rows[$0.row][u].count > 0 }.count
        }
    }

    /// Accounts do not depend on the period (`comptes` counts the accounts of the territory,
    /// whatever their activity): the previous period's are this period's, the same figure.
    /// Accounts activated by the end of the previous period are still activated at the end
    /// of this one: at most this period's (activation is never undone).
    static func previousPeriodAccounts(_ cells: Cells) -> Stated {
        guard let now = cells.table("synthese_roles"), let before = cells.table("synthese_roles_periode_precedente") else { return Stated() }
        var stated = Stated()
        for r in cells.tables[before].rows.indices {
            let role = cells.key(before, r, "role")
            guard let n = cells.row(now, ["role": role]) else { continue }
            stated.groups += cells.same([cells.ref(before, r, "comptes"), cells.ref(now, n, "comptes")])
            stated.equations += cells.atMost([cells.ref(before, r, "comptes_actives")], [cells.ref(now, n, "comptes_actives")])
        }
        return stated
    }

    /// A month of the period (`tendance_mensuelle` by role, `parents_niveau_mensuel` by
    /// level for the parents) against the period (`synthese_roles`, `adoption_role_niveau`):
    /// the same accounts (they do not depend on time); activated accounts, counted at the end
    /// of each month, grow from month to month up to the period's; a month's active users
    /// are among the period's, and the period's are in some month (at most the sum of the
    /// months), and so are its active users outside the directory; visits add up over the
    /// months.
    static func monthsVersusPeriod(_ cells: Cells) -> Stated {
        var stated = Stated()
        let series: [(months: String, group: String, period: String, periodKey: (String) -> [String: String])] = [
            ("tendance_mensuelle", "role", "synthese_roles", { ["role": $0] }),
            ("parents_niveau_mensuel", "niveau", "adoption_role_niveau", { ["role": "parent", "niveau": $0] }),
        ]
        for s in series {
            guard let m = cells.table(s.months), let p = cells.table(s.period) else { continue }
            var byGroup: [String: [Int]] = [:]
            for r in cells.tables[m].rows.indices { byGroup[cells.key(m, r, s.group), default: []].append(r) }
            for (group, rows) in byGroup.sorted(by: { $0.key < $1.key }) {
                guard let pr = cells.row(p, s.periodKey(group)) else { continue }
                let months = rows.sorted { cells.key(m, $0, "mois") < cells.key(m, $1, "mois") }
                for r in months {
                    stated.groups += cells.same([cells.ref(m, r, "comptes"), cells.ref(p, pr, "comptes")])
                }
                let activated = months.map { cells.ref(m, $0, "comptes_actives") }
                let periodActivated = cells.ref(p, pr, "comptes_actives")
                for (a, b) in zip(activated, activated.dropFirst() + [periodActivated]) {
                    stated.equations += cells.atMost([a], [b])
                }
                // A month's activated accounts are counted on its last day cut to the
                // period's end: the month that holds the end shows the period's figure.
                if let last = activated.last { stated.groups += cells.same([last, periodActivated]) }
                for column in ["utilisateurs_actifs", "utilisateurs_actifs_inscrits"] {
                    let parts = months.map { cells.ref(m, $0, column) }
                    if parts.count == 1 {
                        stated.groups += cells.same(parts + [cells.ref(p, pr, column)])
                    } else {
                        stated.equations += cells.overlapping(total: cells.ref(p, pr, column), parts: parts)
                    }
                }
                // The active users outside the directory (active − listed), a difference of
                // nested sets: a month's among the period's, the period's at most the months'.
                let unlisted = (whole: "utilisateurs_actifs", subset: "utilisateurs_actifs_inscrits")
                if months.count > 1, let period = cells.difference(p, pr, unlisted) {
                    let parts = months.compactMap { cells.difference(m, $0, unlisted) }
                    if parts.count == months.count {
                        for part in parts { stated.equations.append(cells.differenceAtMost(part, [period])) }
                        stated.equations.append(cells.differenceAtMost(period, parts))
                    }
                }
                if cells.tables[m].column("connexions") != nil {
                    stated.relations += cells.exact(total: cells.ref(p, pr, "connexions"), parts: months.map { cells.ref(m, $0, "connexions") })
                }
            }
        }
        return stated
    }

    /// The days of the period (`activite_quotidienne`) against the period (`synthese_roles`,
    /// role `*`): visits add up over the days (a visit never crosses midnight); a day's
    /// active users are among the period's, which are at most the sum of the days'; a day's
    /// peak of simultaneous users is among its users.
    static func daysVersusPeriod(_ cells: Cells) -> Stated {
        guard let (d, days) = cells.days(), let s = cells.table("synthese_roles"), let all = cells.row(s, ["role": "*"]) else { return Stated() }
        var stated = Stated()
        stated.relations += cells.exact(total: cells.ref(s, all, "connexions"), parts: days.map { cells.ref(d, $0.row, "connexions") })
        stated.equations += cells.overlapping(total: cells.ref(s, all, "utilisateurs_actifs"), parts: days.map { cells.ref(d, $0.row, "utilisateurs_actifs") })
        if let peaks = cells.table("peak_concurrent_users") {
            for day in days {
                guard let r = cells.row(peaks, ["jour": day.date]) else { continue }
                stated.equations += cells.atMost([cells.ref(peaks, r, "pic_utilisateurs_simultanes")], [cells.ref(d, day.row, "utilisateurs_actifs")])
            }
        }
        return stated
    }

    /// Visits by weekday and hour (`rythmes_semaine_heure`, role `*`) against the days
    /// (`activite_quotidienne`) and the hours (`heures_chargees`): a weekday's visits over
    /// its hours are those of the days of that weekday; an hour's visits are its visits
    /// over the weekdays, and add up over the hours to the period's (`synthese_roles`, `*`);
    /// an hour's visits on a weekday are at most that weekday's number of days times the
    /// hour's busiest day, and over the period at most the active days times it.
    static func hoursVersusDays(_ cells: Cells) -> Stated {
        var stated = Stated()
        let rhythm = cells.table("rythmes_semaine_heure")
        let allRows = rhythm.map { cells.rows($0, ["role": "*"]) } ?? []
        if let y = rhythm, let (d, days) = cells.days() {
            for weekday in Set(days.map(\.weekday)).sorted() {
                let dayRows = days.filter { $0.weekday == weekday }.map { cells.ref(d, $0.row, "connexions") }
                let hours = allRows.filter { cells.key(y, $0, "jour_semaine") == weekday }.map { cells.ref(y, $0, "connexions") }
                guard !hours.isEmpty, dayRows.allSatisfy({ $0 != nil }), hours.allSatisfy({ $0 != nil }) else { continue }
                if dayRows.count == 1 {
                    stated.relations += cells.exact(total: dayRows[0], parts: hours)
                } else {
                    stated.equations.append(Equation(terms: dayRows.map { ($0!, 1) } + hours.map { ($0!, -1) }))
                }
            }
        }
        guard let h = cells.table("heures_chargees") else { return stated }
        if let s = cells.table("synthese_roles"), let all = cells.row(s, ["role": "*"]) {
            stated.relations += cells.exact(total: cells.ref(s, all, "connexions"), parts: cells.tables[h].rows.indices.map { cells.ref(h, $0, "connexions") })
        }
        // The active days of each weekday (a day without an active user has no visit).
        var daysOfWeekday: [String: Int] = [:]
        if let (d, days) = cells.days(), let u = cells.tables[d].column("utilisateurs_actifs") {
            for day in days where cells.tables[d].rows[day.row][u].count > 0 { daysOfWeekday[day.weekday, default: 0] += 1 }
        }
        let active = cells.activeDays() ?? 0
        for r in cells.tables[h].rows.indices {
            let hour = cells.key(h, r, "heure")
            let busiest = cells.ref(h, r, "connexions_jour_le_plus_charge")
            if let y = rhythm {
                let parts = allRows.filter { cells.key(y, $0, "heure") == hour }
                stated.relations += cells.exact(total: cells.ref(h, r, "connexions"), parts: parts.map { cells.ref(y, $0, "connexions") })
                for p in parts {
                    guard let n = daysOfWeekday[cells.key(y, p, "jour_semaine")], n > 0 else { continue }
                    stated.equations += cells.atMost([cells.ref(y, p, "connexions")], [busiest], times: n)
                }
            }
            if active > 0 { stated.equations += cells.atMost([cells.ref(h, r, "connexions")], [busiest], times: active) }
        }
        return stated
    }

    /// A role's services (`services_par_role`) against the role (`synthese_roles`): each
    /// request is of one service, so a role's requests are the sum of its services'; a
    /// service's visits are among the role's, and each of the role's active users and
    /// visits used some service (at most the sum of the services').
    static func servicesVersusRole(_ cells: Cells) -> Stated {
        guard let f = cells.table("services_par_role"), let s = cells.table("synthese_roles") else { return Stated() }
        var stated = Stated()
        var byRole: [String: [Int]] = [:]
        for r in cells.tables[f].rows.indices { byRole[cells.key(f, r, "role"), default: []].append(r) }
        for (role, rows) in byRole.sorted(by: { $0.key < $1.key }) {
            guard let sr = cells.row(s, ["role": role]) else { continue }
            stated.relations += cells.exact(total: cells.ref(s, sr, "requetes"), parts: rows.map { cells.ref(f, $0, "requetes") })
            stated.equations += cells.atMost([cells.ref(s, sr, "utilisateurs_actifs")], rows.map { cells.ref(f, $0, "utilisateurs") })
            stated.equations += cells.overlapping(total: cells.ref(s, sr, "connexions"), parts: rows.map { cells.ref(f, $0, "connexions") })
        }
        return stated
    }

    /// The parents' services of the communes (`communes_parents_services`): on each row, the
    /// parents who used any of the three services are at most the sum of each service's
    /// (and at least each, `SecrecyPropagation.atMost`), and each service's users have a
    /// visit to it among the three services' visits. Row `*` is the parents' rows of
    /// `services_par_role` for canteen, transport and after-school: the same users per
    /// service, and the visits to the three services together.
    static func parentServicesVersusServices(_ cells: Cells) -> Stated {
        guard let c = cells.table("communes_parents_services") else { return Stated() }
        var stated = Stated()
        let services = [("parents_cantine", "cantine"), ("parents_transport", "transport"), ("parents_periscolaire", "periscolaire")]
        for r in cells.tables[c].rows.indices {
            let parts = services.map { cells.ref(c, r, $0.0) }
            stated.equations += cells.atMost([cells.ref(c, r, "parents_services_commune")], parts)
            stated.equations += cells.atMost(parts, [cells.ref(c, r, "connexions_parents_services_commune")])
        }
        guard let all = cells.row(c, ["code_commune": "*"]), let f = cells.table("services_par_role") else { return stated }
        var visits: [CellRef?] = []
        for (column, service) in services {
            let r = cells.row(f, ["role": "parent", "service": service])
            stated.groups += cells.same([cells.ref(c, all, column), r.flatMap { cells.ref(f, $0, "utilisateurs") }])
            if let r { visits.append(cells.ref(f, r, "connexions")) }
        }
        stated.relations += cells.exact(total: cells.ref(c, all, "connexions_parents_services_commune"), parts: visits)
        return stated
    }

    /// A level of `adoption_role_niveau` against the schools of that level (`ecoles`): the
    /// persons of a level are the members of its schools, so all roles of the level
    /// together are at most the sum of its schools and at least each school (a person has
    /// one role); the same for the parents of the level and the schools' active parents.
    static func levelsVersusSchools(_ cells: Cells) -> Stated {
        guard let a = cells.table("adoption_role_niveau"), let e = cells.table("ecoles") else { return Stated() }
        var stated = Stated()
        var byLevel: [String: [Int]] = [:]
        for r in cells.tables[e].rows.indices { byLevel[cells.key(e, r, "niveau"), default: []].append(r) }
        for (level, schools) in byLevel.sorted(by: { $0.key < $1.key }) where !level.isEmpty && level != "*" {
            let levelRows = cells.rows(a, ["niveau": level])
            guard !levelRows.isEmpty else { continue }
            for column in ["comptes", "comptes_actives", "utilisateurs_actifs", "utilisateurs_actifs_inscrits"] {
                let roles = levelRows.map { cells.ref(a, $0, column) }
                let parts = schools.map { cells.ref(e, $0, column) }
                stated.equations += cells.atMost(roles, parts)
                for p in parts { stated.equations += cells.atMost([p], roles) }
            }
            if let parents = cells.row(a, ["role": "parent", "niveau": level]) {
                let level = cells.ref(a, parents, "utilisateurs_actifs")
                let parts = schools.map { cells.ref(e, $0, "parents_actifs") }
                stated.equations += cells.atMost([level], parts)
                for p in parts { stated.equations += cells.atMost([p], [level]) }
            }
        }
        return stated
    }

    /// A commune's agents (role `commune`) have an account of their commune and belong to
    /// no school (SPEC §1.2), and each agent has one commune: a commune's accounts are at
    /// most its schools' plus its agents' (a person may be in two schools), and at least
    /// each school's plus its agents'; the agents of the report's communes are the role
    /// `commune`'s of `adoption_role_niveau` (every level). The agents' accounts of each
    /// commune are published nowhere, but a reader eliminates them: what a commune has
    /// beyond the sum of its schools is at most the role's, and so is that excess summed
    /// over every commune; the role's is at most what each commune has beyond its largest
    /// school (by true value: any school gives a true bound), summed over every commune.
    /// Stated for the accounts, the activated ones and the accounts not activated (an
    /// account is activated or not wherever it counts). So when the role's every account is
    /// activated (9 of 9 in the sample's CA Amiens Métropole), each commune's agents' are
    /// too, and a one-school commune's shown accounts and activated accounts leave its
    /// school's activated accounts exact: the auditor found them so, with no such relation
    /// here to protect them.
    static func communeAgents(_ cells: Cells) -> Stated {
        guard let c = cells.table("communes"), let e = cells.table("ecoles") else { return Stated() }
        guard let a = cells.table("adoption_role_niveau"), let role = cells.row(a, ["role": "commune", "niveau": "*"]) else { return Stated() }
        let schoolsOf = cells.rowsByKey(e, "code_commune")
        let communeRows = cells.rowsInKeyOrder(c, "code_commune").filter { $0.rows.count == 1 }.map { $0.rows[0] }
        guard !communeRows.isEmpty else { return Stated() }
        var stated = Stated()
        typealias Terms = [(ref: CellRef, coefficient: Int)]
        /// A figure of row `r` of table `t`: a column, or the accounts not activated.
        let figures: [(Int, Int) -> Terms?] = [
            { t, r in cells.ref(t, r, "comptes").map { [($0, 1)] } },
            { t, r in cells.ref(t, r, "comptes_actives").map { [($0, 1)] } },
            { t, r in cells.difference(t, r, (whole: "comptes", subset: "comptes_actives")) },
        ]
        for figure in figures {
            guard let whole = figure(a, role) else { continue }
            var excesses: [Terms] = [], remainders: [Terms] = []
            var complete = true
            for r in communeRows {
                let code = cells.key(c, r, "code_commune")
                guard let commune = figure(c, r) else { complete = false; break }
                let schools = (schoolsOf[code] ?? []).map { figure(e, $0) }
                guard schools.allSatisfy({ $0 != nil }) else { complete = false; break }
                // Beyond the sum of its schools: at most its agents', at most the role's.
                let excess = commune + schools.flatMap { $0!.map { ($0.ref, -$0.coefficient) } }
                excesses.append(excess)
                stated.equations.append(Equation(kind: .atLeast, terms: whole + excess.map { ($0.ref, -$0.coefficient) }))
                // Beyond its largest school: at least its agents'.
                let largest = schools.map { $0! }.max { cells.value($0) < cells.value($1) }
                remainders.append(commune + (largest ?? []).map { ($0.ref, -$0.coefficient) })
            }
            guard complete, communeRows.count > 1 else { continue }
            stated.equations.append(Equation(kind: .atLeast, terms: whole + excesses.flatMap { $0 }.map { ($0.ref, -$0.coefficient) }))
            stated.equations.append(Equation(kind: .atLeast, terms: remainders.flatMap { $0 } + whole.map { ($0.ref, -$0.coefficient) }))
        }
        return stated
    }

    /// The differences of nested sets a row publishes, each itself a set of the group's
    /// persons or accounts (`differenceColumns`), so a part's is among its total's: a
    /// total's accounts minus its activated ones are at least a part's (an account is
    /// activated or not wherever it counts), and so are its accounts minus its listed active
    /// users (a listed active user of a group is one of its accounts, SPEC §2.4), its active
    /// users minus its listed ones (the users outside the directory), and the same for the
    /// parents' columns. So a commune whose every account is activated shows that each of
    /// its schools' are too, and the difference it would have hidden (its agents' activated
    /// accounts) with them: the cells' own relations (a part at most its total, activated at
    /// most accounts) do not say it. Stated for a commune (`communes`) and each of its
    /// schools (`ecoles`), an EPCI (`epci`) and each of its communes, the total row (`*`)
    /// of each of those tables and each of its rows, a role at every level and at each level
    /// (`adoption_role_niveau`), the parents at every level of a month and at each level
    /// (`parents_niveau_mensuel`), and a school and its level over all roles (at most the
    /// sum of the roles'). Over the months, the accounts of a level activated during a month
    /// (its activated minus the month before's) are among the month's at every level.
    static func nestedSetDifferences(_ cells: Cells) -> Stated {
        var stated = Stated()
        func state(total: (table: Int, row: Int), part: (table: Int, row: Int)) {
            for d in differenceColumns {
                guard let whole = cells.difference(total.table, total.row, d), let piece = cells.difference(part.table, part.row, d) else { continue }
                stated.equations.append(cells.differenceAtMost(piece, [whole]))
            }
        }
        let communes = cells.table("communes"), schools = cells.table("ecoles"), epcis = cells.table("epci")
        for (totals, parts, key) in [(communes, schools, "code_commune"), (epcis, communes, "epci")] {
            guard let totals, let parts else { continue }
            let partRows = cells.rowsByKey(parts, key)
            for (value, totalRows) in cells.rowsInKeyOrder(totals, key) where totalRows.count == 1 {
                for r in partRows[value] ?? [] { state(total: (totals, totalRows[0]), part: (parts, r)) }
            }
        }
        for (t, key) in [(communes, "code_commune"), (schools, "uai"), (epcis, "epci")] {
            guard let t, let total = cells.row(t, [key: "*"]) else { continue }
            for r in cells.tables[t].rows.indices where r != total && !["*", ""].contains(cells.key(t, r, key)) {
                state(total: (t, total), part: (t, r))
            }
        }
        // A group at each level within the same group at every level.
        for (name, group) in [("adoption_role_niveau", "role"), ("parents_niveau_mensuel", "mois")] {
            guard let t = cells.table(name) else { continue }
            for (value, rows) in cells.rowsInKeyOrder(t, group) {
                guard let total = cells.row(t, [group: value, "niveau": "*"]) else { continue }
                for r in rows where r != total && !["*", ""].contains(cells.key(t, r, "niveau")) {
                    state(total: (t, total), part: (t, r))
                }
            }
        }
        // A school within its level, all roles: at most the sum of the roles' at that level.
        if let schools, let a = cells.table("adoption_role_niveau") {
            for r in cells.tables[schools].rows.indices {
                let level = cells.key(schools, r, "niveau")
                guard !["*", ""].contains(level) else { continue }
                let roles = cells.rows(a, ["niveau": level]).filter { cells.key(a, $0, "role") != "*" }
                guard !roles.isEmpty else { continue }
                for d in differenceColumns {
                    guard let piece = cells.difference(schools, r, d) else { continue }
                    let wholes = roles.compactMap { cells.difference(a, $0, d) }
                    guard wholes.count == roles.count else { continue }
                    stated.equations.append(cells.differenceAtMost(piece, wholes))
                }
            }
        }
        // The accounts of a level activated during a month, among the month's at every level.
        if let t = cells.table("parents_niveau_mensuel") {
            let months = cells.rowsInKeyOrder(t, "mois")
            for (before, month) in zip(months.map(\.key), months.dropFirst()) {
                guard let allBefore = cells.row(t, ["mois": before, "niveau": "*"]), let all = cells.row(t, ["mois": month.key, "niveau": "*"]),
                      let a0 = cells.ref(t, allBefore, "comptes_actives"), let a1 = cells.ref(t, all, "comptes_actives") else { continue }
                for r in month.rows where r != all {
                    let level = cells.key(t, r, "niveau")
                    guard !["*", ""].contains(level), let r0 = cells.row(t, ["mois": before, "niveau": level]),
                          let l0 = cells.ref(t, r0, "comptes_actives"), let l1 = cells.ref(t, r, "comptes_actives") else { continue }
                    stated.equations.append(cells.differenceAtMost([(l1, 1), (l0, -1)], [[(a1, 1), (a0, -1)]]))
                }
            }
        }
        return stated
    }

    /// The pairs of columns a row publishes of a set and a subset of it (`whole`, `subset`),
    /// whose difference `nestedSetDifferences` states is a part's at most its total's.
    static let differenceColumns: [(whole: String, subset: String)] = [
        ("comptes", "comptes_actives"),                           // accounts not activated
        ("comptes", "utilisateurs_actifs_inscrits"),              // accounts no listed active user is
        ("utilisateurs_actifs", "utilisateurs_actifs_inscrits"),  // active users outside the directory
        ("comptes_parents", "parents_actifs_inscrits"),
        ("parents_actifs", "parents_actifs_inscrits"),
    ]

    /// The weeks of the migration (`migration_hebdo`) against the period's balance
    /// (`migration_bilan`, row `*`): a period of one week is that week (the same users of
    /// the old ENT, of the new and of both); else a week's users of each ENT are among the
    /// period's, at most the sum of the weeks'. A week's active users (old + new − both)
    /// are among the period's (`synthese_roles`, `*`).
    static func weeksVersusPeriod(_ cells: Cells) -> Stated {
        guard let w = cells.table("migration_hebdo"), let b = cells.table("migration_bilan"), let all = cells.row(b, ["role": "*"]) else { return Stated() }
        var stated = Stated()
        let weeks = Array(cells.tables[w].rows.indices)
        let columns = [("utilisateurs_ancien_ent", "utilisateurs_ancien_ent"), ("utilisateurs_nouvel_ent", "utilisateurs_nouvel_ent"),
                       ("utilisateurs_les_deux", "utilisateurs_retrouves")]
        for (week, period) in columns {
            if weeks.count == 1 {
                stated.groups += cells.same([cells.ref(w, weeks[0], week), cells.ref(b, all, period)])
            } else if week != "utilisateurs_les_deux" {
                stated.equations += cells.overlapping(total: cells.ref(b, all, period), parts: weeks.map { cells.ref(w, $0, week) })
            }
        }
        if let s = cells.table("synthese_roles"), let sr = cells.row(s, ["role": "*"]), let users = cells.ref(s, sr, "utilisateurs_actifs") {
            for r in weeks {
                guard let old = cells.ref(w, r, "utilisateurs_ancien_ent"), let new = cells.ref(w, r, "utilisateurs_nouvel_ent"),
                      let both = cells.ref(w, r, "utilisateurs_les_deux") else { continue }
                stated.equations.append(Equation(kind: .atLeast, terms: [(users, 1), (old, -1), (new, -1), (both, 1)]))
            }
        }
        return stated
    }

    /// The weeks of the migration (`migration_hebdo`, each over the days of the period it
    /// holds) against the days (`activite_quotidienne`): a week's active users (old ENT +
    /// new ENT − both) are at most the sum of its days' and at least each day's. A week the
    /// range cuts to two days, 9 users, beside a Sunday of 5 makes its Saturday's `< 5` 4.
    static func weeksVersusDays(_ cells: Cells) -> Stated {
        guard let w = cells.table("migration_hebdo"), let (d, days) = cells.days() else { return Stated() }
        var byWeek: [String: [Int]] = [:]
        for day in days {
            if let date = CivilDate(iso: day.date) { byWeek[date.isoWeekLabel, default: []].append(day.row) }
        }
        var stated = Stated()
        for r in cells.tables[w].rows.indices {
            guard let dayRows = byWeek[cells.key(w, r, "semaine")],
                  let old = cells.ref(w, r, "utilisateurs_ancien_ent"), let new = cells.ref(w, r, "utilisateurs_nouvel_ent"),
                  let both = cells.ref(w, r, "utilisateurs_les_deux") else { continue }
            let users = dayRows.compactMap { cells.ref(d, $0, "utilisateurs_actifs") }
            guard users.count == dayRows.count else { continue }
            stated.equations.append(Equation(kind: .atLeast, terms: users.map { ($0, 1) } + [(old, -1), (new, -1), (both, 1)]))
            for user in users {
                stated.equations.append(Equation(kind: .atLeast, terms: [(old, 1), (new, 1), (both, -1), (user, -1)]))
            }
        }
        return stated
    }

    /// A role's figures on its busiest day (`volumes_par_role`, `…_jour_max`) against the
    /// period's (`synthese_roles`) and the days (`activite_quotidienne`): at most the
    /// period's, at least the period's over the active days (the period's at most the
    /// active days times the busiest), the period's itself when one day is active; the
    /// busiest day of all roles is at least each role's and each day's, at most the sum of
    /// the roles'.
    static func dayMaxima(_ cells: Cells) -> Stated {
        guard let v = cells.table("volumes_par_role"), let s = cells.table("synthese_roles") else { return Stated() }
        var stated = Stated()
        let maxima = [("utilisateurs_jour_max", "utilisateurs_actifs"), ("connexions_jour_max", "connexions"), ("requetes_jour_max", "requetes")]
        let active = cells.activeDays() ?? 0
        for r in cells.tables[v].rows.indices {
            guard let sr = cells.row(s, ["role": cells.key(v, r, "role")]) else { continue }
            for (dayMax, period) in maxima {
                let m = cells.ref(v, r, dayMax), p = cells.ref(s, sr, period)
                if active == 1 {
                    stated.groups += cells.same([m, p])
                } else {
                    stated.equations += cells.atMost([m], [p])
                    if active > 1 { stated.equations += cells.atMost([p], [m], times: active) }
                }
            }
        }
        if let all = cells.row(v, ["role": "*"]) {
            let roles = cells.tables[v].rows.indices.filter { $0 != all }
            for (dayMax, _) in maxima {
                stated.equations += cells.overlapping(total: cells.ref(v, all, dayMax), parts: roles.map { cells.ref(v, $0, dayMax) })
            }
            if let (d, days) = cells.days() {
                for (dayMax, column) in [("utilisateurs_jour_max", "utilisateurs_actifs"), ("connexions_jour_max", "connexions")] {
                    for day in days { stated.equations += cells.atMost([cells.ref(d, day.row, column)], [cells.ref(v, all, dayMax)]) }
                }
            }
        }
        return stated
    }
}
