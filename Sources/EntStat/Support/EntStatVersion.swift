/// The version of the entstat library and command, printed by `entstat --version`.
public enum EntStatVersion {
    public static let current = "0.1.0"
}
