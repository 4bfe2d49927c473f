import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Turns raw user ids into pseudonyms: HMAC-SHA-256 keyed by a secret that is created on
/// first use in its own file (mode 0600) and never stored in the database. The store only
/// keeps a check value of the secret, so a wrong secret file is refused instead of silently
/// splitting every user in two.
public struct Pseudonymizer: @unchecked Sendable {
    /// The secret: the HMAC-SHA-256 key.
    public let key: SymmetricKey
    /// The secret file's path; `(mémoire)` for a key given in memory.
    public let secretPath: String

    /// Reads the secret at `path`, creating it (32 random bytes, mode 0600) when missing.
    public init(secretPath path: String) throws {
        secretPath = path
        var st = stat()
        if stat(path, &st) != 0 {
            try Pseudonymizer.createSecret(at: path)
            guard stat(path, &st) == 0 else {
                throw StoreError.secretUnreadable(path: path, reason: SystemErrorText.current())
            }
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            throw StoreError.secretUnreadable(path: path, reason: "ce n'est pas un fichier ; indiquez le fichier secret avec --secret")
        }
        if st.st_mode & 0o077 != 0 {
            throw StoreError.secretUnsafe(path: path, mode: UInt32(st.st_mode & 0o777))
        }
        guard let file = fopen(path, "r") else {
            throw StoreError.secretUnreadable(path: path, reason: SystemErrorText.current())
        }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else {
            throw StoreError.secretMalformed(path: path, empty: true)
        }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        let line = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmed()
        guard line.count >= 32, let bytes = Pseudonymizer.hexBytes(line) else {
            throw StoreError.secretMalformed(path: path, empty: false)
        }
        key = SymmetricKey(data: bytes)
        prepared = Pseudonymizer.prepare(key)
    }

    /// Creates the secret at `path` whole or not at all: 32 random bytes in hex are written
    /// and synced to a temporary file (mode 0600) next to it, which is then linked to
    /// `path`. A run killed meanwhile leaves no secret (the next run creates one), never an
    /// empty or partial one that every later run would refuse. When another process
    /// publishes its secret first, that one is kept.
    static func createSecret(at path: String) throws {
        let temporary = path + ".\(getpid()).tmp"
        var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST {
            // Left by a killed run that had this process id.
            unlink(temporary)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else {
            throw StoreError.secretUnreadable(path: path, reason: SystemErrorText.current())
        }
        defer { unlink(temporary) }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<bytes.count { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let hex = Array((bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() + "\n").utf8)
        let written = hex.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == hex.count, synced else {
            throw StoreError.secretUnreadable(path: path, reason: "écriture incomplète")
        }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw StoreError.secretUnreadable(path: path, reason: SystemErrorText.current())
        }
    }

    /// Builds a pseudonymizer from a known key (tests).
    public init(key: SymmetricKey) {
        self.key = key
        secretPath = "(mémoire)"
        prepared = Pseudonymizer.prepare(key)
    }

    /// HMAC-SHA-256 (RFC 2104) taken apart so that a pseudonym costs two SHA-256 updates
    /// over raw bytes: `inner` holds, per log source, the hash with the key's inner pad and
    /// the source's prefix already absorbed, `outer` the hash with the key's outer pad.
    /// (`HMAC<SHA256>` takes its input through Foundation's `DataProtocol`, which cost more
    /// than the hashing itself for ids of a few dozen bytes.)
    private let prepared: (inner: [SHA256], outer: SHA256)

    private static func prepare(_ key: SymmetricKey) -> (inner: [SHA256], outer: SHA256) {
        let blockSize = 64
        var block = key.withUnsafeBytes { Array($0) }
        if block.count > blockSize { block = SHA256.hash(data: block).withUnsafeBytes { Array($0) } }
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        let perSource = [LogSource.access, .events].map { source in
            var hash = inner
            hash.update(data: Array(source.rawValue.utf8) + [0])
            return hash
        }
        return (perSource, outer)
    }

    /// The pseudonym of a raw id seen in one log source: HMAC-SHA-256 under the secret of
    /// the source's name, a zero byte and the raw id.
    public func pseudonym(source: LogSource, rawID: UnsafeRawBufferPointer) -> [UInt8] {
        var inner = prepared.inner[source == .access ? 0 : 1]
        inner.update(bufferPointer: rawID)
        var outer = prepared.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize().withUnsafeBytes { Array($0) }
    }

    /// The pseudonym of a raw id given as text (reference files).
    public func pseudonym(source: LogSource, rawID: String) -> [UInt8] {
        var bytes = Array(rawID.utf8)
        return bytes.withUnsafeMutableBytes { pseudonym(source: source, rawID: UnsafeRawBufferPointer($0)) }
    }

    /// A value stored in the database to recognise this secret later.
    public var checkValue: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("entstat-secret-check".utf8), using: key)
        return Array(mac).prefix(16).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = hexValue(chars[i]), let lo = hexValue(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
