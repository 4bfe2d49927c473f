/// Which rows of a person's period a reader wants, by which of source and feature is '*'.
struct PeriodRowClasses: OptionSet, Sendable {
    let rawValue: UInt8
    /// source = '*' AND feature = '*'.
    static let total = PeriodRowClasses(rawValue: 1)
    /// feature = '*' AND source != '*'.
    static let bySource = PeriodRowClasses(rawValue: 2)
    /// source = '*' AND feature != '*'.
    static let byFeature = PeriodRowClasses(rawValue: 4)
    /// source != '*' AND feature != '*'.
    static let bySourceFeature = PeriodRowClasses(rawValue: 8)
    static let all: PeriodRowClasses = [.total, .bySource, .byFeature, .bySourceFeature]

    /// The class of a row with these source and feature.
    @inline(__always)
    static func of(source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer) -> PeriodRowClasses {
        switch (PackedPeriodRow.isStar(source), PackedPeriodRow.isStar(feature)) {
        case (true, true): return .total
        case (false, true): return .bySource
        case (true, false): return .byFeature
        case (false, false): return .bySourceFeature
        }
    }

    /// The one class whose source is '*' or not and whose feature is '*' or not.
    static func of(hasSource: Bool, hasFeature: Bool) -> PeriodRowClasses {
        switch (hasSource, hasFeature) {
        case (false, false): return .total
        case (true, false): return .bySource
        case (false, true): return .byFeature
        case (true, true): return .bySourceFeature
        }
    }
}
