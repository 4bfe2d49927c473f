/// Threads of their own that make elements and hand them, in order, to the calling thread,
/// at most `capacity` elements ahead (a producer waits rather than run further ahead, so
/// memory stays flat): the store's reading threads (`ReadingThread`) and the reader of
/// `accounts.csv` (`AccountRowReader`) work this way while the writer stores what they
/// made before.
enum ProducerThreads {
    /// Where a producer sends its elements.
    struct Sink<Element>: @unchecked Sendable {
        fileprivate let channel: BoundedChannel<Result<Element, any Error>>

        /// Hands one element to the consumer, waiting for room; false once it gave up.
        func send(_ element: Element) -> Bool { channel.send(.success(element)) }

        /// True once the consumer gave up (the producer may stop before its next element).
        var isCancelled: Bool { channel.isCancelled }
    }

    /// Runs `produce` on `producers` threads, each told its index, and `consume` on the
    /// calling thread for each element they send (each thread's in order; the threads'
    /// interleaved). An error on either side stops all and is thrown here, as it was
    /// thrown. Returns false, having consumed nothing, when not every thread could be
    /// started (the caller then produces on its own thread).
    static func run<Element>(capacity: Int, producers: Int = 1,
                             produce: @escaping @Sendable (Sink<Element>, Int) throws -> Void,
                             consume: (Element) throws -> Void) throws -> Bool {
        let sink = Sink(channel: BoundedChannel<Result<Element, any Error>>(capacity: capacity, producers: producers))
        let threads = WorkerThreads(count: producers) { index in
            do {
                try produce(sink, index)
            } catch {
                sink.channel.send(.failure(error))
            }
            sink.channel.finish()
        }
        defer {
            sink.channel.cancel()
            threads.join()
        }
        guard threads.startedCount == producers else { return false }
        while true {
            switch sink.channel.receive(timeout: 3600) {
            case .element(.success(let element)): try consume(element)
            case .element(.failure(let error)): throw error
            case .timedOut: continue
            case .finished: return true
            }
        }
    }
}
