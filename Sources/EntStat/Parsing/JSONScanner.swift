/// A strict JSON reader over one line's bytes: validates and skips values, decodes strings
/// (every escape of RFC 8259, surrogate pairs included; an unpaired surrogate escape
/// becomes its WTF-8 bytes, not U+FFFD, so that distinct ids never merge) and reads numbers.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    /// The current byte, or 0 at the end.
    var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Reads `null` if it is next.
    mutating func literalNull() -> Bool { literal("null") }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard bytes.count - index >= n else { return false }
        for k in 0..<n where bytes[index + k] != word.utf8Start[k] { return false }
        index += n
        return true
    }

    /// A string (`read` true, `value` its bytes as `stringBytes` gives them), or null (`read`
    /// false, `value` empty); any other value is skipped, as valid JSON or refused as
    /// invalid, and `read` is nil.
    mutating func stringOrNull(scratch: inout ScratchBuffer, limit: Int) throws(LineRejection)
        -> (read: Bool?, value: UnsafeRawBufferPointer) {
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        if literalNull() { return (false, none) }
        guard peek == UInt8(ascii: "\"") else {
            try skipValue(depth: 0, limit: limit)
            return (nil, none)
        }
        return (true, try stringBytes(scratch: &scratch))
    }

    /// A string value's decoded bytes: the line's own bytes between the quotes when the
    /// string holds no escape (nothing is copied: most keys and values of a log line),
    /// else the string decoded into `scratch` (emptied first). Valid until the next line,
    /// or until `scratch` changes.
    mutating func stringBytes(scratch: inout ScratchBuffer) throws(LineRejection) -> UnsafeRawBufferPointer {
        guard peek == UInt8(ascii: "\"") else { throw .badJSON(offset: index) }
        let opening = index
        index += 1
        while index < bytes.count {
            skipOrdinaryStringBytes()
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let value = UnsafeRawBufferPointer(rebasing: bytes[(opening + 1)..<index])
                index += 1
                return value
            }
            if b < 0x20 { throw .badJSON(offset: index) }
            if b == UInt8(ascii: "\\") {
                // An escape: decoded from the opening quote on, into the scratch buffer.
                index = opening
                scratch.removeAll()
                try string(into: &scratch)
                return scratch.bytes
            }
            index += 1
        }
        throw .badJSON(offset: index)
    }

    /// Decodes a string value into `out`.
    mutating func string(into out: inout ScratchBuffer) throws(LineRejection) {
        guard peek == UInt8(ascii: "\"") else { throw .badJSON(offset: index) }
        index += 1
        var runStart = index
        while index < bytes.count {
            skipOrdinaryStringBytes()
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return
            }
            if b < 0x20 { throw .badJSON(offset: index) }
            if b == UInt8(ascii: "\\") {
                out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try escape(into: &out)
                runStart = index
                continue
            }
            index += 1
        }
        throw .badJSON(offset: index)
    }

    private mutating func escape(into out: inout ScratchBuffer) throws(LineRejection) {
        index += 1  // the backslash
        guard index < bytes.count else { throw .badJSON(offset: index) }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate followed by \u and a low one is one character, the same
                // bytes as the character written raw.
                if bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                    }
                }
            }
            // An unpaired surrogate (high or low) keeps its own value, written as its
            // three-byte generalised UTF-8 form `ED A0…BF xx` (WTF-8), which no valid UTF-8
            // holds: `"\ud800"` and `"\udc00"` stay two ids, and neither is a real U+FFFD.
            JSONScanner.appendUTF8(scalar, to: &out)
        default:
            throw .badJSON(offset: index - 1)
        }
    }

    private mutating func hex4() throws(LineRejection) -> UInt32 {
        guard bytes.count - index >= 4 else { throw .badJSON(offset: index) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw .badJSON(offset: index)
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    /// Appends the UTF-8 bytes of a code point; a surrogate (U+D800–U+DFFF) gets the same
    /// three-byte pattern as its neighbours (generalised UTF-8, as in WTF-8).
    static func appendUTF8(_ scalar: UInt32, to out: inout ScratchBuffer) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Moves eight bytes at a time past bytes that a string holds as they are, up to the
    /// next quote, backslash or control byte (or the last seven bytes), which the caller
    /// looks at.
    @inline(__always)
    private mutating func skipOrdinaryStringBytes() {
        guard let base = bytes.baseAddress else { return }
        index = ByteWord.scan(base, from: index, to: bytes.count) { ByteWord.quoteOrBackslash($0) | ByteWord.below(0x20, in: $0) }
    }

    /// Skips a string without decoding it (escapes still validated).
    private mutating func skipString() throws(LineRejection) {
        guard peek == UInt8(ascii: "\"") else { throw .badJSON(offset: index) }
        index += 1
        while index < bytes.count {
            skipOrdinaryStringBytes()
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { index += 1; return }
            if b < 0x20 { throw .badJSON(offset: index) }
            if b == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    index += 1
                    _ = try hex4()
                default:
                    throw .badJSON(offset: index)
                }
                continue
            }
            index += 1
        }
        throw .badJSON(offset: index)
    }

    /// Validates and skips any value.
    mutating func skipValue(depth: Int, limit: Int) throws(LineRejection) {
        guard depth < limit else { throw .tooDeeplyNested }
        switch peek {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipWhitespace()
                try skipString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw .badJSON(offset: index) }
                index += 1
                skipWhitespace()
                try skipValue(depth: depth + 1, limit: limit)
                skipWhitespace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                if peek == UInt8(ascii: "}") { index += 1; return }
                throw .badJSON(offset: index)
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") { index += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1, limit: limit)
                skipWhitespace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                if peek == UInt8(ascii: "]") { index += 1; return }
                throw .badJSON(offset: index)
            }
        case UInt8(ascii: "t"):
            guard literal("true") else { throw .badJSON(offset: index) }
        case UInt8(ascii: "f"):
            guard literal("false") else { throw .badJSON(offset: index) }
        case UInt8(ascii: "n"):
            guard literal("null") else { throw .badJSON(offset: index) }
        default:
            _ = try number()
        }
    }

    /// Reads a number if one is next (returns milliseconds floored to seconds); nil when the
    /// next value is not a number (the caller then skips it).
    mutating func numberIfPresent() throws(LineRejection) -> Int64? {
        let b = peek
        guard b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) else { return nil }
        let ms = try number()
        guard ms.isFinite, abs(ms) < 1e17 else { throw .badJSON(offset: index) }
        return Int64((ms / 1000).rounded(.down))
    }

    /// Validates a JSON number and returns its value. Integers up to 18 digits are read
    /// exactly; other forms go through Double.
    mutating func number() throws(LineRejection) -> Double {
        let start = index
        var negative = false
        if peek == UInt8(ascii: "-") { negative = true; index += 1 }
        let intStart = index
        var integer: Int64 = 0
        var exact = true
        if peek == UInt8(ascii: "0") {
            index += 1
        } else if peek >= 0x31 && peek <= 0x39 {
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if index - intStart < 18 {
                    integer = integer * 10 + Int64(bytes[index] - 0x30)
                } else {
                    exact = false
                }
                index += 1
            }
        } else {
            throw .badJSON(offset: index)
        }
        if peek == UInt8(ascii: ".") {
            exact = false
            index += 1
            guard peek >= 0x30 && peek <= 0x39 else { throw .badJSON(offset: index) }
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            exact = false
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard peek >= 0x30 && peek <= 0x39 else { throw .badJSON(offset: index) }
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        }
        if exact { return Double(negative ? -integer : integer) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw .badJSON(offset: start) }
        return value
    }
}
