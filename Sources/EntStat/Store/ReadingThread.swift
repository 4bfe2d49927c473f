/// A second thread that reads the store on its own read-only connection and hands what it
/// computes to the writer, in order, at most `capacity` elements ahead: the figures per
/// person and day (`Store.completePendingWork`) and the sums of a period rebuilt in one pass
/// (`Store.appendMergedPeriod`) are computed this way while the writer stores the previous
/// ones, and an export's periods (`RollupFigures.forEachPeriod`, on two such threads) while
/// the calling thread writes those counted.
///
/// The reader sees the last committed state: what it reads must not change in the writer's
/// open transaction.
enum ReadingThread {
    /// Where the reading thread sends its elements.
    typealias Sink<Element> = ProducerThreads.Sink<Element>

    /// Runs `produce` on a second thread (or on `producers` threads, each told its index),
    /// on a read-only connection to `path` with a page cache of `cacheKiB`, and `consume`
    /// on the calling thread for each element they send (each thread's in order; the
    /// threads' interleaved). An error on either side stops all and is thrown here (a
    /// reading thread's as a `DatabaseError`, or as the `StoreError` of a damaged store). Returns false, having consumed nothing,
    /// when not every thread could be started (the caller then reads on its own
    /// connection).
    static func run<Element>(path: String, cacheKiB: Int, capacity: Int, producers: Int = 1,
                             produce: @escaping @Sendable (Database, Sink<Element>, Int) throws -> Void,
                             consume: (Element) throws -> Void) throws -> Bool {
        try ProducerThreads.run(capacity: capacity, producers: producers, produce: { sink, index in
            do {
                let reading = try Database(path: path, readOnly: true)
                try reading.execute("PRAGMA cache_size = -\(cacheKiB)")
                try produce(reading, sink, index)
            } catch let error as DatabaseError {
                throw error
            } catch let error as StoreError {
                throw error
            } catch {
                throw DatabaseError(code: 1, message: "\(error)", sql: nil)
            }
        }, consume: consume)
    }
}
