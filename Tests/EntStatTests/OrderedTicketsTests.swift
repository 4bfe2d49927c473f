import Foundation
import Synchronization
import Testing
@testable import EntStat

/// `OrderedTickets`: every index handed out once, never `window` past the first result
/// not consumed, and a thread waiting at the window let go when the consumer gives up.
@Suite struct OrderedTicketsTests {
    @Test func everyIndexIsHandedOutOnceAndNoneRunsAheadOfTheWindow() throws {
        for window in [1, 3, 8] {
            let count = 300
            let tickets = OrderedTickets(count: count, window: window)
            var waiting: Set<Int> = [], taken: [Int] = [], mostWaiting = 0
            var next = 0
            // How far past the first result not consumed an index was claimed: at most what
            // it was (the consumer publishes its count before it tells the tickets).
            let consumedSoFar = Atomic<Int>(0), mostAhead = Atomic<Int>(0)
            let ran = try ProducerThreads.run(capacity: count, producers: 3, produce: { (sink: ProducerThreads.Sink<Int>, _) in
                while let i = tickets.claim(unless: { sink.isCancelled }) {
                    mostAhead.max(i - consumedSoFar.load(ordering: .sequentiallyConsistent), ordering: .relaxed)
                    guard sink.send(i) else { return }
                }
            }, consume: { i in
                // A slow consumer: without the window the producers would run far ahead.
                usleep(100)
                waiting.insert(i)
                mostWaiting = max(mostWaiting, waiting.count)
                while waiting.remove(next) != nil {
                    taken.append(next)
                    next += 1
                    consumedSoFar.store(next, ordering: .sequentiallyConsistent)
                    tickets.consumed(below: next)
                }
            })
            #expect(ran)
            #expect(taken == Array(0..<count), "window \(window)")
            #expect(waiting.isEmpty)
            #expect(mostWaiting <= window, "window \(window): \(mostWaiting) results waited")
            // The producers ran ahead as far as the window lets them, and no further.
            #expect(mostAhead.load(ordering: .relaxed) == window - 1, "window \(window)")
        }
    }

    @Test func aClaimWaitingAtTheWindowEndsWhenTheConsumerGivesUp() throws {
        let tickets = OrderedTickets(count: 10, window: 2)
        #expect(tickets.claim(unless: { false }) == 0)
        #expect(tickets.claim(unless: { false }) == 1)
        // Index 2 waits for the consumer to take index 0; it never does, but gives up.
        let cancelled = Atomic<Bool>(false)
        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { cancelled.store(true, ordering: .relaxed) }
        #expect(tickets.claim(unless: { cancelled.load(ordering: .relaxed) }) == nil)
        #expect(Date().timeIntervalSince(start) >= 0.09)
        // Once index 0 is consumed, index 2 is handed out.
        tickets.consumed(below: 1)
        #expect(tickets.claim(unless: { false }) == 2)
    }

    @Test func noIndexIsHandedOutPastTheCount() {
        let tickets = OrderedTickets(count: 2, window: 5)
        #expect(tickets.claim(unless: { false }) == 0)
        #expect(tickets.claim(unless: { false }) == 1)
        #expect(tickets.claim(unless: { false }) == nil)
        #expect(tickets.claim(unless: { false }) == nil)
    }
}
