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
    /// Hint counts validated: none, the first few, and as many as an artist dotting every
    /// shape would place (the hint curve must fall all the way).
    public static let hintCounts = [0, 4, 16, 64, 128]

    public let maker: SampleMaker
    public let pictures: [RGBImage]
    public let seed: UInt64
    /// The baselines' figures per hint count, from the first `evaluate`: their inputs are fixed
    /// by the seed and they do not depend on the generator, so later checkpoints reuse them.
    private let baselines = BaselineScores()

    public init(maker: SampleMaker, pictures: [RGBImage], seed: UInt64) {
        (self.maker, self.pictures, self.seed) = (maker, pictures, seed)
    }

    public var count: Int { pictures.count }

    /// One row per hint count, means over the pictures (line art adds the adherence, a mean
    /// over all hints, and the bleed, a mean over pictures with a white page). The generator
    /// must be in eval mode.
    public func evaluate(_ generator: UNetGenerator) -> [ValidationRow] {
        let lineArt = maker.mode == .lineart
        return Self.hintCounts.map { k in
            var model = ScoreTally()
            let known = baselines[k]
            // The input unchanged, the nearest-hint fill and, for photos, the edge-aware fill.
            var baseline = known ?? [ScoreTally](repeating: ScoreTally(), count: lineArt ? 2 : 3)
            for (i, picture) in pictures.enumerated() {
                let sample = maker.validation(picture, hintCount: k, seed: BatchLoader.mix(seed, UInt64(i), UInt64(k), 0x7A1))
                model.add(result: Self.compose(sample: sample, generator: generator, mode: maker.mode, size: maker.size), sample: sample, lineArt: lineArt)
                guard known == nil else { continue }
                let input: Baselines.Input = lineArt ? .lineArt(sample.lines!) : .photo(sample.truth)
                var results = [Baselines.inputUnchanged(input), Baselines.nearestHintFill(hints: sample.hints, input: input)]
                if !lineArt { results.append(Baselines.edgeAwareFill(hints: sample.hints, photo: sample.truth)) }
                for (m, result) in results.enumerated() {
                    baseline[m].add(result: result, sample: sample, lineArt: lineArt)
                }
            }
            if known == nil { baselines[k] = baseline }
            return ValidationRow(
                hints: k, model: model.score, inputUnchanged: baseline[0].score, nearestHintFill: baseline[1].score,
                edgeAwareFill: lineArt ? nil : baseline[2].score)
        }
    }

    /// Runs the generator on one sample and composes the picture a user would see. A
    /// line-art generator from before the dense fill gets the first 5 planes of the input,
    /// which are its whole input.
    public static func compose(sample: ColorizationSample, generator: UNetGenerator, mode: ModelMode, size: Int) -> RGBImage {
        let channels = generator.config.inputChannels
        let x = Tensor(Array(sample.input.prefix(channels * size * size)), shape: [1, channels, size, size])
        let y = generator.forward(x)
        switch mode {
        case .lineart:
            guard ColorizationEncoding.lineartHasFill(channels: channels) else {
                let colors = ColorizationEncoding.lineartColors(output: y.data, lines: sample.lines!, side: size)
                return ColorizationEncoding.composeLineArt(colors, lines: sample.lines!, hints: sample.hints)
            }
            return LineArtComposition.compose(
                output: y.data, networkLines: sample.lines!,
                box: Letterbox(sourceWidth: size, sourceHeight: size, side: size), guide: sample.guide!)
        case .photo:
            let lab = sample.truth.labPlanes()
            let chroma = ColorizationEncoding.photoPrediction(output: y.data, input: x.data, channels: x.shape[1], side: size)
            return ColorizationEncoding.image(lightness: lab[0..<(size * size)], chroma: chroma, width: size, height: size)
        case .pix2pix:
            return ColorizationEncoding.image(fromRGBPlanes: y.data, width: size, height: size)
        }
    }
}

/// A validator's baseline tallies per hint count, kept between checkpoints (a class, so the
/// `Validator` value that holds it stays immutable; a run validates on one thread).
final class BaselineScores: @unchecked Sendable {
    private var tallies: [Int: [ScoreTally]] = [:]

    subscript(hints: Int) -> [ScoreTally]? {
        get { tallies[hints] }
        set { tallies[hints] = newValue }
    }
}

/// Sums of one method's figures over validation pictures.
struct ScoreTally {
    private var psnr = 0.0, deltaE = 0.0, pictures = 0
    private var adherence = 0.0, adherenceCount = 0
    private var bleed = 0.0, bleedCount = 0
    private var lineArt = false

    mutating func add(result: RGBImage, sample: ColorizationSample, lineArt: Bool) {
        psnr += Metrics.psnr(result, sample.truth)
        deltaE += Metrics.meanDeltaE2000(result, sample.truth)
        pictures += 1
        guard lineArt, let lines = sample.lines else { return }
        self.lineArt = true
        let figures = HintFidelityMetrics.adherence(result, lines: lines, hints: sample.hints)
        adherence += figures.reduce(0, +)
        adherenceCount += figures.count
        if let figure = HintFidelityMetrics.bleed(result, truth: sample.truth) {
            bleed += figure
            bleedCount += 1
        }
    }

    var score: MethodScore {
        let n = Double(max(pictures, 1))
        return MethodScore(
            psnr: psnr / n, deltaE: deltaE / n,
            adherence: lineArt && adherenceCount > 0 ? adherence / Double(adherenceCount) : nil,
            bleed: lineArt && bleedCount > 0 ? bleed / Double(bleedCount) : nil)
    }
}
