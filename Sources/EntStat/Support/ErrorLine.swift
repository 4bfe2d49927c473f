/// The one-line error of the tool (SPEC §3): the file, the place in it, then what went
/// wrong and what to do, as `FILE: PLACE : MESSAGE`. The place is `ligne N`, `octet N`,
/// or `-` when the message is about the file as a whole (a missing file, a store that
/// cannot be opened). Every error type words its line through here, so that a script
/// reading standard error finds the three fields the same way whatever failed.
public enum ErrorLine {
    /// The place of a message about a whole file.
    public static let wholeFile = "-"

    /// `FILE: PLACE : MESSAGE`.
    public static func format(_ file: String, _ place: String, _ message: String) -> String {
        "\(file): \(place) : \(message)"
    }

    /// `FILE: - : MESSAGE`, for a message about the file as a whole.
    public static func format(_ file: String, _ message: String) -> String {
        format(file, wholeFile, message)
    }

    /// The place of byte `offset` of `text` as a line: `ligne N` (1-based), as an editor
    /// shows it. `offset` past the end names the last line.
    public static func line(ofByte offset: Int, in text: String) -> String {
        var line = 1
        for byte in text.utf8.prefix(max(0, offset)) where byte == UInt8(ascii: "\n") { line += 1 }
        return "ligne \(line)"
    }
}
