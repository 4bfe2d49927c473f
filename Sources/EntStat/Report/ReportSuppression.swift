/// Statistical secrecy for the report's tables (SPEC §3), within a table and across the
/// tables of one period.
///
/// 1. **Primary**: a distinct-user or account count `n` with `0 < n < minCell` is hidden
///    and shown `< minCell` (`ReportCell.Secrecy.small`). Zero reveals nobody and is shown.
/// 2. **Complementary**: a hidden count must not be recomputable by difference. Each
///    *relation* "a total and the counts it breaks down into" is checked, column by column:
///    - when the total equals the sum of its parts (or is less: persons in several parts)
///      and exactly one of its non-zero cells (total included) is hidden, the smallest other
///      non-zero part is hidden too, or the total when no part can be;
///    - when the total exceeds the sum of its parts by 1 to `minCell - 1` (a small group that
///      no row shows, such as the accounts of a commune's agents behind a commune and its
///      schools) and no cell is hidden, the smallest non-zero part is hidden, or the total
///      (one hidden cell is then enough: it cannot be recomputed without that group);
///    - when the shown cells leave a hidden one a single possible value, its bounds known
///      (1 to `minCell - 1` for a small count, `minCell` or more for a complement): three
///      hidden roles whose total is 3, two hidden levels of at most 4 that must hold 8
///      (`pinsAHiddenCell`), one more part is hidden the same way.
///    Cells hidden this way are not small: they are shown `s`
///    (`ReportCell.Secrecy.complement`), never `< 5`, which would be false.
///    Relations: in a table, each row with `*` in a key column and the rows that differ from
///    it only there (a key cell left empty in the total matches any value: the commune
///    table's total has no commune name); across the tables of a period, each commune and
///    its schools and agents, each EPCI and its communes (`crossTableRelations`).
///    An exact equation that is no total and its parts is checked the same way: a role's
///    active users are its users of the old ENT plus those of the new one less those of
///    both (`migrationEquations`).
/// 3. **The same figure in two places** (the same column for the same group, with the same
///    value: a role's accounts in the synthesis and in the table by level; the active users
///    of a role repeated on each of its services' rows, `repeatedFigures`) is hidden
///    everywhere when it is hidden in one place.
/// 4. Steps 2 and 3 repeat until nothing changes (`SecrecySettling`). Then the relations are chained
///    (`SecrecyPropagation`: each hidden cell's interval tightened from all of them): while
///    one closes on a single value, one more cell of a relation holding it is hidden, and
///    steps 2 and 3 run again. Last (`SecrecyRevealing`), each cell of the synthesis, then of
///    the adoption, services and monthly tables, hidden as a complement on the way is tried
///    shown again, and stays shown when the passes then hide no more cells, nothing of the
///    synthesis, and bound no `< 5` more closely.
/// 5. **A hidden group's activity**: in a row with a hidden count, its visits and requests
///    and what is computed from them (per active day, busiest day) are hidden too, `< 5`
///    below the threshold and `s` above (each active user has at least one visit and one
///    request: 1 visit beside `< 5` users says 1 user, 5 visits beside an `s` say 5). The
///    volumes that add up (`summedVolumes`: these and the authentications, which bound a
///    count) take part in steps 2 and 3 like the counts.
/// 6. **Rates**: a rate is hidden when its numerator or denominator column (see
///    `ReportColumn.rateBasis`) is hidden, or, for a rate of unknown basis, when any count
///    of its row is hidden: shown `< 5` when one of those counts is small, `s` otherwise.
/// 7. **Shares of a column's total** (`ReportColumn.shareBasis`) are all hidden when that
///    total is not published: any shown share would give it back.
public enum ReportSuppression {
    /// One table alone (an extra table, or the previous period's). Step 4c is left to the
    /// period's tables together: a cell of the synthesis that the table alone no longer
    /// needs hidden may be needed by another table's relations, which a table alone does
    /// not know (`SecrecyRevealing` measures what a cell shown again tells of the others).
    public static func apply(to table: inout ReportTable, minCell: Int) {
        var tables = [table]
        apply(to: &tables, minCell: minCell, revealing: false)
        table = tables[0]
    }

    /// What secrecy could not do for a report, for the command to say on standard error
    /// (never in the page).
    public struct Outcome: Equatable, Sendable {
        /// Hidden cells a reader can still deduce exactly because no cell left to hide would
        /// prevent it (`SecrecyPropagation.Memory.unfreeable`).
        public var deducible = 0
        /// Hidden cells of a group of tied cells too large for the linear solver
        /// (`tableauLimit`) that no neighbourhood proves free and no relaxation proves
        /// pinned (`SecrecyNeighbourhood`), or whose solve did not end (`BoundedSimplex`: an
        /// optimum that failed its check twice): checked relation by relation and by bounds
        /// propagation only, not against every relation at once.
        public var unchecked = 0
        /// Hidden cells of such a group that a reader can deduce by chaining relations
        /// (bounds propagation), once the relations they are deduced from have no cell left
        /// to hide: the solver that would name a farther cell to hide cannot run on that
        /// group (`SecrecyPropagation.Memory.unfreed`).
        public var deducibleUnsolved = 0
    }

    /// The largest group of tied hidden cells the linear solver of `SecrecyPropagation`
    /// takes on, counted as its condensed tableau's rows × cells (relations of two cells or
    /// more × hidden cells). Past it, the group's cells are checked by neighbourhoods and
    /// their relaxations (`SecrecyNeighbourhood`), and those they settle neither way by
    /// bounds propagation only: then the report must not be published
    /// (`ReportOutput.mustNotBePublished`).
    /// The tableau is sparse past `SimplexTableau.denseLimit`, and each step of the solver
    /// reads only the columns its cost and pivots touched, so this bounds the solver's
    /// time and memory by the group's size, not by the report's. Territories of a week
    /// (`entstat simulate --schools N --from 2018-10-08 --to 2018-10-14`), their largest
    /// group and their whole report (each report audited by
    /// `tools/secrecy-audit/check_secrecy.py`: no hidden cell recoverable):
    /// 4 000 schools, 10 292 cells × 20 337 relations (209 M), 6.5 s and 770 MB;
    /// 10 000 schools, 25 733 × 50 842 (1.31 G), 23–25 s and 670 MB;
    /// 12 000 schools, 38 696 × 63 592 (2.46 G), 30 s and 760 MB;
    /// 15 000 schools, 48 373 × 79 486 (3.84 G), 61 s and 910 MB
    /// (3.5, 4.3 and 6.4 GB before `SimplexTableau.renameRows`; 36–41 s, 46–56 s and 96 s
    /// before `SparseLists`). A national store's
    /// territory ties about 228 000 cells in one group: with no limit, its report grew to
    /// 12.5 GB in 8.5 minutes of that group and was stopped, so the limit stops short of it.
    /// Until session 55 the tableau was dense and the limit 64 M entries counted as rows ×
    /// (cells + rows), 512 MB; from session 55 to 56, 512 M (rows × cells), until the
    /// auditor could check a region's report in minutes instead of hours. Since session 60
    /// a large group's cells go to neighbourhoods first, and the solver only gets those
    /// they leave (none on these territories): the 10 000 schools' report 5.1–6.5 s, the
    /// 15 000 schools' 8.2–10.0 s, the same tables; the national week's territory (a group
    /// of 189 603 cells past the limit, one of 62 237 under it, on which the solver alone
    /// had not finished after 17 minutes) 35.7 s and 1.8 GB, exit 0.
    public static let tableauLimit = 1 << 32

    /// Tables of one period, which may show the same groups: secrecy applied across them.
    /// `tableauLimit` is the largest group (rows × cells) the linear pass solves.
    @discardableResult
    public static func apply(to tables: inout [ReportTable], minCell: Int,
                             tableauLimit: Int = ReportSuppression.tableauLimit, revealing: Bool = true) -> Outcome {
        apply(to: &tables, minCell: minCell, tableauLimit: tableauLimit, revealing: revealing, publishedElsewhere: [])
    }

    /// The same; `publishedElsewhere`: cells the reports it is published with show, never
    /// hidden as a complement, nor is any cell that is the same figure (`SecrecySharedRows`);
    /// `keptHidden`: cells they hide, hidden already, never shown again (step 4c).
    @discardableResult
    static func apply(to tables: inout [ReportTable], minCell: Int, tableauLimit: Int = ReportSuppression.tableauLimit,
                      revealing: Bool = true, publishedElsewhere: Set<CellRef>, keptHidden: Set<CellRef> = []) -> Outcome {
        guard minCell > 0 else { return Outcome() }
        for t in tables.indices { primary(&tables[t], minCell: minCell) }
        let (relations, equations, groups) = checks(tables)
        let fixed = SecrecySharedRows.fixed(publishedElsewhere, groups: groups, cells: SecrecyCellIndex(tables))
        // Steps 2, 3 and 5 until nothing changes: each run of a check that changes something
        // hides one more cell, so it ends.
        var settling = SecrecySettling(tables: tables, relations: relations, equations: equations, groups: groups, minCell: minCell, fixed: fixed)
        func settle() { settling.settle(&tables) }
        settle()
        // Step 4b: the relations chained, a hidden cell deduced from several at once.
        var memory = SecrecyPropagation.Memory()
        let templates = SecrecyTemplates(tables, relations: relations, equations: equations, groups: groups, fixed: fixed)
        while true {
            let cells = SecrecyPropagation.cellsToHide(tables, templates: templates, minCell: minCell, tableauLimit: tableauLimit, memory: &memory)
            var hidden = false
            for ref in cells where hide(&tables[ref.table].rows[ref.row][ref.column], minCell: minCell) { hidden = true }
            guard hidden else { break }
            settle()
        }
        // Step 4c: cells of the synthesis (then of the adoption, services and monthly
        // tables) hidden on the way that the end no longer needs.
        if revealing {
            SecrecyRevealing.reveal(&tables, settling: &settling, memory: &memory, templates: templates, minCell: minCell,
                                    tableauLimit: tableauLimit, keptHidden: keptHidden)
        }
        for t in tables.indices { rates(&tables[t]) }
        shares(&tables)
        // Hiding a cell only ever joins groups: a group too large in one pass stays so.
        return Outcome(deducible: memory.unfreeable.count, unchecked: memory.unsolved.count, deducibleUnsolved: memory.unfreed.count)
    }

    /// What steps 2 and 3 check in a period's tables: the relations (a total and its parts),
    /// the equations that are no total and its parts, and the groups of cells that are the
    /// same figure. In a fixed order (they come out of dictionaries, whose order changes from
    /// one run to the next): the same tables always get the same cells hidden.
    static func checks(_ tables: [ReportTable]) -> (relations: [Relation], equations: [Equation], groups: [[CellRef]]) {
        var relations: [Relation] = []
        for t in tables.indices { relations += tableRelations(tables[t], index: t) }
        relations += crossTableRelations(tables)
        let stated = statedRelations(tables)
        relations += stated.relations
        relations.sort { $0.total != $1.total ? $0.total < $1.total : $0.parts.lexicographicallyPrecedes($1.parts) }
        let equations = migrationEquations(tables) + stated.equations
        let groups = (sameFigures(tables) + stated.groups).map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
        return (relations, equations, groups)
    }

    /// A cell of one of the tables.
    struct CellRef: Hashable, Comparable {
        var table: Int
        var row: Int
        var column: Int

        static func < (a: CellRef, b: CellRef) -> Bool { (a.table, a.row, a.column) < (b.table, b.row, b.column) }
    }

    /// A total and the counts it breaks down into (a person may count in several parts).
    struct Relation {
        var total: CellRef
        var parts: [CellRef]
        /// Whether no person can be in two parts (the roles: one per account), so that a
        /// reader knows the total is their sum; otherwise (levels, schools, communes, months…)
        /// only that it is at most their sum.
        var disjoint = false
    }

    static func userColumns(_ table: ReportTable) -> [Int] {
        table.columns.indices.filter { table.columns[$0].kind == .users }
    }

    /// Volumes that every person of their row adds at least one to (each active user has a
    /// visit and a request) and that add up over the parts of a total: they bound a count
    /// (1 visit beside `< 5` users says 1 user) and take part in steps 2 and 3.
    static let boundingVolumes: Set<String> = ["connexions", "requetes", "connexions_agents_communaux",
                                                "connexions_parents_services_commune"]

    /// Volumes that add up over the parts of a total and that no person needs to add to:
    /// published, but a reader can bound a hidden count with them (4 authentifications make
    /// `< 5` requests 4), so one may be hidden to protect a count, and is then protected by
    /// difference and in every place it appears, like the counts.
    static let summedVolumes: Set<String> = boundingVolumes.union(["authentifications"])

    /// The columns secrecy protects by difference: the user counts and `summedVolumes`.
    static func countColumns(_ table: ReportTable) -> [Int] {
        table.columns.indices.filter {
            table.columns[$0].kind == .users || (table.columns[$0].kind == .volume && summedVolumes.contains(table.columns[$0].name))
        }
    }

    /// The activity of a group: its visits and requests, and what is computed from them
    /// (per active day, on its busiest day), which would bound or give back its count.
    static func isActivityVolume(_ column: ReportColumn) -> Bool {
        column.kind == .volume && (column.name.hasPrefix("connexions") || column.name.hasPrefix("requetes"))
    }

    /// Step 5: in a row with a hidden count, the group's activity volumes are hidden too;
    /// true when it hid one.
    static func hideGroupVolumes(_ table: inout ReportTable, minCell: Int) -> Bool {
        let volumes = table.columns.indices.filter { isActivityVolume(table.columns[$0]) }
        guard !volumes.isEmpty else { return false }
        let users = userColumns(table)
        var changed = false
        // A row with a hidden count, or hidden visits or requests: what is computed from
        // them (per active day, busiest day) would give them back.
        let bounding = volumes.filter { boundingVolumes.contains(table.columns[$0].name) }
        for r in table.rows.indices where (users + bounding).contains(where: { table.rows[r][$0].isSuppressed }) {
            for c in volumes where hide(&table.rows[r][c], minCell: minCell) { changed = true }
        }
        return changed
    }

    static func primary(_ table: inout ReportTable, minCell: Int) {
        for r in table.rows.indices {
            for c in userColumns(table) {
                if case .users(let n, .shown) = table.rows[r][c], Suppression.isSmall(n, minCell: minCell) {
                    table.rows[r][c] = .users(n, secrecy: .small)
                }
            }
        }
    }

    /// Hides a shown count as a complement, or a volume (as small below the threshold, which
    /// a complement's `s` would misstate); true when it changed.
    @discardableResult
    static func hide(_ cell: inout ReportCell, minCell: Int) -> Bool {
        switch cell {
        case .users(let n, .shown):
            cell = .users(n, secrecy: .complement)
            return true
        case .volume(let v, .shown) where v > 0:
            cell = .volume(v, secrecy: v < Double(minCell) ? .small : .complement)
            return true
        default:
            return false
        }
    }

    /// A linear relation between cells, Σ coefficient × value equal to 0 (`kind` `.equal`),
    /// at least 0 (`.atLeast`) or at most 0 (`.atMost`), that is no total and its parts: a
    /// role's active users are its users of the old ENT plus those of the new one less those
    /// of both; a month's activated accounts are at most the period's (`SecrecyRelations`).
    /// Coefficients are small integers (±1, or a number of days times a day's maximum).
    struct Equation {
        typealias Kind = BoundedSimplex.Relation.Kind
        var kind: Kind = .equal
        var terms: [(ref: CellRef, coefficient: Int)]
        /// The cells to hide first when one more must be (the migration table's, rather
        /// than the synthesis' active users).
        var preferred: [CellRef] = []
    }

    /// The equation of each role (and of all, `*`) between `synthese_roles`'
    /// `utilisateurs_actifs` and `migration_bilan`'s users of the old ENT, of the new one and
    /// of both.
    static func migrationEquations(_ tables: [ReportTable]) -> [Equation] {
        guard let s = tables.firstIndex(where: { $0.name == "synthese_roles" }),
              let m = tables.firstIndex(where: { $0.name == "migration_bilan" }),
              let sRole = tables[s].column("role"), let active = tables[s].column("utilisateurs_actifs"),
              let mRole = tables[m].column("role"), let old = tables[m].column("utilisateurs_ancien_ent"),
              let new = tables[m].column("utilisateurs_nouvel_ent"), let both = tables[m].column("utilisateurs_retrouves")
        else { return [] }
        var equations: [Equation] = []
        for (r, row) in tables[m].rows.enumerated() {
            let role = row[mRole].textValue
            guard let sr = tables[s].rows.firstIndex(where: { $0[sRole].textValue == role }) else { continue }
            let parts = [old, new, both].map { CellRef(table: m, row: r, column: $0) }
            equations.append(Equation(terms: [(CellRef(table: s, row: sr, column: active), 1), (parts[0], -1), (parts[1], -1), (parts[2], 1)],
                                      preferred: parts))
        }
        return equations
    }

    /// Hides one more cell of an equation when what it shows leaves a hidden cell a single
    /// possible value (each hidden cell within its bounds: 1 to `minCell − 1` small, `minCell`
    /// or more a complement); true when it hid one. An inequality bounds each term on one
    /// side only, which can still meet the other side of the cell's own bounds.
    /// A cell `fixed` names (published elsewhere) is never the one hidden.
    static func protect(_ equation: Equation, in tables: inout [ReportTable], minCell: Int,
                        fixed: (CellRef) -> Bool = { _ in false }) -> Bool {
        func cell(_ ref: CellRef) -> ReportCell { tables[ref.table].rows[ref.row][ref.column] }
        let terms = equation.terms.map { (cell: cell($0.ref), coefficient: $0.coefficient) }
        guard pinsAHiddenTerm(terms, kind: equation.kind, minCell: minCell) else { return false }
        let shown = { (ref: CellRef) in !cell(ref).isSuppressed && cell(ref).count > 0 && !fixed(ref) }
        let candidates = equation.preferred.filter(shown).isEmpty ? equation.terms.map(\.ref).filter(shown) : equation.preferred.filter(shown)
        guard let smallest = candidates.min(by: { cell($0).count < cell($1).count }) else { return false }
        return hide(&tables[smallest.table].rows[smallest.row][smallest.column], minCell: minCell)
    }

    /// Applies the rule of step 2 to one relation; true when it hid a cell. A cell `fixed`
    /// names (published elsewhere) is never the one hidden.
    static func protect(_ relation: Relation, in tables: inout [ReportTable], minCell: Int,
                        fixed: (CellRef) -> Bool = { _ in false }) -> Bool {
        func cell(_ ref: CellRef) -> ReportCell { tables[ref.table].rows[ref.row][ref.column] }
        let total = cell(relation.total)
        let hidden = (total.isSuppressed && total.count > 0 ? 1 : 0)
            + relation.parts.filter { cell($0).isSuppressed && cell($0).count > 0 }.count
        // What the total holds beyond its parts: persons of no part shown (positive), or
        // persons counted in several parts (negative).
        let residual = total.count - relation.parts.reduce(0) { $0 + cell($1).count }
        let needed: Bool
        if residual > 0 {
            // A group no row shows: one hidden cell is enough to hide it, and no hidden cell
            // can be recomputed without it.
            needed = hidden == 0 && Suppression.isSmall(residual, minCell: minCell)
        } else {
            needed = hidden == 1
        }
        guard needed || pinsAHiddenCell(relation, in: tables, minCell: minCell) else { return false }
        let candidates = relation.parts.filter { !cell($0).isSuppressed && cell($0).count > 0 && !fixed($0) }
        if let smallest = candidates.min(by: { cell($0).count < cell($1).count }) {
            return hide(&tables[smallest.table].rows[smallest.row][smallest.column], minCell: minCell)
        }
        guard total.count > 0, !fixed(relation.total) else { return false }
        return hide(&tables[relation.total.table].rows[relation.total.row][relation.total.column], minCell: minCell)
    }

    /// True when what the relation shows leaves a hidden cell of it a single possible value.
    /// A hidden small count lies in 1…`minCell − 1`, a complement in `minCell`… (no upper
    /// bound). The total is at least the sum of its parts when the true residual is ≥ 0 and
    /// at most that sum when it is ≤ 0 (persons in several parts): a reader may know either.
    /// So with 46 active users, 33 parents and 10 pupils shown and three roles hidden, each
    /// hidden role is 1; with 14 teachers, 6 in élémentaire and the two other levels hidden
    /// (a teacher may be in several), each is 4.
    static func pinsAHiddenCell(_ relation: Relation, in tables: [ReportTable], minCell: Int) -> Bool {
        func cell(_ ref: CellRef) -> ReportCell { tables[ref.table].rows[ref.row][ref.column] }
        let total = cell(relation.total)
        let parts = relation.parts.map(cell)
        let residual = total.count - parts.reduce(0) { $0 + $1.count }
        let kind: Equation.Kind = residual > 0 ? .atLeast : residual < 0 ? .atMost : .equal
        return pinsAHiddenTerm([(total, 1)] + parts.map { ($0, -1) }, kind: kind, minCell: minCell)
    }

    /// True when the relation Σ coefficient × cell (`kind`: = 0, ≥ 0 or ≤ 0) leaves one of
    /// its hidden cells a single possible value, what a reader knows of each hidden cell
    /// being its `bounds` and of every other cell its value (a hidden zero taken as 0, as
    /// `SecrecyPropagation` takes it). The one check of a single relation, for totals and
    /// their parts and for the other equations alike (`TermRanges` serves the chained check
    /// too).
    static func pinsAHiddenTerm(_ terms: [(cell: ReportCell, coefficient: Int)], kind: Equation.Kind, minCell: Int) -> Bool {
        func isHidden(_ c: ReportCell) -> Bool { c.isSuppressed && c.count > 0 }
        var ranges = TermRanges()
        ranges.reset(constant: 0)
        for term in terms {
            let known = isHidden(term.cell) ? bounds(term.cell, minCell: minCell) : (lo: Double(term.cell.count), hi: Double(term.cell.count))
            ranges.append(coefficient: Double(term.coefficient), lo: known.lo, hi: known.hi)
        }
        for (j, term) in terms.enumerated() where isHidden(term.cell) && term.coefficient != 0 {
            let derived = ranges.bounds(ofTerm: j, coefficient: Double(term.coefficient), kind: kind)
            let own = bounds(term.cell, minCell: minCell)
            if max(own.lo, derived.lo.rounded(.up)) == min(own.hi, derived.hi.rounded(.down)) { return true }
        }
        return false
    }

    /// What a reader knows of a cell's value: the value itself when shown, 1 to
    /// `minCell − 1` when hidden as small, `minCell` or more (no upper bound) when hidden as
    /// a complement.
    static func bounds(_ cell: ReportCell, minCell: Int) -> (lo: Double, hi: Double) {
        switch cell.secrecy {
        case .shown: return (Double(cell.count), Double(cell.count))
        case .small: return (1, Double(minCell - 1))
        case .complement: return (Double(minCell), .infinity)
        }
    }

    /// Within a table: each row with `*` in a text key column, and the rows that are not `*`
    /// there and agree with it on every other key cell it fills (an empty key cell of the
    /// total matches any value), for each count column.
    static func tableRelations(_ table: ReportTable, index: Int) -> [Relation] {
        let keyColumns = table.columns.indices.filter { table.columns[$0].kind == .text || table.columns[$0].kind == .ordinal }
        let counts = countColumns(table).filter { repeatedFigures[table.columns[$0].name] == nil }
        var relations: [Relation] = []
        for k in keyColumns where table.columns[k].kind == .text {
            let others = keyColumns.filter { $0 != k }
            let totals = table.rows.indices.filter { table.rows[$0][k].textValue == "*" }
            guard !totals.isEmpty else { continue }
            // The totals by the key cells they fill; the detail rows are grouped once per
            // such set of cells (in practice one or two per table): linear in the rows.
            // In the order of their first total row: the relations' order is part of the path
            // the passes take (a dictionary's order changed from run to run, and with it the
            // cells a report hid).
            var totalsByFixed: [[Int]: [Int]] = [:]
            var fixedSets: [[Int]] = []
            for t in totals {
                let fixed = others.filter { table.rows[t][$0] != .text("") && table.rows[t][$0] != .empty }
                if totalsByFixed[fixed] == nil { fixedSets.append(fixed) }
                totalsByFixed[fixed, default: []].append(t)
            }
            for fixed in fixedSets {
                let totalRows = totalsByFixed[fixed]!
                var details: [[ReportCell]: [Int]] = [:]
                for r in table.rows.indices where table.rows[r][k].textValue != "*" {
                    details[fixed.map { table.rows[r][$0] }, default: []].append(r)
                }
                for t in totalRows {
                    guard let parts = details[fixed.map { table.rows[t][$0] }] else { continue }
                    for c in counts {
                        relations.append(Relation(total: CellRef(table: index, row: t, column: c),
                                                  parts: parts.map { CellRef(table: index, row: $0, column: c) },
                                                  disjoint: table.columns[k].name == "role"))
                    }
                }
            }
        }
        return relations
    }

    /// Across tables: a commune (`communes`) and its schools (`ecoles`, by `code_commune`)
    /// and, for its active users (listed or all) and its accounts, its active agents
    /// (`communes_parents_services`: agents come from the directory, so they are listed, and
    /// each has an account of the commune); an EPCI
    /// (`epci`) and its communes (`communes`, by `epci`); a role's visits and requests
    /// (`synthese_roles`) and their breakdowns by month (`tendance_mensuelle`) and by weekday
    /// and hour (`rythmes_semaine_heure`). Tables or columns an analyst renamed are left out.
    static func crossTableRelations(_ tables: [ReportTable]) -> [Relation] {
        func index(_ name: String) -> Int? { tables.firstIndex { $0.name == name } }
        var relations: [Relation] = []
        let cells = Cells(tables: tables)
        /// Each row of `totalTable` (keyed by `totalKey`) over the rows of `partTable` with
        /// the same value in `partKey`, for every count column both tables have, plus the
        /// cells `extra` gives for a key and a count column of the total.
        func link(_ totalTable: Int, _ totalKey: String, _ partTable: Int, _ partKey: String, only: Set<String>? = nil,
                  extra: (String, Int) -> [CellRef] = { _, _ in [] }) {
            let parts = cells.rowsByKey(partTable, partKey)
            for (key, totalRows) in cells.rowsInKeyOrder(totalTable, totalKey) {
                guard totalRows.count == 1, let partRows = parts[key] else { continue }
                for c in countColumns(tables[totalTable]) where only?.contains(tables[totalTable].columns[c].name) ?? true {
                    guard let pc = tables[partTable].column(tables[totalTable].columns[c].name) else { continue }
                    relations.append(Relation(total: CellRef(table: totalTable, row: totalRows[0], column: c),
                                              parts: partRows.map { CellRef(table: partTable, row: $0, column: pc) } + extra(key, c)))
                }
            }
        }
        if let communes = index("communes"), let schools = index("ecoles") {
            let agents = index("communes_parents_services")
            let agentRows = agents.map { cells.rowsByKey($0, "code_commune") } ?? [:]
            link(communes, "code_commune", schools, "code_commune") { code, column in
                guard let agents, ["utilisateurs_actifs", "utilisateurs_actifs_inscrits", "comptes"].contains(tables[communes].columns[column].name),
                      let a = tables[agents].column("agents_communaux_actifs"),
                      let agentRow = agentRows[code]?.first else { return [] }
                return [CellRef(table: agents, row: agentRow, column: a)]
            }
        }
        if let epci = index("epci"), let communes = index("communes") {
            link(epci, "epci", communes, "epci")
        }
        // A role's visits and requests over the period, and the same broken down by month or
        // by weekday and hour (a visit never crosses midnight: they add up exactly).
        // A period within one month: each role's month row is its period row, every figure.
        if let synthesis = index("synthese_roles") {
            for name in ["tendance_mensuelle", "rythmes_semaine_heure"] {
                guard let breakdown = index(name) else { continue }
                let months = tables[breakdown].column("mois").map { m in Set(tables[breakdown].rows.map { $0[m].textValue }) }
                link(synthesis, "role", breakdown, "role", only: months?.count == 1 ? nil : ["connexions", "requetes"])
            }
        }
        return relations
    }

    /// Columns that only describe another key (a commune's name and EPCI beside its code, a
    /// school's name, level and commune beside its UAI): left out of a figure's identity.
    static func describes(_ column: String, in names: Set<String>) -> Bool {
        if names.contains("uai") && ["ecole", "niveau", "commune", "code_commune", "epci"].contains(column) { return true }
        if names.contains("code_commune") && ["commune", "epci"].contains(column) { return true }
        return false
    }

    /// Columns that repeat on every row of a group a figure of a larger group (the active
    /// users of the role, on each of its services' rows): the column they are the same
    /// figure as, and the only key columns it depends on. They are hidden with that figure,
    /// on every row at once, and form no relation of their own.
    static let repeatedFigures: [String: (column: String, keys: Set<String>)] = [
        "utilisateurs_actifs_role": ("utilisateurs_actifs", ["role"]),
    ]

    /// Count columns that are another column for one role (`parents_actifs` is
    /// `utilisateurs_actifs` of the parents), and tables whose every count is for one role:
    /// so that, say, the parents' active users in the synthesis and the communes' total of
    /// active parents are known as one figure.
    static let roleColumns: [String: (column: String, role: String)] = [
        "parents_actifs": ("utilisateurs_actifs", "parent"),
        "parents_actifs_inscrits": ("utilisateurs_actifs_inscrits", "parent"),
        "comptes_parents": ("comptes", "parent"),
        "agents_communaux_actifs": ("utilisateurs_actifs", "commune"),
        "connexions_agents_communaux": ("connexions", "commune"),
    ]
    static let roleTables: [String: String] = ["parents_niveau_mensuel": "parent"]

    /// Cells that are the same figure, in one table or several: the same count column, the
    /// same group (key cells other than `*` and describing columns, with the role a column
    /// or table stands for: `roleColumns`, `roleTables`) and the same value. Equal values
    /// are required, so a link made by a coincidence only hides more.
    static func sameFigures(_ tables: [ReportTable]) -> [[CellRef]] {
        /// A figure's identity, with its column and its group numbered: a national report has
        /// a million counts, whose groups are a hundred thousand rows' keys.
        struct Identity: Hashable {
            var column: Int
            var key: Int
            var value: Int
        }
        var names: [String: Int] = [:], values: [ReportCell: Int] = [:], keys: [[Int]: Int] = [:]
        func number<Value: Hashable>(_ value: Value, in numbers: inout [Value: Int]) -> Int {
            if let known = numbers[value] { return known }
            numbers[value] = numbers.count
            return numbers.count - 1
        }
        /// A group: its key cells' (name, value) numbers, one per name.
        typealias Key = [(name: Int, value: Int)]
        func set(_ name: Int, _ value: Int, in key: inout Key) {
            if let i = key.firstIndex(where: { $0.name == name }) { key[i].value = value } else { key.append((name, value)) }
        }
        func number(_ key: Key) -> Int {
            number(key.sorted { $0.name < $1.name }.flatMap { [$0.name, $0.value] }, in: &keys)
        }
        let role = number("role", in: &names), period = number("periode", in: &names)
        let previous = number(ReportCell.text("precedente"), in: &values)
        // Each identity's first cell, and the group it opened once a second cell came.
        var slot: [Identity: Int] = [:]
        slot.reserveCapacity(tables.reduce(0) { $0 + $1.rows.count * countColumns($1).count })
        var firsts: [(ref: CellRef, group: Int)] = []
        var groups: [[CellRef]] = []
        func add(_ identity: Identity, _ ref: CellRef) {
            // One lookup for a new identity (most are): its slot stored at once, put back
            // when the identity was known.
            guard let s = slot.updateValue(firsts.count, forKey: identity) else {
                firsts.append((ref, -1))
                return
            }
            slot[identity] = s
            if firsts[s].group < 0 {
                firsts[s].group = groups.count
                groups.append([firsts[s].ref, ref])
            } else {
                groups[firsts[s].group].append(ref)
            }
        }
        /// A count column that stands for another one with its role (when the row names
        /// none), or repeats a larger group's figure.
        struct Special {
            var column: Int
            var name: Int
            var alias: (column: Int, role: Int)?
            var repeatedOfAlias: (column: Int, keys: Set<Int>)?
            var repeated: (column: Int, keys: Set<Int>)?
        }
        for (t, table) in tables.enumerated() {
            let columnNames = Set(table.columns.map(\.name))
            let keyColumns = table.columns.indices.filter {
                (table.columns[$0].kind == .text || table.columns[$0].kind == .ordinal) && !describes(table.columns[$0].name, in: columnNames)
            }.map { (column: $0, name: number(table.columns[$0].name, in: &names)) }
            let tableRole = roleTables[table.name].map { number(ReportCell.text($0), in: &values) }
            // The previous period's figures are other figures, whatever their value.
            let isPrevious = table.name.hasSuffix("_periode_precedente")
            // Each count column's identity: its own name (`plain`), or the column it stands
            // for with its role, or the larger group's figure it repeats (`special`).
            var plain: [(column: Int, name: Int)] = [], special: [Special] = []
            for c in countColumns(table) {
                let name = table.columns[c].name
                let alias = roleColumns[name]
                func repeating(_ column: String) -> (column: Int, keys: Set<Int>)? {
                    repeatedFigures[column].map { (number($0.column, in: &names), Set($0.keys.map { number($0, in: &names) })) }
                }
                if alias == nil && repeatedFigures[name] == nil {
                    plain.append((c, number(name, in: &names)))
                } else {
                    special.append(Special(column: c, name: number(name, in: &names),
                                           alias: alias.map { (number($0.column, in: &names), number(ReportCell.text($0.role), in: &values)) },
                                           repeatedOfAlias: alias.flatMap { repeating($0.column) }, repeated: repeating(name)))
                }
            }
            for (r, row) in table.rows.enumerated() {
                var key: Key = []
                for k in keyColumns where row[k.column].textValue != "*" { set(k.name, number(row[k.column], in: &values), in: &key) }
                if let tableRole { set(role, tableRole, in: &key) }
                if isPrevious { set(period, previous, in: &key) }
                var rowKey: Int?
                for (column, name) in plain {
                    let value = row[column].count
                    guard value > 0 else { continue }
                    if rowKey == nil { rowKey = number(key) }
                    add(Identity(column: name, key: rowKey!, value: value), CellRef(table: t, row: r, column: column))
                }
                for count in special {
                    let value = row[count.column].count
                    guard value > 0 else { continue }
                    let identity: Identity
                    if let alias = count.alias, !key.contains(where: { $0.name == role }) {
                        if let repeated = count.repeatedOfAlias {
                            identity = Identity(column: repeated.column, key: number(key.filter { repeated.keys.contains($0.name) }), value: value)
                        } else {
                            var roleKey = key
                            roleKey.append((role, alias.role))
                            identity = Identity(column: alias.column, key: number(roleKey), value: value)
                        }
                    } else if let repeated = count.repeated {
                        identity = Identity(column: repeated.column, key: number(key.filter { repeated.keys.contains($0.name) }), value: value)
                    } else {
                        if rowKey == nil { rowKey = number(key) }
                        identity = Identity(column: count.name, key: rowKey!, value: value)
                    }
                    add(identity, CellRef(table: t, row: r, column: count.column))
                }
            }
        }
        return groups
    }

    /// Step 6, from scratch (the counts may have changed since the rates were last set).
    static func rates(_ table: inout ReportTable) {
        for (c, column) in table.columns.enumerated() where column.kind == .rate {
            let basis = ReportColumn.rateBasis(column.name).map { (table.column($0.numerator), table.column($0.denominator)) }
            for r in table.rows.indices {
                guard case .rate(let v, _) = table.rows[r][c], v != nil else { continue }
                let row = table.rows[r]
                let from: [ReportCell]
                if let basis, let n = basis.0, let d = basis.1 {
                    from = [row[n], row[d]]
                } else {
                    from = row.filter(isCount)
                }
                let secrecy: ReportCell.Secrecy = from.contains { $0.secrecy == .small } ? .small
                    : from.contains { $0.isSuppressed } ? .complement : .shown
                table.rows[r][c] = .rate(v, secrecy: secrecy)
            }
        }
    }

    /// Step 7: a share of a column's total (an hour's part of the period's visits,
    /// `ReportColumn.shareBasis`) gives that total back from any row that shows its figure
    /// (33 visits at 0,0786 make 420, to half a visit), and with the total the hidden
    /// figures of the column by difference. So when the total is not published (a cell of
    /// the column is hidden, and no table shows the same figure in a row whose every key is
    /// `*`), the whole share column is hidden: `s`, or `< 5` where it already was.
    static func shares(_ tables: inout [ReportTable]) {
        for t in tables.indices {
            for (c, column) in tables[t].columns.enumerated() where column.kind == .rate {
                guard let basis = ReportColumn.shareBasis(column.name), let b = tables[t].column(basis),
                      tables[t].rows.contains(where: { $0[b].isSuppressed }) else { continue }
                let total = tables[t].rows.reduce(0) { $0 + $1[b].count }
                guard !isPublished(total, column: basis, in: tables) else { continue }
                for r in tables[t].rows.indices {
                    guard case .rate(let v, .shown) = tables[t].rows[r][c], v != nil else { continue }
                    tables[t].rows[r][c] = .rate(v, secrecy: .complement)
                }
            }
        }
    }

    /// Whether a shown cell of column `name` in a row whose every key cell is `*` (a
    /// period's total, such as the visits of all roles) holds `value`.
    private static func isPublished(_ value: Int, column name: String, in tables: [ReportTable]) -> Bool {
        tables.contains { table in
            guard let c = table.column(name) else { return false }
            let keys = table.columns.indices.filter { table.columns[$0].kind == .text || table.columns[$0].kind == .ordinal }
            guard !keys.isEmpty else { return false }
            return table.rows.contains { row in
                keys.allSatisfy { row[$0].textValue == "*" } && !row[c].isSuppressed && row[c].count == value
            }
        }
    }

    private static func isCount(_ cell: ReportCell) -> Bool {
        switch cell {
        case .users, .volume: return true
        default: return false
        }
    }
}
