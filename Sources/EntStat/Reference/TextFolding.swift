/// Case- and accent-insensitive keys for the few words the tool recognises (roles, levels).
public enum TextFolding {
    /// Lowercases, strips French diacritics and surrounding spaces: `Élève ` → `eleve`.
    public static func fold(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "à", "â", "ä", "À", "Â", "Ä": out.append("a")
            case "é", "è", "ê", "ë", "É", "È", "Ê", "Ë": out.append("e")
            case "î", "ï", "Î", "Ï": out.append("i")
            case "ô", "ö", "Ô", "Ö": out.append("o")
            case "ù", "û", "ü", "Ù", "Û", "Ü": out.append("u")
            case "ç", "Ç": out.append("c")
            case "\u{301}", "\u{300}", "\u{302}", "\u{308}", "\u{327}": continue  // combining marks
            default: out.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            }
        }
        return out.trimmed()
    }
}
