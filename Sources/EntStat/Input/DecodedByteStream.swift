import CZlib

/// Turns the raw bytes of an input (gzip, possibly several concatenated members, or plain
/// text) into a stream of decompressed chunks.
///
/// The encoding is told by the gzip magic bytes `1f 8b`, never by the file name; an input
/// that starts with the magic bytes of bzip2, xz, zstd or zip, or a gzip member whose
/// content is gzip again, fails at once (read as text, every line would be rejected as
/// unreadable, with no word of why). Every raw
/// byte read is first shown to `rawObserver` (the content hash of the ledger is computed
/// there). A gzip stream that ends inside a member, or whose data is corrupt, is an error
/// carrying the compressed byte offset: a short read is never taken for the end of the file.
public final class DecodedByteStream {
    /// Why the bytes of an input could not be decoded to their end.
    public enum Failure: Error, Equatable {
        /// The gzip data ends inside a member: the file was cut.
        case truncatedGzip(offset: Int)
        /// zlib rejected the data at this compressed offset.
        case corruptGzip(offset: Int, reason: String)
        /// Bytes after the last gzip member are not another gzip member.
        case trailingGarbage(offset: Int)
        /// The operating system could not read the file.
        case readFailed(offset: Int, reason: String)
        /// The input starts with the magic bytes of a compression other than gzip.
        case otherCompression(Compression)
        /// A gzip member (starting at this compressed offset) whose content is gzip again.
        case gzipInsideGzip(offset: Int)
    }

    /// The compressions told by their magic bytes that are not read (only gzip is).
    public enum Compression: String, Equatable, Sendable {
        /// Told by their magic bytes (`of(_:)`).
        case bzip2, xz, zstd, zip

        /// The compression the first bytes of an input announce, if any: `BZh` and a block
        /// size digit (bzip2), `FD 37 7A 58 5A 00` (xz), `28 B5 2F FD` (zstd), `PK 03 04` (zip).
        static func of(_ head: UnsafeRawBufferPointer) -> Compression? {
            func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && head.prefix(magic.count).elementsEqual(magic) }
            if starts([0x42, 0x5A, 0x68]), head.count >= 4, (0x31...0x39).contains(head[3]) { return .bzip2 }
            if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
            if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
            if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }
            return nil
        }
    }

    /// The reader the raw bytes come from; its `offset` counts the compressed bytes read.
    public let reader: ByteReader
    /// True when the input starts with the gzip magic bytes.
    public private(set) var isGzip = false
    /// Called with every raw (still compressed) byte range, in order.
    public var rawObserver: ((UnsafeRawBufferPointer) -> Void)?
    /// Total decompressed bytes handed out so far.
    public private(set) var decodedBytes: Int = 0

    private let rawBuffer: UnsafeMutableRawBufferPointer
    private let outBuffer: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var started = false
    private var stream = z_stream()
    private var inflateReady = false
    private var insideMember = false
    private var reachedEnd = false
    /// Compressed offset of the gzip member being read, and how many of its first two
    /// decompressed bytes were seen (the first one kept), for `checkMemberStart`.
    private var memberStart = 0
    private var memberOutput = 0
    private var memberFirstByte: UInt8 = 0

    /// Reads `reader` in raw chunks of `rawChunkSize` bytes (at least 6 to tell the other
    /// compressions by their magic bytes; smaller ones, for tests of chunk boundaries, tell
    /// gzip only), inflating into chunks of `outChunkSize`.
    public init(reader: ByteReader, rawChunkSize: Int = 1 << 20, outChunkSize: Int = 1 << 22) {
        self.reader = reader
        rawBuffer = .allocate(byteCount: rawChunkSize, alignment: 16)
        outBuffer = .allocate(byteCount: outChunkSize, alignment: 16)
    }

    deinit {
        if inflateReady { inflateEnd(&stream) }
        rawBuffer.deallocate()
        outBuffer.deallocate()
    }

    /// Compressed bytes consumed so far (the position errors refer to).
    public var compressedOffset: Int { reader.offset - (rawEnd - rawStart) }

    /// The next chunk of decompressed bytes, valid until the next call; nil at the end.
    public func next() throws(Failure) -> UnsafeRawBufferPointer? {
        if !started {
            started = true
            try detectEncoding()
        }
        if reachedEnd { return nil }
        return isGzip ? try nextInflated() : try nextPlain()
    }

    // MARK: - Plain

    private func nextPlain() throws(Failure) -> UnsafeRawBufferPointer? {
        if rawStart < rawEnd {
            let chunk = UnsafeRawBufferPointer(rebasing: rawBuffer[rawStart..<rawEnd])
            rawStart = rawEnd
            decodedBytes += chunk.count
            return chunk
        }
        guard try fillRaw() else {
            reachedEnd = true
            return nil
        }
        return try nextPlain()
    }

    // MARK: - Gzip

    private func detectEncoding() throws(Failure) {
        // Six bytes tell every compression known here (xz's magic is the longest).
        while rawEnd < min(6, rawBuffer.count) {
            guard try fillRaw(keepingExisting: true) else { break }
        }
        if let other = Compression.of(UnsafeRawBufferPointer(rebasing: rawBuffer[0..<rawEnd])) {
            throw .otherCompression(other)
        }
        isGzip = rawEnd >= 2 && rawBuffer[0] == 0x1f && rawBuffer[1] == 0x8b
        if isGzip {
            let status = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                throw .corruptGzip(offset: 0, reason: "initialisation de zlib impossible (\(status))")
            }
            inflateReady = true
            insideMember = true
        }
    }

    private func nextInflated() throws(Failure) -> UnsafeRawBufferPointer? {
        while true {
            if !insideMember {
                // Between members: another member, zero padding, or the end.
                if rawStart == rawEnd, try !fillRaw() {
                    reachedEnd = true
                    return nil
                }
                let byte = rawBuffer[rawStart]
                if byte == 0 {
                    rawStart += 1
                    continue
                }
                guard byte == 0x1f else { throw .trailingGarbage(offset: compressedOffset) }
                inflateReset(&stream)
                insideMember = true
                memberStart = compressedOffset
                memberOutput = 0
            }
            if rawStart == rawEnd, try !fillRaw() {
                throw .truncatedGzip(offset: reader.offset)
            }
            let consumedBefore = rawStart
            stream.next_in = rawBuffer.baseAddress!.advanced(by: rawStart).assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(rawEnd - rawStart)
            stream.next_out = outBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(outBuffer.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            rawStart = rawEnd - Int(stream.avail_in)
            let produced = outBuffer.count - Int(stream.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if produced == 0 && rawStart == consumedBefore && status == Z_BUF_ERROR && rawStart < rawEnd {
                    throw .corruptGzip(offset: compressedOffset, reason: "zlib ne progresse plus")
                }
            case Z_STREAM_END:
                insideMember = false
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                throw .corruptGzip(offset: compressedOffset, reason: DecodedByteStream.french(zlibMessage: message))
            }
            if produced > 0 {
                try checkMemberStart(UnsafeRawBufferPointer(rebasing: outBuffer[0..<produced]))
                decodedBytes += produced
                return UnsafeRawBufferPointer(rebasing: outBuffer[0..<produced])
            }
        }
    }

    /// Fails a member whose content starts with the gzip magic bytes (a `.gz` compressed
    /// once more): its lines would all be rejected as unreadable. Looks at the first two
    /// bytes a member gives, which may come in two chunks.
    private func checkMemberStart(_ output: UnsafeRawBufferPointer) throws(Failure) {
        guard memberOutput < 2 else { return }
        for b in output.prefix(2 - memberOutput) {
            if memberOutput == 0 {
                memberFirstByte = b
            } else if memberFirstByte == 0x1f && b == 0x8b {
                throw .gzipInsideGzip(offset: memberStart)
            }
            memberOutput += 1
        }
    }

    // MARK: - Raw input

    /// Reads more raw bytes; returns false at the end of the input.
    private func fillRaw(keepingExisting: Bool = false) throws(Failure) -> Bool {
        if !keepingExisting || rawStart == rawEnd {
            rawStart = 0
            rawEnd = 0
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: rawBuffer[rawEnd...])
        let n: Int
        do {
            n = try reader.read(into: target)
        } catch {
            if case .readFailed(_, let offset, let reason) = error {
                throw .readFailed(offset: offset, reason: reason)
            }
            throw .readFailed(offset: reader.offset, reason: "\(error)")
        }
        if n == 0 { return false }
        rawObserver?(UnsafeRawBufferPointer(rebasing: rawBuffer[rawEnd..<(rawEnd + n)]))
        rawEnd += n
        return true
    }
}

extension DecodedByteStream {
    /// zlib's messages (English) in French, for the one-line errors; an unusual one keeps
    /// zlib's words, quoted.
    static func french(zlibMessage message: String) -> String {
        switch message {
        case "incorrect header check": return "en-tête incorrect"
        case "unknown compression method": return "méthode de compression inconnue"
        case "invalid block type": return "type de bloc invalide"
        case "invalid stored block lengths": return "longueurs de bloc stocké invalides"
        case "invalid distance too far back": return "distance invalide, trop loin en arrière"
        case "invalid distance code": return "code de distance invalide"
        case "invalid literal/length code": return "code de littéral ou de longueur invalide"
        case "incorrect data check": return "somme de contrôle CRC-32 incorrecte"
        case "incorrect length check": return "longueur de contrôle incorrecte"
        case "unknown header flags set": return "drapeaux d'en-tête inconnus"
        case "header crc mismatch": return "CRC de l'en-tête incorrect"
        default: return "zlib : « \(message) »"
        }
    }
}
