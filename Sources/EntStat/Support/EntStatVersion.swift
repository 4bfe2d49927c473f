/// The version of the entstat library and command, printed by `entstat --version`.
public enum EntStatVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
