#if canImport(Glibc)
import Glibc
#endif
import EntStat

/// A `--help` page as printed: ArgumentParser's text rendered without wrapping, its
/// headings and stock lines in French (`ParserMessage.frenchHelp`), typeset as the report
/// (`FrenchTypography`: the space before « : ; ? ! % », inside guillemets and of an hour
/// made a no-break space), then wrapped to the
/// terminal's width as ArgumentParser wraps (at spaces; an option's description under its
/// column), one column short of it, as the progress line. ArgumentParser cuts at any space,
/// so its lines could start with « : » or end with « « ».
///
/// The terminal gets U+00A0 for every such space (the report's narrow one, U+202F, is
/// missing from many terminal fonts).
///
/// An example's command line is cut otherwise, so that it still runs when copied
/// (`HelpExample`): each of its lines but the last ends with ` \`, the next indented; a
/// crontab line, which cron cannot continue, is never cut.
enum HelpPage {
    /// The width to give ArgumentParser so that it wraps nothing.
    static let unwrapped = 1_000_000

    /// The column where ArgumentParser starts the description of an option, an argument or
    /// a subcommand (its label column is 26 wide).
    static let descriptionColumn = 26

    /// ArgumentParser's headings of the sections whose rows are a label and its
    /// description (as `ParserMessage.frenchHelp` and the typography leave them).
    static let labelledHeadings: Set<String> = ["ARGUMENTS\u{00A0}:", "OPTIONS\u{00A0}:", "SOUS-COMMANDES\u{00A0}:"]

    /// The page to print for ArgumentParser's unwrapped text, `columns` wide.
    static func render(_ unwrappedText: String, columns: Int) -> String {
        let text = FrenchTypography.apply(toPlainText: ParserMessage.frenchHelp(unwrappedText), narrow: "\u{00A0}")
        var inLabelledRows = false
        var inCommand = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // An example's command line: cut, it must still run when copied (`HelpExample`).
            let example = HelpExample.kind(of: line, continuing: inCommand)
            inCommand = example == .command && line.hasSuffix(" \\")
            if let example {
                lines += example == .command ? HelpExample.wrap(line, columns: columns - 1) : [line]
                continue
            }
            // A heading such as « OPTIONS : » starts a section; a blank line ends it.
            if line.isEmpty { inLabelledRows = false }
            if let first = line.first, first != " ", line.hasSuffix(":") {
                inLabelledRows = Self.labelledHeadings.contains(String(line))
            }
            // The usage line is not wrapped by ArgumentParser either.
            if line.hasPrefix("UTILISATION\u{00A0}: ") {
                lines.append(line)
                continue
            }
            let leading = line.prefix { $0 == " " }.count
            let indent = inLabelledRows && leading < descriptionColumn && line.count > descriptionColumn ? descriptionColumn : leading
            lines += wrap(line, columns: columns - 1, indent: indent)
        }
        return lines.joined(separator: "\n")
    }

    /// `line` cut at spaces into lines of at most `columns` characters (a word longer than
    /// that stays whole), every line after the first indented by `indent` spaces. No cut
    /// falls before `indent` in the first line (an option's label and its padding).
    static func wrap(_ line: Substring, columns: Int, indent: Int) -> [Substring] {
        guard line.count > columns else { return [line] }
        var out: [Substring] = []
        var rest = line
        var prefix = ""
        var skip = min(indent, line.count)
        while true {
            let room = max(1, columns - prefix.count)
            if rest.count <= room {
                out.append(Substring(prefix + rest))
                return out
            }
            let searched = rest.index(rest.startIndex, offsetBy: min(skip, room))
            let limit = rest.index(rest.startIndex, offsetBy: room)
            let cut = rest[searched...limit].lastIndex(of: " ") ?? rest[limit...].firstIndex(of: " ")
            guard let cut else {
                out.append(Substring(prefix + rest))
                return out
            }
            // A cut inside a run of spaces (an aligned table) leaves none at the line's end.
            var piece = rest[..<cut]
            while piece.last == " " { piece.removeLast() }
            out.append(Substring(prefix + piece))
            rest = rest[rest.index(after: cut)...].drop { $0 == " " }
            if rest.isEmpty { return out }
            prefix = String(repeating: " ", count: indent)
            skip = 0
        }
    }

    /// The narrowest width ArgumentParser's help layout accepts: wider than the option
    /// column (26) and its continuation lines' indent (28). Narrower, it stops a debug build.
    static let narrowestForArgumentParser = 40

    /// The terminal's width as ArgumentParser finds it: `COLUMNS`, else the width of the
    /// terminal on standard output, else 80.
    static var terminalColumns: Int {
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 { return columns }
        return Console.terminalColumns(of: 1)
    }
}
