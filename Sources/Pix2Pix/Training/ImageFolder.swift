import Foundation
import ImageCodecs

/// Pictures found under a folder (recursively), decoded once and kept in memory at a bounded
/// size. Unreadable or corrupt files are skipped and reported, never fatal.
public struct ImageFolder: Sendable {
    public struct Skipped: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public let root: String
    /// Paths relative to `root`, sorted, one per kept picture.
    public let names: [String]
    public let images: [RGBImage]
    public let skipped: [Skipped]

    public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Every picture file under `root`, sorted by relative path. A file that is a link to
    /// somewhere outside `root` (its resolved path leaves the resolved root) is not listed:
    /// a dataset folder must not become a way to read other files of the machine.
    public static func listPictures(under root: String) -> [String] {
        listing(under: root).inside
    }

    /// The picture files under `root` that stay inside it, and those that link out of it.
    static func listing(under root: String) -> (inside: [String], leaving: [String]) {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return ([], []) }
        let resolvedRoot = (root as NSString).resolvingSymlinksInPath
        var inside: [String] = []
        var leaving: [String] = []
        while let relative = walker.nextObject() as? String {
            guard extensions.contains((relative as NSString).pathExtension.lowercased()) else { continue }
            if isInside(resolvedRoot, "\(root)/\(relative)") { inside.append(relative) } else { leaving.append(relative) }
        }
        return (inside.sorted(), leaving.sorted())
    }

    /// Whether `path`, links resolved, lies under the already resolved `root`.
    /// `count` of `names` at evenly spaced positions (all of them when there are no more).
    public static func spread(_ names: [String], count: Int) -> [String] {
        guard count < names.count else { return names }
        guard count > 0 else { return [] }
        return (0..<count).map { names[$0 * names.count / count] }
    }

    static func isInside(_ resolvedRoot: String, _ path: String) -> Bool {
        let resolved = (path as NSString).resolvingSymlinksInPath
        return resolved.hasPrefix(resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/")
    }

    /// Why a file was skipped, without its contents (an unknown format's message quotes the
    /// leading bytes, which for a file of the machine's could be a secret).
    static func skipReason(_ error: ImageCodecError) -> String {
        if case .unknownFormat = error { return "is not a PNG or JPEG image" }
        return error.description
    }

    /// Decodes the pictures under `root`, shrinking each so its longer side is at most
    /// `maxSide` (area averaging). Decoding uses both cores. With `maxPictures`, that many are
    /// taken evenly spread over the sorted names, so a folder whose names start with their
    /// source (a package, a category) is represented by all of them, not the first few.
    public init(root: String, maxSide: Int, maxPictures: Int? = nil) {
        self.root = root
        let (listed, leaving) = Self.listing(under: root)
        let files = maxPictures.map { Self.spread(listed, count: $0) } ?? listed
        let results = UnsafeResultBox<Result<RGBImage, ImageCodecError>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            do throws(ImageCodecError) {
                results[i] = .success(try RGBImage(contentsOf: "\(root)/\(files[i])").fitted(maxSide: maxSide))
            } catch {
                results[i] = .failure(error)
            }
        }
        var names: [String] = []
        var images: [RGBImage] = []
        var skipped = leaving.map { Skipped(path: $0, reason: "links to a file outside the dataset folder (copy the picture in instead)") }
        for (i, file) in files.enumerated() {
            switch results[i]! {
            case .success(let image):
                names.append(file)
                images.append(image)
            case .failure(let error): skipped.append(Skipped(path: file, reason: Self.skipReason(error)))
            }
        }
        (self.names, self.images, self.skipped) = (names, images, skipped)
    }

    public var count: Int { images.count }

    init(root: String, names: [String], images: [RGBImage], skipped: [Skipped]) {
        (self.root, self.names, self.images, self.skipped) = (root, names, images, skipped)
    }
}

/// Fixed-size storage written by concurrent workers at distinct indices.
final class UnsafeResultBox<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return storage[i]
        }
        set {
            lock.lock()
            storage[i] = newValue
            lock.unlock()
        }
    }
}
