/// Rounding of a figure to a number of decimals, half away from zero, as if on the exact
/// quotient it stands for, for the export's rates and the report's numbers (README
/// "Limits and choices").
///
/// A rate is a quotient of counts, computed as a `Double` (by entstat or by a query's
/// `1.0 * a / b`), so an exact half often arrives a hair below it: 57/800 = 0.07125 is
/// 712.4999999999999 ten-thousandths, which plain rounding makes 0.0712 where the exact
/// quotient gives 0.0713. A value within a few units in the last place of a half is taken
/// as that half. For a quotient p/q, a value that is not a half is at least 1/(2q) away from
/// one, far more than those few units for any count this tool holds (q up to about 10^10
/// at four decimals), so no other value changes.
public enum DecimalRounding {
    /// How many units in the last place of the scaled value still count as a half: the
    /// quotient, a scaling by a power of ten, and a percentage's × 100 each round once.
    static let halfTolerance = 8.0

    /// `|value| × scale` rounded to an integer, half away from zero, a value within
    /// `halfTolerance` units in the last place of a half rounded up. Not finite for a
    /// value that is not.
    public static func scaledMagnitude(_ value: Double, scale: Double) -> Double {
        let x = abs(value) * scale
        guard x.isFinite else { return x }
        let below = x.rounded(.down)
        if abs(x - below - 0.5) <= halfTolerance * x.ulp { return below + 1 }
        return x.rounded(.toNearestOrAwayFromZero)
    }
}
