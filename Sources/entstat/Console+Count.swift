import EntStat

/// Counts in French sentences.
extension Console {
    /// `n` with thousands separators and the word that goes with it (`FrenchText.count`).
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        FrenchText.count(n, singular, plural)
    }
}
