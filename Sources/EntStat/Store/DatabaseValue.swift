/// A value bound to a statement parameter.
public enum DatabaseValue: Sendable, Equatable {
    /// SQL NULL.
    case null
    /// An SQLite INTEGER.
    case integer(Int64)
    /// An SQLite REAL.
    case real(Double)
    /// An SQLite TEXT.
    case text(String)
    /// An SQLite BLOB.
    case blob([UInt8])
}

extension DatabaseValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// An integer literal, as `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A string literal, as `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension DatabaseValue {
    /// An `Int`, as `.integer`.
    public static func int(_ v: Int) -> DatabaseValue { .integer(Int64(v)) }
}
