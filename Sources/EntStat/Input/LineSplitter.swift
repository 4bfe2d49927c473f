#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a stream of decompressed chunks into lines, without copying a line that lies whole
/// inside one chunk.
///
/// Lines end in `\n` or `\r\n`; the terminator is not part of the line. A UTF-8 byte order
/// mark at the very start of the input is dropped. A line longer than `maximumLineLength`
/// is handed out cut to that length with `truncated` set, so a runaway line cannot exhaust
/// memory. Line numbers start at 1 and count every line, blank ones included.
public struct LineSplitter {
    /// One line handed to the consumer: its bytes (valid only during the call) and number.
    public struct Line {
        /// The line's bytes, without its terminator; valid only during the call.
        public let bytes: UnsafeRawBufferPointer
        /// The line's number, from 1, blank lines included.
        public let number: Int
        /// True when the line was longer than the splitter's maximum and was cut.
        public let truncated: Bool

        /// True when the line holds only spaces and tabs (or nothing).
        public var isBlank: Bool { LineSplitter.isBlank(bytes) }
    }

    /// True when `bytes`, a line without its terminator, hold only spaces and tabs (or
    /// nothing): a blank line, which is neither counted nor rejected.
    @inline(__always)
    public static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b != 0x20 && b != 0x09 { return false }
        return true
    }

    /// The longest line handed out whole, in bytes; a longer one is cut to this length.
    public let maximumLineLength: Int
    private var carry: [UInt8] = []
    private var carryTruncated = false
    private var lineNumber = 0
    private var atStart = true
    /// The first bytes of the input (up to 3), held until the BOM question is settled.
    private var head: [UInt8] = []

    /// A splitter that cuts lines longer than `maximumLineLength` bytes (16 MiB by default).
    public init(maximumLineLength: Int = 16 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Feeds one chunk; calls `body` for every line it completes.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (Line) throws -> Void) rethrows {
        guard var base = chunk.baseAddress, chunk.count > 0 else { return }
        var remaining = chunk.count
        if atStart {
            // The first three bytes decide on a BOM; they may come in several tiny chunks.
            while remaining > 0 && head.count < 3 {
                head.append(base.load(as: UInt8.self))
                base += 1
                remaining -= 1
            }
            if head.count < 3 && head.elementsEqual(LineSplitter.bom.prefix(head.count)) { return }
            try releaseHead(body)
        }
        while remaining > 0 {
            guard let newline = memchr(base, 0x0A, remaining) else {
                appendToCarry(UnsafeRawBufferPointer(start: base, count: remaining))
                return
            }
            let length = base.distance(to: UnsafeRawPointer(newline))
            if carry.isEmpty && !carryTruncated {
                try emit(UnsafeRawBufferPointer(start: base, count: length), truncated: false, body)
            } else {
                appendToCarry(UnsafeRawBufferPointer(start: base, count: length))
                try flushCarry(body)
            }
            base += length + 1
            remaining -= length + 1
        }
    }

    /// Hands out the last line when the input does not end with a newline.
    public mutating func finish(_ body: (Line) throws -> Void) rethrows {
        if atStart { try releaseHead(body) }
        if !carry.isEmpty || carryTruncated {
            try flushCarry(body)
        }
    }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Drops the held first bytes when they are a BOM, else feeds them as content.
    private mutating func releaseHead(_ body: (Line) throws -> Void) rethrows {
        atStart = false
        let held = head
        head = []
        if held != LineSplitter.bom {
            try held.withUnsafeBytes { try feed($0, body) }
        }
    }

    /// Number of the last line handed out.
    public var lastLineNumber: Int { lineNumber }

    /// Continues an input whose first `lines` lines were already read elsewhere: the next
    /// line is numbered `lines + 1`, and no byte order mark is looked for.
    public mutating func resume(afterLines lines: Int) {
        lineNumber = lines
        atStart = false
        head.removeAll()
    }

    private mutating func appendToCarry(_ bytes: UnsafeRawBufferPointer) {
        let room = maximumLineLength + 1 - carry.count
        if bytes.count > room {
            carry.append(contentsOf: bytes.prefix(max(room, 0)))
            carryTruncated = true
        } else {
            carry.append(contentsOf: bytes)
        }
    }

    private mutating func flushCarry(_ body: (Line) throws -> Void) rethrows {
        let truncated = carryTruncated
        carryTruncated = false
        var pending: [UInt8] = []
        swap(&pending, &carry)
        defer {
            pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
            carry = pending
        }
        try pending.withUnsafeBytes { bytes in
            try emit(bytes, truncated: truncated, body)
        }
    }

    private mutating func emit(_ raw: UnsafeRawBufferPointer, truncated: Bool, _ body: (Line) throws -> Void) rethrows {
        lineNumber += 1
        var count = raw.count
        if count > 0 && raw[count - 1] == 0x0D { count -= 1 }
        var cut = truncated
        if count > maximumLineLength {
            count = maximumLineLength
            cut = true
        }
        try body(Line(bytes: UnsafeRawBufferPointer(rebasing: raw[0..<count]), number: lineNumber, truncated: cut))
    }
}
