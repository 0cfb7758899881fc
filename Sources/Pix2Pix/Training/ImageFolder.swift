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

    /// Every picture file under `root`, sorted by relative path.
    public static func listPictures(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if extensions.contains((relative as NSString).pathExtension.lowercased()) { found.append(relative) }
        }
        return found.sorted()
    }

    /// Decodes the pictures under `root`, shrinking each so its longer side is at most
    /// `maxSide` (area averaging). Decoding uses both cores.
    public init(root: String, maxSide: Int, maxPictures: Int? = nil) {
        self.root = root
        let listed = Self.listPictures(under: root)
        let files = maxPictures.map { Array(listed.prefix($0)) } ?? listed
        let results = UnsafeResultBox<Result<RGBImage, ImageCodecError>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            do throws(ImageCodecError) {
                results[i] = .success(try RGBImage(contentsOf: "\(root)/\(files[i])").fitted(maxSide: maxSide))
            } catch {
                results[i] = .failure(error)
            }
        }
        var names: [String] = [], images: [RGBImage] = [], skipped: [Skipped] = []
        for (i, file) in files.enumerated() {
            switch results[i]! {
            case .success(let image): names.append(file); images.append(image)
            case .failure(let error): skipped.append(Skipped(path: file, reason: error.description))
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
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }
}
