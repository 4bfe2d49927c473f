import Testing
@testable import EntStat

/// The report's figures are the very ones of `entstat export` (SPEC §2), computed by two
/// different code paths on the same store: the SQL files of Queries/ and `FigureQuery`.
@Suite struct ReportFiguresTests {
    let store: Store
    let library: QueryLibrary
    let from = CivilDate(year: 2018, month: 9, day: 10)
    let to = CivilDate(year: 2018, month: 11, day: 20)

    init() throws {
        store = try Store(readingFrom: ReportFixture.shared)
        library = try QueryLibrary(directory: ReportFixture.queriesDirectory)
    }

    /// Rows of a query as dictionaries of integer-or-text values.
    func rows(_ name: String, scope: ReportScope = .everything, range: (CivilDate, CivilDate)? = nil) throws -> [[String: String]] {
        var p = scope.parameters
        p["from"] = (range?.0 ?? from).description
        p["to"] = (range?.1 ?? to).description
        let table = try library.query(name).run(on: store, parameters: p)
        return table.rows.map { row in
            var d: [String: String] = [:]
            for (i, c) in table.columns.enumerated() {
                switch row[i] {
                case .integer(let v): d[c] = String(v)
                case .text(let t): d[c] = t
                case .real(let v): d[c] = ExportCSV.formatRate(v)
                default: d[c] = ""
                }
            }
            return d
        }
    }

    func export(_ period: Period, _ dims: [Dimension], range: (CivilDate, CivilDate)? = nil) throws -> [FigureRow] {
        try FigureQuery.rows(store: store, request: ExportRequest(period: period, dimensions: dims,
                                                                  from: range?.0 ?? from, to: range?.1 ?? to))
    }

    /// The volume columns of `synthese_roles` (the other tables compared here hold
    /// `connexions` at most).
    static let allVolumes: Set<String> = ["connexions", "authentifications", "requetes"]

    /// `volumes`: the volume columns the row's table has, each compared with the export's
    /// (a column renamed or dropped fails, instead of being skipped).
    func expectSame(_ row: [String: String], _ figure: FigureRow, _ context: String, volumes: Set<String> = []) {
        #expect(row["utilisateurs_actifs"] == String(figure.activeUsers), "\(context) active_users")
        #expect(row["utilisateurs_actifs_inscrits"] == String(figure.listedActiveUsers), "\(context) listed")
        for (column, value) in [("connexions", figure.connections), ("authentifications", figure.logins), ("requetes", figure.requests)] {
            #expect(row[column] == (volumes.contains(column) ? String(value) : nil), "\(context) \(column)")
        }
        #expect(row["comptes"] == String(figure.accounts), "\(context) accounts")
        #expect(row["comptes_actives"] == String(figure.activatedAccounts), "\(context) activated")
        #expect(row["taux_activation"] == (figure.activationRate.map(ExportCSV.formatRate) ?? ""), "\(context) activation_rate")
        #expect(row["taux_actifs"] == (figure.activeRate.map(ExportCSV.formatRate) ?? ""), "\(context) active_rate")
    }

    /// The ranges and scopes the counts by role are checked on: a range that cuts months
    /// (counted from `activite_periode`), the whole data and a whole month (over the
    /// territory, copied from the rollups' counts), for the territory, a commune and an EPCI.
    func rangesAndScopes() throws -> [((CivilDate, CivilDate), ReportScope)] {
        let days = try RollupFigures.activeDays(store.db, from: 0, to: 1_000_000)
        let ranges = [(from, to), (CivilDate(dayNumber: try #require(days.first)), CivilDate(dayNumber: try #require(days.last))),
                      (CivilDate(year: 2018, month: 10, day: 1), CivilDate(year: 2018, month: 10, day: 31))]
        return ranges.flatMap { range in
            [ReportScope.everything, .commune(code: "80021"), .epci(name: "CA de la Baie de Somme")].map { (range, $0) }
        }
    }

    /// The export's rows of a scope: those of its commune or EPCI, without that column.
    func exportRows(_ period: Period, _ dims: [Dimension], range: (CivilDate, CivilDate), scope: ReportScope) throws -> [FigureRow] {
        let place: (Dimension, String)?
        switch scope {
        case .everything: place = nil
        case .commune(let code): place = (.commune, code)
        case .epci(let name): place = (.epci, name)
        }
        guard let (dimension, value) = place else { return try export(period, dims, range: range) }
        return try export(period, [dimension] + dims, range: range).filter { $0.groups[0] == value }.map { row in
            var r = row
            r.groups.removeFirst()
            return r
        }
    }

    @Test func synthesisByRoleEqualsExport() throws {
        for (range, scope) in try rangesAndScopes() {
            let report = try rows("synthese_roles", scope: scope, range: range)
            let byRole = try exportRows(.all, [.role], range: range, scope: scope)
            #expect(report.count == byRole.count + 1, "\(range) \(scope)")
            for f in byRole {
                let r = try #require(report.first { $0["role"] == f.groups[0] }, "role \(f.groups[0])")
                expectSame(r, f, "role \(f.groups[0]) \(range) \(scope)", volumes: Self.allVolumes)
            }
            let total = try #require(try exportRows(.all, [], range: range, scope: scope).first)
            expectSame(try #require(report.first { $0["role"] == "*" }), total, "total \(range) \(scope)", volumes: Self.allVolumes)
        }
    }

    @Test func roleAndLevelEqualExport() throws {
        for (range, scope) in try rangesAndScopes() {
            let report = try rows("adoption_role_niveau", scope: scope, range: range)
            let figures = try exportRows(.all, [.role, .level], range: range, scope: scope)
            #expect(!figures.isEmpty)
            for f in figures {
                let r = try #require(report.first { $0["role"] == f.groups[0] && $0["niveau"] == f.groups[1] })
                expectSame(r, f, "\(f.groups) \(range) \(scope)")
            }
            #expect(report.filter { $0["niveau"] != "*" }.count == figures.count, "\(range) \(scope)")
            for f in try exportRows(.all, [.role], range: range, scope: scope) {
                expectSame(try #require(report.first { $0["role"] == f.groups[0] && $0["niveau"] == "*" }), f, "\(f.groups) * \(range) \(scope)")
            }
        }
    }

    @Test func monthlyTrendsEqualExport() throws {
        try expectMonthlyTrendsEqualExport(range: nil, scope: .everything)
    }

    /// Months cut by the range are read as their rollup minus the few active days left
    /// out, or day by day: both give the export's figures, for the territory and for a
    /// commune. The ranges cut the first and the last month of the data by one active day
    /// (rollup minus a day, which `RollupFigures.plan` also chooses), and cut months in
    /// their middle (day by day).
    @Test func monthlyTrendsOfCutMonthsEqualExport() throws {
        let days = try RollupFigures.activeDays(store.db, from: 0, to: 1_000_000)
        let first = try #require(days.first), last = try #require(days.last)
        let ranges = [
            (CivilDate(dayNumber: first + 1), CivilDate(dayNumber: last - 1)),
            (CivilDate(dayNumber: days[1]), CivilDate(dayNumber: days[days.count - 2])),
            (CivilDate(year: 2018, month: 9, day: 20), CivilDate(year: 2018, month: 10, day: 12)),
            // October minus its first day, on which alone some parents were active that month.
            (CivilDate(year: 2018, month: 10, day: 2), CivilDate(year: 2018, month: 11, day: 30)),
        ]
        var subtracted = 0
        for range in ranges {
            let plan = RollupFigures.plan(request: ExportRequest(period: .month), fromDay: range.0.dayNumber,
                                          toDay: range.1.dayNumber, activeDays: days)
            subtracted += plan.flatMap(\.1).filter(\.subtracted).count
            for scope in [ReportScope.everything, .commune(code: "80021"), .epci(name: "CA de la Baie de Somme")] {
                try expectMonthlyTrendsEqualExport(range: range, scope: scope)
            }
        }
        #expect(subtracted >= 3)
    }

    func expectMonthlyTrendsEqualExport(range: (CivilDate, CivilDate)?, scope: ReportScope) throws {
        let range = range ?? (from, to)
        let report = try rows("tendance_mensuelle", scope: scope, range: range)
        #expect(!report.isEmpty)
        let byRole = try exportRows(.month, [.role], range: range, scope: scope)
        let everyone = try exportRows(.month, [], range: range, scope: scope)
        #expect(report.count == byRole.count + everyone.count, "\(range) \(scope)")
        for f in byRole {
            let r = try #require(report.first { $0["mois"] == f.period && $0["role"] == f.groups[0] })
            expectSame(r, f, "\(f.period) \(f.groups) \(scope)", volumes: ["connexions"])
        }
        for f in everyone {
            expectSame(try #require(report.first { $0["mois"] == f.period && $0["role"] == "*" }), f, "\(f.period) \(scope)", volumes: ["connexions"])
        }
        let parents = try rows("parents_niveau_mensuel", scope: scope, range: range)
        let parentLevels = try exportRows(.month, [.role, .level], range: range, scope: scope).filter { $0.groups[0] == "parent" }
        #expect(!parentLevels.isEmpty, "\(range) \(scope)")
        for f in try exportRows(.month, [.role], range: range, scope: scope) where f.groups[0] == "parent" {
            let r = try #require(parents.first { $0["mois"] == f.period && $0["niveau"] == "*" })
            #expect(r["utilisateurs_actifs"] == String(f.activeUsers), "\(f.period) * \(scope)")
            #expect(r["utilisateurs_actifs_inscrits"] == String(f.listedActiveUsers), "\(f.period) * \(scope)")
        }
        for f in parentLevels {
            let r = try #require(parents.first { $0["mois"] == f.period && $0["niveau"] == f.groups[1] })
            #expect(r["comptes"] == String(f.accounts))
            #expect(r["comptes_actives"] == String(f.activatedAccounts))
            #expect(r["utilisateurs_actifs"] == String(f.activeUsers))
            #expect(r["taux_actifs"] == (f.activeRate.map(ExportCSV.formatRate) ?? ""))
        }
    }

    @Test func territoriesEqualExport() throws {
        for (range, scope) in try rangesAndScopes() where scope == .everything {
            for (name, column, dimension) in [("epci", "epci", Dimension.epci), ("communes", "code_commune", .commune),
                                              ("ecoles", "uai", .school)] {
                let report = try rows(name, range: range)
                let figures = try export(.all, [dimension], range: range).filter { dimension != .school || !$0.groups[0].isEmpty }
                #expect(!figures.isEmpty)
                for f in figures {
                    let r = try #require(report.first { $0[column] == f.groups[0] }, "\(name) \(f.groups[0]) \(range)")
                    expectSame(r, f, "\(name) \(f.groups[0]) \(range)")
                }
                for f in try export(.all, [dimension, .role], range: range) where f.groups[1] == "parent" && !f.groups[0].isEmpty {
                    let r = try #require(report.first { $0[column] == f.groups[0] })
                    #expect(r["parents_actifs"] == String(f.activeUsers), "\(name) \(f.groups[0]) \(range)")
                    if let listed = r["parents_actifs_inscrits"] { #expect(listed == String(f.listedActiveUsers)) }
                    if let accounts = r["comptes_parents"] { #expect(accounts == String(f.accounts)) }
                }
                if name != "ecoles" {
                    let total = try #require(try export(.all, [], range: range).first)
                    expectSame(try #require(report.first { $0[column] == "*" }), total, "\(name) * \(range)")
                    let parents = try #require(try export(.all, [.role], range: range).first { $0.groups == ["parent"] })
                    #expect(report.first { $0[column] == "*" }?["parents_actifs"] == String(parents.activeUsers))
                }
            }
        }
        // A commune's own report: its total is the commune's row of the département's report.
        let amiens = try rows("synthese_roles", scope: .commune(code: "80021"))
        let exportAmiens = try #require(try export(.all, [.commune]).first { $0.groups == ["80021"] })
        expectSame(try #require(amiens.first { $0["role"] == "*" }), exportAmiens, "scope 80021", volumes: Self.allVolumes)
        let scopedByRole = try export(.all, [.commune, .role]).filter { $0.groups[0] == "80021" }
        for f in scopedByRole {
            expectSame(try #require(amiens.first { $0["role"] == f.groups[1] }), f, "scope 80021 \(f.groups[1])", volumes: Self.allVolumes)
        }
    }

    @Test func servicesMigrationAndDaysEqualExport() throws {
        for (range, scope) in try rangesAndScopes() {
            let services = try rows("services_par_role", scope: scope, range: range)
            let byRole = try exportRows(.all, [.role, .feature], range: range, scope: scope)
            let everyone = try exportRows(.all, [.feature], range: range, scope: scope).map { row in
                var r = row
                r.groups.insert("*", at: 0)
                return r
            }
            let active = Dictionary(try exportRows(.all, [.role], range: range, scope: scope).map { ($0.groups[0], $0.activeUsers) },
                                    uniquingKeysWith: +)
            let total = try #require(try exportRows(.all, [], range: range, scope: scope).first).activeUsers
            #expect(!byRole.isEmpty && !everyone.isEmpty, "\(range) \(scope)")
            #expect(services.count == byRole.count + everyone.count, "\(range) \(scope)")
            for f in byRole + everyone {
                let r = try #require(services.first { $0["role"] == f.groups[0] && $0["service"] == f.groups[1] })
                #expect(r["utilisateurs"] == String(f.activeUsers), "\(f.groups) \(range) \(scope)")
                #expect(r["connexions"] == String(f.connections))
                #expect(r["requetes"] == String(f.requests))
                #expect(r["utilisateurs_actifs_role"] == String(f.groups[0] == "*" ? total : active[f.groups[0]]!))
            }
        }
        let weeks = try rows("migration_hebdo")
        let weekFigures = try export(.week, [.source])
        // Both ENTs, in several weeks.
        #expect(Set(weekFigures.map(\.groups[0])) == ["access", "events"] && Set(weekFigures.map(\.period)).count > 1)
        for f in weekFigures {
            let column = f.groups[0] == "access" ? "utilisateurs_ancien_ent" : "utilisateurs_nouvel_ent"
            #expect(weeks.first { $0["semaine"] == f.period }?[column] == String(f.activeUsers), "\(f.period) \(f.groups)")
        }
        let days = try rows("activite_quotidienne")
        let dayFigures = try export(.day, []).filter { $0.activeUsers > 0 }
        #expect(dayFigures.count > 10)
        for f in dayFigures {
            let r = try #require(days.first { $0["jour"] == f.period })
            #expect(r["utilisateurs_actifs"] == String(f.activeUsers))
            #expect(r["connexions"] == String(f.connections))
        }
    }

    @Test func peakConcurrentUsersScopedEqualsWholeWhenScopeIsEverything() throws {
        let whole = try rows("peak_concurrent_users")
        let s = try store.db.prepare("SELECT c.date, MAX(users) FROM day_window d JOIN calendar c ON c.day = d.day WHERE c.date BETWEEN ?1 AND ?2 GROUP BY d.day")
        try s.bind(.text(from.description), .text(to.description))
        var expected: [String: String] = [:]
        while try s.step() { expected[s.text(0)] = String(s.int(1)) }
        #expect(expected.count > 10)
        #expect(Dictionary(uniqueKeysWithValues: whole.map { ($0["jour"]!, $0["pic_utilisateurs_simultanes"]!) }) == expected)
        // The bitmap path: every EPCI's peak is at most the whole's, and their sum at least it.
        let names = try rows("epci").compactMap { $0["epci"] }.filter { $0 != "*" }
        #expect(names.count >= 2)
        var sums: [String: Int] = [:]
        for name in names {
            for r in try rows("peak_concurrent_users", scope: .epci(name: name)) {
                let v = Int(r["pic_utilisateurs_simultanes"]!)!
                #expect(v <= Int(expected[r["jour"]!] ?? "0")!)
                sums[r["jour"]!, default: 0] += v
            }
        }
        for (day, peak) in expected { #expect(sums[day, default: 0] >= Int(peak)!, "\(day)") }
    }

    /// Without a commune or EPCI, four queries read the totals per day and role; their
    /// figures are the day rows' own sums (persons with a place), computed here directly.
    @Test func theTerritoryTotalsPerDayAndRoleGiveTheDayRowsSums() throws {
        func sums(_ sql: String) throws -> [String: String] {
            let s = try store.db.prepare(sql)
            try s.bind(.int(from.dayNumber), .int(to.dayNumber))
            var out: [String: String] = [:]
            while try s.step() { out[s.text(0)] = String(s.int(1)) }
            return out
        }
        let placed = "person IN (SELECT person FROM person_place)"
        let hours = try sums("SELECT hour, SUM(visits) FROM visit_start WHERE day BETWEEN ?1 AND ?2 AND \(placed) GROUP BY hour")
        #expect(hours.count > 5)
        #expect(Dictionary(uniqueKeysWithValues: try rows("heures_chargees").map { ($0["heure"]!, $0["connexions"]!) }) == hours)
        let grid = try sums("""
            SELECT c.weekday || '-' || v.hour, SUM(v.visits) FROM visit_start v JOIN calendar c ON c.day = v.day
            WHERE v.day BETWEEN ?1 AND ?2 AND v.\(placed) GROUP BY c.weekday, v.hour
            """)
        let rhythm = try rows("rythmes_semaine_heure").filter { $0["role"] == "*" }
        #expect(Dictionary(uniqueKeysWithValues: rhythm.map { ($0["jour_semaine"]! + "-" + $0["heure"]!, $0["connexions"]!) }) == grid)
        let byRole = try sums("""
            SELECT p.role, SUM(a.requests) FROM activity a JOIN (SELECT DISTINCT person, role FROM person_place) p ON p.person = a.person
            WHERE a.day BETWEEN ?1 AND ?2 AND a.source = '*' AND a.feature = '*' GROUP BY p.role
            """)
        let volumes = try rows("volumes_par_role").filter { $0["role"] != "*" }
        #expect(Dictionary(uniqueKeysWithValues: volumes.map { ($0["role"]!, $0["requetes"]!) }) == byRole)
        let days = try sums("""
            SELECT c.date, COUNT(*) FROM activity a JOIN calendar c ON c.day = a.day
            WHERE a.day BETWEEN ?1 AND ?2 AND a.source = '*' AND a.feature = '*' AND a.\(placed) GROUP BY a.day
            """)
        let daily = try rows("activite_quotidienne").filter { $0["utilisateurs_actifs"] != "0" }
        #expect(Dictionary(uniqueKeysWithValues: daily.map { ($0["jour"]!, $0["utilisateurs_actifs"]!) }) == days)
    }
}
