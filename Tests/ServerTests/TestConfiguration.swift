import Foundation
import Server
import TestSupport
import Testing

/// Where the real `Public/` and `templates/` live, found from this file's path so tests do not
/// depend on the working directory: the repository root is three levels up.
enum TestConfiguration {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ServerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    /// The repository's own folders, on a port the OS picks; training runs start the `tinct`
    /// built beside this test bundle.
    static func server(templatesDirectory: String? = nil) -> ServerConfiguration {
        ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            publicDirectory: repositoryRoot.appendingPathComponent("Public").path,
            templatesDirectory: templatesDirectory ?? repositoryRoot.appendingPathComponent("templates").path,
            modelsDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("tinct-test-models").path,
            dataRoot: FileManager.default.temporaryDirectory.appendingPathComponent("tinct-test-data").path,
            trainingWorker: tinctExecutable
        )
    }

    /// Records a failure (never a skip) when the `tinct` executable training runs start is
    /// missing: those tests cannot mean anything without it.
    static func requireTinctExecutable() {
        if !FileManager.default.isExecutableFile(atPath: tinctExecutable.path) {
            Issue.record(
                """
                The tinct executable is missing at \(tinctExecutable.path): training runs start it as a process of \
                their own. `swift test` builds it; with `swift build --build-tests`, build the whole package.
                """)
        }
    }

    /// The `tinct` executable training runs start (TestSupport).
    static var tinctExecutable: URL { TinctExecutable.url }
}
