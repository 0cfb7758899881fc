import Foundation
import ImageCodecs
import Pix2Pix
import Tensors
import Testing

/// Paired (pix2pix) datasets on fixtures written at test time: both layouts, the split,
/// corrupt and unmatched files, the direction, and augmentation applied alike to both sides.
@Suite("Paired data")
struct PairedDataTests {
    /// Random noise, so any misaligned crop or flip shows.
    static func noise(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var rng = SeededGenerator(seed: seed)
        return RGBImage(width: width, height: height, pixels: (0..<(3 * width * height)).map { _ in UInt8(rng.next() % 256) })
    }

    /// The pixelwise relation B = f(A) of the fixtures: channels rotated (R, G, B) → (G, B, R).
    /// It commutes with any resampling that treats channels alike, but not with moving pixels.
    static func rotateChannels(_ image: RGBImage) -> RGBImage {
        var pixels = image.pixels
        for i in 0..<image.pixelCount {
            (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = (image.pixels[3 * i + 1], image.pixels[3 * i + 2], image.pixels[3 * i])
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    /// A beside B in one picture.
    static func sideBySide(_ a: RGBImage, _ b: RGBImage) -> RGBImage {
        var out = RGBImage(width: a.width + b.width, height: a.height)
        for y in 0..<a.height {
            for x in 0..<a.width { out[x, y] = a[x, y] }
            for x in 0..<b.width { out[a.width + x, y] = b[x, y] }
        }
        return out
    }

    static func write(_ data: Data, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func write(_ image: RGBImage, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try image.write(to: path)
    }

    /// `count` side-by-side pairs (A noise, B = rotateChannels(A)) under `root/sub`, plus a
    /// corrupt file; returns the A pictures by file name.
    @discardableResult
    static func makeSideBySide(at root: String, sub: String = "", count: Int, side: Int = 40) throws -> [String: RGBImage] {
        var written: [String: RGBImage] = [:]
        for i in 0..<count {
            let a = noise(width: side, height: side, seed: UInt64(100 + i))
            let name = String(format: "%@pair-%02d.png", sub.isEmpty ? "" : "\(sub)/", i)
            try write(sideBySide(a, rotateChannels(a)), "\(root)/\(name)")
            written[name] = a
        }
        try write(Data("not a picture".utf8), "\(root)/\(sub.isEmpty ? "" : "\(sub)/")broken.png")
        return written
    }

    @Test("side-by-side: left half is A, right half is B; a corrupt file is skipped with a reason")
    func sideBySideLayout() throws {
        let root = TrainingTests.temporaryFolder("sbs")
        let written = try Self.makeSideBySide(at: root, count: 6)
        #expect(PairedLayout.detect(at: root) == .sideBySide)
        let files = PairedFiles(path: root, layout: .sideBySide)
        #expect(!files.hasSplitFolders && files.unmatched.isEmpty)
        #expect(files.all.count == 7)
        let folder = PairedImageFolder(files: files.all, direction: .aToB, maxSide: 64)
        #expect(folder.count == 6)
        #expect(folder.skipped.map { ($0.path as NSString).lastPathComponent } == ["broken.png"])
        #expect(folder.skipped.allSatisfy { !$0.reason.isEmpty })
        for (key, pair) in zip(folder.keys, folder.pairs) {
            let a = try #require(written[key])
            #expect(pair.input == a, "\(key): input is not the left half")
            #expect(pair.target == Self.rotateChannels(a), "\(key): target is not the right half")
        }
    }

    @Test("direction BtoA swaps input and target")
    func directionSwap() throws {
        let root = TrainingTests.temporaryFolder("direction")
        try Self.makeSideBySide(at: root, count: 3)
        let files = PairedFiles(path: root, layout: .sideBySide).all
        let forward = PairedImageFolder(files: files, direction: .aToB, maxSide: 64)
        let backward = PairedImageFolder(files: files, direction: .bToA, maxSide: 64)
        #expect(forward.keys == backward.keys)
        for (f, b) in zip(forward.pairs, backward.pairs) {
            #expect(f.input == b.target && f.target == b.input)
            #expect(f.input != f.target)
        }
    }

    @Test("folders: A/ and B/ matched by relative path without extension, recursively; unmatched and corrupt files reported")
    func foldersLayout() throws {
        let root = TrainingTests.temporaryFolder("folders")
        for (i, name) in ["one", "two", "sub/three", "sub/deeper/four"].enumerated() {
            let a = Self.noise(width: 24, height: 20, seed: UInt64(i))
            try Self.write(a, "\(root)/A/\(name).png")
            try Self.write(Self.rotateChannels(a), "\(root)/B/\(name).png")
        }
        try Self.write(Self.noise(width: 24, height: 24, seed: 9), "\(root)/A/photo.jpg")
        try Self.write(Self.noise(width: 48, height: 48, seed: 10), "\(root)/B/photo.png")  // other extension, other size
        try Self.write(Self.noise(width: 8, height: 8, seed: 11), "\(root)/A/extra.png")
        try Self.write(Self.noise(width: 8, height: 8, seed: 12), "\(root)/B/sub/lonely.png")
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(root)/B/two.png"))
        try Self.write(Self.noise(width: 8, height: 8, seed: 13), "\(root)/A/cut.png")
        try Self.write(good.prefix(good.count / 2), "\(root)/B/cut.png")

        #expect(PairedLayout.detect(at: root) == .folders)
        let files = PairedFiles(path: root, layout: .folders)
        #expect(files.unmatched == ["A/extra.png", "B/sub/lonely.png"])
        #expect(files.all.map(\.key).sorted() == ["cut", "one", "photo", "sub/deeper/four", "sub/three", "two"])
        let folder = PairedImageFolder(files: files.all, direction: .aToB, maxSide: 64)
        #expect(folder.keys.sorted() == ["one", "photo", "sub/deeper/four", "sub/three", "two"])
        #expect(folder.skipped.map(\.path) == ["\(root)/B/cut.png"])
        for (key, pair) in zip(folder.keys, folder.pairs) where key != "photo" {
            #expect(pair.target == Self.rotateChannels(pair.input), "\(key)")
        }
        let photo = try #require(folder.keys.firstIndex(of: "photo"))
        #expect(folder.pairs[photo].input.width == 24 && folder.pairs[photo].target.width == 48)
    }

    @Test("split: train/ and val/ folders in every layout, else a deterministic hash split")
    func split() throws {
        let sbs = TrainingTests.temporaryFolder("split-sbs")
        try Self.makeSideBySide(at: sbs, sub: "train", count: 3)
        try Self.makeSideBySide(at: sbs, sub: "val", count: 2)
        try Self.makeSideBySide(at: sbs, sub: "test", count: 2)
        let a = PairedFiles(path: sbs, layout: .sideBySide)
        #expect(a.hasSplitFolders && a.train.count == 4 && a.validation.count == 3)

        for (inner, outer) in [(true, false), (false, true)] {
            let root = TrainingTests.temporaryFolder("split-folders")
            for (split, names) in [("train", ["x", "y", "z"]), ("val", ["v"])] {
                for name in names {
                    let path = { (side: String) in inner ? "\(root)/\(split)/\(side)/\(name).png" : "\(root)/\(side)/\(split)/\(name).png" }
                    try Self.write(Self.noise(width: 8, height: 8, seed: 1), path("A"))
                    try Self.write(Self.noise(width: 8, height: 8, seed: 2), path("B"))
                }
            }
            #expect(PairedLayout.detect(at: root) == .folders)
            let files = PairedFiles(path: root, layout: .folders)
            #expect(files.hasSplitFolders && files.train.count == 3 && files.validation.count == 1, "inner \(inner) outer \(outer)")
        }

        let flat = TrainingTests.temporaryFolder("split-hash")
        try Self.makeSideBySide(at: flat, count: 60, side: 4)
        let first = PairedFiles(path: flat, layout: .sideBySide)
        let again = PairedFiles(path: flat, layout: .sideBySide)
        #expect(!first.hasSplitFolders)
        #expect(first.validation.count > 0 && first.train.count > first.validation.count)
        #expect(Set(first.train.map(\.key)).isDisjoint(with: first.validation.map(\.key)))
        #expect(first.train.count + first.validation.count == 61)
        #expect(first.validation.map(\.key) == again.validation.map(\.key))
    }

    @Test("augmentation: one crop and flip per pair, applied to input and target alike")
    func sameAugmentationForBoth() throws {
        let a = Self.noise(width: 48, height: 44, seed: 3)
        let pair = ImagePair(input: a, target: Self.rotateChannels(a))
        let maker = PairedSampleMaker(size: 32, loadSide: 40)
        var crops = Set<[Int]>()
        var flips = Set<Bool>()
        for seed in 0..<40 {
            var rng = SeededGenerator(seed: UInt64(seed))
            let sample = maker.training(pair, rng: &rng)
            #expect(sample.inputImage.width == 32 && sample.inputImage.height == 32)
            #expect(sample.targetImage == Self.rotateChannels(sample.inputImage), "seed \(seed): input and target were augmented differently")
            var replay = SeededGenerator(seed: UInt64(seed))
            let drawn = PairAugmentation.draw(loadSide: 40, size: 32, rng: &replay)
            #expect(sample.inputImage == drawn.apply(a, loadSide: 40, size: 32))
            crops.insert([drawn.x, drawn.y])
            flips.insert(drawn.flip)
            // The planes are the pictures, RGB in [-1, 1].
            #expect(sample.target[0] == Float(sample.targetImage.pixels[0]) / 127.5 - 1)
        }
        #expect(crops.count > 10 && flips == [false, true])
        let flipped = PairAugmentation(x: 8, y: 0, flip: true).apply(a, loadSide: 40, size: 32)
        let plain = PairAugmentation(x: 8, y: 0, flip: false).apply(a, loadSide: 40, size: 32)
        #expect(flipped[0, 5] == plain[31, 5] && flipped != plain)
        let validation = maker.validation(pair)
        #expect(validation.targetImage == Self.rotateChannels(validation.inputImage))
        #expect(validation.inputImage == a.resized(width: 32, height: 32))
    }

    @Test("batches of pairs keep the relation and depend only on seed and step")
    func pairedBatches() throws {
        let root = TrainingTests.temporaryFolder("batches")
        try Self.makeSideBySide(at: root, count: 5)
        let pairs = PairedImageFolder(files: PairedFiles(path: root, layout: .sideBySide).all, direction: .aToB, maxSide: 64)
        let examples = PairedExamples(pairs: pairs, maker: PairedSampleMaker(size: 32, loadSide: 36))
        let loader = BatchLoader(examples: examples, batchSize: 2, seed: 4, firstStep: 0)
        let other = BatchLoader(examples: examples, batchSize: 2, seed: 4, firstStep: 3)
        defer {
            loader.stop()
            other.stop()
        }
        let batch = loader.batch(for: 3)
        #expect(batch.input.shape == [2, 3, 32, 32] && batch.target.shape == [2, 3, 32, 32])
        #expect(batch.input.scalars == other.batch(for: 3).input.scalars)
        let plane = 32 * 32
        for n in 0..<2 {
            for i in stride(from: 0, to: plane, by: 37) {
                let base = n * 3 * plane + i
                // target R = input G, target G = input B, target B = input R
                #expect(batch.target.data[base] == batch.input.data[base + plane])
                #expect(batch.target.data[base + plane] == batch.input.data[base + 2 * plane])
                #expect(batch.target.data[base + 2 * plane] == batch.input.data[base])
            }
        }
    }
}
