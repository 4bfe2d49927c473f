import Testing
@testable import EntStat

/// SPEC §1: lines end in `\n` or `\r\n`, a leading BOM is accepted, blank lines are ignored
/// (but still numbered, so reject line numbers match the file).
@Suite struct LineSplitterTests {
    private func texts(_ lines: [(text: [UInt8], number: Int, truncated: Bool)]) -> [String] {
        lines.map { text($0.text) }
    }

    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func splitsOnLineFeed() {
        let lines = TestSupport.split([bytes("alpha\nbeta\ngamma\n")])
        #expect(texts(lines) == ["alpha", "beta", "gamma"])
        #expect(lines.map(\.number) == [1, 2, 3])
        #expect(lines.allSatisfy { !$0.truncated })
    }

    @Test func crlfIsOneTerminatorButLoneCRStays() {
        #expect(texts(TestSupport.split([bytes("a\r\nb\r\n")])) == ["a", "b"])
        #expect(texts(TestSupport.split([bytes("a\rb\n")])) == ["a\rb"])
        #expect(texts(TestSupport.split([bytes("mixed\r\nends\nhere\r\n")])) == ["mixed", "ends", "here"])
        // Only one CR is part of the terminator.
        #expect(TestSupport.split([bytes("x\r\r\n")]).map(\.text) == [bytes("x\r")])
    }

    @Test func finalLineWithoutNewline() {
        let lines = TestSupport.split([bytes("one\ntwo")])
        #expect(texts(lines) == ["one", "two"])
        #expect(lines.last?.number == 2)
        #expect(texts(TestSupport.split([bytes("last\r")])) == ["last"])
        #expect(TestSupport.split([bytes("one\n")]).count == 1, "no phantom empty line after a final newline")
        #expect(TestSupport.split([[]]).isEmpty)
        #expect(TestSupport.split([]).isEmpty)
    }

    @Test func blankLinesAreNumberedAndDetectable() {
        var splitter = LineSplitter()
        var seen: [(String, Int, Bool)] = []
        let input = bytes("a\n\n \t\n\r\nb\n")
        input.withUnsafeBytes { raw in
            splitter.feed(raw) { seen.append((text($0.bytes), $0.number, $0.isBlank)) }
        }
        splitter.finish { seen.append((text($0.bytes), $0.number, $0.isBlank)) }
        #expect(seen.map(\.0) == ["a", "", " \t", "", "b"])
        #expect(seen.map(\.1) == [1, 2, 3, 4, 5])
        #expect(seen.map(\.2) == [false, true, true, true, false])
        #expect(splitter.lastLineNumber == 5)
    }

    @Test func byteOrderMarkOnlyAtTheStart() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(TestSupport.split([bom + bytes("a\nb\n")]).map(\.text) == [bytes("a"), bytes("b")])
        // A BOM further down is content.
        #expect(TestSupport.split([bytes("a\n") + bom + bytes("b\n")]).map(\.text) == [bytes("a"), bom + bytes("b")])
        // Only one BOM is dropped.
        #expect(TestSupport.split([bom + bom + bytes("x\n")]).map(\.text) == [bom + bytes("x")])
        // A file that is only a BOM has no line.
        #expect(TestSupport.split([bom]).isEmpty)
    }

    @Test func byteOrderMarkSplitAcrossChunks() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let whole = bom + bytes("{\"a\":1}\nz\n")
        for first in 1...3 {
            let lines = TestSupport.split([Array(whole.prefix(first)), Array(whole.dropFirst(first))])
            #expect(lines.map(\.text) == [bytes("{\"a\":1}"), bytes("z")], "BOM cut after \(first) byte(s)")
        }
        // Byte by byte.
        #expect(TestSupport.split(whole.map { [$0] }).map(\.text) == [bytes("{\"a\":1}"), bytes("z")])
        // Two bytes that merely look like the start of a BOM are kept.
        let lookalike: [UInt8] = [0xEF, 0xBB, 0x41, 0x0A]
        #expect(TestSupport.split([[0xEF], [0xBB, 0x41, 0x0A]]).map(\.text) == [Array(lookalike.prefix(3))])
        #expect(TestSupport.split([[0xEF, 0xBB]]).map(\.text) == [[0xEF, 0xBB]])
    }

    @Test func linesSplitAcrossChunksAreReassembled() {
        let input = bytes("first line\r\nsecond, longer line\n\nthird\r\nfourth without newline")
        let expected = ["first line", "second, longer line", "", "third", "fourth without newline"]
        // Every single cut point, and byte-by-byte.
        for cut in 0...input.count {
            let lines = TestSupport.split([Array(input.prefix(cut)), Array(input.dropFirst(cut))])
            #expect(texts(lines) == expected, "cut at \(cut)")
            #expect(lines.map(\.number) == [1, 2, 3, 4, 5])
        }
        #expect(texts(TestSupport.split(input.map { [$0] })) == expected)
        // CR and LF in different chunks.
        #expect(texts(TestSupport.split([bytes("a\r"), bytes("\nb\n")])) == ["a", "b"])
    }

    @Test func longLinesAreCutAndFlagged() {
        let long = String(repeating: "x", count: 25)
        let input = bytes("short\n\(long)\nafter\n")
        let expectedText = ["short", String(repeating: "x", count: 10), "after"]
        // In one chunk and in small chunks (the carry path).
        for chunkSize in [input.count, 1, 3, 11] {
            let chunks = stride(from: 0, to: input.count, by: chunkSize).map { Array(input[$0..<min($0 + chunkSize, input.count)]) }
            let lines = TestSupport.split(chunks, maximumLineLength: 10)
            #expect(texts(lines) == expectedText, "chunk size \(chunkSize)")
            #expect(lines.map(\.truncated) == [false, true, false], "chunk size \(chunkSize)")
            #expect(lines.map(\.number) == [1, 2, 3])
        }
    }

    @Test func lineOfExactlyTheMaximumIsNotTruncated() {
        for chunkSize in [1, 4, 100] {
            let input = bytes("0123456789\r\nabcdefghijk\n0123456789")
            let chunks = stride(from: 0, to: input.count, by: chunkSize).map { Array(input[$0..<min($0 + chunkSize, input.count)]) }
            let lines = TestSupport.split(chunks, maximumLineLength: 10)
            #expect(texts(lines) == ["0123456789", "abcdefghij", "0123456789"], "chunk size \(chunkSize)")
            #expect(lines.map(\.truncated) == [false, true, false], "chunk size \(chunkSize)")
        }
    }

    @Test func truncatedFinalLineWithoutNewline() {
        let lines = TestSupport.split([bytes("ok\n"), bytes(String(repeating: "y", count: 50))], maximumLineLength: 8)
        #expect(texts(lines) == ["ok", "yyyyyyyy"])
        #expect(lines.map(\.truncated) == [false, true])
    }

    @Test func carryIsResetAfterATruncatedLine() {
        // After a cut line, the next lines (short, via the carry) must come out whole.
        let chunks = [bytes(String(repeating: "z", count: 30)), bytes("\nab"), bytes("c\nd\n")]
        let lines = TestSupport.split(chunks, maximumLineLength: 5)
        #expect(texts(lines) == ["zzzzz", "abc", "d"])
        #expect(lines.map(\.truncated) == [true, false, false])
    }
}

/// Decoding and splitting together, as the ingester chains them.
@Suite struct DecodedLinesTests {
    private func lines(ofFile bytes: [UInt8], rawChunkSize: Int, outChunkSize: Int) throws -> [String] {
        let path = try TestSupport.writeTemporaryFile(bytes)
        defer { TestSupport.removeTemporaryFile(path) }
        let stream = DecodedByteStream(reader: try ByteReader(path: path), rawChunkSize: rawChunkSize, outChunkSize: outChunkSize)
        var splitter = LineSplitter()
        var out: [String] = []
        while let chunk = try stream.next() {
            splitter.feed(chunk) { out.append(text($0.bytes)) }
        }
        splitter.finish { out.append(text($0.bytes)) }
        return out
    }

    @Test func lineSpanningTwoGzipMembersWithBOMAndCRLF() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let file = TestSupport.gzip(bom + Array("first\r\nsec".utf8)) + TestSupport.gzip(Array("ond\r\n\r\nthird".utf8))
        for (raw, out) in [(4096, 4096), (2, 1), (3, 2)] {
            #expect(try lines(ofFile: file, rawChunkSize: raw, outChunkSize: out) == ["first", "second", "", "third"], "raw \(raw) out \(out)")
        }
    }

    @Test func plainFileWithBOMInTinyChunks() throws {
        let file: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\nb".utf8)
        #expect(try lines(ofFile: file, rawChunkSize: 2, outChunkSize: 2) == ["a", "b"])
    }
}
