// entstat-floor: the parse floor of an ingest.
//
//   entstat-floor [--threads N] [--gzip-seconds S] [--stage N,…] FILE…
//
// Runs the stages that every ingest worker goes through before a record can be stored,
// cumulatively, on the same files and as many threads as the ingest (one file per thread
// at a time, the next file to the first free thread):
//   1. inflate            DecodedByteStream, the ingest's own reader and zlib inflate
//   2. + SHA-256          the raw file's and the content's (SPEC §2.5: a repeat is
//                         skipped under another name or compression)
//   3. + lines            LineSplitter
//   4. + records          AccessLogParser / EventLogParser on every line
//   5. the whole worker   the ingest's own parse stage (LogFileParser through
//                         ParseFloor): 4. plus feature rules, pseudonyms (HMAC-SHA-256
//                         per identity and file) and the facts grouped by identity and day,
//                         the batches dropped instead of stored
//   6. + facts appended   5., its batches appended to the cheapest SQLite store of the
//                         facts there can be (ParseFloor.FactAppender: one writer at a
//                         time, no journal, no fsync, one table with no index, a row per
//                         identity and day): the least any store of the per-person facts
//                         that SPEC §2 needs (distinct users over any period, repeats,
//                         order) can cost on top of the worker
// and prints, per stage, wall and CPU seconds, the ratio to `gzip -dc` on the same files
// (given by --gzip-seconds), and CPU nanoseconds per line. What an ingest does beyond
// stage 4 (pseudonyms, feature rules, grouping the facts, the whole store) comes on top:
// stage 5's wall time is a floor for the ingest's, whatever the store does, and stage 6's
// for any ingest that stores its facts in SQLite.
import Crypto
import Dispatch
@_spi(Benchmark) import EntStat
import Foundation

struct Options {
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var gzipSeconds: Double?
    var files: [String] = []
    /// Only these stages (profiling one of them).
    var stages = Stage.allCases
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--threads": options.threads = Int(arguments.popFirst() ?? "") ?? options.threads
        case "--gzip-seconds": options.gzipSeconds = Double(arguments.popFirst() ?? "")
        case "--stage": options.stages = (arguments.popFirst() ?? "").split(separator: ",").compactMap { Int($0).flatMap(Stage.init) }
        default: options.files.append(argument)
        }
    }
    if options.files.isEmpty {
        FileHandle.standardError.write(Data("usage: entstat-floor [--threads N] [--gzip-seconds S] [--stage N,…] FILE…\n".utf8))
        exit(1)
    }
    return options
}

enum Stage: Int, CaseIterable {
    case inflate = 1, sha256, lines, records, worker, stored

    var label: String {
        switch self {
        case .inflate: return "1. inflate"
        case .sha256: return "2. + SHA-256 raw and content"
        case .lines: return "3. + lines"
        case .records: return "4. + records parsed"
        case .worker: return "5. the ingest's worker (4. + rules, pseudonyms, facts grouped)"
        case .stored: return "6. + facts appended to SQLite (no journal, no index)"
        }
    }
}

/// What one thread counted; summed over threads.
struct Counts {
    var bytes = 0
    var lines = 0
    var rejected = 0
    /// Files that could not be read to their end.
    var failedFiles = 0
    var checksum: UInt64 = 0

    static func + (a: Counts, b: Counts) -> Counts {
        Counts(bytes: a.bytes + b.bytes, lines: a.lines + b.lines, rejected: a.rejected + b.rejected,
               failedFiles: a.failedFiles + b.failedFiles, checksum: a.checksum &+ b.checksum)
    }
}

/// Hands out the files, one at a time, to the first thread that asks.
final class FileQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let files: [String]
    private var counts = Counts()

    init(_ files: [String]) { self.files = files }

    func take() -> String? {
        lock.lock(); defer { lock.unlock() }
        guard next < files.count else { return nil }
        next += 1
        return files[next - 1]
    }

    func add(_ c: Counts) {
        lock.lock(); counts = counts + c; lock.unlock()
    }

    var total: Counts { lock.lock(); defer { lock.unlock() }; return counts }
}

/// Runs `stage` over one file.
func run(_ stage: Stage, path: String, facts: ParseFloor.FactAppender?) throws -> Counts {
    var counts = Counts()
    if stage == .worker || stage == .stored {
        let c = try ParseFloor.parse(path: path, appendingTo: facts)
        return Counts(lines: c.lines, checksum: UInt64(c.timelineEntries))
    }
    if stage.rawValue >= Stage.sha256.rawValue {
        let raw = try WholeFile.sha256(path)
        counts.checksum &+= UInt64(raw[0])
    }
    let stream = DecodedByteStream(reader: try ByteReader(path: path))
    var content = SHA256()
    var splitter = LineSplitter()
    let events = EventLogParser()
    var format: LogSource?
    func handle(_ line: LineSplitter.Line) {
        if line.isBlank { return }
        counts.lines += 1
        guard stage == .records else { return }
        // As the ingest: the format of the first line read without error holds for the file.
        let source = format ?? LogSource.of(firstLine: line.bytes)
        do throws(LineRejection) {
            if source == .events {
                let r = try events.parse(line.bytes)
                counts.checksum &+= UInt64(bitPattern: r.epochSeconds) &+ UInt64(r.user.count)
            } else {
                let r = try AccessLogParser.parse(line.bytes)
                counts.checksum &+= UInt64(bitPattern: r.epochSeconds) &+ UInt64(r.user.count) &+ UInt64(r.status)
            }
            format = source
        } catch {
            counts.rejected += 1
        }
    }
    while let chunk = try stream.next() {
        counts.bytes += chunk.count
        if stage == .inflate { continue }
        content.update(bufferPointer: chunk)
        if stage.rawValue >= Stage.lines.rawValue { splitter.feed(chunk, handle) }
    }
    splitter.finish(handle)
    if stage != .inflate { counts.checksum &+= UInt64(Array(content.finalize())[0]) }
    return counts
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let options = parseOptions()
print("| stage (\(options.files.count) files, \(options.threads) threads) | wall s | CPU s | MB/s | ×gzip | CPU ns/line |")
print("|---|---|---|---|---|---|")
var lines = 0, decoded = 0
for stage in options.stages {
    let queue = FileQueue(options.files)
    // Stage 6's store: a new file in the temporary folder, removed after the stage.
    let storePath = NSTemporaryDirectory() + "/entstat-floor-\(getpid()).sqlite"
    let facts: ParseFloor.FactAppender?
    if stage == .stored {
        unlink(storePath)
        do { facts = try ParseFloor.FactAppender(path: storePath) } catch {
            FileHandle.standardError.write(Data("entstat-floor: \(storePath): \(error)\n".utf8))
            exit(2)
        }
    } else {
        facts = nil
    }
    defer { unlink(storePath) }
    let (wall0, cpu0) = (now(), cpuSeconds())
    DispatchQueue.concurrentPerform(iterations: options.threads) { _ in
        while let path = queue.take() {
            do {
                queue.add(try run(stage, path: path, facts: facts))
            } catch {
                FileHandle.standardError.write(Data("entstat-floor: \(path): \(error)\n".utf8))
                queue.add(Counts(failedFiles: 1))
            }
        }
    }
    let (wall, cpu) = (now() - wall0, cpuSeconds() - cpu0)
    let total = queue.total
    if total.lines > 0 { lines = total.lines }
    let bytes = stage == .worker || stage == .stored ? decoded : total.bytes
    if stage == .inflate { decoded = total.bytes }
    let ratio = options.gzipSeconds.map { String(format: "%.2f", wall / $0) } ?? "—"
    let perLine = lines > 0 ? String(format: "%.0f", cpu * 1e9 / Double(lines)) : "—"
    print(String(format: "| %@ | %.2f | %.2f | %.0f | %@ | %@ |", stage.label, wall, cpu,
                 Double(bytes) / 1e6 / wall, ratio, perLine))
    if let facts { print("|   (\(facts.appended) rows appended, one per identity and day of a file) | | | | | |") }
    if total.failedFiles > 0 { exit(2) }
}
