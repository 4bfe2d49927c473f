extension FixedWidthInteger {
    /// This mask with each set bit i replaced by `bits[i]`: how a mask whose bits were
    /// numbered in the order their meanings first came (roles, places' roles) is renumbered
    /// into the final order once every meaning is known.
    @inline(__always)
    func renumbered(through bits: [Self]) -> Self {
        var out: Self = 0
        var m = self
        while m != 0 {
            out |= bits[m.trailingZeroBitCount]
            m &= m - 1
        }
        return out
    }
}
