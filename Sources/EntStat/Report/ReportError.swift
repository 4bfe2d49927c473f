/// A report that cannot be produced, with what to do about it.
public struct ReportError: Error, CustomStringConvertible {
    /// The file the error is about: the store, or the query file at fault.
    public let file: String
    /// What is wrong and what to do, in French.
    public let message: String

    /// An error about `file` as a whole.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// The one-line error, `FILE: - : MESSAGE` (`ErrorLine`).
    public var description: String { ErrorLine.format(file, message) }
}
