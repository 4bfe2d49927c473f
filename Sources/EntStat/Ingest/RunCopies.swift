/// The logs of one run that a later log of the same run may complete (a log read while it
/// was still being written and its complete copy, given together): the ledger lookup
/// (`EarlierCopyFinder`) sees only the runs before, and what the writer has stored by the
/// time a worker looks would depend on timing.
///
/// The files are numbered as the run reads them. Each parse worker says, for its file, the
/// head of its content once known (`settle`), then the file as a copy once parsed whole, or
/// nothing when it failed or was cancelled (`finish`). A file asks for the copies before it
/// with its head (`copies(before:head:)`): it waits until every earlier file's head is known,
/// then until those with its head are parsed. So the copies a file finds are always those
/// of the files before it, whatever the threads' speed. Workers take files in order, and the
/// writer drains them in order, so an earlier file never waits for a later one: no wait can
/// close a cycle. A stream says at once that it has no head here (a file waiting for its
/// first line would wait for whatever writes into the pipe).
final class RunCopies: @unchecked Sendable {
    private let monitor = MutexCondition()
    /// Per file: nil until settled, then its head (`.some(nil)`: none).
    private var heads: [[UInt8]??]
    /// Per file: nil until finished, then the copy it is (`.some(nil)`: none, it failed).
    private var copies: [LogFileParser.EarlierCopy??]
    /// How many files from the first have settled heads.
    private var settledPrefix = 0

    init(count: Int) {
        heads = Array(repeating: nil, count: count)
        copies = Array(repeating: nil, count: count)
    }

    /// File `index`'s head is known (nil: it has none, or is a stream).
    func settle(_ index: Int, head: [UInt8]?) {
        monitor.locked {
            guard heads[index] == nil else { return }
            heads[index] = .some(head)
            while settledPrefix < heads.count, heads[settledPrefix] != nil { settledPrefix += 1 }
            monitor.broadcast()
        }
    }

    /// File `index` is parsed: `copy` is its whole content (nil when it failed or stopped).
    /// Settles its head too, when it stopped before knowing it. Only the first call counts.
    func finish(_ index: Int, copy: LogFileParser.EarlierCopy?) {
        settle(index, head: nil)
        monitor.locked {
            guard copies[index] == nil else { return }
            copies[index] = .some(copy)
            monitor.broadcast()
        }
    }

    /// The files before `index` with this head, parsed whole, waiting for them as above.
    func copies(before index: Int, head: [UInt8]) -> [LogFileParser.EarlierCopy] {
        monitor.locked {
            while settledPrefix < index { monitor.wait() }
            let same = (0..<index).filter { heads[$0] == .some(head) }
            while same.contains(where: { copies[$0] == nil }) { monitor.wait() }
            return same.compactMap { copies[$0] ?? nil }
        }
    }
}
