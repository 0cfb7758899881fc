import ImageCodecs
import Tensors

/// What a trainer validates on at each checkpoint, whatever the mode.
public protocol ValidationSet {
    /// Validation examples; 0 skips validation.
    var count: Int { get }
    /// Rows of mean figures, the last one deciding the best checkpoint (lowest model ΔE).
    /// The generator must be in eval mode.
    func evaluate(_ generator: UNetGenerator) -> [ValidationRow]
}

/// Measures a generator on validation pictures at fixed hint counts, beside the two
/// non-learned baselines (the input unchanged; nearest-hint fill), with the same inputs and
/// the same composition a user gets (line art: colors × original lines; photo: original L).
public struct Validator: ValidationSet {
    public static let hintCounts = [0, 4, 16]

    public let maker: SampleMaker
    public let pictures: [RGBImage]
    public let seed: UInt64

    public init(maker: SampleMaker, pictures: [RGBImage], seed: UInt64) {
        (self.maker, self.pictures, self.seed) = (maker, pictures, seed)
    }

    public var count: Int { pictures.count }

    /// One row per hint count, means over the pictures. The generator must be in eval mode.
    public func evaluate(_ generator: UNetGenerator) -> [ValidationRow] {
        Self.hintCounts.map { k in
            var sums = [Double](repeating: 0, count: 6)
            for (i, picture) in pictures.enumerated() {
                let sample = maker.validation(picture, hintCount: k, seed: BatchLoader.mix(seed, UInt64(i), UInt64(k), 0x7A1))
                let output = Self.compose(sample: sample, generator: generator, mode: maker.mode, size: maker.size)
                let input: Baselines.Input = maker.mode == .lineart ? .lineArt(sample.lines!) : .photo(sample.truth)
                let results = [output, Baselines.inputUnchanged(input), Baselines.nearestHintFill(hints: sample.hints, input: input)]
                for (m, result) in results.enumerated() {
                    sums[2 * m] += Metrics.psnr(result, sample.truth)
                    sums[2 * m + 1] += Metrics.meanDeltaE2000(result, sample.truth)
                }
            }
            let n = Double(max(pictures.count, 1))
            func score(_ m: Int) -> MethodScore { MethodScore(psnr: sums[2 * m] / n, deltaE: sums[2 * m + 1] / n) }
            return ValidationRow(hints: k, model: score(0), inputUnchanged: score(1), nearestHintFill: score(2))
        }
    }

    /// Runs the generator on one sample and composes the picture a user would see.
    public static func compose(sample: ColorizationSample, generator: UNetGenerator, mode: ModelMode, size: Int) -> RGBImage {
        let x = Tensor(sample.input, shape: [1, ColorizationEncoding.inputChannels(mode), size, size])
        let y = generator.forward(x)
        switch mode {
        case .lineart:
            let colors = ColorizationEncoding.lineartColors(output: y.data, lines: sample.lines!, side: size)
            return ColorizationEncoding.composeLineArt(colors, lines: sample.lines!, hints: sample.hints)
        case .photo:
            let lab = sample.truth.labPlanes()
            let chroma = ColorizationEncoding.photoPrediction(output: y.data, input: x.data, channels: x.shape[1], side: size)
            return ColorizationEncoding.image(lightness: lab[0..<(size * size)], chroma: chroma, width: size, height: size)
        case .pix2pix:
            return ColorizationEncoding.image(fromRGBPlanes: y.data, width: size, height: size)
        }
    }
}
