/// A growable byte buffer with the few appends the log formatters need, avoiding a `String`
/// per line in the hot path.
struct ByteBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always) mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    @inline(__always) mutating func append(byte b: UInt8) { bytes.append(b) }

    /// Decimal digits of a non-negative integer.
    mutating func appendDecimal(_ value: Int64) {
        var v = value
        if v < 0 { bytes.append(0x2D); v = -v }
        if v < 10 { bytes.append(UInt8(v) + 0x30); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while v > 0 { p[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(p[i]) }
        }
    }

    @inline(__always) mutating func appendDecimal(_ value: Int) { appendDecimal(Int64(value)) }

    /// Exactly two digits (00–99).
    @inline(__always) mutating func append2(_ v: Int) {
        bytes.append(UInt8(v / 10) + 0x30)
        bytes.append(UInt8(v % 10) + 0x30)
    }

    /// `digits` lowercase hex digits of the low bits of `v`, most significant first.
    mutating func appendHex(_ v: UInt64, digits: Int) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            bytes.append(ByteBuffer.hex[Int((v >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    /// A UUID-like lowercase id (version 4 layout) derived from a 64-bit hash.
    mutating func appendUUID(_ uid: UInt64) {
        let a = SplitMix64.mix(uid)
        let b = SplitMix64.mix(uid ^ 0xA5A5_5A5A_C3C3_3C3C)
        appendHex(a >> 32, digits: 8); bytes.append(0x2D)
        appendHex(a >> 16, digits: 4); bytes.append(0x2D)
        bytes.append(0x34); appendHex(a, digits: 3); bytes.append(0x2D)
        bytes.append(ByteBuffer.hex[8 + Int(b >> 62)]); appendHex(b >> 48, digits: 3); bytes.append(0x2D)
        appendHex(b, digits: 12)
    }

    /// `u<number>` style decimal appended after a prefix byte.
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
