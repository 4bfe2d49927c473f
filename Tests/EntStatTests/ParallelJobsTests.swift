import Foundation
import Synchronization
import Testing
@testable import EntStat

/// `ParallelJobs`: results in job order whatever thread ran them, the sequential run's
/// error when jobs fail, and the report built on several connections equal to the report
/// built on one.
@Suite struct ParallelJobsTests {
    struct Failed: Error, Equatable { let index: Int }

    @Test func resultsComeInJobOrderAndEveryJobRunsOnce() throws {
        let results = try ParallelJobs.run(count: 200, threads: 4, callerContext: 0, makeContext: { 1 },
                                           job: { _, index in index * index })
        #expect(results == (0..<200).map { $0 * $0 })
    }

    @Test func theLowestFailingJobsErrorIsRethrown() throws {
        // Jobs 7 and 3 fail; whichever thread meets which first, job 3's error comes out.
        for _ in 0..<20 {
            #expect(throws: Failed(index: 3)) {
                _ = try ParallelJobs.run(count: 50, threads: 3, callerContext: 0, makeContext: { 0 },
                                         job: { _, index in
                                             if index == 7 || index == 3 { throw Failed(index: index) }
                                             return index
                                         })
            }
        }
    }

    @Test func theCallersOwnWorkRunsWhileTheOthersTakeJobs() throws {
        // The caller's work waits until another thread has finished a job: jobs did start
        // while it ran. Then the caller helps with the rest, and every job runs once.
        let done = Synchronization.Atomic<Int>(0)
        var waited = 0
        let results = try ParallelJobs.run(count: 40, threads: 2, callerContext: "caller", makeContext: { "helper" },
                                           callerFirst: {
                                               while done.load(ordering: .relaxed) == 0 && waited < 10_000 {
                                                   usleep(1_000)
                                                   waited += 1
                                               }
                                           },
                                           job: { context, index in
                                               if context == "helper" { done.add(1, ordering: .relaxed) }
                                               return index
                                           })
        #expect(results == Array(0..<40))
        #expect(done.load(ordering: .relaxed) >= 1 && waited < 10_000)
    }

    @Test func anErrorOfTheCallersOwnWorkStopsTheJobs() throws {
        let started = Synchronization.Atomic<Int>(0)
        #expect(throws: Failed(index: -2)) {
            _ = try ParallelJobs.run(count: 100_000, threads: 2, callerContext: 0, makeContext: { 0 },
                                     callerFirst: { throw Failed(index: -2) },
                                     job: { _, index in
                                         started.add(1, ordering: .relaxed)
                                         usleep(10)
                                         return index
                                     })
        }
        #expect(started.load(ordering: .relaxed) < 100_000)
    }

    @Test func aThreadWithoutContextLeavesTheWorkToTheOthers() throws {
        let results = try ParallelJobs.run(count: 30, threads: 3, callerContext: "caller",
                                           makeContext: { throw Failed(index: -1) },
                                           job: { context, index in "\(context)-\(index)" })
        #expect(results == (0..<30).map { "caller-\($0)" })
    }

    @Test func reportOnSeveralConnectionsEqualsReportOnOne() throws {
        let request = ReportRequest(minCell: 5, queriesDirectory: ReportFixture.queriesDirectory, styleSheet: "body{}")
        var sequential = try ReportBuilder(store: Store(readingFrom: ReportFixture.shared), request: request)
        sequential.queryThreads = 1
        // Progress: every table named, then the secrecy, once.
        nonisolated(unsafe) var steps: [String] = []
        sequential.onQuery = { steps.append($0) }
        sequential.onSecrecy = { steps.append("(secret)") }
        var parallel = try ReportBuilder(store: Store(readingFrom: ReportFixture.shared), request: request)
        parallel.queryThreads = 3
        let one = try sequential.build(), several = try parallel.build()
        #expect(one.html == several.html)
        #expect(one.csvFiles.map(\.name) == several.csvFiles.map(\.name))
        #expect(one.csvFiles.map(\.content) == several.csvFiles.map(\.content))
        #expect(several.csvFiles.count >= 19)
        #expect(steps.last == "(secret)" && steps.filter { $0 == "(secret)" }.count == 1)
        #expect(steps.count == one.tables.count, "each query, and the secrecy instead of the comparison table")
        #expect(steps.contains("synthese_roles") && steps.contains("synthese_roles_periode_precedente"))
    }
}
