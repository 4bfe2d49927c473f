/// Builds the adoption report: runs the query files for the period (and the previous period
/// of the same length), applies statistical secrecy, and lays out the nine sections.
public struct ReportBuilder {
    /// Called with the name of each query before it runs (progress on a terminal).
    public var onQuery: ((String) -> Void)?
    /// Called once every query has run, before the statistical secrecy is applied (when it
    /// is: `minCell` above 0), which takes seconds of one thread for a large territory.
    public var onSecrecy: (() -> Void)?
    /// Called before the report is built again at a higher threshold
    /// (`buildRaisingMinCell`), with that threshold.
    public var onThresholdTry: ((Int) -> Void)?
    /// Threads that run the queries, each on its own connection (1: all on the caller's).
    public var queryThreads = WorkerThreads.processorCount

    /// The store the report reads.
    public let store: Store
    /// What the report is asked for: period, territory, threshold, query folder.
    public private(set) var request: ReportRequest
    let library: QueryLibrary

    /// A builder of the report `request` asks for, reading `store`.
    public init(store: Store, request: ReportRequest) throws {
        self.store = store
        self.request = request
        self.library = try QueryLibrary(directory: request.queriesDirectory)
    }

    /// The same builder (store, queries, callbacks) for another request.
    private init(_ other: ReportBuilder, request: ReportRequest) {
        self = other
        self.request = request
    }

    /// The queries' tables as they ran, before any secrecy, in job order, with their
    /// timings, and what the page says of the store (its period, territory and cautions):
    /// the report at another threshold is built again from them (`buildRaisingMinCell`),
    /// since none of them depends on the threshold.
    struct ComputedTables {
        var tables: [ReportTable]
        var timings: [ReportOutput.StepTiming]
        var period: (from: CivilDate, to: CivilDate)
        var territory: String
        var notes: [String]
    }

    /// The period actually covered: the options, or the days with activity.
    public func period() throws -> (from: CivilDate, to: CivilDate) {
        // Both dates given: the range as asked, even when no per-user day is left in it (a
        // purged store answers from its frozen months and school years).
        if let from = request.from, let to = request.to {
            guard from <= to else {
                throw ReportError(file: store.path, message: "--from \(from) est après --to \(to) ; corrigez les dates")
            }
            return (from, to)
        }
        // Two subqueries, so that each reads one end of the primary key (one MIN and one MAX in the
        // same SELECT scan the whole index: 0.2 s on a school year).
        let s = try store.db.prepare("""
            SELECT (SELECT MIN(day) FROM person_day_activity), (SELECT MAX(day) FROM person_day_activity)
            """)
        _ = try s.step()
        guard !s.isNull(0) else {
            throw ReportError(file: store.path, message: "aucune activité dans le magasin ; ingérez d'abord des journaux avec « entstat ingest »")
        }
        let first = try StoredDay.checked(s.int(0), table: "person_day_activity", path: store.path)
        let last = try StoredDay.checked(s.int(1), table: "person_day_activity", path: store.path)
        let from = request.from ?? CivilDate(dayNumber: first)
        let to = request.to ?? CivilDate(dayNumber: last)
        guard from <= to else {
            throw ReportError(file: store.path, message: "--from \(from) est après --to \(to) ; corrigez les dates")
        }
        return (from, to)
    }

    /// The French name of the territory.
    public func scopeName() throws -> String {
        switch request.scope {
        case .everything: return "Ensemble du territoire"
        case .commune(let code):
            let s = try store.db.prepare("SELECT name FROM commune WHERE code = ?1")
            try s.bind(.text(code))
            let known = try s.step()
            let name = known ? s.text(0) : ""
            let places = try store.db.scalarInt("SELECT COUNT(*) FROM account_place WHERE code_commune = ?1", .text(code)) ?? 0
            let persons = try store.db.scalarInt("SELECT COUNT(*) FROM person_place WHERE code_commune = ?1", .text(code)) ?? 0
            guard known || places + persons > 0 else {
                throw ReportError(file: store.path, message: "commune « \(code) » inconnue ; donnez son code INSEE tel qu'il figure dans schools.csv")
            }
            return "Commune \(FrenchText.ofPlace(name.isEmpty ? code : name)) (\(code))"
        case .epci(let name):
            let n = try store.db.scalarInt("SELECT COUNT(*) FROM account_place WHERE epci = ?1", .text(name)) ?? 0
            let m = try store.db.scalarInt("SELECT COUNT(*) FROM person_place WHERE epci = ?1", .text(name)) ?? 0
            guard n + m > 0 else {
                throw ReportError(file: store.path, message: "EPCI « \(name) » inconnu ; donnez son nom exact, tel qu'il figure dans schools.csv ou epci.csv")
            }
            return name
        }
    }

    /// One table to compute: a query file over a range, under its own name or another one.
    struct Job: Sendable {
        var name: String
        var from: CivilDate
        var to: CivilDate
        var tableName: String? = nil
    }

    /// Runs one job on `store` (frozen figures when the range starts before the purge
    /// limit): its table as computed, no secrecy applied.
    static func run(_ job: Job, on store: Store, library: QueryLibrary, request: ReportRequest,
                    shared: RangeActivity.SharedTables? = nil) throws -> ReportTable {
        let query = try library.query(job.name)
        let parameters = request.scope.parameters(from: job.from, to: job.to)
        let result: AnalystQuery.Table
        if let limit = try store.purgeLimit(), job.from.dayNumber < limit,
           let frozen = try FrozenTable.load(from: store, scope: request.scope, from: job.from.dayNumber, to: job.to.dayNumber, query: job.name) {
            result = frozen
        } else {
            result = try query.run(on: store, parameters: parameters, shared: shared)
        }
        var table = try ReportTable(query: query, result: result, minCell: 0)
        if let tableName = job.tableName { table.name = tableName }
        return table
    }

    /// The period's computed tables, each with its own secrecy applied (`ReportSuppression`,
    /// table by table), after the cells the reports it is published with hide are hidden;
    /// and the cells those reports show, with their copies (`SecrecySharedRows`), which no
    /// table hides as a complement.
    static func secured(_ computed: [ReportTable], minCell: Int,
                        published: (hidden: Set<ReportSuppression.CellRef>, shown: Set<ReportSuppression.CellRef>),
                        tableauLimit: Int = ReportSuppression.tableauLimit) throws
        -> (tables: [ReportTable], publishedElsewhere: Set<ReportSuppression.CellRef>) {
        var start = computed
        if minCell > 0 {
            for ref in published.hidden {
                // (A small count is hidden by its own rule, `< N`, as in the published report.)
                guard !Suppression.isSmall(start[ref.table].rows[ref.row][ref.column].count, minCell: minCell) else { continue }
                ReportSuppression.hide(&start[ref.table].rows[ref.row][ref.column], minCell: minCell)
            }
        }
        let fixed = SecrecySharedRows.closure(published.shown, in: computed)
        let tables = start
        // (On every core, as when each query's thread secured its own table.)
        let secured = try ParallelJobs.run(count: tables.count, threads: WorkerThreads.processorCount, callerContext: (),
                                           makeContext: {}) { _, t -> (Int, ReportTable) in
            var alone = [tables[t]]
            let own = Set(fixed.filter { $0.table == t }.map { ReportSuppression.CellRef(table: 0, row: $0.row, column: $0.column) })
            ReportSuppression.apply(to: &alone, minCell: minCell, tableauLimit: tableauLimit, revealing: false, publishedElsewhere: own)
            return (t, alone[0])
        }
        return (secured.sorted { $0.0 < $1.0 }.map(\.1), fixed)
    }

    /// Runs the jobs on every core, each extra thread on its own read-only connection
    /// (queries are independent and only read; `activite_periode` is built once per range
    /// and shared), and returns the tables in job order. Progress names the tables this
    /// thread computes.
    /// Each job's timing is measured from `clockStart` (`MonotonicClock`). The threads take
    /// the jobs named first in `first`, in that order, then the others in order.
    func run(_ jobs: [Job], clockStart: Double, first: [Int] = []) throws -> [(table: ReportTable, timing: ReportOutput.StepTiming)] {
        let library = self.library, request = self.request, path = store.path
        let progress = onQuery
        let shared = RangeActivity.SharedTables(toDays: Set(jobs.map(\.to.dayNumber)))
        let order = first + jobs.indices.filter { !first.contains($0) }
        let results = try ParallelJobs.run(
            count: jobs.count, threads: queryThreads,
            callerContext: (store: store, progress: progress),
            makeContext: { (store: try Store(readingFrom: path), progress: nil) },
            job: { context, taken in
                let index = order[taken]
                let name = jobs[index].tableName ?? jobs[index].name
                context.progress?(name)
                let start = MonotonicClock.seconds()
                let table = try Self.run(jobs[index], on: context.store, library: library, request: request, shared: shared)
                let timing = ReportOutput.StepTiming(kind: .table(name), start: start - clockStart, seconds: MonotonicClock.seconds() - start)
                return (index, table, timing)
            })
        // Back in job order.
        return results.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
    }

    /// Why a person may count twice in the period: it holds days on both sides of the last
    /// secret rotation; nil otherwise.
    func rotationNote(_ period: (from: CivilDate, to: CivilDate)) throws -> String? {
        let (from, to) = period
        guard try !store.periodsAcrossRotation(ExportRequest(period: .all, dimensions: [], from: from, to: to)).isEmpty else { return nil }
        return "la période est à cheval sur le changement de secret de pseudonymisation : une personne vue avant et après y compte deux fois (les taux d'actifs peuvent dépasser 100 %)"
    }

    /// What the reader must know when the logs ingested do not cover the whole period:
    /// days that no ingested log covers show no activity for want of data, not for want of
    /// use. A day is covered when it lies between the first and last day of an ingested log.
    func coverageNote(_ period: (from: CivilDate, to: CivilDate)) throws -> String? {
        let (from, to) = period
        let s = try store.db.prepare("""
            SELECT first_day, last_day FROM ingested_file
            WHERE first_day IS NOT NULL AND first_day <= ?2 AND last_day >= ?1
            """)
        try s.bind(.int(from.dayNumber), .int(to.dayNumber))
        var covered = [Bool](repeating: false, count: to.dayNumber - from.dayNumber + 1)
        while try s.step() {
            // (A damaged row may end before it starts, or hold a text: it covers nothing.)
            let first = max(s.int(0), from.dayNumber), last = min(s.int(1), to.dayNumber)
            guard first <= last else { continue }
            for day in first...last { covered[day - from.dayNumber] = true }
        }
        guard let firstMissing = covered.firstIndex(of: false) else { return nil }
        if !covered.contains(true) {
            return "aucun journal ingéré ne couvre la période : ses chiffres d'activité sont nuls faute de données, non faute d'usage"
        }
        // The runs of days without a log, the first three named.
        var runs: [(Int, Int)] = []
        var i = firstMissing
        while i < covered.count {
            guard !covered[i] else { i += 1; continue }
            var j = i
            while j + 1 < covered.count && !covered[j + 1] { j += 1 }
            runs.append((i, j))
            i = j + 1
        }
        let missing = runs.reduce(0) { $0 + $1.1 - $1.0 + 1 }
        let named = runs.prefix(3).map { FrenchText.dateRange(CivilDate(dayNumber: from.dayNumber + $0.0), CivilDate(dayNumber: from.dayNumber + $0.1)) }
        let others = runs.count > 3 ? " et " + FrenchText.count(runs.count - 3, "autre intervalle", "autres intervalles") : ""
        return "\(FrenchText.days(missing)) de la période sans aucun journal ingéré (\(named.joined(separator: ", "))\(others)) : "
            + "\(missing == 1 ? "ses" : "leurs") chiffres d'activité sont nuls faute de données, non faute d'usage"
    }

    /// Why the figures of the period are incomplete, when it starts before the purge limit
    /// and is not a frozen month or school year; nil otherwise.
    func incompleteNote(_ period: (from: CivilDate, to: CivilDate)) throws -> String? {
        guard let limit = try store.purgeLimit() else { return nil }
        let (from, to) = period
        // The default range starts at the first day kept: say that earlier days existed.
        if request.from == nil, from.dayNumber >= limit,
           let earliest = try store.db.scalarInt("SELECT MIN(first_day) FROM ingested_file"), Int(earliest) < limit {
            return "période par défaut : les jours conservés, depuis le \(FrenchText.date(CivilDate(dayNumber: limit))) ; les données par utilisateur antérieures ont été purgées (conservation limitée), leurs mois et années scolaires entiers restent disponibles avec --from et --to"
        }
        guard from.dayNumber < limit,
              let earliest = try store.db.scalarInt("SELECT MIN(first_day) FROM ingested_file"), to.dayNumber >= Int(earliest),
              try FrozenTable.load(from: store, scope: request.scope, from: from.dayNumber, to: to.dayNumber, query: "synthese_roles") == nil
        else { return nil }
        return "chiffres incomplets : les données par utilisateur antérieures au \(FrenchText.date(CivilDate(dayNumber: limit))) ont été purgées "
            + "(conservation limitée) et seuls les mois et années scolaires entiers antérieurs ont été gelés ; choisissez une telle période ou une période commençant après cette date"
    }

    /// Builds the page and the CSV files at the threshold asked for, or, when hidden cells
    /// stay deducible there whatever else is hidden (`ReportOutput.deducibleCells`: four
    /// communes at « < 5 » agents each under a total at « < 5 » have 1 each), at the
    /// smallest higher threshold up to `ceiling` at which no hidden cell does: with « < 6 »
    /// the same four cells may hold 1 or 2 each. The page then says that its threshold was
    /// raised, and from what (`ReportOutput.raisedFrom`).
    ///
    /// When no threshold up to `ceiling` will do, the report is the one at the threshold
    /// asked for, and the thresholds above `ceiling` up to `advisingUpTo` are tried too, so
    /// that the command can name the first that would (`ReportOutput.publishableMinCell`).
    /// Each try builds the report again from the first build's query results (its secrecy,
    /// tables and page: no query runs again); nothing is tried when no hidden cell stays
    /// deducible, nor when the only ones are in a group too large for the solver
    /// (`deducibleUnsolvedCells`: a national territory, whose report by EPCI or commune is
    /// the answer).
    public func buildRaisingMinCell(upTo ceiling: Int, advisingUpTo advisingCeiling: Int) throws -> ReportOutput {
        let first = try build(reusing: nil)
        var output = first.output
        let asked = request.minCell
        guard asked > 1, output.deducibleCells > 0 else { return output }
        let last = max(ceiling, advisingCeiling)
        guard last > asked else { return output }
        for minCell in (asked + 1)...last {
            var raised = request
            raised.minCell = minCell
            raised.minCellRaisedFrom = asked
            onThresholdTry?(minCell)
            var tried = try ReportBuilder(self, request: raised).build(reusing: first.computed).output
            guard tried.leavesCellsDeducible else {
                if minCell <= ceiling {
                    tried.raisedFrom = (asked, output.deducibleCells)
                    return tried
                }
                output.publishableMinCell = minCell
                return output
            }
        }
        output.triedUpTo = last
        return output
    }

    /// Builds the page and the CSV files.
    public func build() throws -> ReportOutput {
        try build(reusing: nil).output
    }

    /// Builds the page and the CSV files from the tables of an earlier build (`computed`),
    /// or from the queries run now; returns the tables as computed too.
    func build(reusing computed: ComputedTables?) throws -> (output: ReportOutput, computed: ComputedTables) {
        let (from, to) = try computed?.period ?? period()
        let length = to.dayNumber - from.dayNumber + 1
        let previousFrom = CivilDate(dayNumber: from.dayNumber - length)
        let previousTo = CivilDate(dayNumber: from.dayNumber - 1)
        let territory = try computed?.territory ?? scopeName()
        let notes = try computed?.notes ?? [coverageNote((from, to)), incompleteNote((from, to)), rotationNote((from, to))].compactMap { $0 }

        // The order the threads take them in: the first one builds `activite_periode` and its
        // counts (half a second on a school year, one second on a school year cut at both
        // ends) for `synthese_roles`, while the second builds the monthly counts for
        // `parents_niveau_mensuel` and runs the queries that read neither; then both share
        // the queries that read `activite_periode`.
        let names = ["synthese_roles", "parents_niveau_mensuel", "tendance_mensuelle", "migration_hebdo",
                     "rythmes_semaine_heure", "activite_quotidienne", "peak_concurrent_users", "heures_chargees",
                     "volumes_par_role", "fichiers_ingeres", "fichiers_en_echec",
                     "adoption_role_niveau", "services_par_role", "epci", "communes", "ecoles", "communes_parents_services",
                     "migration_bilan"]
        // Analysts' extra queries: shown in an annex, written as CSV like the others.
        let extraNames = library.queries.keys.sorted().filter { !names.contains($0) }
        var jobs = names.map { Job(name: $0, from: from, to: to) }
        // The previous period third: a short job, taken by the thread that did not build
        // this period's `activite_periode`.
        let previousJob = 2
        jobs.insert(Job(name: "synthese_roles", from: previousFrom, to: previousTo, tableName: "synthese_roles_periode_precedente"),
                    at: previousJob)
        jobs += extraNames.map { Job(name: $0, from: from, to: to) }
        // The longest query after the two builds is taken next, by the first thread free
        // after the previous period's synthesis, so that it does not run alone at the end
        // while the other thread waits: over the whole territory `communes_parents_services`
        // (4 s of a national report's 13 s of queries; 0.9 s of the Somme year's 2.2 s),
        // which reads every commune; over a commune or an EPCI `migration_hebdo` (0.55–0.99 s
        // of Amiens's or its EPCI's report on the Somme year, against 0.1 s for the other),
        // whose weekly counts (`RangeWeeklySources`) read the week rows of `person_period`
        // instead of the territory's totals. The tables keep the job order (the secrecy's
        // cells are numbered in it).
        let longestFirst = request.scope == .everything
            ? ["communes_parents_services", "migration_hebdo"] : ["migration_hebdo", "communes_parents_services"]
        let longest = longestFirst.compactMap { name in jobs.firstIndex { $0.name == name && $0.tableName == nil } }
        let first = [0, 1, previousJob] + longest
        let clockStart = MonotonicClock.seconds()
        var timings: [ReportOutput.StepTiming]
        let computedNow: ComputedTables
        if let computed, computed.tables.count == jobs.count {
            computedNow = computed
            timings = computed.timings
        } else {
            let results = try run(jobs, clockStart: clockStart, first: first)
            timings = results.map(\.timing).sorted { $0.start < $1.start }
            computedNow = ComputedTables(tables: results.map(\.table), timings: timings, period: (from, to), territory: territory, notes: notes)
        }
        // Each table is made safe on its own; the period's tables show the same persons
        // broken down in different ways, so they are then made safe together, with the
        // previous period's table (the same accounts, fewer activated: `SecrecyRelations`).
        if request.minCell > 0 { onSecrecy?() }
        let secrecyStart = MonotonicClock.seconds()
        // (The rows the reports it is published with repeat: hidden where they hide them,
        // never hidden where they show them, `PublishedReports`.)
        let published = try request.publishedWith.cells(of: computedNow.tables, scope: request.scope, minCell: request.minCell)
        let secured = try Self.secured(computedNow.tables, minCell: request.minCell, published: published,
                                       tableauLimit: request.solverTableauLimit)
        var tables = secured.tables
        let secrecy = ReportSuppression.apply(to: &tables, minCell: request.minCell, tableauLimit: request.solverTableauLimit,
                                              publishedElsewhere: secured.publishedElsewhere, keptHidden: published.hidden)
        // A hidden count's place in a table sorted by counts would tell its range.
        SecrecyOrder.apply(to: &tables)
        if request.minCell > 0 {
            timings.append(ReportOutput.StepTiming(kind: .secrecy, start: secrecyStart - clockStart, seconds: MonotonicClock.seconds() - secrecyStart))
        }
        let previous = tables.remove(at: previousJob)
        var t: [String: ReportTable] = [:]
        for (name, table) in zip(names, tables) { t[name] = table }
        let extraTables = tables[names.count...]
        let comparison = ReportSections.comparison(current: t["synthese_roles"]!, previous: previous)

        var ordered: [ReportTable] = [comparison, t["synthese_roles"]!, ReportSections.previousAsPublished(previous)]
        // (Months the range cuts are labelled with their days.)
        let html = ReportHTML(minCell: request.minCell, range: (from, to))
        let sections = ReportSections(html: html, tables: t, comparison: comparison, previous: previous,
                                      from: from, to: to, previousFrom: previousFrom, previousTo: previousTo,
                                      minCell: request.minCell, minCellRaisedFrom: request.minCellRaisedFrom,
                                      scope: request.scope, territory: territory, publishedTogether: !request.publishedWith.reports.isEmpty)
        var body = ""
        var toc: [(String, String)] = []
        for (i, section) in sections.all().enumerated() {
            toc.append((section.id, section.title))
            body += html.section(id: section.id, number: i + 1, title: section.title, body: section.body)
        }
        for name in names where name != "synthese_roles" { ordered.append(t[name]!) }
        var extras = ""
        for table in extraTables {
            ordered.append(table)
            extras += (table.question.isEmpty ? "" : html.paragraph(table.question)) + html.table(table)
        }
        if !extras.isEmpty {
            toc.append(("complements", "Tables complémentaires"))
            body += html.section(id: "complements", number: toc.count, title: "Tables complémentaires", body: extras)
        }
        let title = "Usages de l'ENT — \(territory)"
        let subtitle = "Rapport d'adoption \(FrenchText.dateRange(from, to)) (\(FrenchText.days(length)))"
        let footer = "Produit par entstat \(EntStatVersion.current)\(request.generatedAt.isEmpty ? "" : " le " + request.generatedAt). "
            + (request.minCell > 1
                ? "Effectifs inférieurs à \(request.minCell) masqués (« < \(request.minCell) »\(request.minCellRaisedFrom.map { ", seuil relevé de \($0) à \(request.minCell) : voir la méthodologie" } ?? "")) ; « \(FrenchText.complementMark) » : effectif masqué pour qu'un autre ne puisse pas être recalculé (secret statistique). "
                : "Aucun effectif masqué (--min-cell \(request.minCell)) : rapport de travail, à ne pas publier tel quel. ")
            + "Chaque tableau existe en CSV dans le même dossier."
            + notes.map { " Attention, \($0)." }.joined()
        // The cautions also open the page: a reader must not take missing logs for no use.
        let page = html.page(title: title, subtitle: subtitle, styleSheet: request.styleSheet, toc: toc,
                             notices: notes.map { "Attention : \($0)." }, body: body, footer: footer)
        let csv = ordered.map { (name: $0.name + ".csv", content: ReportCSV.document($0, minCell: request.minCell)) }
        let output = ReportOutput(html: page, tables: ordered, csvFiles: csv, from: from, to: to, notes: notes, deducibleCells: secrecy.deducible,
                                  uncheckedCells: secrecy.unchecked, deducibleUnsolvedCells: secrecy.deducibleUnsolved, minCell: request.minCell,
                                  timings: timings)
        return (output, computedNow)
    }
}
