import Foundation
import Server

/// Where the real `Public/` and `templates/` live, found from this file's path so tests do not
/// depend on the working directory: the repository root is three levels up.
enum TestConfiguration {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ServerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    /// The repository's own folders, on a port the OS picks.
    static func server(templatesDirectory: String? = nil) -> ServerConfiguration {
        ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            publicDirectory: repositoryRoot.appendingPathComponent("Public").path,
            templatesDirectory: templatesDirectory ?? repositoryRoot.appendingPathComponent("templates").path,
            modelsDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("tinct-test-models").path,
            dataRoot: FileManager.default.temporaryDirectory.appendingPathComponent("tinct-test-data").path
        )
    }
}
