import Foundation

/// Finds the repository folders the server reads (`Public/`, `templates/`) so that both
/// `swift run tinct serve` and `.build/release/tinct serve` work from the repository root,
/// and an installed binary works when started from elsewhere inside the checkout.
///
/// Candidates, in order: the current directory and its parents, then the executable's folder
/// and its parents (an executable lives at `.build/<triple>/<configuration>/tinct`); under
/// each, the folder itself and `share/tinct/<folder>`, where `make install PREFIX=…` puts it
/// beside `PREFIX/bin/tinct`.
public struct ResourceLocator: Sendable {
    /// Directories searched, nearest first.
    public let searchRoots: [String]

    /// Where `make install` puts the resource folders, relative to its PREFIX.
    public static let installedFolder = "share/tinct"

    /// How many parent folders above each starting point are searched.
    static let maximumParentDepth = 5

    /// Creates a locator starting from the given directories.
    public init(currentDirectory: String, executableDirectory: String?) {
        var roots: [String] = []
        for start in [currentDirectory, executableDirectory].compactMap({ $0 }) {
            var url = URL(fileURLWithPath: start, isDirectory: true).standardizedFileURL
            for _ in 0...Self.maximumParentDepth {
                if !roots.contains(url.path) { roots.append(url.path) }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        self.searchRoots = roots
    }

    /// A locator for this process: the working directory and the running executable's folder
    /// (symlinks resolved, so a linked `tinct` still finds its checkout).
    public static func forCurrentProcess() -> ResourceLocator {
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath()
        return ResourceLocator(
            currentDirectory: FileManager.default.currentDirectoryPath,
            executableDirectory: executable?.deletingLastPathComponent().path
        )
    }

    /// Returns the absolute path of the first folder named `name` under a search root for which
    /// `accept` holds (a generic name like `models` may also be some other folder of that name).
    /// - Throws: `ResourceLocatorError.notFound` listing every place looked at.
    public func locateDirectory(named name: String, where accept: (String) -> Bool = { _ in true }) throws -> String {
        let searched = searchRoots.flatMap { root in
            let url = URL(fileURLWithPath: root, isDirectory: true)
            return [url.appendingPathComponent(name).path, url.appendingPathComponent(Self.installedFolder).appendingPathComponent(name).path]
        }
        for candidate in searched where Self.isDirectory(candidate) && accept(candidate) {
            return candidate
        }
        throw ResourceLocatorError.notFound(name: name, searched: searched)
    }

    /// Returns `path` made absolute (against the current directory) after checking it is a folder.
    /// - Throws: `ResourceLocatorError.overrideMissing` when it is not.
    public static func existingDirectory(_ path: String, option: String) throws -> String {
        let absolute = absolutePath(path)
        guard isDirectory(absolute) else { throw ResourceLocatorError.overrideMissing(option: option, path: absolute) }
        return absolute
    }

    /// `path` made absolute against the current directory, with `.` and `..` folded away.
    public static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL.path
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Why the server's resource folders could not be found.
public enum ResourceLocatorError: Error, Equatable, CustomStringConvertible {
    /// No folder called `name` exists under any search root.
    case notFound(name: String, searched: [String])
    /// A folder given on the command line does not exist.
    case overrideMissing(option: String, path: String)

    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            "Could not find the '\(name)' folder. Run tinct from the repository root, or pass the folder with --public or --templates. Looked in:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n")
        case .overrideMissing(let option, let path):
            "\(option) \(path): no such folder."
        }
    }
}

extension ServerConfiguration {
    /// Builds a configuration, finding `Public/` and `templates/` with `locator` unless an explicit
    /// path is given. Models and data paths are made absolute against the current directory but
    /// need not exist yet.
    public static func locatingResources(
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicDirectory: String? = nil,
        templatesDirectory: String? = nil,
        modelsDirectory: String = "models",
        dataRoot: String = "data",
        runsDirectory: String = "runs",
        locator: ResourceLocator = .forCurrentProcess()
    ) throws -> ServerConfiguration {
        let publicPath =
            if let publicDirectory {
                try ResourceLocator.existingDirectory(publicDirectory, option: "--public")
            } else {
                try locator.locateDirectory(named: "Public")
            }
        let templatesPath =
            if let templatesDirectory {
                try ResourceLocator.existingDirectory(templatesDirectory, option: "--templates")
            } else {
                try locator.locateDirectory(named: "templates")
            }
        return ServerConfiguration(
            host: host,
            port: port,
            publicDirectory: publicPath,
            templatesDirectory: templatesPath,
            modelsDirectory: ResourceLocator.absolutePath(modelsDirectory),
            dataRoot: ResourceLocator.absolutePath(dataRoot),
            runsDirectory: ResourceLocator.absolutePath(runsDirectory)
        )
    }
}
