/// A reference file that cannot be loaded at all (missing columns, unreadable).
public struct ReferenceError: Error, CustomStringConvertible {
    public let file: String
    /// `ligne N`, `octet N`, or `-` for the file as a whole.
    public let place: String
    public let message: String
    public var description: String { ErrorLine.format(file, place, message) }

    public init(file: String, place: String = ErrorLine.wholeFile, message: String) {
        self.file = file
        self.place = place
        self.message = message
    }
}
