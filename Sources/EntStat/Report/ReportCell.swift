/// One cell of a report table, typed so that formatting and statistical secrecy know what
/// it holds.
public enum ReportCell: Sendable, Hashable {
    /// Text (labels, names from inputs: always escaped in HTML, neutralised in CSV).
    case text(String)
    /// An ordinal or identifier that is not a count (hour, weekday).
    case ordinal(Int)
    /// A distinct-user (or account) count: subject to the small-cell rule.
    case users(Int, suppressed: Bool)
    /// A volume (connections, requests, files): never suppressed.
    case volume(Double)
    /// A fraction (rate, share); nil when its denominator is zero.
    case rate(Double?, suppressed: Bool)
    /// A signed difference of two user counts or rates; suppressed with either side.
    case change(Double?, isRate: Bool, suppressed: Bool)
    /// No value.
    case empty

    /// True when the cell hides its value.
    public var isSuppressed: Bool {
        switch self {
        case .users(_, let s), .rate(_, let s), .change(_, _, let s): return s
        default: return false
        }
    }

    /// The value of a count, 0 otherwise.
    public var count: Int {
        if case .users(let n, _) = self { return n }
        if case .volume(let v) = self { return Int(v) }
        if case .ordinal(let n) = self { return n }
        return 0
    }

    /// The text of a text cell, "" otherwise.
    public var textValue: String {
        if case .text(let t) = self { return t }
        return ""
    }

    /// The numeric value, when shown.
    public var number: Double? {
        switch self {
        case .users(let n, let s): return s ? nil : Double(n)
        case .volume(let v): return v
        case .rate(let v, let s): return s ? nil : v
        case .ordinal(let n): return Double(n)
        case .change(let v, _, let s): return s ? nil : v
        default: return nil
        }
    }
}
