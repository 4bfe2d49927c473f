/// Finds, for one parse worker, the logs of the ledger whose content starts as a file's
/// does (the same `LogContentHead`), whatever their names: the shorter copies the file may
/// complete (a log read while it was still being written, then rotated under another name
/// or compressed). The parser keeps the longest one the file really starts with
/// (`LogFileParser.continuation`), checked by its whole SHA-256.
///
/// Reads on a read-only connection of its own, opened on first use (the store's connection
/// belongs to the writer), and sees only the ledger rows that were there when the run began
/// (`lastFileID`): what a file skips does not depend on how far the writer got. A store
/// that cannot be read this way finds nothing; the file is then read whole, as before the
/// ledger kept heads.
final class EarlierCopyFinder {
    /// The most copies tried for one file, longest first.
    static let limit = 8

    private let path: String
    private let lastFileID: Int64
    private var db: Database?
    private var lookup: Statement?
    private var unavailable = false

    init(path: String, lastFileID: Int64) {
        self.path = path
        self.lastFileID = lastFileID
    }

    /// The copies of the ledger with this head, longest first (at most `limit`).
    func copies(head: [UInt8]) -> [LogFileParser.EarlierCopy] {
        guard lastFileID > 0, let lookup = statement() else { return [] }
        lookup.reset()
        var copies: [LogFileParser.EarlierCopy] = []
        guard (try? lookup.bind(.blob(head), .integer(lastFileID))) != nil else { return [] }
        while (try? lookup.step()) == true {
            copies.append(.init(name: lookup.text(0), decodedBytes: lookup.int(1), contentSHA256: Array(lookup.blob(2)),
                                source: LogSource(rawValue: lookup.text(3))))
        }
        lookup.reset()
        return copies
    }

    private func statement() -> Statement? {
        if let lookup { return lookup }
        guard !unavailable else { return nil }
        do {
            let db = try Database(path: path, readOnly: true)
            db.setBusyTimeout(milliseconds: 60_000)
            self.db = db
            lookup = try db.prepare("""
                SELECT name, decoded_bytes, content_sha256, source FROM ingested_file
                WHERE head_sha256 = ?1 AND id <= ?2 AND decoded_bytes > 0
                ORDER BY decoded_bytes DESC LIMIT \(Self.limit)
                """)
        } catch {
            unavailable = true
        }
        return lookup
    }
}
