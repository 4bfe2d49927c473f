/// An open-addressing hash table from short byte strings (raw user ids) to small integers,
/// looked up straight from a line's bytes: no `String`, no `Array` per lookup. Keys are
/// copied once into an arena when inserted.
struct ByteStringTable {
    private struct Slot {
        var hash: UInt64 = 0
        var offset: UInt32 = 0
        var length: UInt32 = 0
        var value: Int32 = -1
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
    }

    /// Eight bytes at a time (each word mixed in by a multiply and a shift), then the last
    /// bytes, then a final mix so that low bits are well spread. Hashed for every line of
    /// a log (the raw user id, and an event's role and schools): FNV-1a, a byte at a time,
    /// cost about three times as much on a 36-byte id.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: key.count)
        if let base = key.baseAddress {
            let n = key.count
            var i = 0
            while i + 8 <= n {
                h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
                h ^= h >> 32
                i += 8
            }
            if i < n {
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < n {
                    tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                    shift += 8
                    i += 1
                }
                h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
                h ^= h >> 32
            }
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// The value of `key`, or nil.
    func find(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> Int32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot.value < 0 { return nil }
            if slot.hash == h && Int(slot.length) == key.count && matches(slot, key) { return slot.value }
            i = (i + 1) & mask
        }
    }

    /// Inserts a key that is not in the table.
    mutating func insert(_ key: UnsafeRawBufferPointer, hash h: UInt64, value: Int32) {
        if (count + 1) * 2 > slots.count { grow() }
        let offset = arena.count
        arena.append(contentsOf: key)
        place(Slot(hash: h, offset: UInt32(offset), length: UInt32(key.count), value: value))
        count += 1
    }

    /// The number of `key` in a table whose values number its keys in the order they were
    /// added (0, 1, 2, …): its value when known, otherwise `count`, with which it is added
    /// (`added`).
    mutating func number(_ key: UnsafeRawBufferPointer) -> (number: Int32, added: Bool) {
        let h = Self.hash(key)
        if let known = find(key, hash: h) { return (known, false) }
        let new = Int32(count)
        insert(key, hash: h, value: new)
        return (new, true)
    }

    mutating func removeAll() {
        slots = [Slot](repeating: Slot(), count: 1024)
        arena.removeAll()
        count = 0
    }

    private func matches(_ slot: Slot, _ key: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { a in
            guard key.count > 0 else { return true }
            return memcmp(a.baseAddress! + Int(slot.offset), key.baseAddress!, key.count) == 0
        }
    }

    private mutating func place(_ slot: Slot) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i].value >= 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.value >= 0 { place(slot) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
