/// Statistical secrecy (SPEC §3): a distinct-user count under the threshold, and every
/// rate computed from it, is shown as `< N` instead of its value.
public enum Suppression {
    /// True when a distinct-user count must be hidden. Zero reveals nobody and is shown.
    public static func isSmall(_ count: Int, minCell: Int) -> Bool {
        minCell > 0 && count > 0 && count < minCell
    }
}
