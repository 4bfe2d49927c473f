/// Counts in French sentences.
extension Console {
    /// `n` with thousands separators and the word that goes with it: singular for 0 and 1,
    /// plural from 2 on, as French has it (« 0 ligne », « 1 ligne », « 2 lignes »).
    /// `plural` defaults to the singular with an « s ».
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number(n)) \(abs(n) >= 2 ? plural ?? singular + "s" : singular)"
    }
}
