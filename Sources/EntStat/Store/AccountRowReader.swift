import Crypto

/// Reads `accounts.csv` on a thread of its own and hands the writer its rows already
/// checked and pseudonymised, in file order, in batches: splitting the fields, reading
/// each row (`AccountDirectory.Columns`) and the two HMACs of its ids take most of a
/// national load's reading, and the writer's inserts can run beside them. At most
/// `capacity` batches wait, so memory stays flat whatever the file's size.
///
/// No raw id crosses to the writer: a row carries its pseudonyms only.
struct AccountRowReader {
    /// One row of the file as the store takes it: the account, when the row gave one, and
    /// the row's warnings in the order the row gave them.
    struct Row {
        /// The line the row starts on (the account's id).
        let line: Int
        let account: PseudonymousAccount?
        let warnings: [String]
    }

    /// An account of `accounts.csv` with its ids pseudonymised.
    struct PseudonymousAccount {
        let user: [UInt8]
        let legacy: [UInt8]?
        let role: String
        let codeCommune: String
        let activatedDay: Int?
        /// The schools of the account (none for a commune's agent).
        let schools: [String]
    }

    private enum Batch {
        case rows([Row])
        /// The last element: the SHA-256 of the file's raw bytes.
        case end(sha: [UInt8])
    }

    /// Rows per batch handed to the writer.
    static let batchSize = 4096

    /// Reads the file at `path` (named `file` in warnings) on a second thread and calls
    /// `consume` on the calling thread for each row, in file order; returns the SHA-256 of
    /// the file's raw bytes. A failure of either side stops both and is thrown here, as
    /// the reading side threw it. When no thread can be started, reads on the calling
    /// thread.
    static func read(path: String, file: String, using pseudonymizer: Pseudonymizer, capacity: Int = 8,
                     consume: (Row) throws -> Void) throws -> [UInt8] {
        var sha: [UInt8]?
        let threaded = try ProducerThreads.run(capacity: capacity, produce: { (sink: ProducerThreads.Sink<Batch>, _) in
            var batch: [Row] = []
            batch.reserveCapacity(batchSize)
            let digest = try produce(path: path, file: file, using: pseudonymizer) { row in
                batch.append(row)
                if batch.count == batchSize {
                    // The writer gave up; it throws its own error.
                    guard sink.send(.rows(batch)) else { throw CancellationError() }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = sink.send(.rows(batch)) }
            _ = sink.send(.end(sha: digest))
        }, consume: { batch in
            switch batch {
            case .rows(let rows): for row in rows { try consume(row) }
            case .end(let digest): sha = digest
            }
        })
        guard threaded else { return try produce(path: path, file: file, using: pseudonymizer, consume) }
        guard let sha else { throw CancellationError() }
        return sha
    }

    /// Reads the file row by row, handing each to `emit`; returns its raw bytes' SHA-256.
    private static func produce(path: String, file: String, using pseudonymizer: Pseudonymizer,
                                _ emit: (Row) throws -> Void) throws -> [UInt8] {
        var hasher = SHA256()
        var columns: AccountDirectory.Columns?
        try SemicolonCSV.stream(path: path, file: file, rawObserver: { hasher.update(bufferPointer: $0) },
                                onHeader: { columns = try AccountDirectory.Columns(header: $0, file: file) },
                                onRow: { row in
            var warnings: [ReferenceWarning] = []
            let account = columns.flatMap { columns in
                SemicolonCSV.isComplete(row, fieldCount: columns.count, file: file, warnings: &warnings)
                    ? columns.account(from: row, warnings: &warnings, isRepeatedUser: { _ in false }, isRepeatedLegacy: { _ in false })
                    : nil
            }
            try emit(Row(line: row.line, account: account.map { a in
                PseudonymousAccount(user: pseudonymizer.pseudonym(source: .events, rawID: a.userID),
                                    legacy: a.legacyID.isEmpty ? nil : pseudonymizer.pseudonym(source: .access, rawID: a.legacyID),
                                    role: a.role, codeCommune: a.codeCommune, activatedDay: a.activatedOn?.dayNumber,
                                    schools: a.role == "commune" ? [] : a.schools)
            }, warnings: warnings.map(\.message)))
        })
        return Array(hasher.finalize())
    }
}
