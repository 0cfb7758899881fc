import Foundation
import ImageCodecs

/// One pair in memory, oriented by the run's direction: the generator reads `input` and
/// must produce `target`. The two may differ in size (both are resized to the same square).
public struct ImagePair: Sendable, Equatable {
    public var input: RGBImage
    public var target: RGBImage

    public init(input: RGBImage, target: RGBImage) {
        (self.input, self.target) = (input, target)
    }
}

/// Paired pictures decoded once and kept in memory, each side shrunk so its longer side is
/// at most `maxSide`. Pairs whose files are unreadable or corrupt (or a side-by-side picture
/// too narrow to halve) are skipped and reported, never fatal.
public struct PairedImageFolder: Sendable {
    /// Keys of the kept pairs, in the order of `pairs`.
    public let keys: [String]
    public let pairs: [ImagePair]
    public let skipped: [ImageFolder.Skipped]

    public init(files: [PairedFile], direction: PairDirection, maxSide: Int) {
        let results = UnsafeResultBox<Result<ImagePair, SkippedPair>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results[i] = Self.decode(files[i].source, direction: direction, maxSide: maxSide)
        }
        var keys: [String] = []
        var pairs: [ImagePair] = []
        var skipped: [ImageFolder.Skipped] = []
        for (i, file) in files.enumerated() {
            switch results[i]! {
            case .success(let pair):
                keys.append(file.key)
                pairs.append(pair)
            case .failure(let failure): skipped.append(ImageFolder.Skipped(path: failure.path, reason: failure.reason))
            }
        }
        (self.keys, self.pairs, self.skipped) = (keys, pairs, skipped)
    }

    public var count: Int { pairs.count }

    private struct SkippedPair: Error {
        var path: String
        var reason: String
    }

    private static func decode(_ source: PairedFile.Source, direction: PairDirection, maxSide: Int) -> Result<ImagePair, SkippedPair> {
        func read(_ path: String) -> Result<RGBImage, SkippedPair> {
            do throws(ImageCodecError) {
                return .success(try RGBImage(contentsOf: path))
            } catch {
                return .failure(SkippedPair(path: path, reason: error.description))
            }
        }
        let a: RGBImage
        let b: RGBImage
        switch source {
        case .sideBySide(let path):
            let whole: RGBImage
            switch read(path) {
            case .success(let image): whole = image
            case .failure(let failure): return .failure(failure)
            }
            guard whole.width >= 2 else {
                return .failure(SkippedPair(path: path, reason: "\(whole.width) px wide: too narrow to hold A and B side by side"))
            }
            // pix2pix's aligned dataset: A = [0, w/2), B = [w/2, w); an odd last column is dropped.
            let half = whole.width / 2
            a = whole.cropped(x: 0, y: 0, width: half, height: whole.height)
            b = whole.cropped(x: half, y: 0, width: half, height: whole.height)
        case .separate(let pathA, let pathB):
            switch (read(pathA), read(pathB)) {
            case (.success(let imageA), .success(let imageB)): (a, b) = (imageA, imageB)
            case (.failure(let failure), _), (_, .failure(let failure)): return .failure(failure)
            }
        }
        let (input, target) = direction == .aToB ? (a, b) : (b, a)
        return .success(ImagePair(input: input.fitted(maxSide: maxSide), target: target.fitted(maxSide: maxSide)))
    }
}
