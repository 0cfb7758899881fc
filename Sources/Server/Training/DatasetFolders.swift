import Foundation
import Pix2Pix

/// One dataset the dashboard offers: a folder under the data root that holds pictures.
struct DatasetInfo: Codable, Sendable, Equatable {
    /// Path relative to the data root; what `POST /api/train/start` takes as `dataset`.
    let name: String
    /// PNG/JPEG files under it (recursively).
    let pictures: Int
    /// With `train/` and `val/` subfolders: the files in each (they are the split).
    let train: Int?
    let validation: Int?
    /// Without them: how many of the pictures `ValidationSplit`'s hash holds out for validation.
    var heldOut: Int? = nil
}

/// The data root and the dataset folders under it. Every path a client names is resolved
/// (symlinks included) and must stay inside the resolved root, so neither `..`, an absolute
/// path nor a symlink pointing elsewhere can make the server read outside it.
struct DatasetFolders: Sendable {
    /// The data root as configured.
    let root: String

    /// The root with symlinks resolved, or nil when it does not exist.
    var resolvedRoot: String? { Self.realPath(root) }

    /// The datasets: every direct subfolder of the root (hidden ones skipped) with at least one
    /// picture, sorted by name.
    func list() -> [DatasetInfo] {
        guard let root = resolvedRoot,
            let names = try? FileManager.default.contentsOfDirectory(atPath: root)
        else { return [] }
        return names.sorted().compactMap { name -> DatasetInfo? in
            guard !name.hasPrefix("."), let folder = try? resolve(name), folder.hasPrefix(root + "/") else { return nil }
            let files = ImageFolder.listPictures(under: folder)
            let pictures = files.count
            guard pictures > 0 else { return nil }
            if Self.isFolder("\(folder)/train") {
                return DatasetInfo(
                    name: name, pictures: pictures, train: ImageFolder.listPictures(under: "\(folder)/train").count,
                    validation: ImageFolder.listPictures(under: "\(folder)/val").count)
            }
            let heldOut = ValidationSplit.heldOutCount(files)
            return DatasetInfo(name: name, pictures: pictures, train: nil, validation: nil, heldOut: heldOut)
        }
    }

    /// The absolute, resolved folder of dataset `name` (a path relative to the root).
    /// - Throws: 400 naming `dataset` when the name is malformed, leaves the root, or is not
    ///   a folder with pictures.
    func resolve(_ name: String) throws(APIError) -> String {
        guard !name.isEmpty, name.utf8.count <= 512 else { throw .badField("dataset", "must be a folder name under the data root") }
        guard !name.hasPrefix("/"), !name.contains("\0"), !name.contains("\\") else {
            throw .badField("dataset", "must be a path relative to the data root")
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
            throw .badField("dataset", "may not contain . or .. segments")
        }
        guard let root = resolvedRoot else { throw .badField("dataset", "the data root \(self.root) does not exist") }
        guard let folder = Self.realPath("\(root)/\(parts.joined(separator: "/"))") else {
            throw .badField("dataset", "no folder \"\(name)\" under the data root")
        }
        guard folder.hasPrefix(root + "/") else { throw .badField("dataset", "leaves the data root") }
        guard Self.isFolder(folder) else { throw .badField("dataset", "\"\(name)\" is not a folder") }
        return folder
    }

    /// Checks that a stored dataset path (from a run's config) lies under the root.
    func contains(path: String) -> Bool {
        guard let root = resolvedRoot, let resolved = Self.realPath(path) else { return false }
        return resolved.hasPrefix(root + "/")
    }

    /// The dataset name (relative to the root) of a resolved path, or its last component.
    func displayName(of path: String) -> String {
        if let root = resolvedRoot, let resolved = Self.realPath(path), resolved.hasPrefix(root + "/") {
            return String(resolved.dropFirst(root.count + 1))
        }
        return (path as NSString).lastPathComponent
    }

    /// `realpath(3)`: absolute, symlinks and `..` resolved; nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
