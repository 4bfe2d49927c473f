/// Namespace of the entstat library.
public enum EntStat {
    /// The tool's version, printed by `entstat --version`.
    public static let version = "0.1.0"
}
