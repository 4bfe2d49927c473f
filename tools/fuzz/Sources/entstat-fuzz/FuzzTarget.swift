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
//   csv-chunks    the reference files' record splitter (SemicolonCSV.Parser) fed the same
//                 bytes whole and in chunks of 1 to 8 bytes (the first byte says), as a
//                 streamed accounts.csv reaches it: the rows and the failure must agree
//   rollup-detail a person's packed rollup row (`person_period.detail`) as a damaged or
//                 hand-edited store could hold it, read by RollupRowStream in key order
//                 and handed over row by row, for every class of rows: the read must stop
//                 with StoreError.damaged (person 2), never crash
//   store         a whole store, damaged or hand-edited cell by cell and byte by byte, read
//                 by status, exports and the report, and ingested into (StoreFuzz.swift)
// A target must never crash, trap (overflow, index out of range, force unwrap) or touch
// memory it does not own, whatever the bytes: every failure must be a thrown error that
// the tool turns into its one-line message. `main` hands the command line to libFuzzer's
// driver (`LLVMFuzzerRunDriver`): its options (-max_total_time=N, -jobs=N, a corpus folder)
// are libFuzzer's.
@_spi(Benchmark) @testable import EntStat
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
    case csvChunks = "csv-chunks"
    case rollupDetail = "rollup-detail"
    case store = "store"

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

    /// The file `log-file` writes each input to: ENTSTAT_FUZZ_SCRATCH (`run` gives one in
    /// its work folder, removed with it), else one in tmpfs when there is one.
    static let scratchPath: String = {
        if let path = getenv("ENTSTAT_FUZZ_SCRATCH") { return String(cString: path) }
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

    /// Writes `bytes` to the file at `path`, replacing it (the harness does not otherwise
    /// import Foundation).
    static func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write \(path)")
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0, "cannot write \(path)")
            written += n
        }
    }

    /// An in-memory `person_period` (migration 13's table) holding persons 1 to 3, whose
    /// person 2's detail each input replaces.
    nonisolated(unsafe) static let rollups: Database = {
        do {
            let db = try Database(path: ":memory:")
            try db.execute(Migrations.v13.components(separatedBy: "INSERT INTO person_period")[0])
            for person in 1...3 {
                try db.execute("""
                    INSERT INTO person_period VALUES ('week', 17794, \(person), 2, 5, 1, 3,
                        '[["access","*",1,2,0,1],["access","blog",1,2,0,1],["events","*",1,3,1,2]]')
                    """)
            }
            return db
        } catch {
            fatalError("the fuzz target's table: \(error)")
        }
    }()

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
            Self.writeFile(Self.scratchPath, bytes)
            _ = try? ParseFloor.parse(path: Self.scratchPath)
        case .reference:
            guard let csv = try? SemicolonCSV(bytes: Array(bytes), file: "fuzz.csv") else { return }
            _ = try? AccountDirectory(csv: csv, file: "accounts.csv")
            _ = try? SchoolDirectory(csv: csv, file: "schools.csv")
            _ = try? EpciMap(csv: csv, file: "epci.csv")
        case .csvChunks:
            guard let first = bytes.first else { return }
            let csv = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
            let chunk = 1 + Int(first % 8)
            func rows(chunked: Bool) -> (rows: [String], failure: String?) {
                var parser = SemicolonCSV.Parser()
                var rows: [String] = []
                let emit = { (row: SemicolonCSV.Row) in
                    rows.append("\(row.line) \(row.fields) \(row.unterminated) \(row.hasBareCR)")
                }
                if chunked {
                    var start = 0
                    while start < csv.count {
                        let end = min(csv.count, start + chunk)
                        parser.feed(UnsafeRawBufferPointer(rebasing: csv[start..<end]), final: false, emit)
                        start = end
                    }
                    parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true, emit)
                } else {
                    parser.feed(csv, final: true, emit)
                }
                return (rows, parser.failure(file: "f").map { "\($0)" })
            }
            let whole = rows(chunked: false), chunked = rows(chunked: true)
            if whole.rows != chunked.rows || whole.failure != chunked.failure {
                fatalError("chunks of \(chunk) bytes: \(chunked) instead of \(whole)")
            }
        case .rollupDetail:
            let db = Self.rollups
            do {
                let update = try db.prepare("UPDATE person_period SET detail = ?1 WHERE person = 2")
                try update.bind(.blob(Array(bytes)))
                _ = try update.step()
            } catch {
                fatalError("the fuzz target's update: \(error)")
            }
            // Reads person 2's row through `body`: it must succeed or end in its
            // error (a damaged store, person 2), nothing else.
            func read(_ body: (Statement) throws -> Void) {
                do {
                    try body(try db.prepare("SELECT person, days, requests, logins, visits, detail FROM person_period ORDER BY person"))
                } catch let error as StoreError {
                    guard case .damaged(_, "person_period", let reason) = error, reason.hasPrefix("détail illisible pour la personne 2 (") else {
                        fatalError("unexpected \(error)")
                    }
                } catch {
                    fatalError("unexpected \(error)")
                }
            }
            for classes: PeriodRowClasses in [.all, .total, .bySource, .byFeature, .bySourceFeature] {
                read { select in
                    let stream = RollupRowStream(packed: select, table: "person_period", classes: classes)
                    while try stream.next() { Self.readEveryByte(of: [stream.source, stream.feature]) }
                }
                read { select in
                    try RollupRowStream(packed: select, table: "person_period", classes: classes).forEachRow { _, source, feature, _, _, _, _ in
                        Self.readEveryByte(of: [source, feature])
                    }
                }
            }
        case .store:
            StoreFuzz.run(bytes)
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
