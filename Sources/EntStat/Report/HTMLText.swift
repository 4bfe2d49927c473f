/// Escaping of text placed in HTML or SVG: every `&`, `<`, `>`, `"` and `'` becomes an
/// entity, so that a school named `<script>` is shown, never run; direction controls are
/// dropped (`BidiControls`), so that a name cannot reorder the text around it.
public enum HTMLText {
    /// `text` with those five characters made entities and its direction controls dropped.
    public static func escape(_ text: String) -> String {
        // Most texts (numbers, names, labels) hold none of them: given back as they are
        // after one pass over their bytes (a direction control's first byte is 0xD8 or 0xE2).
        guard text.utf8.contains(where: mayChange) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: if !BidiControls.contains(c) { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Whether a byte may be one `escape` changes: one of the five, or the first byte of a
    /// direction control.
    @inline(__always)
    private static func mayChange(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0xD8, 0xE2: return true
        default: return false
        }
    }
}
