/// Unicode's explicit direction controls: marks, embeddings, overrides and isolates. In a
/// name that came from an input they reorder what a reader sees around them (a commune
/// named `Hameau` + U+202E + `lirva` would show the INSEE code after it reversed), so the
/// report drops them from every text it writes (`HTMLText.escape`, `CSVText.neutralized`).
enum BidiControls {
    /// True for U+200E, U+200F, U+061C, U+202A–U+202E and U+2066–U+2069.
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The text without its direction controls.
    static func removed(from text: String) -> String {
        guard text.unicodeScalars.contains(where: contains) else { return text }
        var out = ""
        out.unicodeScalars.append(contentsOf: text.unicodeScalars.filter { !contains($0) })
        return out
    }
}
