import CZlib
import Foundation
import Testing
@testable import EntStat

/// Small helpers shared by the unit tests: temporary files, gzip built with zlib, and
/// calls of the byte-level parsers on Swift strings and arrays.
enum TestSupport {
    /// The folder of this test process's temporary files, `entstat-tests-<pid>` in the
    /// system's temporary folder: created on first use and removed, with everything in it,
    /// when the process exits, so that a run of the suite leaves nothing behind (it makes
    /// a few thousand stores and log files).
    static let scratchRoot: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("entstat-tests-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: url)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestSupport.scratchRoot) }
        return url
    }()

    /// A new, empty store (`s.sqlite` and its secret) in a fresh scratch folder
    /// (`E2E.scratch`).
    static func scratchStore(_ name: String = #function) throws -> Store {
        let dir = try E2E.scratch(name)
        return try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                         secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
    }

    /// A fresh temporary directory for one test, inside `scratchRoot`.
    static func makeTemporaryDirectory() throws -> URL {
        let url = scratchRoot.appendingPathComponent("unit-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `bytes` to a new temporary file and returns its path.
    static func writeTemporaryFile(_ bytes: [UInt8], name: String = "input") throws -> String {
        let dir = try makeTemporaryDirectory()
        let path = dir.appendingPathComponent(name).path
        // Plain stdio (no fsync): tests write thousands of small files.
        guard let file = fopen(path, "wb") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(file) }
        if !bytes.isEmpty {
            guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        }
        return path
    }

    static func writeTemporaryFile(_ text: String, name: String = "input") throws -> String {
        try writeTemporaryFile(Array(text.utf8), name: name)
    }

    static func removeTemporaryFile(_ path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    /// One gzip member of `bytes`, compressed with zlib (windowBits 31 = gzip wrapper).
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2_ failed: \(status)")
        defer { deflateEnd(&stream) }
        var input = bytes
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        input.withUnsafeMutableBufferPointer { inPtr in
            stream.next_in = inPtr.baseAddress
            stream.avail_in = uInt(inPtr.count)
            var result: Int32 = Z_OK
            repeat {
                buffer.withUnsafeMutableBufferPointer { outPtr in
                    stream.next_out = outPtr.baseAddress
                    stream.avail_out = uInt(outPtr.count)
                    result = deflate(&stream, Z_FINISH)
                    out.append(contentsOf: outPtr[0..<(outPtr.count - Int(stream.avail_out))])
                }
            } while result == Z_OK
            precondition(result == Z_STREAM_END, "deflate failed: \(result)")
        }
        return out
    }

    static func gzip(_ text: String) -> [UInt8] { gzip(Array(text.utf8)) }

    /// Deterministic pseudo-random bytes (xorshift), so compressed data is not trivial.
    static func pseudoRandomText(lines: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        var out = [UInt8]()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 /?=&-_.".utf8)
        for i in 0..<lines {
            out.append(contentsOf: Array("line \(i) ".utf8))
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let length = Int(state % 120)
            for _ in 0..<length {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                out.append(alphabet[Int(state % UInt64(alphabet.count))])
            }
            out.append(0x0A)
        }
        return out
    }

    /// Decodes a whole file through `DecodedByteStream` with small buffers (many chunks).
    static func decodeFile(_ path: String, rawChunkSize: Int = 4096, outChunkSize: Int = 4096) throws -> (bytes: [UInt8], isGzip: Bool, raw: [UInt8]) {
        let reader = try ByteReader(path: path)
        let stream = DecodedByteStream(reader: reader, rawChunkSize: rawChunkSize, outChunkSize: outChunkSize)
        var raw = [UInt8]()
        stream.rawObserver = { raw.append(contentsOf: $0) }
        var out = [UInt8]()
        while let chunk = try stream.next() { out.append(contentsOf: chunk) }
        return (out, stream.isGzip, raw)
    }

    /// The failure `DecodedByteStream` reports for `bytes`, or nil when they decode.
    static func decodeFailure(_ bytes: [UInt8], rawChunkSize: Int = 4096) throws -> DecodedByteStream.Failure? {
        let path = try writeTemporaryFile(bytes)
        defer { removeTemporaryFile(path) }
        let stream = DecodedByteStream(reader: try ByteReader(path: path), rawChunkSize: rawChunkSize, outChunkSize: 4096)
        do {
            while try stream.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    /// The lines a `LineSplitter` hands out for `chunks` fed one after the other.
    static func split(_ chunks: [[UInt8]], maximumLineLength: Int = 16 << 20) -> [(text: [UInt8], number: Int, truncated: Bool)] {
        var splitter = LineSplitter(maximumLineLength: maximumLineLength)
        var lines: [(text: [UInt8], number: Int, truncated: Bool)] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { raw in
                splitter.feed(raw) { lines.append((Array($0.bytes), $0.number, $0.truncated)) }
            }
        }
        splitter.finish { lines.append((Array($0.bytes), $0.number, $0.truncated)) }
        return lines
    }
}

/// A Swift String of raw bytes (lossy), for readable expectations.
func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// The values of a parsed access-log line, copied out of the line's bytes.
struct AccessLine: Equatable {
    var epochSeconds: Int64
    var user: String
    var path: String
    var status: Int
}

func parseAccess(_ line: String) throws(LineRejection) -> AccessLine {
    try parseAccess(Array(line.utf8))
}

func parseAccess(_ bytes: [UInt8]) throws(LineRejection) -> AccessLine {
    let result: Result<AccessLine, LineRejection> = bytes.withUnsafeBytes { raw in
        do throws(LineRejection) {
            let r = try AccessLogParser.parse(raw)
            return .success(AccessLine(epochSeconds: r.epochSeconds, user: text(r.user), path: text(r.path), status: r.status))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// The values of a parsed event-log line, copied out of the parser's scratch buffers.
struct EventLine: Equatable {
    var epochSeconds: Int64
    var user: [UInt8]
    var isLogin: Bool
    var module: [UInt8]
    var profil: [UInt8]
    var structures: [String]
    var structuresRaw: String

    var userText: String { text(user) }
    var moduleText: String { text(module) }
    var profilText: String { text(profil) }
}

func parseEvent(_ line: String, parser: EventLogParser = EventLogParser()) throws(LineRejection) -> EventLine {
    try parseEvent(Array(line.utf8), parser: parser)
}

func parseEvent(_ bytes: [UInt8], parser: EventLogParser = EventLogParser()) throws(LineRejection) -> EventLine {
    let result: Result<EventLine, LineRejection> = bytes.withUnsafeBytes { raw in
        do throws(LineRejection) {
            let r = try parser.parse(raw)
            return .success(EventLine(epochSeconds: r.epochSeconds, user: Array(r.user), isLogin: r.isLogin,
                                      module: Array(r.module), profil: Array(r.profil),
                                      structures: parser.structures.map { text($0) },
                                      structuresRaw: text(r.structuresRaw)))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// The rejection a parse throws, or nil when it succeeds.
func accessRejection(_ line: String) -> LineRejection? {
    do { _ = try parseAccess(line); return nil } catch { return error }
}

func eventRejection(_ line: String) -> LineRejection? {
    eventRejection(Array(line.utf8))
}

func eventRejection(_ bytes: [UInt8]) -> LineRejection? {
    do { _ = try parseEvent(bytes); return nil } catch { return error }
}

/// Unix seconds of a UTC civil time, computed with Foundation (independent of CivilDate).
func utcEpoch(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    return Int64(date.timeIntervalSince1970)
}

/// Rollup rows written by hand in tests, packed into `person_period` as migration 13 packs
/// the rows of an older store.
enum PackedRollupFixture {
    /// SQL that packs the rows of `rows` (a SELECT of kind, first_day, person, source,
    /// feature, days, requests, logins, visits, each key once) into `person_period`.
    static func insert(_ rows: String) -> String {
        """
        WITH r(kind, first_day, person, source, feature, days, requests, logins, visits) AS (\(rows))
        INSERT INTO person_period(kind, first_day, person, days, requests, logins, visits, detail)
            SELECT kind, first_day, person,
                   COALESCE(SUM(days) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(SUM(requests) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(SUM(logins) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(SUM(visits) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(json_group_array(json_array(source, feature, days, requests, logins, visits))
                                FILTER (WHERE NOT (source = '*' AND feature = '*')), '[]')
            FROM (SELECT * FROM r ORDER BY 1, 2, 3, 4, 5)
            GROUP BY kind, first_day, person
        """
    }

    /// SQL that packs the day rows of `rows` (a SELECT of day, person, source, feature,
    /// requests, logins, visits, each key once, every (day, person) with its total row)
    /// into `person_day_activity`, as migration 14 packs the rows of an older store.
    static func insertDays(_ rows: String) -> String {
        """
        WITH r(day, person, source, feature, requests, logins, visits) AS (\(rows))
        INSERT INTO person_day_activity(day, person, requests, logins, visits, detail)
            SELECT day, person,
                   COALESCE(SUM(requests) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(SUM(logins) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(SUM(visits) FILTER (WHERE source = '*' AND feature = '*'), 0),
                   COALESCE(json_group_array(json_array(source, feature, 1, requests, logins, visits))
                                FILTER (WHERE NOT (source = '*' AND feature = '*')), '[]')
            FROM (SELECT * FROM r ORDER BY 1, 2, 3, 4)
            GROUP BY day, person
        """
    }
}

/// Report tables built by hand for the secrecy tests: shown counts, tables of named columns
/// (typed by their names), cells by (table, row, column).
enum SecrecyFixture {
    static func users(_ n: Int) -> ReportCell { .users(n, secrecy: .shown) }

    static func table(_ name: String, _ columns: [String], _ rows: [[ReportCell]]) -> ReportTable {
        ReportTable(name: name, title: "", question: "", columns: columns.map { ReportColumn(name: $0) }, rows: rows)
    }

    static func ref(_ t: Int, _ r: Int, _ c: Int) -> ReportSuppression.CellRef { .init(table: t, row: r, column: c) }
}

extension Database {
    /// Every row of `sql`, each cell as `entstat query` writes it (`AnalystQuery.cell`).
    func textRows(_ sql: String) throws -> [[String]] {
        let s = try prepare(sql)
        var out: [[String]] = []
        while try s.step() { out.append((0..<s.columnCount).map { AnalystQuery.cell(s.value($0)) }) }
        return out
    }
}
