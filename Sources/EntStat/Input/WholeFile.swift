import Crypto

/// Reads a whole (small) input file, gzip or plain, and the SHA-256 of its raw bytes.
/// For reference files; logs are streamed instead.
public enum WholeFile {
    /// The decoded bytes (gunzipped when gzip), and the SHA-256 of the raw ones; throws the
    /// reader's failures (`ByteReader.Failure`, `DecodedByteStream.Failure`).
    public static func read(_ path: String) throws -> (bytes: [UInt8], sha256: [UInt8]) {
        let reader = try ByteReader(path: path)
        let stream = DecodedByteStream(reader: reader)
        var hasher = SHA256()
        stream.rawObserver = { hasher.update(bufferPointer: $0) }
        var bytes: [UInt8] = []
        while let chunk = try stream.next() { bytes.append(contentsOf: chunk) }
        return (bytes, Array(hasher.finalize()))
    }

    /// SHA-256 of a file's raw bytes, read in large chunks.
    public static func sha256(_ path: String) throws -> [UInt8] {
        let reader = try ByteReader(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return Array(hasher.finalize())
    }
}
