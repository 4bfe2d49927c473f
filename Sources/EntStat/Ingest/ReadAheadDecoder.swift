import Crypto

/// The first steps of a file's parse (inflate, and the SHA-256 of the decoded content) on a
/// thread of their own, so that one large file keeps two cores busy: the parse thread
/// takes the decoded chunks, copied, in order, and cuts them into lines and records while
/// the next ones are inflated. `LogFileParser` uses it when the run has fewer files than
/// parse workers (a core would otherwise be idle).
///
/// At most `chunksAhead` chunks wait (memory stays flat). A decoding failure reaches the
/// parse thread after the chunks decoded before it, as it would have read them itself.
final class ReadAheadDecoder {
    /// What the decoding thread hands over, in order.
    private enum Piece: Sendable {
        case chunk([UInt8], compressedOffset: Int)
        case end(contentSHA256: [UInt8])
        case failed(DecodedByteStream.Failure)
    }

    /// The stream, used by the decoding thread until `stop()` has joined it.
    private final class StreamBox: @unchecked Sendable {
        let stream: DecodedByteStream
        init(_ stream: DecodedByteStream) { self.stream = stream }
    }

    private let channel: BoundedChannel<Piece>
    /// Chunk buffers the parse thread is done with, for the decoding thread to fill again
    /// (a new 4 MiB array per chunk would be mapped and faulted in each time).
    private let emptied: BoundedChannel<[UInt8]>
    private let thread: WorkerThreads
    /// The SHA-256 of the whole decoded content, once `forEachChunk` has returned.
    private(set) var contentSHA256: [UInt8] = []

    /// Starts decoding `stream` on a new thread; nil when the system gives no thread (the
    /// caller then reads the stream itself).
    init?(stream: DecodedByteStream, chunksAhead: Int = 2) {
        let channel = BoundedChannel<Piece>(capacity: chunksAhead)
        let emptied = BoundedChannel<[UInt8]>(capacity: chunksAhead + 2)
        let box = StreamBox(stream)
        thread = WorkerThreads(count: 1) { _ in
            var content = SHA256()
            do throws(DecodedByteStream.Failure) {
                while let chunk = try box.stream.next() {
                    content.update(bufferPointer: chunk)
                    var copy = emptied.poll() ?? []
                    copy.removeAll(keepingCapacity: true)
                    copy.append(contentsOf: chunk)
                    guard channel.send(.chunk(copy, compressedOffset: box.stream.compressedOffset)) else { break }
                }
                channel.send(.end(contentSHA256: Array(content.finalize())))
            } catch {
                channel.send(.failed(error))
            }
            channel.finish()
        }
        self.channel = channel
        self.emptied = emptied
        guard thread.startedCount == 1 else { return nil }
    }

    /// Stops the decoding thread (at once when the parse gave up early) and waits for it:
    /// the stream may be used again once this returns.
    func stop() {
        channel.cancel()
        thread.join()
        emptied.cancel()
    }

    /// Calls `body` with each decoded chunk in order and the compressed offset read so far,
    /// until the end of the stream (then `contentSHA256` is set); throws the stream's
    /// failure where it occurred, or what `body` throws.
    func forEachChunk(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        while true {
            switch channel.receive(timeout: 1) {
            case .timedOut: continue
            case .finished: return
            case .element(.chunk(let bytes, let offset)):
                try bytes.withUnsafeBytes { try body($0, offset) }
                emptied.offer(bytes)
            case .element(.end(let sha)):
                contentSHA256 = sha
            case .element(.failed(let failure)):
                throw failure
            }
        }
    }
}
