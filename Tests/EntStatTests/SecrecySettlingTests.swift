import Foundation
import Testing
@testable import EntStat

/// `SecrecySettling` runs only the checks whose cells changed: it must hide exactly the
/// cells, in the same tables, that full rounds over every check hide (the way secrecy
/// settled before it, kept here as the reference), on the first settling and after cells are
/// hidden between two (as `SecrecyPropagation`'s passes do).
@Suite struct SecrecySettlingTests {
    /// The reference: every check, in order, round after round while one hides a cell.
    static func settleByRounds(_ tables: inout [ReportTable], _ relations: [ReportSuppression.Relation],
                               _ equations: [ReportSuppression.Equation], _ groups: [[ReportSuppression.CellRef]],
                               minCell: Int) -> Int {
        var rounds = 0
        var changed = true
        while changed {
            changed = false
            rounds += 1
            for t in tables.indices where ReportSuppression.hideGroupVolumes(&tables[t], minCell: minCell) { changed = true }
            for relation in relations where ReportSuppression.protect(relation, in: &tables, minCell: minCell) { changed = true }
            for equation in equations where ReportSuppression.protect(equation, in: &tables, minCell: minCell) { changed = true }
            for group in groups where group.contains(where: { tables[$0.table].rows[$0.row][$0.column].isSuppressed }) {
                for ref in group where ReportSuppression.hide(&tables[ref.table].rows[ref.row][ref.column], minCell: minCell) { changed = true }
            }
        }
        return rounds
    }

    static func hiddenCount(_ tables: [ReportTable]) -> Int {
        tables.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.filter(\.isSuppressed).count } }
    }

    /// Random tables of counts and activity volumes (a row's visits and requests hidden
    /// with its count), random totals over random parts, equations of ±1 terms with a
    /// preferred cell, groups of equal figures; then random cells hidden between two
    /// settlings. 300 cases, each compared cell by cell.
    @Test func hidesWhatFullRoundsHideOnRandomChecks() {
        var random = SeededGenerator(seed: 20261203)
        var settledCells = 0, casesOfSeveralRounds = 0, hiddenBetween = 0
        for _ in 0..<300 {
            let minCell = Int.random(in: 2...6, using: &random)
            var tables: [ReportTable] = []
            for t in 0..<Int.random(in: 1...3, using: &random) {
                let columns = [ReportColumn(name: "role"), ReportColumn(name: "utilisateurs"), ReportColumn(name: "comptes"),
                               ReportColumn(name: "connexions"), ReportColumn(name: "requetes")]
                let rows: [[ReportCell]] = (0..<Int.random(in: 2...9, using: &random)).map { r in
                    let users = Int.random(in: 0...14, using: &random)
                    return [.text("r\(t).\(r)"), .users(users, secrecy: .shown), .users(Int.random(in: 0...20, using: &random), secrecy: .shown),
                            .volume(Double(users * Int.random(in: 1...3, using: &random)), secrecy: .shown),
                            .volume(Double(users * 2), secrecy: .shown)]
                }
                tables.append(ReportTable(name: "t\(t)", title: "", question: "", columns: columns, rows: rows))
            }
            func randomCell(countsOnly: Bool = true) -> ReportSuppression.CellRef {
                let t = Int.random(in: 0..<tables.count, using: &random)
                return .init(table: t, row: Int.random(in: 0..<tables[t].rows.count, using: &random),
                             column: countsOnly ? Int.random(in: 1...2, using: &random) : Int.random(in: 1...4, using: &random))
            }
            let relations = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                ReportSuppression.Relation(total: randomCell(), parts: (0..<Int.random(in: 1...5, using: &random)).map { _ in randomCell() })
            }
            let equations = (0..<Int.random(in: 0...5, using: &random)).map { _ in
                let terms = (0..<Int.random(in: 2...4, using: &random)).map { _ in (ref: randomCell(countsOnly: false), coefficient: Bool.random(using: &random) ? 1 : -1) }
                return ReportSuppression.Equation(kind: [.equal, .atLeast, .atMost].randomElement(using: &random)!, terms: terms,
                                                  preferred: Bool.random(using: &random) ? [terms[0].ref] : [])
            }
            let groups = (0..<Int.random(in: 0...4, using: &random)).map { _ in (0..<Int.random(in: 2...3, using: &random)).map { _ in randomCell(countsOnly: false) } }
            for t in tables.indices { ReportSuppression.primary(&tables[t], minCell: minCell) }
            var expected = tables, actual = tables
            let before = Self.hiddenCount(tables)
            if Self.settleByRounds(&expected, relations, equations, groups, minCell: minCell) > 2 { casesOfSeveralRounds += 1 }
            var settling = SecrecySettling(tables: actual, relations: relations, equations: equations, groups: groups, minCell: minCell)
            settling.settle(&actual)
            #expect(actual.map(\.rows) == expected.map(\.rows))
            settledCells += Self.hiddenCount(expected) - before
            // Cells hidden from outside, then both settle again.
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let ref = randomCell(countsOnly: false)
                if ReportSuppression.hide(&expected[ref.table].rows[ref.row][ref.column], minCell: minCell) { hiddenBetween += 1 }
                ReportSuppression.hide(&actual[ref.table].rows[ref.row][ref.column], minCell: minCell)
            }
            _ = Self.settleByRounds(&expected, relations, equations, groups, minCell: minCell)
            settling.settle(&actual)
            #expect(actual.map(\.rows) == expected.map(\.rows))
        }
        // The cases did exercise the checks: many cells hidden by settling, cases that took
        // several rounds, cells hidden between two settlings.
        #expect(settledCells > 300 && casesOfSeveralRounds > 20 && hiddenBetween > 100, "\(settledCells) \(casesOfSeveralRounds) \(hiddenBetween)")
    }

    /// On the report fixture's period tables (every relation the report makes, across
    /// tables included), at several thresholds: the same cells as full rounds.
    @Test func hidesWhatFullRoundsHideOnTheReportFixture() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let request = ReportRequest(minCell: 0, queriesDirectory: ReportFixture.queriesDirectory, styleSheet: "")
        let open = try ReportBuilder(store: store, request: request).build().tables
        // The period's tables, as `ReportBuilder` gives them to the secrecy (the comparison
        // table, first, aside: it is made after).
        let tables = Array(open.dropFirst())
        #expect(tables.count >= 19)
        var settled = 0
        for minCell in [3, 5, 10, 20] {
            var expected = tables
            for t in expected.indices { ReportSuppression.primary(&expected[t], minCell: minCell) }
            var actual = expected
            let (relations, equations, groups) = ReportSuppression.checks(expected)
            #expect(relations.count > 50 && !equations.isEmpty && !groups.isEmpty)
            let before = Self.hiddenCount(expected)
            _ = Self.settleByRounds(&expected, relations, equations, groups, minCell: minCell)
            var settling = SecrecySettling(tables: actual, relations: relations, equations: equations, groups: groups, minCell: minCell)
            settling.settle(&actual)
            #expect(actual.map(\.rows) == expected.map(\.rows), "min-cell \(minCell)")
            settled += Self.hiddenCount(expected) - before
        }
        #expect(settled > 20, "\(settled)")
    }
}
