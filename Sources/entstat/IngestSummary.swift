import ArgumentParser
import EntStat
import Foundation

/// The machine-readable summary of one `entstat ingest` run (`--summary-json FILE`), for
/// monitoring: counts of files and records, duration, exit status and every failure.
///
/// ```json
/// {"exit_status": 2, "files": {"new": 24, "skipped": 780, "failed": 1}, "failures": [...], ...}
/// ```
struct IngestSummary: Encodable {
    /// A reference file loaded by the run.
    struct Reference: Encodable {
        var kind: String
        var file: String
        var rows: Int
        var warnings: Int
    }

    /// A log file that contributed nothing: where (`octet 123`, `ligne 45`; null when
    /// the failure has no place in the file, such as a file that could not be opened) and
    /// why (the message without its position).
    struct Failure: Encodable {
        var file: String
        var position: String?
        var reason: String

        enum CodingKeys: String, CodingKey { case file, position, reason }

        init(file: String, failure: FileFailure) {
            self.file = file
            let text = failure.description
            let place = failure.position
            position = place == "-" ? nil : place
            reason = text.hasPrefix(place + " : ") ? String(text.dropFirst(place.count + 3)) : text
        }

        // Written explicitly: a nil position is `null`, not a missing key.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(position, forKey: .position)
            try container.encode(reason, forKey: .reason)
        }
    }

    struct Files: Encodable {
        var new = 0
        var skipped = 0
        var failed = 0
    }

    struct Records: Encodable {
        var lines = 0
        var qualifying = 0
        var filtered = 0
        var rejected = 0
    }

    var format = "entstat-ingest-summary/1"
    var version = EntStatVersion.current
    var store: String
    var startedAt: String
    var finishedAt = ""
    var durationSeconds = 0.0
    /// 0 all good, 1 usage or configuration error, 2 some files failed (SPEC §3).
    var exitStatus = 0
    var files = Files()
    var records = Records()
    var compressedBytesRead = 0
    var decodedBytes = 0
    var references: [Reference] = []
    var failures: [Failure] = []
    /// The configuration error that stopped the run (exit 1).
    var error: String?
    /// True once the `bilan` line is printed (not part of the JSON).
    var bilanPrinted = false

    /// The one-line `bilan` of the run, `seconds` after its files started.
    func bilanLine(seconds: Double) -> String {
        "bilan : \(Console.count(files.new, "fichier ingéré", "fichiers ingérés")), \(Console.count(files.skipped, "ignoré")), \(Console.number(files.failed)) en échec ; "
            + "\(Console.count(records.lines, "ligne")), \(Console.count(records.qualifying, "retenue")), "
            + "\(Console.count(decodedBytes / 1_000_000, "Mo décompressé", "Mo décompressés")) en \(Console.seconds(seconds))"
            // When the run began, in Paris time: the nights of nightly.log can be told apart.
            + " (\(ParisTime.text(utc: startedAt)))"
    }

    enum CodingKeys: String, CodingKey {
        case format, version, store, error, files, records, references, failures
        case startedAt = "started_at", finishedAt = "finished_at", durationSeconds = "duration_seconds"
        case exitStatus = "exit_status", compressedBytesRead = "compressed_bytes_read", decodedBytes = "decoded_bytes"
    }

    /// Records the configuration error that stops the run (exit 1) and prints it, one line
    /// on standard error; the caller throws the exit code it returns.
    mutating func stop(_ message: String) -> ExitCode {
        error = message
        Console.error(message)
        return .failure
    }

    init(store: String, startedAt: String) {
        self.store = store
        self.startedAt = startedAt
    }

    mutating func add(_ report: FileReport) {
        switch report.outcome {
        case .ingested:
            files.new += 1
            records.lines += report.lines
            records.qualifying += report.qualifying
            records.filtered += report.filtered
            records.rejected += report.rejected
            compressedBytesRead += report.compressedBytes
            decodedBytes += report.decodedBytes
        case .skipped:
            files.skipped += 1
        case .failed(let failure):
            files.failed += 1
            failures.append(Failure(file: report.name, failure: failure))
        }
    }

    mutating func finish(seconds: Double, exitStatus: Int) {
        finishedAt = Store.timestamp()
        durationSeconds = (seconds * 1000).rounded() / 1000
        self.exitStatus = exitStatus
    }

    /// Writes the JSON next to its destination, then renames it (a reader never sees half a
    /// file); missing folders are created.
    func write(to path: String) throws {
        try AtomicFile.makeFolder(Store.folder(of: path))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: path)
    }
}
