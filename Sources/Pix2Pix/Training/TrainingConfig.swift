import NN

/// Everything about a training run, saved in the run folder and inside every checkpoint.
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var mode: ModelMode
    /// Dataset folder; with `train/` and `val/` subfolders those are the split, otherwise a
    /// deterministic hash split of the file names.
    public var dataPath: String
    /// Side of the square training crops (a multiple of 2^downsamplings).
    public var size: Int
    public var batch: Int
    /// Total optimization steps; the learning rate is constant for the first half, then
    /// decays linearly to zero (pix2pix's `linear` policy).
    public var steps: Int
    public var seed: UInt64
    public var model: ModelConfig
    public var hints: HintSimulation
    public var checkpointEvery: Int
    public var sampleEvery: Int
    /// Checkpoints kept besides the best one.
    public var keepLast: Int
    /// Validation pictures used at each checkpoint (the first ones of the split).
    public var validationPictures: Int
    /// Longest side pictures are stored at in memory; for pix2pix also the side both
    /// pictures of a pair are resized to before the random crop (pix2pix `load_size`).
    public var loadSide: Int
    /// pix2pix mode only: the direction and the dataset layout (nil in the other modes, and
    /// in configs written before paired training existed).
    public var paired: PairedDataConfig?
    /// The checkpoint whose networks a fine-tuning run started from (`--init-from`); nil for
    /// a run from random weights.
    public var initializedFrom: String?

    /// A run's configuration; its defaults are `TrainingOptions()`'s (see `TrainingOptions.config(dataPath:)`).
    public init(
        mode: ModelMode, dataPath: String, size: Int, batch: Int, steps: Int, seed: UInt64,
        model: ModelConfig, hints: HintSimulation = HintSimulation(), checkpointEvery: Int,
        sampleEvery: Int, keepLast: Int, validationPictures: Int, loadSide: Int? = nil,
        paired: PairedDataConfig? = nil
    ) {
        (self.mode, self.dataPath, self.size, self.batch, self.steps, self.seed) = (mode, dataPath, size, batch, steps, seed)
        (self.model, self.hints, self.checkpointEvery, self.sampleEvery) = (model, hints, checkpointEvery, sampleEvery)
        (self.keepLast, self.validationPictures) = (keepLast, validationPictures)
        self.paired = paired
        switch mode {
        case .lineart: self.loadSide = loadSide ?? Int(Double(size) * 1.3)
        case .photo: self.loadSide = loadSide ?? Int(Double(size) * 2.5)
        case .pix2pix: self.loadSide = loadSide ?? PairedSampleMaker.defaultLoadSide(size: size)
        }
    }

    /// Whether batch norm at inference should use each picture's own statistics. pix2pix
    /// trains at batch 1, where the running averages never match a single picture, so it tests
    /// on batch statistics; a run at batch > 1 learns running averages over several pictures,
    /// and those gave lower ΔE at 0, 4 and 16 hints on the default line-art model (see its card).
    /// `pictureStatisticsAtInference` overrides that choice (`tinct train --test-norm`): on the
    /// very varied wallpapers of the photo model each picture's own statistics did better.
    public var inferenceUsesBatchStatistics: Bool { pictureStatisticsAtInference ?? (batch == 1) }

    /// nil: decided by the batch size (see `inferenceUsesBatchStatistics`).
    public var pictureStatisticsAtInference: Bool?

    /// Line art: share of training samples with a repainted background
    /// (`SampleMaker.coloredBackgrounds`); nil (configs from before the option) means 0.
    public var coloredBackgrounds: Float?

    /// The learning-rate schedule over steps.
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(baseRate: model.adam.lr, constantSteps: steps / 2, decaySteps: steps - steps / 2)
    }

    /// Problems with the configuration, worded for the user; empty when it is usable. The
    /// options' ranges are `TrainingOptions.schema`'s, the same a new run is checked against;
    /// the rest is what only a saved or hand-built config can get wrong.
    public var problems: [String] {
        var found = TrainingOptions(self).problems.map { "\($0.field): \($0.problem)" }
        if model.generator.inputChannels != ColorizationEncoding.inputChannels(mode)
            || model.generator.outputChannels != ColorizationEncoding.outputChannels(mode)
        {
            found.append("the generator's channels do not match mode \(mode.rawValue)")
        }
        if mode == .pix2pix && paired == nil { found.append("pix2pix mode needs a direction and a dataset layout") }
        if mode == .pix2pix && loadSide < size { found.append("the load side \(loadSide) must be at least size \(size)") }
        return found
    }
}
