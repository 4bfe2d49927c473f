/// One cell of a report table, typed so that formatting and statistical secrecy know what
/// it holds.
public enum ReportCell: Sendable, Hashable {
    /// Whether a count, rate or change is shown, and why not.
    public enum Secrecy: Sendable, Hashable {
        /// Shown as it is.
        case shown
        /// A distinct-user count from 1 to the threshold minus one, or a rate or change
        /// computed from one: shown as `< 5` (SPEC §3).
        case small
        /// A count hidden although it is not small, so that a small one cannot be
        /// recomputed by difference (or a rate or change computed from it): shown as `s`,
        /// never as `< 5`, which would be false.
        case complement
    }

    /// Text (labels, names from inputs: always escaped in HTML, neutralised in CSV).
    case text(String)
    /// An ordinal or identifier that is not a count (hour, weekday).
    case ordinal(Int)
    /// A distinct-user (or account) count: subject to the small-cell rule.
    case users(Int, secrecy: Secrecy)
    /// A volume (connections, requests, files). Visits and requests are hidden with the
    /// group they belong to (`ReportSuppression`, step 5); other volumes never are.
    case volume(Double, secrecy: Secrecy)
    /// A fraction (rate, share); nil when its denominator is zero.
    case rate(Double?, secrecy: Secrecy)
    /// A signed difference of two user counts or rates; suppressed with either side. A
    /// difference of two rates within their rounding error of the half of a decimal it is
    /// written at is set on that half (`DecimalRounding.difference` at `changeScales`).
    case change(Double?, isRate: Bool, secrecy: Secrecy)
    /// No value.
    case empty

    /// True when the cell hides its value.
    public var isSuppressed: Bool { secrecy != .shown }

    /// The scales the change of a rate is written at: `ReportCSV.rateDigits` decimals of a
    /// fraction, `ReportHTML.percentDigits` decimals of a point.
    public static let changeScales = [DecimalRounding.scale(digits: ReportCSV.rateDigits),
                                      DecimalRounding.scale(digits: ReportHTML.percentDigits + 2)]

    /// Whether the cell is shown, and why not (`.shown` for cells never hidden).
    public var secrecy: Secrecy {
        switch self {
        case .users(_, let s), .rate(_, let s), .change(_, _, let s), .volume(_, let s): return s
        default: return .shown
        }
    }

    /// The value of a count, 0 otherwise.
    public var count: Int {
        if case .users(let n, _) = self { return n }
        if case .volume(let v, _) = self { return Int(v) }
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
        case .users(let n, let s): return s != .shown ? nil : Double(n)
        case .volume(let v, let s): return s != .shown ? nil : v
        case .rate(let v, let s): return s != .shown ? nil : v
        case .ordinal(let n): return Double(n)
        case .change(let v, _, let s): return s != .shown ? nil : v
        default: return nil
        }
    }
}
