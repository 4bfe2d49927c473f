import Foundation
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
        } else if case .truncatedGzip? = notMember {
        } else {
            Issue.record("unexpected \(String(describing: notMember))")
        }
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
        #expect(whole.sha256.count == 32)
    }

    @Test func missingFileCannotBeOpened() {
        #expect(throws: ByteReader.Failure.self) { try ByteReader(path: "/nonexistent/entstat/file.log") }
    }
}
