import NN

/// The knobs of a training run as a person sets them, with their defaults: the stored
/// properties below, and `schema`, which describes each of them once (name, label, help,
/// range or choices, the modes that use it). `tinct train`'s flags, the dashboard's start
/// request and its form are all derived from `schema`, so adding an option means adding its
/// property, its entry in `schema`, and its use in `config(dataPath:)` and `init(_:)` — all
/// in this file.
/// `config(dataPath:)` turns the options into the full `TrainingConfig` (networks sized for
/// the mode, the paper's fixed choices filled in).
public struct TrainingOptions: Codable, Sendable, Equatable {
    public var mode: ModelMode = .lineart
    public var direction: PairDirection = .aToB
    /// nil: detected from the dataset folder.
    public var layout: PairedLayout?
    public var size = 256
    public var ngf = 32
    public var ndf = 32
    /// Follows `size` when not given (`defaultDowns(forSize:)`); 8 goes with the default size.
    public var downs = 8
    public var batch = 1
    public var steps = 20_000
    public var numD = 1
    public var nLayers = 3
    public var attention = false
    public var spectralNorm = false
    public var norm: NormKind = .batch
    public var ganLoss: GANLoss = .vanilla
    public var lambdaL1: Float = 100
    public var lambdaFM: Float = 0
    public var lr: Float = 2e-4
    public var seed: UInt64 = 1
    public var checkpointEvery = 500
    public var sampleEvery = 100
    public var keep = 3
    public var valPictures = 24
    /// The hint recipe's own default, so there is one.
    public var zeroHints: Float = HintSimulation().zeroHintProbability
    public var coloredBackgrounds: Float = 0

    /// The defaults.
    public init() {}

    /// Every option, in the order `--help` and the dashboard's form show them. The help says
    /// what each does; the default is the property's initial value above.
    public static let schema: [TrainingOption] = [
        .choice(
            \.mode, "mode", label: "Mode",
            labels: [
                .lineart: "Line art (lines + hints → color)", .photo: "Photo (lightness + hints → color)",
                .pix2pix: "Paired pictures (input → target)"
            ],
            help: "What to learn: lineart (lines + hints → RGB), photo (lightness + hints → chroma) or pix2pix (paired pictures, input RGB → target RGB)."),
        .choice(
            \.direction, "direction", label: "Direction", labels: [.aToB: "A → B", .bToA: "B → A"],
            help: "Which side of each pair is the input: AtoB (the left half, or A/) or BtoA.", modes: [.pix2pix]),
        .choice(
            \.layout, "layout", label: "Layout", labels: [.sideBySide: "side by side (A left, B right)", .folders: "folders A/ and B/"],
            noneMeans: "detected from the dataset folder",
            help: "How the pairs are stored: side-by-side (one file per pair, A on the left) or folders (A/ and B/).", modes: [.pix2pix]),
        .integer(
            \.size, "size", label: "Size", in: 1...2048, help: "Side of the square training crops, in pixels; a multiple of 2^downs.",
            rule: { o in
                let multiple = 1 << min(max(o.downs, 0), 10)
                return o.size % multiple == 0 ? nil : "must be a multiple of \(multiple) (2^downs), at most 2048"
            }),
        .integer(
            \.steps, "steps", label: "Steps", in: 1...100_000_000,
            help: "Total optimization steps (lr constant for the first half, then linear decay to 0)."),
        .integer(\.batch, "batch", label: "Batch", in: 1...256, help: "Pictures per step."),
        .integer(
            \.downs, "downs", label: "Downs", in: 5...10, help: "U-Net downsamplings (8 for 256 px: down to 1×1).",
            derivedDefault: ("log2 of size, clamped", { defaultDowns(forSize: $0.size) })),
        .integer(\.ngf, "ngf", label: "ngf", in: 1...512, help: "Generator filters in the outermost layer (pix2pix ngf)."),
        .integer(\.ndf, "ndf", label: "ndf", in: 1...512, help: "Discriminator filters in the first layer (pix2pix ndf)."),
        .choice(
            \.ganLoss, "ganLoss", label: "GAN loss", labels: [.vanilla: "vanilla (BCE)", .lsgan: "LSGAN", .hinge: "hinge"],
            help: "GAN objective: vanilla (BCE, pix2pix), lsgan (least squares, pix2pixHD) or hinge (SAGAN).", advanced: true),
        .number(\.lambdaL1, "lambdaL1", label: "λ L1", in: .init(minimum: 0), help: "Weight of the L1 loss (λ_L1).", advanced: true),
        .number(
            \.lambdaFM, "lambdaFM", label: "λ FM", in: .init(minimum: 0),
            help: "Weight of pix2pixHD feature matching (λ_FM; 0 = off, 10 in the paper).", advanced: true),
        .number(
            \.lr, "lr", label: "Learning rate", in: .init(minimum: 0, minimumExcluded: true, maximum: 1),
            help: "Adam learning rate.", advanced: true),
        .integer(\.numD, "numD", label: "D scales", in: 1...3, help: "Discriminator scales (pix2pixHD multi-scale).", advanced: true),
        .integer(\.nLayers, "nLayers", label: "D layers", in: 1...6, help: "PatchGAN layers of each discriminator.", advanced: true),
        .choice(\.norm, "norm", label: "Normalization", help: "Normalization in the networks: batch or instance.", advanced: true),
        .flag(
            \.attention, "attention", label: "Self-attention (SAGAN)",
            help: "Add a SAGAN self-attention block to G (at depth 3) and to each D.", advanced: true),
        .flag(\.spectralNorm, "spectralNorm", label: "Spectral norm in D", help: "Spectral normalization of the discriminator's convolutions.", advanced: true),
        .unsigned(\.seed, "seed", label: "Seed", help: "Random seed (data order, augmentation, hints, dropout, initialization).", advanced: true),
        .integer(
            \.checkpointEvery, "checkpointEvery", label: "Checkpoint every", in: 1...Int.max, help: "Steps between checkpoints (each with validation).",
            advanced: true),
        .integer(\.sampleEvery, "sampleEvery", label: "Sample every", in: 1...Int.max, help: "Steps between sample grids.", advanced: true),
        .integer(\.keep, "keep", label: "Checkpoints kept", in: 1...100, help: "Checkpoints kept besides the best.", advanced: true),
        .integer(\.valPictures, "valPictures", label: "Validation pictures", in: 0...10_000, help: "Validation pictures per checkpoint.", advanced: true),
        .number(
            \.zeroHints, "zeroHints", label: "Share without hints", in: .init(minimum: 0, maximum: 1),
            help: "Fraction of training samples given no hints at all (the rest get a geometric number, mean 8).",
            modes: [.lineart, .photo], advanced: true),
        .number(
            \.coloredBackgrounds, "coloredBackgrounds", label: "Painted backgrounds", in: .init(minimum: 0, maximum: 1),
            help:
                "Share of training samples whose white background is repainted with a random colour or gradient, so the model also follows hints placed on open space. Experimental.",
            modes: [.lineart], advanced: true)
    ]

    /// The downsamplings a crop of `size` gets when none are asked for: down to 1×1 (log₂ of
    /// the size), kept within the 5–10 the U-Net allows — 8 for 256 px, 6 for 64 px.
    public static func defaultDowns(forSize size: Int) -> Int {
        var downs = 0
        while size > 0, (1 << (downs + 1)) <= size, size % (1 << (downs + 1)) == 0 { downs += 1 }
        return min(max(downs, 5), 10)
    }

    /// The run's full configuration. Call only when `problems` is empty (the network
    /// initializers trap on impossible architectures). In pix2pix mode without a `layout`,
    /// the layout is detected from the folder at `dataPath` and saved in the config.
    public func config(dataPath: String) -> TrainingConfig {
        let inC = ColorizationEncoding.inputChannels(mode)
        let outC = ColorizationEncoding.outputChannels(mode)
        let model = ModelConfig(
            generator: GeneratorConfig(
                inputChannels: inC, outputChannels: outC, ngf: ngf, downsamplings: downs, norm: norm,
                dropout: true, attentionDepths: attention ? [3] : []),
            discriminator: DiscriminatorConfig(
                inputChannels: inC + outC, ndf: ndf, nLayers: nLayers, norm: norm, scales: numD,
                spectralNorm: spectralNorm, attention: attention),
            ganLoss: ganLoss, lambdaL1: lambdaL1, lambdaFeatureMatching: lambdaFM, adam: .init(lr: lr))
        var config = TrainingConfig(
            mode: mode, dataPath: dataPath, size: size, batch: batch, steps: steps, seed: seed,
            model: model, hints: HintSimulation(zeroHintProbability: zeroHints), checkpointEvery: checkpointEvery, sampleEvery: sampleEvery, keepLast: keep,
            validationPictures: valPictures,
            paired: mode == .pix2pix
                ? PairedDataConfig(direction: direction, layout: layout ?? PairedLayout.detect(at: dataPath)) : nil)
        if mode == .lineart && coloredBackgrounds > 0 { config.coloredBackgrounds = coloredBackgrounds }
        return config
    }
}

extension TrainingOptions {
    /// The options `config` was made from: the inverse of `config(dataPath:)` for every option
    /// its mode uses, so a saved run is checked against the same `schema` as a new one.
    public init(_ config: TrainingConfig) {
        let (g, d) = (config.model.generator, config.model.discriminator)
        mode = config.mode
        if let paired = config.paired { (direction, layout) = (paired.direction, paired.layout) }
        (size, ngf, ndf, downs, batch, steps) = (config.size, g.ngf, d.ndf, g.downsamplings, config.batch, config.steps)
        (numD, nLayers, attention, spectralNorm) = (d.scales, d.nLayers, !g.attentionDepths.isEmpty || d.attention, d.spectralNorm)
        (norm, ganLoss, lambdaL1, lambdaFM, lr) = (
            g.norm, config.model.ganLoss, config.model.lambdaL1, config.model.lambdaFeatureMatching, config.model.adam.lr
        )
        (seed, checkpointEvery, sampleEvery, keep, valPictures) = (
            config.seed, config.checkpointEvery, config.sampleEvery, config.keepLast, config.validationPictures
        )
        (zeroHints, coloredBackgrounds) = (config.hints.zeroHintProbability, config.coloredBackgrounds ?? 0)
    }
}
