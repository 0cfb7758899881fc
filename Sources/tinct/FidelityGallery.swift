import Foundation
import ImageCodecs
import Pix2Pix

/// The gallery of `tinct test`'s full-resolution pass: for each of the first pictures, a strip
/// of the original, then the input the model was given (hints painted on) and its result at a
/// few hint counts.
struct FidelityGallery {
    /// The hint counts shown.
    let counts: [Int]
    private(set) var strips: [[RGBImage]]

    init(pictures: Int, counts: [Int], shown: Int = 12) {
        self.counts = counts
        strips = [[RGBImage]](repeating: [], count: min(shown, pictures))
    }

    /// Takes one result of the evaluation (picture index, hint count, input, result).
    mutating func add(index: Int, hints: Int, input: RGBImage, result: RGBImage) {
        guard index < strips.count, counts.contains(hints) else { return }
        strips[index] += [input, result]
    }

    /// Writes `folder`/N.png per picture, the original first.
    func write(originals: ImageFolder, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, strip) in strips.enumerated() where !strip.isEmpty {
            try SampleGrid.sideBySide([originals.images[index]] + strip).write(to: "\(folder)/\(index).png")
        }
    }
}
