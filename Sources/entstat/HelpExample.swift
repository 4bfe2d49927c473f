/// A command line of a `--help` page's examples, laid out so that a copy of it runs: cut at
/// spaces as `HelpPage` cuts prose, it made two broken commands (`entstat report … --epci
/// "CA Amiens` then `Métropole" --published-with …`).
///
/// A shell command (an indented line that starts with `entstat`, or continues one that
/// ended with ` \`) too long for the terminal is cut before its options when it can (an
/// option stays with its value, a quoted word is never cut), each line but the last ended
/// with ` \`, the next ones indented two columns deeper than the command; a command that
/// fits is left as written. A crontab line (five time fields, then `entstat`) is never cut:
/// cron cannot continue a line, and the terminal wraps it without breaking it.
enum HelpExample: Equatable {
    /// A shell command: cut with ` \` continuations.
    case command
    /// A crontab line: never cut.
    case crontab

    /// The indentation of an example's line: examples are set in from the prose.
    static let minimumIndent = 2

    /// What `line` is, if an example's; `continuing` when the line before ended a command's
    /// line with ` \`.
    static func kind(of line: Substring, continuing: Bool) -> HelpExample? {
        let leading = line.prefix { $0 == " " }.count
        guard leading >= minimumIndent else { return nil }
        if continuing { return .command }
        let fields = line.split(separator: " ")
        if fields.first == "entstat" { return .command }
        let timeField: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { "0123456789*/,-".contains($0) } }
        if fields.count > 5, fields.prefix(5).allSatisfy(timeField), fields[5] == "entstat" { return .crontab }
        return nil
    }

    /// The words of a command, cut at the spaces outside quotes (`"CA Amiens Métropole"`
    /// is one word).
    static func words(_ text: Substring) -> [Substring] {
        var words: [Substring] = []
        var start: Substring.Index?
        var quote: Character?
        for i in text.indices {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == " " {
                if let s = start { words.append(text[s..<i]); start = nil }
                continue
            } else if c == "\"" || c == "'" {
                quote = c
            }
            if start == nil { start = i }
        }
        if let s = start { words.append(text[s...]) }
        return words
    }

    /// `line`, a shell command's, in lines of at most `columns` characters where its words
    /// allow (a word longer stays whole), each but the last ending with ` \`.
    static func wrap(_ line: Substring, columns: Int) -> [Substring] {
        guard line.count > columns else { return [line] }
        let leading = line.prefix { $0 == " " }.count
        var words = Self.words(line.dropFirst(leading))
        // A line already continued keeps its ` \` on its last piece.
        let continued = words.last == "\\"
        if continued { words.removeLast() }
        // The command's next lines are set in by two; a line that continues one already is.
        let indent = words.first == "entstat" ? leading + 2 : leading
        var out: [Substring] = []
        var i = 0
        while i < words.count {
            let prefix = String(repeating: " ", count: out.isEmpty ? leading : indent)
            let rest = words[i...].joined(separator: " ")
            if prefix.count + rest.count + (continued ? 2 : 0) <= columns {
                out.append(Substring(prefix + rest + (continued ? " \\" : "")))
                break
            }
            // As many words as fit before the ` \`, at least one; then back to the last
            // option among them, if one follows the first word, so as not to part an
            // option from its value.
            var end = i + 1, length = prefix.count + words[i].count
            while end < words.count, length + 1 + words[end].count + 2 <= columns {
                length += 1 + words[end].count
                end += 1
            }
            if end < words.count, let option = (i + 1...end).last(where: { words[$0].hasPrefix("-") }) {
                end = option
            }
            out.append(Substring(prefix + words[i..<end].joined(separator: " ") + " \\"))
            i = end
        }
        return out
    }
}
