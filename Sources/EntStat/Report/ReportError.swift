/// A report that cannot be produced, with what to do about it.
public struct ReportError: Error, CustomStringConvertible {
    public let file: String
    public let message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { ErrorLine.format(file, message) }
}
