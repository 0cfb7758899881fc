import Foundation
import ImageCodecs
import Tensors

/// Photo colorization as a user meets it, beside the non-learned fills: each colour picture
/// (at up to the evaluation's size) is made grey — its own L\*, no chroma — k hints are
/// sampled at random points of the original (each the median of the 3×3 around its point,
/// at the server's usual hint size; `HintFidelityEvaluation.sampleHints`), the grey picture
/// is colorized as `/api/colorize` would, at the picture's full resolution, and per k:
///
/// - ΔE2000 and PSNR of the result, of the grey input and of the two fills
///   (`Baselines.nearestHintFill`, `Baselines.edgeAwareFill`, also at full resolution) to the
///   original;
/// - adherence: ΔE between each hint's colour and the result in the 7×7 window around it
///   (`HintFidelityMetrics.adherence` with no lines: a photo has none), a mean over hints.
public struct PhotoFidelityEvaluation {
    public struct Row: Codable, Sendable, Equatable {
        public var hints: Int
        public var pictures: Int
        public var deltaE: Double
        public var psnr: Double
        public var adherence: Double?
        /// The grey input unchanged: what 0 hints must not be worse than.
        public var inputDeltaE: Double
        public var inputPSNR: Double
        /// The nearest-hint fill at full resolution.
        public var nearestHintDeltaE: Double
        public var nearestHintPSNR: Double
        /// The edge-aware fill at full resolution.
        public var edgeAwareDeltaE: Double
        public var edgeAwarePSNR: Double

        /// Whether the model is closer to the original (ΔE) than the grey input and both fills.
        public var modelWins: Bool { deltaE < min(inputDeltaE, nearestHintDeltaE, edgeAwareDeltaE) }
    }

    public let pictures: [RGBImage]
    public let seed: UInt64

    public init(pictures: [RGBImage], seed: UInt64 = 1) {
        (self.pictures, self.seed) = (pictures, seed)
    }

    /// One row per hint count. `onResult` sees every result (picture index, hint count, the grey
    /// input with its hints painted on, the result), for galleries.
    public func evaluate(
        _ colorizer: Colorizer, hintCounts: [Int] = Validator.hintCounts,
        onResult: (Int, Int, RGBImage, RGBImage) throws -> Void = { _, _, _, _ in }
    ) throws -> [Row] {
        let greys = pictures.map { Baselines.inputUnchanged(.photo($0)) }
        let n = Double(max(pictures.count, 1))
        let inputDeltaE = zip(greys, pictures).map { Metrics.meanDeltaE2000($0, $1) }.reduce(0, +) / n
        let inputPSNR = zip(greys, pictures).map { Metrics.psnr($0, $1) }.reduce(0, +) / n
        return try hintCounts.map { k in
            var rng = SeededGenerator(seed: seed &+ 2000 &+ UInt64(k))
            var (deltaE, psnr, adherence) = (0.0, 0.0, [Double]())
            var (nearestDeltaE, nearestPSNR, fillDeltaE, fillPSNR) = (0.0, 0.0, 0.0, 0.0)
            for (index, (truth, grey)) in zip(pictures, greys).enumerated() {
                let radius = Colorizer.defaultHintRadius(width: truth.width, height: truth.height, resolution: colorizer.resolution)
                let hints = HintFidelityEvaluation.sampleHints(truth: truth, count: k, radius: radius, rng: &rng) { _, _ in true }
                let result = try colorizer.colorize(grey, hints: hints)
                try onResult(index, k, HintFidelityEvaluation.paint(hints, on: grey), result)
                deltaE += Metrics.meanDeltaE2000(result, truth)
                psnr += Metrics.psnr(result, truth)
                let nearest = Baselines.nearestHintFill(hints: hints, input: .photo(grey))
                nearestDeltaE += Metrics.meanDeltaE2000(nearest, truth)
                nearestPSNR += Metrics.psnr(nearest, truth)
                let fill = Baselines.edgeAwareFill(hints: hints, photo: grey)
                fillDeltaE += Metrics.meanDeltaE2000(fill, truth)
                fillPSNR += Metrics.psnr(fill, truth)
                let noLines = FloatPlane(width: truth.width, height: truth.height, repeating: 1)
                adherence += HintFidelityMetrics.adherence(result, lines: noLines, hints: hints)
            }
            return Row(
                hints: k, pictures: pictures.count, deltaE: deltaE / n, psnr: psnr / n,
                adherence: adherence.isEmpty ? nil : adherence.reduce(0, +) / Double(adherence.count),
                inputDeltaE: inputDeltaE, inputPSNR: inputPSNR, nearestHintDeltaE: nearestDeltaE / n,
                nearestHintPSNR: nearestPSNR / n, edgeAwareDeltaE: fillDeltaE / n, edgeAwarePSNR: fillPSNR / n)
        }
    }
}
