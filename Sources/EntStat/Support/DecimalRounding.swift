/// Rounding of a figure to a number of decimals, half away from zero, as if on the exact
/// quotient it stands for, for the export's rates and the report's numbers
/// (docs/choices.md, "Periods, figures and rounding").
///
/// A rate is a quotient of counts, computed as a `Double` (by entstat or by a query's
/// `1.0 * a / b`), so an exact half often arrives a hair below it: 57/800 = 0.07125 is
/// 712.4999999999999 ten-thousandths, which plain rounding makes 0.0712 where the exact
/// quotient gives 0.0713. A value within a few units in the last place of a half is taken
/// as that half. For a quotient p/q, a value that is not a half is at least 1/(2q) away from
/// one: far more than those few units while p × scale stays under about 10^13, which every
/// count of this tool does at four decimals. Above 2^30 once scaled (no rate, percentage or
/// average of the report comes near), a unit in the last place is no longer negligible
/// against a half, and the value is rounded as it is.
public enum DecimalRounding {
    /// How many units in the last place of the scaled value still count as a half: the
    /// quotient, a scaling by a power of ten, and a percentage's × 100 each round once.
    static let halfTolerance = 8.0

    /// The widest distance from a half that may still be taken for one: beyond it (a
    /// scaled value above 2^30), values are rounded as they are.
    static let widestTolerance = 1e-6

    /// 10^`digits`: the scale of a number written with `digits` decimals.
    public static func scale(digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return scale
    }

    /// `|value| × scale` rounded to an integer, half away from zero, a value within
    /// `halfTolerance` units in the last place of a half rounded up. Not finite for a
    /// value that is not.
    public static func scaledMagnitude(_ value: Double, scale: Double) -> Double {
        let x = abs(value) * scale
        guard x.isFinite else { return x }
        if isHalf(x, within: halfTolerance * x.ulp) { return x.rounded(.down) + 1 }
        return x.rounded(.toNearestOrAwayFromZero)
    }

    /// `x − y`, two rates, set on the exact half of a decimal at any of `scales` when it lies
    /// within the operands' rounding error of one, so that `scaledMagnitude` rounds it as the
    /// exact difference. The difference keeps the errors of both rates, which are many units
    /// in the last place of a small difference: 1 − 769/800 = 0.03875 arrives as
    /// 387.4999999999995 ten-thousandths. `scales`: those it will be written at (the
    /// report: `ReportCell.changeScales`).
    public static func difference(_ x: Double, _ y: Double, scales: [Double]) -> Double {
        let d = x - y
        guard d.isFinite else { return d }
        for scale in scales {
            let s = abs(d) * scale
            if isHalf(s, within: halfTolerance * (max(abs(x), abs(y)) * scale).ulp) {
                return (d < 0 ? -1 : 1) * (s.rounded(.down) + 0.5) / scale
            }
        }
        return d
    }

    /// True when the scaled magnitude `s` lies within `tolerance` of the half above its
    /// integer part, a tolerance wider than `widestTolerance` never holding.
    private static func isHalf(_ s: Double, within tolerance: Double) -> Bool {
        tolerance <= widestTolerance && abs(s - s.rounded(.down) - 0.5) <= tolerance
    }
}
