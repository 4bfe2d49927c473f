/// Step 4c of `ReportSuppression`: shows again the cells of the synthesis (then of the
/// adoption, services and monthly tables) that the passes hid on their way but that the
/// hiding they ended with no longer needs.
///
/// The passes choose greedily, one pin at a time (`SecrecyPropagation.cellsToHide`), and a
/// cell hidden for one pin can be made useless by the cells hidden for later ones. Each
/// cell of `synthese_roles`, then of `adoption_role_niveau`, `services_par_role`,
/// `tendance_mensuelle` and `parents_niveau_mensuel`, hidden as a complement is tried in
/// turn, the most read first (the persons before the volumes, the active users first, the
/// largest figure first), shown again with every cell that is the same figure elsewhere,
/// and the passes run again from there (with a memory of their own, since what the first
/// passes learnt assumed cells are only ever hidden: they keep only the cells seen to move
/// in groups the shown cells were not tied to; and the synthesis' cells hidden last). The
/// try is kept only when the report is then at least as safe as the passes left it and
/// hides no more: the passes settle with the cell still shown, hide no other cell of the
/// synthesis and no more cells in all, no hidden cell is deducible that was not already,
/// and no `< 5` tied to the cell can be bounded more closely by a reader with a linear
/// solver than before (the narrowest ranges after, the widest before:
/// `SecrecyPropagation.smallCellRanges`): the showing tells nothing new of a small count.
enum SecrecyRevealing {
    /// The synthesis, read first: its complements are tried first, and no try may hide
    /// any of its cells.
    static let tables: Set<String> = ["synthese_roles"]
    /// Tables whose complements are tried after the synthesis', in this order: the adoption
    /// and services tables, then the monthly ones. A table added at the end changes nothing
    /// the tries of the tables before it decide.
    static let alsoTried = ["adoption_role_niveau", "services_par_role", "tendance_mensuelle", "parents_niveau_mensuel"]

    /// The first tries of a report, made whatever they cost…
    static let maximumTries = 24
    /// …past which a table's complements are tried only while fewer than this many of its
    /// tries have solved something. Most tries cost nothing: the settling hides the shown
    /// cells again at once (85 % of the tries over the Somme's communes). The others build
    /// the report's relations at least twice and solve the ranges of the small cells tied to
    /// the shown ones until one is narrowed (10–150 ms), and one that gets past that runs
    /// the passes again (30–60 ms more). Over the Somme's 321 communes, 4 per table (against
    /// none past the first 24) shows 17 more figures in 8 reports for 16 s more in all, the
    /// slowest report 1.69 s; 16 in all (any table), 7 reports but one of 2.13 s; every try,
    /// 16 reports but 12 over 2 s (docs/secrecy.md, "Cells of the synthesis shown again").
    static let solvedTriesPerTable = 4
    /// The passes a try may run before it is given up.
    static let maximumPasses = 400

    /// Shows again what can be; `settling`, `memory` and the tables are those the passes
    /// ended with, and are left as the last kept try made them; no figure of `keptHidden`
    /// (hidden by the reports this one is published with) is shown. Returns how many cells
    /// were shown again.
    @discardableResult
    static func reveal(_ tables: inout [ReportTable], settling: inout SecrecySettling, memory: inout SecrecyPropagation.Memory,
                       templates: SecrecyTemplates, minCell: Int, tableauLimit: Int,
                       limits: (tries: Int, solvedPerTable: Int) = (maximumTries, solvedTriesPerTable),
                       keptHidden: Set<ReportSuppression.CellRef> = []) -> Int {
        // A group too large for the solver is checked by propagation only: its verdict is
        // not a proof that a shown cell keeps the others safe.
        guard memory.unsolved.isEmpty, memory.unfreed.isEmpty else { return 0 }
        let candidates = self.candidates(tables)
        guard !candidates.isEmpty else { return 0 }
        // The same figure in several places: shown again together or not at all. So is a
        // total of a single part (the parents of a commune whose schools are all of one
        // level): the part hidden, the total would give it back.
        var groupsOf: [ReportSuppression.CellRef: [Int]] = [:]
        for (g, group) in templates.groups.enumerated() {
            for ref in group { groupsOf[ref, default: []].append(g) }
        }
        var equalTo: [ReportSuppression.CellRef: [ReportSuppression.CellRef]] = [:]
        for r in templates.kinds.indices where templates.kinds[r] == .equal && templates.start[r + 1] - templates.start[r] == 2 {
            let i = templates.start[r]
            guard templates.coefficient[i] + templates.coefficient[i + 1] == 0 else { continue }
            let a = templates.cells.ref(Int(templates.cell[i])), b = templates.cells.ref(Int(templates.cell[i + 1]))
            equalTo[a, default: []].append(b)
            equalTo[b, default: []].append(a)
        }
        func sameFigure(_ ref: ReportSuppression.CellRef) -> [ReportSuppression.CellRef] {
            var seen: Set<ReportSuppression.CellRef> = [ref], queue = [ref]
            while let next = queue.popLast() {
                for g in groupsOf[next] ?? [] {
                    for other in templates.groups[g] where seen.insert(other).inserted { queue.append(other) }
                }
                for other in equalTo[next] ?? [] where seen.insert(other).inserted { queue.append(other) }
            }
            return seen.sorted()
        }
        var shown = 0, tries = 0
        var solved: [Int: Int] = [:]
        var synthesisCells = Set<Int>()
        for (t, table) in tables.enumerated() where self.tables.contains(table.name) {
            for r in table.rows.indices { for c in table.columns.indices { synthesisCells.insert(templates.cells.flat(table: t, row: r, column: c)) } }
        }
        // The cells of the tries turned down: each of them would be tried with the same cells.
        var turnedDown = Set<ReportSuppression.CellRef>()
        // The widest range a reader surely knew of each small cell solved so far, with the
        // tables as they are: a cell's range does not depend on the others asked with it, so
        // it holds until a try is kept (a `< 5` is tied to the cells of several tries).
        var widestBefore: [ReportSuppression.CellRef: (lo: Double, hi: Double)] = [:]
        // The hidden cells of the tables as they are, which a kept try may not exceed.
        var hiddenNow = hiddenCount(tables)
        for candidate in candidates {
            if tries >= limits.tries && solved[candidate.table, default: 0] >= limits.solvedPerTable { continue }
            guard tables[candidate.table].rows[candidate.row][candidate.column].secrecy == .complement,
                  !turnedDown.contains(candidate) else { continue }
            let refs = sameFigure(candidate)
            turnedDown.formUnion(refs)
            guard !refs.contains(where: keptHidden.contains) else { continue }
            // A small count among them: the figure is small, and stays hidden.
            guard refs.allSatisfy({ tables[$0.table].rows[$0.row][$0.column].secrecy != .small }) else { continue }
            tries += 1
            var trial = tables
            for ref in refs { show(&trial[ref.table].rows[ref.row][ref.column]) }
            var trialSettling = settling
            trialSettling.reveal(refs)
            // The cells shown again are hidden again at once when a check of steps 2, 3 or 5
            // needs them: nothing more to try.
            trialSettling.settle(&trial)
            func refsHidden() -> Bool { refs.contains { trial[$0.table].rows[$0.row][$0.column].isSuppressed } }
            guard !refsHidden() else { continue }
            // The hidden cells the shown ones were tied to: their relations change. Those of
            // other groups keep theirs, and what the passes saw move still moves.
            solved[candidate.table, default: 0] += 1
            let tied = SecrecyPropagation.cellsTied(to: refs, in: tables, templates: templates, minCell: minCell)
            // No small count may be bounded more closely than before: the cell shown again
            // says nothing more of any `< 5` (in a commune of the Somme, without this, the
            // `< 5` a solver narrows below 1 to 4 went from 8 to 265). The narrowest ranges
            // with the cells shown against the widest before (a reader knows something between
            // the two: `smallCellRanges`); most keep their mark's whole range: only those that
            // do not need the range before, and the first that it does not hold ends the try.
            // Checked before the passes run again: they only hide, which only widens the
            // ranges, and most tries end here.
            let small = tied.filter { tables[$0.table].rows[$0.row][$0.column].secrecy == .small }
            let narrowed = { (ref: ReportSuppression.CellRef, now: (lo: Double, hi: Double)) -> Bool in
                guard now.lo > 1 || now.hi < Double(minCell - 1) else { return false }
                if widestBefore[ref] == nil {
                    // The small cells of this try not solved before, together (one build of
                    // the relations, the solver's first points shared).
                    let unsolved = small.filter { widestBefore[$0] == nil }
                    guard let before = SecrecyPropagation.smallCellRanges(unsolved, in: tables, templates: templates, minCell: minCell,
                                                                          tableauLimit: tableauLimit, asAReaderKnows: true)
                    else { return true }
                    widestBefore.merge(before) { _, new in new }
                }
                guard let was = widestBefore[ref] else { return true }
                return now.lo > was.lo + 1e-6 || now.hi < was.hi - 1e-6
            }
            guard SecrecyPropagation.smallCellRanges(small, in: trial, templates: templates, minCell: minCell, tableauLimit: tableauLimit,
                                                     seeded: false, stop: narrowed) != nil
            else { continue }
            var trialMemory = SecrecyPropagation.Memory()
            trialMemory.movable = memory.movable.subtracting(tied)
            trialMemory.pinnedAnyway = memory.pinnedAnyway
            trialMemory.hiddenLast = synthesisCells
            // The passes again from there, a few at most: the try is kept when they end with
            // the cells still shown and no more cells hidden than before.
            var settled = false
            for _ in 0..<maximumPasses {
                let more = SecrecyPropagation.cellsToHide(trial, templates: templates, minCell: minCell, tableauLimit: tableauLimit,
                                                          memory: &trialMemory)
                if more.isEmpty { settled = true; break }
                if more.contains(where: refs.contains) { break }
                for ref in more { ReportSuppression.hide(&trial[ref.table].rows[ref.row][ref.column], minCell: minCell) }
                trialSettling.settle(&trial)
                if refsHidden() { break }
            }
            guard settled, trialMemory.unsolved.isEmpty, trialMemory.unfreed.isEmpty,
                  trialMemory.unfreeable.isSubset(of: memory.unfreeable),
                  hiddenCount(trial) <= hiddenNow,
                  !synthesisCells.contains(where: { isHidden(templates.cells.ref($0), in: trial) && !isHidden(templates.cells.ref($0), in: tables) })
            else { continue }
            tables = trial
            settling = trialSettling
            memory = trialMemory
            widestBefore = [:]
            hiddenNow = hiddenCount(tables)
            shown += refs.count
        }
        return shown
    }

    /// The complements of `tables`' named tables, in the order they are tried: the synthesis
    /// first, then the tables of `alsoTried` in its order; within a table, counts of persons
    /// before volumes, the active users first, then column by column, the largest
    /// figure first within a column, the total row (`*`) last.
    static func candidates(_ tables: [ReportTable]) -> [ReportSuppression.CellRef] {
        var candidates: [(ref: ReportSuppression.CellRef, key: (Int, Int, Int, Int, Int, Int))] = []
        for (t, table) in tables.enumerated() {
            let order: Int
            if self.tables.contains(table.name) { order = 0 } else if let i = alsoTried.firstIndex(of: table.name) { order = i + 1 } else { continue }
            let keys = table.columns.indices.filter { table.columns[$0].kind == .text }
            for (c, column) in table.columns.enumerated() {
                let rank: Int
                switch column.kind {
                case .users: rank = column.name == "utilisateurs_actifs" ? 0 : 1
                case .volume: rank = 2
                default: continue
                }
                for (r, row) in table.rows.enumerated() where row[c].secrecy == .complement {
                    let total = keys.contains { row[$0].textValue == "*" } ? 1 : 0
                    candidates.append((ReportSuppression.CellRef(table: t, row: r, column: c), (order, t, rank, c, total, -row[c].count)))
                }
            }
        }
        return candidates.sorted { $0.key < $1.key }.map(\.ref)
    }

    /// The hidden counts and volumes of `tables` (zeros aside, which reveal nobody).
    static func hiddenCount(_ tables: [ReportTable]) -> Int {
        tables.reduce(0) { sum, table in
            sum + table.rows.reduce(0) { $0 + $1.filter { cell in
                switch cell {
                case .users(let n, let s): return s != .shown && n > 0
                case .volume(let v, let s): return s != .shown && v > 0
                default: return false
                }
            }.count }
        }
    }

    private static func isHidden(_ ref: ReportSuppression.CellRef, in tables: [ReportTable]) -> Bool {
        tables[ref.table].rows[ref.row][ref.column].isSuppressed
    }

    /// The cell shown again.
    private static func show(_ cell: inout ReportCell) {
        switch cell {
        case .users(let n, _): cell = .users(n, secrecy: .shown)
        case .volume(let v, _): cell = .volume(v, secrecy: .shown)
        default: break
        }
    }
}

