/// French typography of the report's page: the space before `:` becomes a no-break space
/// (U+00A0), the one before `;`, `?`, `!` and `%` and those inside `« »` a narrow no-break
/// space (U+202F), as are the report's numbers' own separators, so that a line never
/// starts with a colon or a closing guillemet; the space of an hour (`20 h`) a no-break
/// space, and in a page that of a hidden count (`&lt; 5`, « < 5 »), which wrapped between
/// « < » and « 5 ». Only text is changed: tags and their attributes are copied as they are.
///
/// The `--help` pages get the same rules as plain text, every such space a U+00A0 (the
/// narrow one is missing from many terminal fonts), and the space after a lone `<` (« < N »)
/// too.
public enum FrenchTypography {
    static let noBreak: Unicode.Scalar = "\u{00A0}"
    static let narrowNoBreak: Unicode.Scalar = "\u{202F}"

    /// `html` with its text typeset (a fragment without `<style>` or `<script>`, whose
    /// text would be changed too).
    public static func apply(toHTML html: String) -> String {
        typeset(html, skippingTags: true, narrow: narrowNoBreak)
    }

    /// Plain `text` typeset, with `narrow` for the narrow no-break space (U+00A0 on a
    /// terminal).
    public static func apply(toPlainText text: String, narrow: Unicode.Scalar = "\u{202F}") -> String {
        typeset(text, skippingTags: false, narrow: narrow)
    }

    /// Over the text's UTF-8 bytes: only a space (0x20) outside a tag can change, and the
    /// runs between changed spaces are copied whole (a report's page is about 600 kB; its
    /// scalars appended one by one were 5 % of a report's instructions).
    private static func typeset(_ text: String, skippingTags: Bool, narrow: Unicode.Scalar) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            var inTag = false
            var copiedUpTo = 0
            for i in bytes.indices {
                let b = bytes[i]
                if inTag {
                    if b == UInt8(ascii: ">") { inTag = false }
                    continue
                }
                if skippingTags && b == UInt8(ascii: "<") { inTag = true; continue }
                guard b == UInt8(ascii: " "), let space = replacement(ofSpaceAt: i, in: bytes, skippingTags: skippingTags, narrow: narrow)
                else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<i]))
                out.append(contentsOf: String(space).utf8)
                copiedUpTo = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The no-break space the space at byte `i` becomes, or nil when it stays.
    private static func replacement(ofSpaceAt i: Int, in bytes: UnsafeBufferPointer<UInt8>, skippingTags: Bool,
                                    narrow: Unicode.Scalar) -> Unicode.Scalar? {
        let next = scalar(at: i + 1, in: bytes) ?? " "
        let previous = scalar(endingAt: i, in: bytes) ?? " "
        switch next {
        case ":": return noBreak
        case ";", "?", "!", "%", "»": return narrow
        default:
            if previous == "«" { return narrow }
            // (`h` is one byte: what follows the hour's `h` starts at i + 2.)
            if next == "h", previous.properties.numericType != nil, isHourEnd(scalar(at: i + 2, in: bytes)) { return noBreak }
            if next.properties.numericType != nil, follows(lessThanEntity, at: i, in: bytes) { return noBreak }
            if !skippingTags, previous == "<" {
                // A help page's « < N », « < 5 »: a lone `<` keeps what it bounds.
                let beforeLessThan = scalar(endingAt: i - 1, in: bytes)
                if beforeLessThan == nil || beforeLessThan == " " || beforeLessThan == narrow || beforeLessThan == "«" { return noBreak }
            }
            return nil
        }
    }

    /// The scalar whose bytes start at `i`, nil at the end.
    private static func scalar(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard i < bytes.count else { return nil }
        var iterator = UnsafeBufferPointer(rebasing: bytes[i...]).makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// The scalar whose bytes end just before `end`, nil at the start.
    private static func scalar(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard end > 0 else { return nil }
        var start = end - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start, in: bytes)
    }

    /// `<` as the page's text writes it (`HTMLText.escape`).
    private static let lessThanEntity = Array("&lt;".utf8)

    /// True when `bytes` hold `entity` just before `index`.
    private static func follows(_ entity: [UInt8], at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        index >= entity.count && bytes[(index - entity.count)..<index].elementsEqual(entity)
    }

    /// True when an hour's `h` is followed by `scalar` (nil: the end): no letter.
    private static func isHourEnd(_ scalar: Unicode.Scalar?) -> Bool {
        scalar.map { !$0.properties.isAlphabetic } ?? true
    }
}
