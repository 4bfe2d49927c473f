// entstat-fuzz: one libFuzzer binary for every reader of outside bytes, the target named
// by the environment variable ENTSTAT_FUZZ_TARGET:
//   access-line   AccessLogParser on one line (no newline)
//   event-line    EventLogParser on one line
//   log-file      the bytes written to a file and parsed as an ingest worker parses a log
//                 (ParseFloor.parse: gzip or plain text detected, inflate, SHA-256s, lines,
//                 records, feature rules, pseudonyms, facts grouped by identity and day)
//   reference     SemicolonCSV, then accounts.csv, schools.csv and epci.csv read from it
//   rules         an analyst's rules file (FeatureRules), then its last line's words
//                 matched as a path and as a module
// A target must never crash, trap (overflow, index out of range, force unwrap) or touch
// memory it does not own, whatever the bytes: every failure must be a thrown error that
// the tool turns into its one-line message. `main` hands the command line to libFuzzer's
// driver (`LLVMFuzzerRunDriver`): its options (-max_total_time=N, -jobs=N, a corpus folder)
// are libFuzzer's.
@_spi(Benchmark) import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// The target this process fuzzes, read once from the environment.
enum FuzzTarget: String, CaseIterable {
    case accessLine = "access-line"
    case eventLine = "event-line"
    case logFile = "log-file"
    case reference = "reference"
    case rules = "rules"

    static let current: FuzzTarget = {
        guard let name = getenv("ENTSTAT_FUZZ_TARGET").map({ String(cString: $0) }),
              let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            let message = "entstat-fuzz: set ENTSTAT_FUZZ_TARGET to one of \(names)\n"
            _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
            exit(1)
        }
        return target
    }()

    /// The file `log-file` writes each input to (tmpfs when there is one).
    static let scratchPath: String = {
        let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(folder)/entstat-fuzz-\(getpid()).log"
    }()

    /// One parser for every input, as a worker keeps one for every line (its buffers reused);
    /// libFuzzer runs the inputs on one thread.
    nonisolated(unsafe) static let eventParser = EventLogParser()

    /// Reads every byte of each field, so that AddressSanitizer checks that a field the
    /// parser handed out lies in memory that is still there. The sum is kept so that the
    /// reads are not optimised away.
    static func readEveryByte(of fields: [UnsafeRawBufferPointer]) {
        for field in fields { for byte in field { checksum &+= byte } }
    }

    nonisolated(unsafe) static var checksum: UInt8 = 0

    /// Feeds one input to this target.
    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .accessLine:
            guard let record = try? AccessLogParser.parse(bytes) else { return }
            // The record's fields are views into `bytes` (AddressSanitizer checks each read).
            Self.readEveryByte(of: [record.user, record.path])
            _ = AccessLogParser.isStaticAsset(record.path)
            _ = AccessLogParser.isLogin(record.path)
            precondition(AccessLogParser.pathEnd(record.path) <= record.path.count)
        case .eventLine:
            guard let record = try? Self.eventParser.parse(bytes) else { return }
            // Views into the parser's buffers, valid until its next line.
            Self.readEveryByte(of: [record.user, record.module, record.profil, record.structuresRaw] + Self.eventParser.structures)
        case .logFile:
            let path = Self.scratchPath
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            precondition(fd >= 0, "cannot write \(path)")
            var written = 0
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                precondition(n > 0, "cannot write \(path)")
                written += n
            }
            close(fd)
            _ = try? ParseFloor.parse(path: path)
        case .reference:
            guard let csv = try? SemicolonCSV(bytes: Array(bytes), file: "fuzz.csv") else { return }
            _ = try? AccountDirectory(csv: csv, file: "accounts.csv")
            _ = try? SchoolDirectory(csv: csv, file: "schools.csv")
            _ = try? EpciMap(csv: csv, file: "epci.csv")
        case .rules:
            let text = String(decoding: bytes, as: UTF8.self)
            guard let rules = try? FeatureRules(text: text, file: "rules.txt") else { return }
            let tail = Array(bytes.split(separator: UInt8(ascii: "\n")).last ?? [])
            for word in tail.split(separator: UInt8(ascii: " ")) {
                Array(word).withUnsafeBytes { word in
                    precondition(Int(rules.feature(forPath: word)) < rules.names.count)
                    precondition(Int(rules.feature(forModule: word)) < rules.names.count)
                }
            }
        }
    }
}
