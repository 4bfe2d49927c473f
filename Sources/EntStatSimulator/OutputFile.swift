import CZlib
import EntStat
import Foundation

/// One output file, gzip-compressed (`deflateInit2` with windowBits 15+16) or plain, written
/// through large buffers. A gzip file may be cut into several concatenated members, as
/// `cat a.gz b.gz` or some log shippers make them.
final class OutputFile {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    private var stream = z_stream()
    private let gzip: Bool
    private var out: [UInt8]
    /// Bytes written to disk so far.
    private(set) var bytesWritten: Int = 0
    /// Uncompressed bytes after which a new gzip member starts (0: a single member).
    private let memberSize: Int
    private var memberBytes = 0
    /// Number of gzip members written or started.
    private(set) var members = 1

    init(path: String, gzip: Bool, level: Int, memberSize: Int = 0) throws {
        self.memberSize = memberSize
        guard let f = fopen(path, "wb") else {
            throw SimulatorError.cannotWrite(path: path, reason: SystemErrorText.current())
        }
        file = f
        self.path = path
        self.gzip = gzip
        out = [UInt8](repeating: 0, count: 1 << 18)
        if gzip {
            let rc = deflateInit2_(&stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard rc == Z_OK else {
                fclose(f)
                throw SimulatorError.compression(path: path, code: Int(rc))
            }
        }
    }

    /// Writes (compresses) the bytes of `buffer`.
    func write(_ buffer: ByteBuffer) throws {
        guard buffer.count > 0 else { return }
        if gzip, memberSize > 0, memberBytes >= memberSize {
            // End this member and start the next one with the same settings.
            let empty: [UInt8] = []
            try empty.withUnsafeBufferPointer { try write(raw: $0, finish: true) }
            deflateReset(&stream)
            memberBytes = 0
            members += 1
        }
        try buffer.bytes.withUnsafeBufferPointer { try write(raw: $0, finish: false) }
        memberBytes += buffer.count
    }

    /// Flushes everything and closes the file; returns the size on disk.
    func close() throws -> Int {
        if gzip {
            let empty: [UInt8] = []
            try empty.withUnsafeBufferPointer { try write(raw: $0, finish: true) }
            deflateEnd(&stream)
        }
        let bad = fclose(file) != 0
        if bad { throw SimulatorError.cannotWrite(path: path, reason: SystemErrorText.current()) }
        return bytesWritten
    }

    private func write(raw: UnsafeBufferPointer<UInt8>, finish: Bool) throws {
        guard gzip else {
            if raw.count > 0 { try put(raw.baseAddress!, raw.count) }
            return
        }
        stream.next_in = UnsafeMutablePointer(mutating: raw.baseAddress)
        stream.avail_in = UInt32(raw.count)
        let outCount = out.count
        repeat {
            let produced: Int = try out.withUnsafeMutableBufferPointer { o in
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(outCount)
                let rc = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                    throw SimulatorError.compression(path: path, code: Int(rc))
                }
                return outCount - Int(stream.avail_out)
            }
            if produced > 0 { try out.withUnsafeBufferPointer { try put($0.baseAddress!, produced) } }
            if finish ? (stream.avail_out != 0) : (stream.avail_in == 0 && stream.avail_out != 0) { break }
        } while true
    }

    private func put(_ p: UnsafePointer<UInt8>, _ n: Int) throws {
        if fwrite(p, 1, n, file) != n {
            throw SimulatorError.cannotWrite(path: path, reason: SystemErrorText.current())
        }
        bytesWritten += n
    }
}
