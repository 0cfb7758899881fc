import Foundation
import ImageCodecs
import Tensors

/// The figures an artist judges a line-art model by, on colour pictures at their own
/// resolution, the way a user meets the model: the native twin of
/// `shared/eval/hint_fidelity.py`. For each picture its lines are drawn with a fixed XDoG
/// extractor, k hints are sampled from the original's colours (off the ink and off white
/// paper, each the median of the 3×3 around its point, at the server's usual hint size), the
/// picture is colorized as `/api/colorize` would, and per k:
///
/// - ΔE and PSNR between the result and the original;
/// - adherence (`HintFidelityMetrics.adherence`), a mean over all hints;
/// - bleed (`HintFidelityMetrics.bleed`), a mean over pictures with a white page.
public struct HintFidelityEvaluation {
    /// The reference's extractor: σ 0.8, k 1.6, p 20, ε 0.02, φ 15.
    public static let extractor = XDoG(sigma: 0.8, k: 1.6, p: 20, epsilon: 0.02, phi: 15)
    /// Sampled points must be paper in the line art (above 200/255) and not white in the
    /// original (channels summing below 3 × 245).
    public static let hintPaperLevel: Float = 200 / 255
    public static let hintWhiteSum = 735

    public struct Row: Codable, Sendable, Equatable {
        public var hints: Int
        public var pictures: Int
        public var deltaE: Double
        public var psnr: Double
        public var adherence: Double?
        public var bleed: Double?
        /// ΔE of the drawing itself (the input unchanged) to the original: what 0 hints must beat.
        public var inputDeltaE: Double
    }

    public let pictures: [RGBImage]
    public let seed: UInt64

    public init(pictures: [RGBImage], seed: UInt64 = 1) {
        (self.pictures, self.seed) = (pictures, seed)
    }

    /// The line art the evaluation gives the model for `picture`, as a picture.
    public static func drawing(of picture: RGBImage) -> (image: RGBImage, lines: FloatPlane) {
        let lines = extractor.apply(toLuminance: FloatPlane(luminanceOf: picture))
        let gray = GrayImage(lines)
        var image = RGBImage(width: picture.width, height: picture.height)
        image.withMutablePixels { p in
            for i in 0..<gray.pixels.count { for c in 0..<3 { p[3 * i + c] = gray.pixels[i] } }
        }
        return (image, FloatPlane(gray))
    }

    /// `count` hints at distinct random points of `truth` that are paper in `lines` and not
    /// white, 2 pixels or more from the border; fewer when there are not enough such points.
    public static func sampleHints(
        truth: RGBImage, lines: FloatPlane, count: Int, radius: Int,
        rng: inout SeededGenerator
    ) -> [ColorHint] {
        sampleHints(truth: truth, count: count, radius: radius, rng: &rng) { x, y in
            let p = truth[x, y]
            return lines[x, y] > hintPaperLevel && Int(p.red) + Int(p.green) + Int(p.blue) < hintWhiteSum
        }
    }

    /// `count` hints at distinct random points of `truth` where `allowed` holds, 2 pixels or
    /// more from the border, each the median colour of the 3×3 around its point; fewer when
    /// there are not enough such points.
    public static func sampleHints(
        truth: RGBImage, count: Int, radius: Int, rng: inout SeededGenerator,
        allowed: (Int, Int) -> Bool
    ) -> [ColorHint] {
        guard count > 0, truth.width > 4, truth.height > 4 else { return [] }
        var candidates: [Int] = []
        for y in 2..<(truth.height - 2) {
            for x in 2..<(truth.width - 2) where allowed(x, y) { candidates.append(y * truth.width + x) }
        }
        var hints: [ColorHint] = []
        for _ in 0..<min(count, candidates.count) {
            let pick = rng.integer(in: 0...(candidates.count - 1))
            candidates.swapAt(pick, candidates.count - 1)
            let i = candidates.removeLast()
            let (x, y) = (i % truth.width, i / truth.width)
            var channels: [[UInt8]] = [[], [], []]
            for wy in (y - 1)...(y + 1) {
                for wx in (x - 1)...(x + 1) {
                    let p = truth[wx, wy]
                    channels[0].append(p.red)
                    channels[1].append(p.green)
                    channels[2].append(p.blue)
                }
            }
            let median = channels.map { $0.sorted()[4] }
            hints.append(ColorHint(x: x, y: y, red: median[0], green: median[1], blue: median[2], radius: radius))
        }
        return hints
    }

    /// `image` with each hint drawn as a dot of its colour (radius 3) ringed in black, as a
    /// gallery shows where the hints were.
    public static func paint(_ hints: [ColorHint], on image: RGBImage) -> RGBImage {
        var out = image
        for hint in hints {
            for dy in -4...4 {
                for dx in -4...4 where dx * dx + dy * dy <= 16 {
                    let (x, y) = (hint.x + dx, hint.y + dy)
                    guard x >= 0, y >= 0, x < out.width, y < out.height else { continue }
                    out[x, y] = dx * dx + dy * dy <= 9 ? (hint.red, hint.green, hint.blue) : (0, 0, 0)
                }
            }
        }
        return out
    }

    /// One row per hint count. `onResult` sees every result (picture index, hint count, the
    /// drawing the model was given with its hints painted on, the result), for galleries.
    public func evaluate(
        _ colorizer: Colorizer, hintCounts: [Int] = Validator.hintCounts,
        onResult: (Int, Int, RGBImage, RGBImage) throws -> Void = { _, _, _, _ in }
    ) throws -> [Row] {
        let drawings = pictures.map(Self.drawing(of:))
        let inputDeltaE = zip(drawings, pictures).map { Metrics.meanDeltaE2000($0.image, $1) }.reduce(0, +) / Double(max(pictures.count, 1))
        return try hintCounts.map { k in
            var rng = SeededGenerator(seed: seed &+ 1000 &+ UInt64(k))
            var (deltaE, psnr, adherence, bleed) = (0.0, 0.0, [Double](), [Double]())
            for (index, (truth, drawing)) in zip(pictures, drawings).enumerated() {
                let radius = Colorizer.defaultHintRadius(width: truth.width, height: truth.height, resolution: colorizer.resolution)
                let hints = Self.sampleHints(truth: truth, lines: drawing.lines, count: k, radius: radius, rng: &rng)
                let result = try colorizer.colorize(drawing.image, hints: hints)
                try onResult(index, k, Self.paint(hints, on: drawing.image), result)
                deltaE += Metrics.meanDeltaE2000(result, truth)
                psnr += Metrics.psnr(result, truth)
                adherence += HintFidelityMetrics.adherence(result, lines: drawing.lines, hints: hints)
                if let figure = HintFidelityMetrics.bleed(result, truth: truth) { bleed.append(figure) }
            }
            let n = Double(max(pictures.count, 1))
            return Row(
                hints: k, pictures: pictures.count, deltaE: deltaE / n, psnr: psnr / n,
                adherence: adherence.isEmpty ? nil : adherence.reduce(0, +) / Double(adherence.count),
                bleed: bleed.isEmpty ? nil : bleed.reduce(0, +) / Double(bleed.count), inputDeltaE: inputDeltaE)
        }
    }
}
