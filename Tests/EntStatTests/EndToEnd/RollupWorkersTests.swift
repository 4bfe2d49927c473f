import Foundation
import Testing
@testable import EntStat

/// `RollupFigures` shares the periods of an export between threads, each on its own
/// read-only connection. The figures must be those of one thread on the store's
/// connection, for every period kind, grouping and range.
@Suite("Rollup figures on several threads")
struct RollupWorkersTests {
    @Test func severalWorkersComputeTheFiguresOfOne() throws {
        let dir = try RollupTests.ingestedStore()
        let store = try RollupTests.store(dir)
        var parallelRequests = 0
        for period in Period.allCases {
            for dims in RollupTests.groupings {
                for (from, to) in RollupTests.ranges {
                    let request = ExportRequest(period: period, dimensions: dims, from: from, to: to)
                    let fromDay = from?.dayNumber ?? Int(Int32.min), toDay = to?.dayNumber ?? Int(Int32.max)
                    let one = try #require(try RollupFigures.compute(store: store, request: request, fromDay: fromDay, toDay: toDay, workers: 1))
                    for workers in [2, 3] {
                        let many = try #require(try RollupFigures.compute(store: store, request: request, fromDay: fromDay, toDay: toDay, workers: workers))
                        #expect(many.keyed == one.keyed, "\(workers) workers: \(period) \(dims) \(String(describing: from))–\(String(describing: to))")
                        #expect(many.activePeriods == one.activePeriods)
                    }
                    if Set(one.rows.map(\.period)).count > 1 { parallelRequests += 1 }
                    // Counted person by person (a grouping by school, commune, EPCI or
                    // level, which the totals per role cannot answer), the rows come out
                    // in export order already, so the export does not sort them again.
                    if dims.contains(where: { $0.isPlace && $0 != .role }) {
                        #expect(FigureRowOrder.isSorted(one.rows), "\(period) \(dims)")
                        #expect(FigureRowOrder.isSorted(try #require(try RollupFigures.compute(
                            store: store, request: request, fromDay: fromDay, toDay: toDay, workers: 2)).rows))
                    }
                }
            }
        }
        // Most requests span several periods, so the threaded path really ran.
        #expect(parallelRequests > 100)
    }

    @Test func insideATransactionTheStoreConnectionAloneIsRead() throws {
        let dir = try RollupTests.ingestedStore()
        let store = try RollupTests.store(dir)
        let request = ExportRequest(period: .day, dimensions: [.role, .feature])
        let outside = try #require(try RollupFigures.compute(store: store, request: request, fromDay: Int(Int32.min), toDay: Int(Int32.max), workers: 2))
        try store.db.execute("BEGIN")
        defer { try? store.db.execute("COMMIT") }
        let inside = try #require(try RollupFigures.compute(store: store, request: request, fromDay: Int(Int32.min), toDay: Int(Int32.max), workers: 2))
        #expect(inside.keyed == outside.keyed)
    }
}
