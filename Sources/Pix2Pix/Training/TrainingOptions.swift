import NN

/// The knobs of a training run as a person sets them — `tinct train`'s flags and the web
/// dashboard's form — with the defaults both use. `config(dataPath:)` turns them into the
/// full `TrainingConfig` (networks sized for the mode, the paper's fixed choices filled in).
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// What to learn: lineart (lines + hints → RGB), photo (lightness + hints → chroma) or
    /// pix2pix (paired pictures, input RGB → target RGB).
    public var mode: ModelMode = .lineart
    /// pix2pix: which side of each pair is the input.
    public var direction: PairDirection = .aToB
    /// pix2pix: how the pairs are stored; nil detects it from the dataset folder.
    public var layout: PairedLayout?
    /// Side of the square training crops; a multiple of 2^downs.
    public var size = 256
    /// Generator filters in the outermost layer (pix2pix `ngf`).
    public var ngf = 32
    /// Discriminator filters in the first layer (pix2pix `ndf`).
    public var ndf = 32
    /// U-Net downsamplings (8 for 256 px: down to 1×1); see `defaultDowns(forSize:)`.
    public var downs = 8
    /// Pictures per step.
    public var batch = 1
    /// Total optimization steps (lr constant for the first half, then linear decay to 0).
    public var steps = 20_000
    /// Discriminator scales (pix2pixHD multi-scale), 1–3.
    public var numD = 1
    /// PatchGAN layers of each discriminator.
    public var nLayers = 3
    /// A SAGAN self-attention block in G (at depth 3) and in each D.
    public var attention = false
    /// Spectral normalization of the discriminator's convolutions.
    public var spectralNorm = false
    /// Normalization in the networks.
    public var norm: NormKind = .batch
    /// GAN objective.
    public var ganLoss: GANLoss = .vanilla
    /// λ_L1, weight of the L1 loss.
    public var lambdaL1: Float = 100
    /// λ_FM, weight of pix2pixHD feature matching (0 = off; 10 in the paper).
    public var lambdaFM: Float = 0
    /// Adam learning rate.
    public var lr: Float = 2e-4
    /// Random seed (data order, augmentation, hints, dropout, initialization).
    public var seed: UInt64 = 1
    /// Steps between checkpoints (each with validation).
    public var checkpointEvery = 500
    /// Steps between sample grids.
    public var sampleEvery = 100
    /// Checkpoints kept besides the best.
    public var keep = 3
    /// Validation pictures per checkpoint.
    public var valPictures = 24
    /// Fraction of training samples given no hints at all (the rest get a geometric number).
    public var zeroHints: Float = 0.25
    /// Line art: share of training samples whose white background is repainted with a random
    /// colour or gradient, so the model also follows hints on open space (0 = off).
    public var coloredBackgrounds: Float = 0

    /// The defaults.
    public init() {}

    /// The downsamplings a crop of `size` gets when none are asked for: down to 1×1 (log₂ of
    /// the size), kept within the 5–10 the U-Net allows — 8 for 256 px, 6 for 64 px.
    public static func defaultDowns(forSize size: Int) -> Int {
        var downs = 0
        while size > 0, (1 << (downs + 1)) <= size, size % (1 << (downs + 1)) == 0 { downs += 1 }
        return min(max(downs, 5), 10)
    }

    /// Values out of range, as (option name, problem), in declaration order; empty when
    /// `config(dataPath:)` may be called. Names are the dashboard's field names.
    public var problems: [(field: String, problem: String)] {
        var found: [(String, String)] = []
        if !(5...10).contains(downs) { found.append(("downs", "must be between 5 and 10")) }
        let multiple = 1 << min(max(downs, 0), 10)
        if size <= 0 || size > 2048 || size % multiple != 0 {
            found.append(("size", "must be a positive multiple of \(multiple) (2^downs), at most 2048"))
        }
        if !(1...512).contains(ngf) { found.append(("ngf", "must be between 1 and 512")) }
        if !(1...512).contains(ndf) { found.append(("ndf", "must be between 1 and 512")) }
        if !(1...256).contains(batch) { found.append(("batch", "must be between 1 and 256")) }
        if !(1...100_000_000).contains(steps) { found.append(("steps", "must be between 1 and 100000000")) }
        if !(1...3).contains(numD) { found.append(("numD", "must be 1, 2 or 3")) }
        if !(1...6).contains(nLayers) { found.append(("nLayers", "must be between 1 and 6")) }
        if !(lambdaL1.isFinite && lambdaL1 >= 0) { found.append(("lambdaL1", "must be a number ≥ 0")) }
        if !(lambdaFM.isFinite && lambdaFM >= 0) { found.append(("lambdaFM", "must be a number ≥ 0")) }
        if !(lr.isFinite && lr > 0 && lr <= 1) { found.append(("lr", "must be greater than 0 and at most 1")) }
        if checkpointEvery < 1 { found.append(("checkpointEvery", "must be at least 1")) }
        if sampleEvery < 1 { found.append(("sampleEvery", "must be at least 1")) }
        if !(1...100).contains(keep) { found.append(("keep", "must be between 1 and 100")) }
        if !(0...10_000).contains(valPictures) { found.append(("valPictures", "must be between 0 and 10000")) }
        if !(zeroHints.isFinite && (0...1).contains(zeroHints)) { found.append(("zeroHints", "must be between 0 and 1")) }
        if !(coloredBackgrounds.isFinite && (0...1).contains(coloredBackgrounds)) {
            found.append(("coloredBackgrounds", "must be between 0 and 1"))
        }
        return found
    }

    /// The run's full configuration. Call only when `problems` is empty (the network
    /// initializers trap on impossible architectures). In pix2pix mode without a `layout`,
    /// the layout is detected from the folder at `dataPath` and saved in the config.
    public func config(dataPath: String) -> TrainingConfig {
        let inC = ColorizationEncoding.inputChannels(mode), outC = ColorizationEncoding.outputChannels(mode)
        let model = ModelConfig(
            generator: GeneratorConfig(inputChannels: inC, outputChannels: outC, ngf: ngf, downsamplings: downs, norm: norm,
                                       dropout: true, attentionDepths: attention ? [3] : []),
            discriminator: DiscriminatorConfig(inputChannels: inC + outC, ndf: ndf, nLayers: nLayers, norm: norm, scales: numD,
                                               spectralNorm: spectralNorm, attention: attention),
            ganLoss: ganLoss, lambdaL1: lambdaL1, lambdaFeatureMatching: lambdaFM, adam: .init(lr: lr))
        var config = TrainingConfig(mode: mode, dataPath: dataPath, size: size, batch: batch, steps: steps, seed: seed,
                              model: model, hints: HintSimulation(zeroHintProbability: zeroHints), checkpointEvery: checkpointEvery, sampleEvery: sampleEvery, keepLast: keep,
                              validationPictures: valPictures,
                              paired: mode == .pix2pix
                                  ? PairedDataConfig(direction: direction, layout: layout ?? PairedLayout.detect(at: dataPath)) : nil)
        if mode == .lineart && coloredBackgrounds > 0 { config.coloredBackgrounds = coloredBackgrounds }
        return config
    }
}
