import Crypto
import Testing
@testable import EntStat

/// `LogContentHead`: the SHA-256 of a content up to its first line feed at offset 63 or
/// later, within the first MiB; the same for a content and any longer one that starts with
/// it, however either is cut into chunks.
@Suite("Head of a log's content")
struct LogContentHeadTests {
    static func sha(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    @Test func theHeadEndsAtTheFirstLineFeedFromOffset63() {
        let long = Array(repeating: UInt8(ascii: "a"), count: 99) + [0x0A]
        // A first line of 100 bytes: the head is that line.
        #expect(LogContentHead.of(long + Array("next\n".utf8)) == Self.sha(long))
        // Two lines of 40 bytes: the first ends at offset 39, before 63; the head is both.
        let forty = Array(repeating: UInt8(ascii: "b"), count: 39) + [0x0A]
        #expect(LogContentHead.of(forty + forty + forty) == Self.sha(forty + forty))
        // A line feed at offset 63 exactly ends it; one at 62 does not.
        let at63 = Array(repeating: UInt8(ascii: "c"), count: 63) + [0x0A]
        #expect(LogContentHead.of(at63 + Array("rest\n".utf8)) == Self.sha(at63))
        let at62 = Array(repeating: UInt8(ascii: "c"), count: 62) + [0x0A]
        #expect(LogContentHead.of(at62 + at62) == Self.sha(at62 + at62))
    }

    @Test func aContentWithoutSuchALineFeedHasNoHead() {
        #expect(LogContentHead.of(Array("short line\n".utf8)) == nil)
        #expect(LogContentHead.of(Array(repeating: UInt8(ascii: "d"), count: 200)) == nil)
        // A first MiB without a line break: none, even with one right after.
        let mib = Array(repeating: UInt8(ascii: "e"), count: LogContentHead.maximumBytes)
        #expect(LogContentHead.of(mib + [0x0A]) == nil)
        let underMiB = Array(repeating: UInt8(ascii: "e"), count: LogContentHead.maximumBytes - 1) + [0x0A]
        #expect(LogContentHead.of(underMiB) == Self.sha(underMiB))
    }

    @Test func theHeadIsTheSameInChunksAndForALongerCopy() {
        var text: [UInt8] = []
        for i in 0..<50 { text += Array("{\"date\":\(1_538_000_000_000 + i),\"userId\":\"u\(i)\"}\n".utf8) }
        let whole = LogContentHead.of(text)
        #expect(whole != nil)
        for size in [1, 7, 64, 65, 4096] {
            var head = LogContentHead()
            var i = 0
            while i < text.count {
                let end = min(text.count, i + size)
                text[i..<end].withUnsafeBytes { head.feed($0) }
                i = end
            }
            head.finish()
            #expect(head.digest == whole, "chunks of \(size)")
        }
        // A copy cut anywhere after the head's end has the same head.
        #expect(LogContentHead.of(Array(text[0..<200])) == whole)
        #expect(LogContentHead.of(text + Array("more\n".utf8)) == whole)
    }
}
