import CZlib
import EntStat
import EntStatSimulator
import Foundation
import Testing

/// Helpers of the end-to-end tests: a scratch folder, gzip writing, and runs of the real
/// `entstat` binary built next to the test bundle.
enum E2E {
    /// The result of one `entstat` run.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `entstat` executable of this build.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("entstat")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return exe.deletingLastPathComponent().appendingPathComponent("entstat")
    }()

    /// `schools` simulated schools from `from` to `to` (one log file per server and day,
    /// options as `configure` sets them) written to `dir/sim`, then ingested with their
    /// reference files into `dir/s.sqlite` by the real binary (`ingestOptions` before the
    /// files): the simulation's summary and the ingest's run.
    static func simulateAndIngest(in dir: URL, schools: Int, from: CivilDate, to: CivilDate, ingestOptions: [String] = [],
                                  _ configure: (inout SimulationOptions) -> Void = { _ in }) throws -> (summary: SimulationSummary, ingest: Run) {
        var options = SimulationOptions(outputDirectory: dir.appendingPathComponent("sim").path)
        options.schools = schools
        options.from = from
        options.to = to
        options.rotation = .daily
        configure(&options)
        let summary = try Simulator.run(options)
        let ingest = try run(["ingest", "--db", "s.sqlite"] + ingestOptions
                             + ["--schools", "sim/schools.csv", "--accounts", "sim/accounts.csv", "sim/logs"], in: dir)
        return (summary, ingest)
    }

    /// A fresh scratch folder, inside the process's `TestSupport.scratchRoot` (removed at exit).
    static func scratch(_ name: String = #function) throws -> URL {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let url = TestSupport.scratchRoot.appendingPathComponent("\(clean)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `entstat` with arguments in a folder; `input` goes to standard input. With
    /// `timeout`, a run still going after that many seconds is killed (its status is then
    /// that of SIGKILL, and its standard error says so): for runs that could hang, such as
    /// one reading a named pipe.
    ///
    /// The line a first run prints when it creates its store (« entstat: nouveau magasin
    /// créé : … ») is left out of `stderr`, so that tests can count a run's error lines;
    /// `keepNewStoreLine` keeps it, for the tests of that line. `environment` is added to
    /// this process's. `program` runs another program instead (`bash -n` on a script that
    /// `entstat` wrote). With `fileSizeLimit` (in 512-byte blocks, `ulimit -f` of `/bin/sh`),
    /// no file the run writes may grow past that size: a write beyond it fails as on a full
    /// disk (`SIGXFSZ` ignored).
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, input: Data? = nil, timeout: Double? = nil,
                    keepNewStoreLine: Bool = false, environment: [String: String]? = nil, program: URL? = nil,
                    fileSizeLimit: Int? = nil) throws -> Run {
        let process = Process()
        process.executableURL = program ?? binary
        process.arguments = arguments
        if let fileSizeLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(fileSizeLimit) && exec \"$0\" \"$@\"", (program ?? binary).path] + arguments
        }
        process.currentDirectoryURL = directory
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        // Files rather than pipes: a large output can never block the child.
        let outURL = TestSupport.scratchRoot.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = TestSupport.scratchRoot.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try inPipe.fileHandleForWriting.close()
        }
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
            }
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        var stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        if !keepNewStoreLine {
            stderr = stderr.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("entstat: nouveau magasin créé : ") }.joined(separator: "\n")
        }
        return Run(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   stderr: stderr + (timedOut ? "(killed after \(timeout!) s)" : ""))
    }

    /// Runs `entstat export` and returns its CSV, failing the test on a non-zero status.
    static func export(_ arguments: [String], in directory: URL, db: String = "s.sqlite") throws -> String {
        let r = try run(["export", "--db", db] + arguments, in: directory)
        #expect(r.status == 0, "export failed: \(r.stderr)")
        return r.stdout
    }

    /// Expects every CSV table of the report folder `expected` (more than ten) to be the same,
    /// byte for byte, in the report folder `actual`, both under `dir`; `what` ends each
    /// failure's message.
    static func expectSameReportTables(_ actual: String, as expected: String, in dir: URL, _ what: String = "",
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(expected).path).filter { $0.hasSuffix(".csv") }
        #expect(names.count > 10, sourceLocation: sourceLocation)
        for name in names {
            let a = try Data(contentsOf: dir.appendingPathComponent("\(expected)/\(name)"))
            let b = try Data(contentsOf: dir.appendingPathComponent("\(actual)/\(name)"))
            #expect(a == b, "\(name)\(what)", sourceLocation: sourceLocation)
        }
    }

    /// The CSV as lines without the CRLF terminators.
    static func lines(_ csv: String) -> [String] {
        csv.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Writes text to a file (plain).
    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// One gzip member holding `bytes`.
    static func gzipMember(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                deflate(&stream, Z_FINISH)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(out.prefix(produced))
    }

    /// A gzip file whose text is split into several members (as `cat a.gz b.gz` makes).
    static func writeGzip(_ text: String, to url: URL, members: Int = 1) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var data: [UInt8] = []
        let per = max(1, (lines.count + members - 1) / members)
        var start = 0
        while start < lines.count {
            let end = min(lines.count, start + per)
            var chunk = lines[start..<end].joined(separator: "\n")
            if end < lines.count { chunk += "\n" }
            data += gzipMember(Array(chunk.utf8))
            start = end
        }
        try Data(data).write(to: url)
    }
}
