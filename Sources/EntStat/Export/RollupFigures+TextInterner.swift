extension RollupFigures {
    /// Dense ids of the texts of one column (source or feature names, a handful of short
    /// words), looked up from the bytes SQLite hands out: no String, no allocation, no call
    /// per row.
    ///
    /// A text is keyed by its length and its first and last 8 bytes (fewer for a text
    /// shorter than 8 bytes): for a text of at most 16 bytes that key and its length give
    /// the text itself; longer ones are also compared byte by byte.
    struct TextInterner {
        private struct Key: Equatable {
            var count: Int
            var head: UInt64
            var tail: UInt64
        }
        /// Open-addressing table of ids by key hash (−1: empty), a power of two long.
        private var table = [Int32](repeating: -1, count: 64)
        private var keys: [Key] = []
        private(set) var texts: [String] = []
        /// The bytes of each text longer than 16 bytes (empty for the others).
        private var longBytes: [[UInt8]] = []

        init(_ known: String...) {
            for text in known {
                var text = text
                _ = text.withUTF8 { id(of: UnsafeRawBufferPointer($0)) }
            }
        }

        private static func key(_ text: UnsafeRawBufferPointer) -> Key {
            let count = text.count
            if count >= 8 {
                return Key(count: count, head: text.loadUnaligned(as: UInt64.self),
                           tail: text.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            }
            // Shorter: bytes that cover the text, given its length (two overlapping words
            // of four bytes; or the first, middle and last bytes of at most three).
            if count >= 4 {
                let first = UInt64(text.loadUnaligned(as: UInt32.self))
                let last = UInt64(text.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                return Key(count: count, head: first | last << 32, tail: 0)
            }
            guard count > 0 else { return Key(count: 0, head: 0, tail: 0) }
            let head = UInt64(text[0]) | UInt64(text[count / 2]) << 8 | UInt64(text[count - 1]) << 16
            return Key(count: count, head: head, tail: 0)
        }

        private static func slot(_ key: Key, mask: Int) -> Int {
            var h = key.head &* 0x9E37_79B9_7F4A_7C15 ^ key.tail &* 0xC2B2_AE3D_27D4_EB4F ^ UInt64(key.count)
            h ^= h >> 29
            return Int(truncatingIfNeeded: h) & mask
        }

        mutating func id(of text: UnsafeRawBufferPointer) -> Int {
            let key = Self.key(text)
            let mask = table.count - 1
            var slot = Self.slot(key, mask: mask)
            while true {
                let known = Int(table[slot])
                if known < 0 { break }
                if keys[known] == key && (key.count <= 16 || longBytes[known].elementsEqual(text)) { return known }
                slot = (slot + 1) & mask
            }
            let id = texts.count
            keys.append(key)
            longBytes.append(key.count > 16 ? [UInt8](text) : [])
            texts.append(String(decoding: text, as: UTF8.self))
            table[slot] = Int32(id)
            if texts.count * 2 > table.count {
                table = [Int32](repeating: -1, count: table.count * 2)
                for (id, key) in keys.enumerated() {
                    var slot = Self.slot(key, mask: table.count - 1)
                    while table[slot] >= 0 { slot = (slot + 1) & (table.count - 1) }
                    table[slot] = Int32(id)
                }
            }
            return id
        }
    }
}
