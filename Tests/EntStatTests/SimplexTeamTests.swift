import Foundation
import Synchronization
import Testing
@testable import EntStat

/// `SimplexTeam`: a pivot's columns updated by the pivoting thread and a helper thread
/// between them get the entries one thread gives them, to the bit, down whole columns and
/// in listed rows; the helper does take columns; two threads sharing one team each get
/// their own pivot's entries.
@Suite struct SimplexTeamTests {
    /// An entry as a tableau holds them: zeros, small fractions, residues near 1e-12, −0.
    private static func randomValue(_ random: inout SeededGenerator) -> Double {
        switch random.next() % 5 {
        case 0, 1: return 0
        case 2: return Double(Int(random.next() % 13) - 6) / Double(Int(random.next() % 5) + 1)
        case 3: return [-0.0, 1e-12, -9e-13, 3e-13, .infinity, .nan][Int(random.next() % 6)]
        default: return Double(bitPattern: 0x3FF0_0000_0000_0000 | (random.next() >> 12)) - 1.5
        }
    }

    /// One pivot's update, written as the Swift loops over lists of rows did: each listed
    /// column, in each row of `rows`, x = entry − factor × the column's entry in row `r`,
    /// +0 within 1e-12 of zero.
    private static func reference(_ tableau: [Double], rows m: Int, row r: Int, columns: [Int64], rows updated: [Int],
                                  factors: [Double]) -> [Double] {
        var t = tableau
        for j in columns.map(Int.init) {
            let pivotEntry = t[j * m + r]
            for i in updated {
                let x = t[j * m + i] - factors[i] * pivotEntry
                t[j * m + i] = x < 1e-12 && x > -1e-12 ? 0 : x
            }
        }
        return t
    }

    private struct Pivot {
        var tableau: [Double]
        let rows: Int
        let row: Int
        let columns: [Int64]
        let factors: [Double]
        let listedRows: [Int32]
        let listedFactors: [Double]

        init(rows m: Int, columns n: Int, _ random: inout SeededGenerator) {
            rows = m
            tableau = (0..<m * n).map { _ in SimplexTeamTests.randomValue(&random) }
            row = Int(random.next() % UInt64(m))
            columns = (0..<Int64(n)).filter { _ in random.next() % 3 != 0 }
            var factors = (0..<m).map { _ in SimplexTeamTests.randomValue(&random) }
            factors[row] = 0
            self.factors = factors
            // The listed rows: some of those of a nonzero factor.
            let listed = factors.indices.filter { factors[$0] != 0 && random.next() % 4 != 0 }
            listedRows = listed.map(Int32.init)
            listedFactors = listed.map { factors[$0] }
        }

        /// The update by `team` (nil: this thread alone), down whole columns or in the
        /// listed rows, begun and finished (no column first).
        func updated(by team: SimplexTeam?, kernel: SimplexKernel, listed: Bool) -> [Double] {
            var t = tableau, columns = columns
            t.withUnsafeMutableBufferPointer { t in
                columns.withUnsafeMutableBufferPointer { c in
                    factors.withUnsafeBufferPointer { f in
                        listedRows.withUnsafeBufferPointer { lr in
                            listedFactors.withUnsafeBufferPointer { lf in
                                let shared = SimplexTeam.begin(team, kernel: kernel, tableau: t.baseAddress!, rows: rows, row: row,
                                                               columns: c.baseAddress!, count: c.count, factors: f.baseAddress!,
                                                               listedRows: listed ? lr.baseAddress! : nil,
                                                               listedFactors: lf.baseAddress!, listedCount: lr.count, first: -1)
                                if shared, let team { SimplexTeam.finish(team) }
                            }
                        }
                    }
                }
            }
            return t
        }

        func expected(listed: Bool) -> [Double] {
            let updated = listed ? listedRows.map(Int.init) : factors.indices.filter { factors[$0] != 0 }
            return SimplexTeamTests.reference(tableau, rows: rows, row: row, columns: columns, rows: updated, factors: factors)
        }
    }

    @Test func aTeamUpdatesEveryColumnAsOneThreadDoes() throws {
        let team = try #require(SimplexTeam())
        var random = SeededGenerator(seed: 41)
        var compared = 0
        for (rows, columns) in [(1_100, 60), (301, 45), (9_000, 5), (7, 3), (1, 4), (2_000, 1)] {
            for _ in 0..<6 {
                let pivot = Pivot(rows: rows, columns: columns, &random)
                for listed in [false, true] {
                    let expected = pivot.expected(listed: listed).map(\.bitPattern)
                    for kernel in SimplexKernel.allCases where kernel.isAvailable {
                        for helper in [nil, team] {
                            let got = pivot.updated(by: helper, kernel: kernel, listed: listed).map(\.bitPattern)
                            let differing = got.indices.filter { got[$0] != expected[$0] }
                            #expect(differing.isEmpty, "\(kernel), \(rows) × \(columns), listed \(listed), team \(helper != nil): \(differing.count) entries differ")
                            compared += 1
                        }
                    }
                }
            }
        }
        #expect(compared >= 6 * 6 * 2 * 2)
        // The helper took columns: offered the same large pivot until it does (it may
        // start late on a busy machine), each time with the same entries.
        let pivot = Pivot(rows: 1_100, columns: 200, &random)
        let expected = pivot.expected(listed: false).map(\.bitPattern)
        for _ in 0..<5_000 where team.helped == 0 {
            #expect(pivot.updated(by: team, kernel: .scalar, listed: false).map(\.bitPattern) == expected)
        }
        #expect(team.helped > 0)
    }

    /// Two threads pivoting with one team at once: one of them has the helper, the other
    /// pivots alone; each gets its own pivot's entries.
    @Test func twoThreadsShareATeam() throws {
        let team = try #require(SimplexTeam())
        var random = SeededGenerator(seed: 43)
        let pivots = [Pivot(rows: 800, columns: 90, &random), Pivot(rows: 1_000, columns: 70, &random)]
        let expected = pivots.map { $0.expected(listed: false).map(\.bitPattern) }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            for _ in 0..<40 where pivots[k].updated(by: team, kernel: .scalar, listed: false).map(\.bitPattern) != expected[k] {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
