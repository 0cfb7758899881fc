/// The name and version the server reports at `/api/version`.
public enum TinctVersion {
    /// Product name.
    public static let name = "tinct"
    /// Semantic version of this build.
    public static let version = "0.1.0"
}
