import Foundation
import Synchronization
import Testing
@testable import EntStat

/// `ParseAheadLimit`: a worker past the limit waits until the writer gives a place back,
/// and a closed limit lets every waiting worker go.
@Suite struct ParseAheadLimitTests {
    /// Runs `enter()` on another thread; `entered` is 1 once it returned true, -1 false.
    final class Attempt: @unchecked Sendable {
        let entered = Synchronization.Atomic<Int>(0)
        private var thread: pthread_t?

        init(_ limit: ParseAheadLimit) {
            let box = Unmanaged.passRetained(Box(limit: limit, attempt: self))
            var t = pthread_t()
            pthread_create(&t, nil, { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.attempt.entered.store(box.limit.enter() ? 1 : -1, ordering: .sequentiallyConsistent)
                return nil
            }, box.toOpaque())
            thread = t
        }

        func join() {
            if let thread { pthread_join(thread, nil) }
            thread = nil
        }

        final class Box {
            let limit: ParseAheadLimit
            let attempt: Attempt
            init(limit: ParseAheadLimit, attempt: Attempt) {
                self.limit = limit
                self.attempt = attempt
            }
        }
    }

    @Test func aWorkerPastTheLimitWaitsForAPlace() {
        let limit = ParseAheadLimit(files: 2)
        #expect(limit.enter())
        #expect(limit.enter())
        let third = Attempt(limit)
        usleep(100_000)
        #expect(third.entered.load(ordering: .sequentiallyConsistent) == 0, "two files held: the third waits")
        limit.leave()
        third.join()
        #expect(third.entered.load(ordering: .sequentiallyConsistent) == 1)
        // One place given back, taken by the third: the next waits again.
        let fourth = Attempt(limit)
        usleep(100_000)
        #expect(fourth.entered.load(ordering: .sequentiallyConsistent) == 0)
        limit.close()
        fourth.join()
        #expect(fourth.entered.load(ordering: .sequentiallyConsistent) == -1, "closed: the waiting worker stops")
        #expect(!limit.enter())
    }
}
