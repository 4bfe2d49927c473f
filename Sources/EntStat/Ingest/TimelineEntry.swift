/// One point of an identity's day: how many qualifying records fell on one second, from one
/// source, for one feature, login or not. A day's timeline is the sorted list of its entries;
/// merging two timelines adds the counts of equal points, so the stored timeline is the
/// multiset union of every record ever ingested — the same whatever the order or split of
/// the files that brought them (SPEC §2.5).
public struct TimelineEntry: Equatable, Sendable, Comparable {
    /// Real seconds since the local midnight that began the day (0 ..< 90 000).
    public var second: UInt32
    /// `feature id | login << 14 | events << 15`.
    public var code: UInt16
    /// How many qualifying records fell on this point.
    public var count: UInt32

    /// An entry from its stored fields.
    public init(second: UInt32, code: UInt16, count: UInt32) {
        self.second = second
        self.code = code
        self.count = count
    }

    /// `count` records at `second`, of `featureID`, login or not, from `source`.
    public init(second: Int, featureID: Int, isLogin: Bool, source: LogSource, count: UInt32 = 1) {
        self.init(second: UInt32(second), code: TimelineEntry.code(featureID: featureID, isLogin: isLogin, source: source), count: count)
    }

    /// The largest feature id a code can hold (14 bits): the store refuses to give a
    /// feature a larger one (`Store.featureIDs`), and a rules file can name at most this
    /// many features (`FeatureRules.maxFeatures`).
    public static let maxFeatureID = 0x3FFF

    /// The `code` of a feature id, login flag and source; the id must fit in 14 bits.
    @inline(__always)
    public static func code(featureID: Int, isLogin: Bool, source: LogSource) -> UInt16 {
        precondition(featureID >= 0 && featureID <= maxFeatureID, "feature id out of range")
        return UInt16(featureID) | (isLogin ? 0x4000 : 0) | (source == .events ? 0x8000 : 0)
    }

    /// The store feature id (the code's low 14 bits).
    public var featureID: Int { Int(code) & TimelineEntry.maxFeatureID }
    /// True for login records (bit 14 of the code).
    public var isLogin: Bool { code & 0x4000 != 0 }
    /// The log the records came from: events when bit 15 of the code is set, else access.
    public var source: LogSource { code & 0x8000 != 0 ? .events : .access }

    /// By second, then by code: the order of a timeline.
    public static func < (a: TimelineEntry, b: TimelineEntry) -> Bool {
        a.second != b.second ? a.second < b.second : a.code < b.code
    }

    // MARK: - Encoding (10 bytes per entry, little-endian)

    /// Bytes of one encoded entry: second (4), code (2), count (4).
    public static let encodedSize = 10

    /// The entries as a stored timeline holds them: `encodedSize` bytes each, little-endian.
    public static func encode(_ entries: [TimelineEntry]) -> [UInt8] {
        encode(entries[...])
    }

    /// The entries of a slice as a stored timeline holds them (see `encode(_:)` above).
    public static func encode(_ entries: ArraySlice<TimelineEntry>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: entries.count * encodedSize)
        out.withUnsafeMutableBytes { raw in
            for (i, e) in entries.enumerated() {
                let p = raw.baseAddress! + i * encodedSize
                p.storeBytes(of: e.second.littleEndian, toByteOffset: 0, as: UInt32.self)
                p.storeBytes(of: e.code.littleEndian, toByteOffset: 4, as: UInt16.self)
                p.storeBytes(of: e.count.littleEndian, toByteOffset: 6, as: UInt32.self)
            }
        }
        return out
    }

    /// Appends to `out` the entries a stored timeline's `bytes` encode.
    public static func decode(_ bytes: UnsafeRawBufferPointer, appendingTo out: inout [TimelineEntry]) {
        let n = bytes.count / encodedSize
        out.reserveCapacity(out.count + n)
        for i in 0..<n {
            let p = bytes.baseAddress! + i * encodedSize
            out.append(TimelineEntry(second: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
                                     code: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt16.self)),
                                     count: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 6, as: UInt32.self))))
        }
    }

    /// Sorts entries and adds up the counts of equal (second, code) points.
    public static func normalize(_ entries: inout [TimelineEntry]) {
        entries.sort()
        var write = 0
        for read in 0..<entries.count {
            if write > 0 && entries[write - 1].second == entries[read].second && entries[write - 1].code == entries[read].code {
                entries[write - 1].count &+= entries[read].count
            } else {
                entries[write] = entries[read]
                write += 1
            }
        }
        entries.removeLast(entries.count - write)
    }
}
