import Foundation

/// What this process has written so far, for the operator's log of an ingest: the bytes
/// handed to `write` and its kin (`wchar` of `/proc/self/io` on Linux), whether they reach
/// the disk or stay in the page cache. SQLite's journals and temporary files count, so a
/// step that writes many times the size of the store shows in the log (a statement journal
/// once wrote 26 GB for a 1 GB store in one step).
enum ProcessIO {
    /// The bytes written since the process started; nil where `/proc/self/io` is missing.
    static func bytesWritten() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Counts the bytes written from one step to the next.
    struct Meter {
        private var last = ProcessIO.bytesWritten()

        /// The megabytes written since the last call (or since the meter was made), as the
        /// end of a log line (", 732 Mo écrits"); empty where they cannot be read.
        mutating func sinceLast() -> String {
            let now = ProcessIO.bytesWritten()
            defer { last = now }
            guard let now, let last else { return "" }
            return ", \(Console.number((now - last + 500_000) / 1_000_000)) Mo écrits"
        }
    }
}
