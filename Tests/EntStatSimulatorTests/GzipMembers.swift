import CZlib
import Foundation

/// Independent gzip reader for tests: decompresses every concatenated member.
enum GzipMembers {
    /// The decompressed bytes and the number of members, nil when the data is not valid gzip.
    static func inflate(_ data: Data) -> (bytes: Data, members: Int)? {
        var input = [UInt8](data)
        var output = Data()
        var members = 0
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let total = input.count
        var consumed = 0
        return input.withUnsafeMutableBufferPointer { inBuf -> (Data, Int)? in
            while consumed < total {
                stream.next_in = inBuf.baseAddress! + consumed
                stream.avail_in = UInt32(total - consumed)
                var rc: Int32 = Z_OK
                repeat {
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { o in
                        stream.next_out = o.baseAddress
                        stream.avail_out = UInt32(o.count)
                        rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                        return o.count - Int(stream.avail_out)
                    }
                    output.append(contentsOf: chunk[0..<produced])
                    if rc != Z_OK && rc != Z_STREAM_END { return nil }
                } while rc != Z_STREAM_END && stream.avail_in > 0
                guard rc == Z_STREAM_END else { return nil }
                members += 1
                consumed = total - Int(stream.avail_in)
                inflateReset(&stream)
            }
            return (output, members)
        }
    }
}
