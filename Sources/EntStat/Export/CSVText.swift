/// CSV cell encoding: RFC 4180 quoting, and neutralisation of input text that a
/// spreadsheet would take for a formula (SPEC §4).
public enum CSVText {
    /// A text cell that came from an input: a leading `=`, `+`, `-`, `@`, tab or carriage
    /// return gets a `'` in front, so spreadsheets show it as text.
    public static func neutralized(_ text: String) -> String {
        let text = BidiControls.removed(from: text)
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + text
        default: return text
        }
    }

    /// Quotes a field when it holds the separator, a quote or a line break.
    public static func quoted(_ field: String, separator: Character = ",") -> String {
        // Scalars, not Characters: "\r\n" and a quote followed by a combining accent are
        // single Characters that a Character comparison would miss.
        let sep = separator.unicodeScalars.first!
        guard field.unicodeScalars.contains(where: { $0 == sep || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        var out = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { out.unicodeScalars.append("\"") }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    /// One CSV line (without its line break).
    public static func line(_ fields: [String], separator: Character = ",") -> String {
        fields.map { quoted($0, separator: separator) }.joined(separator: String(separator))
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}
