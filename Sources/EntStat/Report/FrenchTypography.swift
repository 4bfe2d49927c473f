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

    private static func typeset(_ text: String, skippingTags: Bool, narrow: Unicode.Scalar) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var inTag = false
        for (i, c) in scalars.enumerated() {
            if inTag {
                if c == ">" { inTag = false }
                out.append(c)
                continue
            }
            if skippingTags && c == "<" { inTag = true; out.append(c); continue }
            guard c == " " else { out.append(c); continue }
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            let previous = i > 0 ? scalars[i - 1] : " "
            switch next {
            case ":": out.append(noBreak)
            case ";", "?", "!", "%", "»": out.append(narrow)
            default:
                if previous == "«" {
                    out.append(narrow)
                } else if next == "h", previous.properties.numericType != nil, isHourEnd(i + 2, in: scalars) {
                    out.append(noBreak)
                } else if next.properties.numericType != nil, follows(lessThanEntity, at: i, in: scalars) {
                    out.append(noBreak)
                } else if !skippingTags, previous == "<", i < 2 || scalars[i - 2] == " " || scalars[i - 2] == narrow || scalars[i - 2] == "«" {
                    // A help page's « < N », « < 5 »: a lone `<` keeps what it bounds.
                    out.append(noBreak)
                } else {
                    out.append(c)
                }
            }
        }
        return String(out)
    }

    /// `<` as the page's text writes it (`HTMLText.escape`).
    private static let lessThanEntity = Array("&lt;".unicodeScalars)

    /// True when `scalars` hold `entity` just before `index`.
    private static func follows(_ entity: [Unicode.Scalar], at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        index >= entity.count && Array(scalars[(index - entity.count)..<index]) == entity
    }

    /// True when an hour's `h` ends at `index` (what follows is no letter).
    private static func isHourEnd(_ index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        index >= scalars.count || !scalars[index].properties.isAlphabetic
    }
}
