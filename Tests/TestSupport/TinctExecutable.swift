import Foundation

/// The `tinct` executable tests run as a process of its own: `$TINCT_BINARY` when set (e.g. the
/// release build), else the one SwiftPM builds beside this test bundle (`swift test` and
/// `swift build --build-tests` build it in the same scratch path, e.g. `.build/debug/`), found
/// from this process's own path so any `--scratch-path` works.
public enum TinctExecutable {
    public static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["TINCT_BINARY"] { return URL(fileURLWithPath: path) }
        let bundle =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: CommandLine.arguments[0])
        // Linux: <scratch>/<triple>/debug/tinctPackageTests.xctest; macOS: …/debug/tinctPackageTests.xctest/Contents/MacOS/….
        var bundleFolder = bundle
        while bundleFolder.path != "/", !bundleFolder.lastPathComponent.hasSuffix(".xctest") {
            bundleFolder = bundleFolder.deletingLastPathComponent()
        }
        let products = bundleFolder.path == "/" ? bundle.deletingLastPathComponent() : bundleFolder.deletingLastPathComponent()
        return products.appendingPathComponent("tinct")
    }()

    /// The executable's path, or nil when it has not been built.
    public static var path: String? { FileManager.default.isExecutableFile(atPath: url.path) ? url.path : nil }
}
