import Crypto
import Foundation
import Testing
@testable import EntStat

/// SPEC §4: users are keyed by HMAC-SHA-256 of their raw id under the secret, one
/// namespace per log source.
@Suite struct PseudonymizerTests {
    /// The key 01 02 … 20 (hex).
    static var key: SymmetricKey { SymmetricKey(data: (1...32).map { UInt8($0) }) }

    @Test func pseudonymsAreTheHMACOfTheSourceAndTheRawID() {
        let p = Pseudonymizer(key: Self.key)
        // Computed independently with Python's hmac module:
        // hmac.new(bytes(range(1, 33)), b"events\0jdupont", hashlib.sha256).hexdigest()
        #expect(hex(p.pseudonym(source: .events, rawID: "jdupont")) == "af38fa95e552c5c54cad6a3b41abdfb68816abaffb6b040ddf61ff0c1c98126a")
        #expect(hex(p.pseudonym(source: .access, rawID: "jdupont")) == "5c7393c82a723e470bf720aa3aaff792b7e013bc209fe5bf7aabb76df3fc2a14")
        // A pseudonym does not depend on the ones computed before it.
        #expect(hex(p.pseudonym(source: .events, rawID: "jdupont")) == "af38fa95e552c5c54cad6a3b41abdfb68816abaffb6b040ddf61ff0c1c98126a")
        #expect(p.pseudonym(source: .events, rawID: "jdupon") != p.pseudonym(source: .events, rawID: "jdupont"))
    }

    /// The pseudonymizer computes HMAC by hand (two prepared SHA-256 states): for keys
    /// shorter than, as long as and longer than SHA-256's 64-byte block (a longer key is
    /// hashed first), and ids of 0 to 130 bytes, it gives what swift-crypto's HMAC gives.
    @Test(arguments: [16, 32, 64, 65, 100])
    func pseudonymsAreHMACForEveryKeyLength(keyLength: Int) {
        let key = SymmetricKey(data: (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        let p = Pseudonymizer(key: key)
        for length in [0, 1, 9, 55, 56, 63, 64, 130] {
            let raw = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 97) }
            for source in [LogSource.access, .events] {
                let expected = Array(HMAC<SHA256>.authenticationCode(for: Array(source.rawValue.utf8) + [0] + raw, using: key))
                #expect(raw.withUnsafeBytes { p.pseudonym(source: source, rawID: $0) } == expected, "key \(keyLength) B, id \(length) B, \(source)")
            }
        }
    }

    @Test func theSecretFileGivesTheSamePseudonymsAsItsKey() throws {
        let dir = try E2E.scratch()
        let path = dir.appendingPathComponent("s.secret").path
        try E2E.write(String(repeating: "0", count: 63) + "1\n", to: dir.appendingPathComponent("s.secret"))
        chmod(path, 0o600)
        let fromFile = try Pseudonymizer(secretPath: path)
        let fromKey = Pseudonymizer(key: SymmetricKey(data: [UInt8](repeating: 0, count: 31) + [1]))
        #expect(fromFile.pseudonym(source: .events, rawID: "u1") == fromKey.pseudonym(source: .events, rawID: "u1"))
        #expect(fromFile.pseudonym(source: .access, rawID: "u1") == fromKey.pseudonym(source: .access, rawID: "u1"))
        #expect(fromFile.pseudonym(source: .access, rawID: "u1") != fromKey.pseudonym(source: .events, rawID: "u1"))
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
