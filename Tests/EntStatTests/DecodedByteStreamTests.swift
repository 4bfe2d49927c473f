import Foundation
import Crypto
import Testing
@testable import EntStat

/// SPEC §1: every log may be gzip (one or several concatenated members) or plain, told by
/// the magic bytes; SPEC §4: a truncated or corrupt gzip fails with its byte offset.
@Suite struct DecodedByteStreamTests {
    let sample = TestSupport.pseudoRandomText(lines: 3000)

    @Test func plainTextPassesThroughUnchanged() throws {
        let path = try TestSupport.writeTemporaryFile(sample, name: "access.log.gz")  // name must not matter
        defer { TestSupport.removeTemporaryFile(path) }
        let decoded = try TestSupport.decodeFile(path)
        #expect(!decoded.isGzip)
        #expect(decoded.bytes == sample)
        #expect(decoded.raw == sample)
    }

    @Test func emptyAndOneByteFilesArePlain() throws {
        for content in [[UInt8](), [0x1f], [0x41]] {
            let path = try TestSupport.writeTemporaryFile(content)
            defer { TestSupport.removeTemporaryFile(path) }
            let decoded = try TestSupport.decodeFile(path)
            #expect(!decoded.isGzip)
            #expect(decoded.bytes == content)
        }
    }

    @Test func singleGzipMemberIsInflated() throws {
        let gz = TestSupport.gzip(sample)
        #expect(gz.count < sample.count)
        let path = try TestSupport.writeTemporaryFile(gz, name: "plain.txt")
        defer { TestSupport.removeTemporaryFile(path) }
        for (raw, out) in [(4096, 4096), (3, 7), (1 << 20, 1 << 22)] {
            let decoded = try TestSupport.decodeFile(path, rawChunkSize: raw, outChunkSize: out)
            #expect(decoded.isGzip)
            #expect(decoded.bytes == sample, "raw chunk \(raw), out chunk \(out)")
            #expect(decoded.raw == gz, "the raw observer sees every compressed byte in order")
        }
    }

    @Test func decodedBytesCountsTheOutput() throws {
        let gz = TestSupport.gzip(sample)
        let path = try TestSupport.writeTemporaryFile(gz)
        defer { TestSupport.removeTemporaryFile(path) }
        let stream = DecodedByteStream(reader: try ByteReader(path: path), rawChunkSize: 512, outChunkSize: 1000)
        var total = 0
        while let chunk = try stream.next() { total += chunk.count }
        #expect(total == sample.count)
        #expect(stream.decodedBytes == sample.count)
        #expect(stream.compressedOffset == gz.count)
        #expect(try stream.next() == nil, "stays at the end")
    }

    @Test func concatenatedMembersAreAllRead() throws {
        let a = Array("first member\n".utf8), b = Array("second member\n".utf8)
        let c = TestSupport.pseudoRandomText(lines: 500, seed: 7)
        let gz = TestSupport.gzip(a) + TestSupport.gzip([]) + TestSupport.gzip(b) + TestSupport.gzip(c)
        let path = try TestSupport.writeTemporaryFile(gz)
        defer { TestSupport.removeTemporaryFile(path) }
        for (raw, out) in [(4096, 4096), (5, 3), (64, 100_000)] {
            let decoded = try TestSupport.decodeFile(path, rawChunkSize: raw, outChunkSize: out)
            #expect(decoded.bytes == a + b + c, "raw chunk \(raw), out chunk \(out)")
        }
    }

    @Test func trailingZeroPaddingIsAccepted() throws {
        let gz = TestSupport.gzip(sample) + [UInt8](repeating: 0, count: 1000)
        let path = try TestSupport.writeTemporaryFile(gz)
        defer { TestSupport.removeTemporaryFile(path) }
        for raw in [7, 4096] {
            #expect(try TestSupport.decodeFile(path, rawChunkSize: raw).bytes == sample)
        }
        // Zero padding between members too (tape-style blocks).
        let two = TestSupport.gzip(Array("a\n".utf8)) + [0, 0, 0] + TestSupport.gzip(Array("b\n".utf8))
        let path2 = try TestSupport.writeTemporaryFile(two)
        defer { TestSupport.removeTemporaryFile(path2) }
        #expect(try TestSupport.decodeFile(path2).bytes == Array("a\nb\n".utf8))
    }

    @Test func trailingGarbageIsRejectedWithItsOffset() throws {
        let gz = TestSupport.gzip(Array("x\n".utf8))
        #expect(try TestSupport.decodeFailure(gz + Array("garbage".utf8)) == .trailingGarbage(offset: gz.count))
        #expect(try TestSupport.decodeFailure(gz + [0, 0, 0x41]) == .trailingGarbage(offset: gz.count + 2))
        #expect(try TestSupport.decodeFailure(gz + [0, 0, 0x41], rawChunkSize: 2) == .trailingGarbage(offset: gz.count + 2))
        // A lone gzip magic byte at the end starts a member that never comes: the file was cut.
        #expect(try TestSupport.decodeFailure(gz + [0x1f]) == .truncatedGzip(offset: gz.count + 1))
        // 1f followed by a non-gzip byte is not a member either.
        let notMember = try TestSupport.decodeFailure(gz + [0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
        #expect(notMember != nil)
        if case .corruptGzip(let offset, _)? = notMember {
            #expect(offset > gz.count && offset <= gz.count + 11)
        } else if case .truncatedGzip(let offset)? = notMember {
            #expect(offset > gz.count && offset <= gz.count + 11)
        } else {
            Issue.record("unexpected \(String(describing: notMember))")
        }
    }

    /// Other compressions, told by their magic bytes, fail at once naming themselves
    /// (read as text, all their lines would be rejected with no word of why).
    @Test func otherCompressionsAreToldByTheirMagicBytes() throws {
        // "x\n" compressed by bzip2 -9, xz and zstd (a raw-block frame); a zip's first bytes.
        let bzip2: [UInt8] = [0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x2B, 0x3E, 0xCF, 0x7F, 0x00, 0x00, 0x00,
                              0xC0, 0x80, 0x00, 0x10, 0x00, 0x40, 0x20, 0x00, 0x21, 0x00, 0x82, 0xB1, 0x77, 0x24, 0x53, 0x85,
                              0x09, 0x02, 0xB3, 0xEC, 0xF7, 0xF0]
        let xz: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04, 0xE6, 0xD6, 0xB4, 0x46, 0x02, 0x00, 0x21, 0x01, 0x16, 0x00,
                           0x00, 0x00, 0x74, 0x2F, 0xE5, 0xA3, 0x01, 0x00, 0x01, 0x78, 0x0A, 0x00, 0x00, 0x00, 0x37, 0x4A, 0x51,
                           0xDC, 0x33, 0xA2, 0xCA, 0xB0, 0x00, 0x01, 0x1A, 0x02, 0xDC, 0x2E, 0xA5, 0x7E, 0x1F, 0xB6, 0xF3, 0x7D,
                           0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x59, 0x5A]
        let zstd: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x02, 0x11, 0x00, 0x00, 0x78, 0x0A]
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00] + Array("a.log".utf8)
        let cases: [([UInt8], DecodedByteStream.Compression)] = [(bzip2, .bzip2), (xz, .xz), (zstd, .zstd), (zip, .zip)]
        for (bytes, compression) in cases {
            for raw in [6, 7, 4096] {
                #expect(try TestSupport.decodeFailure(bytes, rawChunkSize: raw) == .otherCompression(compression), "\(compression), raw chunk \(raw)")
            }
            let message = "\(DecodedByteStream.Failure.otherCompression(compression))"
            #expect(message.hasPrefix("octet 0 : ") && message.contains(compression.rawValue) && message.contains("gzip"), "\(message)")
        }
        // Text that only looks like the start of one, and short files, are plain text.
        for text in ["BZh\n", "BZhx 192.0.2.1\n", "BZh0", "PK\n", "PK", "PK\u{3}"] {
            #expect(try TestSupport.decodeFailure(Array(text.utf8)) == nil, "\(text)")
        }
    }

    /// A gzip file compressed again: its content would be binary, every line rejected.
    @Test func gzipInsideGzipIsNamedWithItsMemberOffset() throws {
        let inner = TestSupport.gzip(sample)
        #expect(try TestSupport.decodeFailure(TestSupport.gzip(inner)) == .gzipInsideGzip(offset: 0))
        let first = TestSupport.gzip(Array("first member\n".utf8))
        let twice = first + TestSupport.gzip([]) + TestSupport.gzip(inner)
        #expect(try TestSupport.decodeFailure(twice) == .gzipInsideGzip(offset: first.count + TestSupport.gzip([]).count))
        // The magic's two bytes in two chunks of output.
        let path = try TestSupport.writeTemporaryFile(TestSupport.gzip(inner))
        defer { TestSupport.removeTemporaryFile(path) }
        let stream = DecodedByteStream(reader: try ByteReader(path: path), rawChunkSize: 7, outChunkSize: 1)
        #expect(throws: DecodedByteStream.Failure.gzipInsideGzip(offset: 0)) { while try stream.next() != nil {} }
        #expect("\(DecodedByteStream.Failure.gzipInsideGzip(offset: 0))".hasPrefix("octet 0 : gzip dans un gzip"))
        // A member whose text merely starts with 0x1f, or with 0x8b, is text.
        #expect(try TestSupport.decodeFailure(TestSupport.gzip([0x1f, 0x41, 0x0A]) + TestSupport.gzip([0x8b, 0x0A])) == nil)
    }

    @Test func everyTruncationPointFailsWithTheFileLength() throws {
        let content = TestSupport.pseudoRandomText(lines: 40, seed: 3)
        let gz = TestSupport.gzip(content)
        // Cutting anywhere after the 2 magic bytes leaves a gzip that ends inside its member.
        for cut in 2..<gz.count {
            let failure = try TestSupport.decodeFailure(Array(gz.prefix(cut)), rawChunkSize: 64)
            #expect(failure == .truncatedGzip(offset: cut), "cut at \(cut) of \(gz.count)")
        }
        // In a two-member file, a cut inside the second member is a truncation too.
        let second = TestSupport.gzip(Array("second\n".utf8))
        let both = gz + second
        for cut in [gz.count + 1, gz.count + 5, both.count - 1] {
            #expect(try TestSupport.decodeFailure(Array(both.prefix(cut))) == .truncatedGzip(offset: cut))
        }
    }

    @Test func corruptTrailerIsReportedWithOffset() throws {
        let gz = TestSupport.gzip(sample)
        // CRC32 lives in bytes count-8 ..< count-4, ISIZE in the last 4.
        for position in [gz.count - 8, gz.count - 2] {
            var bad = gz
            bad[position] ^= 0xFF
            let failure = try TestSupport.decodeFailure(bad)
            guard case .corruptGzip(let offset, let reason)? = failure else {
                Issue.record("byte \(position): expected corruptGzip, got \(String(describing: failure))")
                continue
            }
            #expect(offset >= gz.count - 8 && offset <= gz.count, "offset \(offset) near the trailer")
            #expect(!reason.isEmpty)
        }
    }

    @Test func corruptHeaderAndDataAreRejected() throws {
        var badMethod = TestSupport.gzip(sample)
        badMethod[2] = 0x09  // compression method must be 8 (deflate)
        guard case .corruptGzip(let offset, _)? = try TestSupport.decodeFailure(badMethod) else {
            Issue.record("bad method accepted")
            return
        }
        #expect(offset <= 10)

        // Flipping data bytes must never pass silently: the CRC catches what the decoder does not.
        let gz = TestSupport.gzip(sample)
        for position in stride(from: 20, to: gz.count - 8, by: max(1, (gz.count - 28) / 25)) {
            var bad = gz
            bad[position] ^= 0x55
            let failure = try TestSupport.decodeFailure(bad)
            switch failure {
            case .corruptGzip(let offset, _)?:
                #expect(offset > 0 && offset <= gz.count)
            case .truncatedGzip(let offset)?:
                #expect(offset == gz.count)
            case .trailingGarbage(let offset)?:
                #expect(offset < gz.count)
            default:
                Issue.record("corruption at byte \(position) not detected: \(String(describing: failure))")
            }
        }
    }

    @Test func wholeFileReadsGzipAndHashesRawBytes() throws {
        let gz = TestSupport.gzip(sample)
        let path = try TestSupport.writeTemporaryFile(gz)
        defer { TestSupport.removeTemporaryFile(path) }
        let whole = try WholeFile.read(path)
        #expect(whole.bytes == sample)
        #expect(whole.sha256 == (try WholeFile.sha256(path)))
        // The hash of the file's own bytes, the gzip ones, not of its text.
        #expect(whole.sha256 == Array(SHA256.hash(data: gz)))
        #expect(whole.sha256 != Array(SHA256.hash(data: sample)))
    }

    @Test func missingFileCannotBeOpened() {
        #expect(throws: ByteReader.Failure.self) { try ByteReader(path: "/nonexistent/entstat/file.log") }
    }
}
