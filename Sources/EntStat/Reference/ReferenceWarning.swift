/// A problem in a reference file that does not stop the load (the row is loaded as well as
/// it can be, or skipped, as the message says).
public struct ReferenceWarning: Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { ErrorLine.format(file, "ligne \(line)", message) }
}
