/// Escaping of text placed in HTML or SVG: every `&`, `<`, `>`, `"` and `'` becomes an
/// entity, so that a school named `<script>` is shown, never run; direction controls are
/// dropped (`BidiControls`), so that a name cannot reorder the text around it.
public enum HTMLText {
    /// `text` with those five characters made entities and its direction controls dropped.
    public static func escape(_ text: String) -> String {
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
}
