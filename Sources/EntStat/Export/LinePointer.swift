/// Where the next byte of a line goes, in room its writer made (`ByteLineWriter.line`):
/// fields are copied and digits written without checks.
struct LinePointer {
    private(set) var at: UnsafeMutablePointer<UInt8>

    init(at: UnsafeMutablePointer<UInt8>) { self.at = at }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        at.pointee = b
        at += 1
    }

    /// Bytes copied one by one: fields of a few bytes, for which a call to `memmove` costs
    /// more than the copy.
    @inline(__always)
    mutating func bytes(_ field: UnsafeBufferPointer<UInt8>) {
        for b in field {
            at.pointee = b
            at += 1
        }
    }

    /// Bytes a padded field's copy may write past the field, and read past it.
    static let wordSlack = 7

    /// The bytes of a field eight at a time, where `wordSlack` bytes after `field` may be
    /// read (an `EncodedFields` field) and written over: what a word writes past the field
    /// is overwritten by what comes next, or left past the line.
    @inline(__always)
    mutating func padded(_ field: UnsafeBufferPointer<UInt8>) {
        guard let from = field.baseAddress else { return }
        let source = UnsafeRawPointer(from), target = UnsafeMutableRawPointer(at)
        var k = 0
        while k < field.count {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: k, as: UInt64.self), toByteOffset: k, as: UInt64.self)
            k += 8
        }
        at += field.count
    }

    /// The decimal digits of `n` (at most 20): counted first, then written from the last
    /// back.
    @inline(__always)
    mutating func digits(_ n: UInt) {
        var length = 1, rest = n / 10
        while rest > 0 { length += 1; rest /= 10 }
        var n = n, p = at + length
        repeat {
            p -= 1
            p.pointee = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
        } while n > 0
        at += length
    }

    /// A decimal integer.
    @inline(__always)
    mutating func integer(_ n: Int) {
        if n < 0 { byte(UInt8(ascii: "-")) }
        digits(n.magnitude)
    }
}
