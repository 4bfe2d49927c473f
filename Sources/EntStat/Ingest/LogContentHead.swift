import Crypto

/// The SHA-256 of the head of a log's decompressed content: its bytes up to and including
/// the first line feed at offset 63 or later (a log's first record, or its first records
/// when they are short), provided it comes within the first MiB. A file that starts with
/// the whole content of another has the same head as that other one, whatever either is
/// named and however either is compressed: the ledger keeps each file's head
/// (`ingested_file.head_sha256`) so that a log read while it was still being written is
/// found again when its complete copy comes under another name (`EarlierCopyFinder`).
///
/// A content with no such line feed (shorter than 64 bytes, or a first MiB without a line
/// break past byte 63) has no head.
struct LogContentHead {
    /// The offset at or past which the first line feed ends the head: a blank line or a few
    /// bytes could start many logs, a first record could not.
    static let minimumBytes = 64
    /// Past this many bytes without such a line feed, the content has no head.
    static let maximumBytes = 1 << 20

    private var hasher = SHA256()
    private var seen = 0
    /// The digest, once the head's end was met.
    private(set) var digest: [UInt8]?
    /// True once the head is known, or known to be missing.
    private(set) var isSettled = false

    /// Feeds the next decoded bytes; does nothing once the head is settled.
    mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        guard !isSettled, !chunk.isEmpty else { return }
        // The first line feed at offset ≥ minimumBytes - 1, within maximumBytes.
        let from = max(0, Self.minimumBytes - 1 - seen)
        let limit = min(chunk.count, Self.maximumBytes - seen)
        if from < limit, let end = chunk[from..<limit].firstIndex(of: 0x0A) {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[..<(end + 1)]))
            digest = Array(hasher.finalize())
            isSettled = true
            return
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[..<limit]))
        seen += limit
        if seen >= Self.maximumBytes { isSettled = true }
    }

    /// Ends the content: a head not met by now is missing.
    mutating func finish() {
        isSettled = true
    }

    /// The head of a whole content given at once (tests, and callers holding the bytes).
    static func of(_ bytes: [UInt8]) -> [UInt8]? {
        var head = LogContentHead()
        bytes.withUnsafeBytes { head.feed($0) }
        head.finish()
        return head.digest
    }
}
