import CZlib

/// Turns the raw bytes of an input (gzip, possibly several concatenated members, or plain
/// text) into a stream of decompressed chunks.
///
/// The encoding is told by the gzip magic bytes `1f 8b`, never by the file name. Every raw
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
    }

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
        while rawEnd < 2 {
            guard try fillRaw(keepingExisting: true) else { break }
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
                decodedBytes += produced
                return UnsafeRawBufferPointer(rebasing: outBuffer[0..<produced])
            }
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
