/// A blocking first-in first-out queue between producer threads (one, or `producers`) and
/// one consumer thread, holding at most `capacity` elements: a producer waits while it is
/// full (this is what keeps memory flat when parsing runs ahead of the store), the consumer
/// waits while it is empty. Each producer's elements keep their order.
///
/// Each producer calls `finish()` after its last element (the consumer sees the end once
/// all have); the consumer may `cancel()` at any time, after which every `send` returns
/// false at once so the producers can stop.
final class BoundedChannel<Element>: @unchecked Sendable {
    /// What `receive(timeout:)` found.
    enum Received {
        case element(Element)
        /// The producer finished and every element was received.
        case finished
        /// Nothing arrived within the timeout.
        case timedOut
    }

    private let capacity: Int
    private var buffer: [Element?] = []
    private var head = 0
    private var count: Int { buffer.count - head }
    private var finished = false
    /// Producers that have not called `finish()` yet.
    private var producing: Int
    private var cancelled = false
    private let monitor = MutexCondition()

    init(capacity: Int, producers: Int = 1) {
        precondition(capacity > 0 && producers > 0)
        self.capacity = capacity
        producing = producers
    }

    /// Appends an element, waiting for room. False when the consumer cancelled.
    @discardableResult
    func send(_ element: Element) -> Bool {
        monitor.locked {
            while count == capacity && !cancelled { monitor.wait() }
            if cancelled { return false }
            buffer.append(element)
            monitor.broadcast()
            return true
        }
    }

    /// Appends an element if there is room, without waiting; false when the queue was full
    /// or the consumer cancelled (for a producer that must never block, such as a wake-up
    /// signal where one element waiting is enough).
    @discardableResult
    func offer(_ element: Element) -> Bool {
        monitor.locked {
            if cancelled || count == capacity { return false }
            buffer.append(element)
            monitor.broadcast()
            return true
        }
    }

    /// Tells the consumer no element will follow from this producer.
    func finish() {
        monitor.locked {
            producing -= 1
            finished = producing <= 0
            monitor.broadcast()
        }
    }

    /// Drops every waiting element and makes later sends fail (the consumer gave up).
    func cancel() {
        monitor.locked {
            cancelled = true
            buffer.removeAll()
            head = 0
            monitor.broadcast()
        }
    }

    /// True once the consumer cancelled (the producer may stop early).
    var isCancelled: Bool {
        monitor.locked { cancelled }
    }

    /// The next element, waiting at most `timeout` seconds for it.
    func receive(timeout: Double) -> Received {
        monitor.locked {
            monitor.wait(while: { count == 0 && !finished }, atMost: timeout)
            if count == 0 { return finished ? .finished : .timedOut }
            return .element(takeFirst())
        }
    }

    /// The next element if one is waiting, without waiting for it (for a consumer that
    /// has something else to do otherwise, such as a buffer handed back for reuse).
    func poll() -> Element? {
        monitor.locked { count == 0 ? nil : takeFirst() }
    }

    /// Removes and returns the first element; the caller holds the lock and has checked
    /// that one is waiting.
    private func takeFirst() -> Element {
        let element = buffer[head]!
        buffer[head] = nil
        head += 1
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 {
            buffer.removeFirst(head)
            head = 0
        }
        monitor.broadcast()
        return element
    }
}
