/// A reference file that cannot be loaded at all (missing columns, unreadable).
public struct ReferenceError: Error, CustomStringConvertible {
    /// The file the error is about.
    public let file: String
    /// `ligne N`, `octet N`, or `-` for the file as a whole.
    public let place: String
    /// What is wrong and what to do, in French.
    public let message: String
    /// The one-line error, `FILE: PLACE : MESSAGE` (`ErrorLine`).
    public var description: String { ErrorLine.format(file, place, message) }

    /// An error about `file` at `place` (by default the file as a whole).
    public init(file: String, place: String = ErrorLine.wholeFile, message: String) {
        self.file = file
        self.place = place
        self.message = message
    }
}
