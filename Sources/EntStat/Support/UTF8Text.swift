/// Text files that must be UTF-8 (the analysts' queries, a rules file): read without
/// repairing a byte that is not, since a `é` saved in Latin-1 would become U+FFFD and a
/// query would then match nothing, silently.
public enum UTF8Text {
    /// The text of `bytes`, a leading byte order mark dropped; or, when they are not UTF-8,
    /// the offset in `bytes` of the first byte that is not.
    public static func decode(_ bytes: [UInt8]) -> (text: String?, invalidAt: Int) {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if let text = String(validating: bytes[start...], as: UTF8.self) { return (text, -1) }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[start...].makeIterator()
        var offset = start
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        return (nil, offset)
    }
}
