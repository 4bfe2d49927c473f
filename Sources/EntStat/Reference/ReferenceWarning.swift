/// A problem in a reference file that does not stop the load (the row is loaded as well as
/// it can be, or skipped, as the message says).
public struct ReferenceWarning: Sendable, CustomStringConvertible {
    /// The reference file.
    public let file: String
    /// The line of the row, from 1.
    public let line: Int
    /// What was wrong and what was done with the row, in French.
    public let message: String
    /// The one-line warning, `FILE: ligne N : MESSAGE` (`ErrorLine`).
    public var description: String { ErrorLine.format(file, "ligne \(line)", message) }
}
