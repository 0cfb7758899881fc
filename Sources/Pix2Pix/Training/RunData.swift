/// The examples a run trains on and the set it validates on, read as the config's mode says:
/// single pictures for lineart and photo (inputs derived on the fly), pairs for pix2pix.
struct RunData {
    var examples: any TrainingExamples
    var validation: any ValidationSet
    /// Files not used, for the `started` event.
    var skippedCount: Int
    /// What the person running it should hear about the data (skipped and unmatched files).
    var warnings: [String]

    init(_ config: TrainingConfig) {
        switch config.mode {
        case .lineart, .photo:
            let data = TrainingData(path: config.dataPath, loadSide: config.loadSide, validationPictures: config.validationPictures)
            let maker = SampleMaker(
                mode: config.mode, size: config.size, hints: config.hints,
                coloredBackgrounds: config.coloredBackgrounds ?? 0)
            examples = ColorizationExamples(pictures: data.train, maker: maker)
            validation = Validator(maker: maker, pictures: data.validation, seed: config.seed)
            skippedCount = data.skipped.count
            warnings = data.skipped.map { "skipped \($0.path): \($0.reason)" }
        case .pix2pix:
            let paired = config.paired ?? PairedDataConfig(layout: PairedLayout.detect(at: config.dataPath))
            let data = PairedTrainingData(
                path: config.dataPath, paired: paired, loadSide: config.loadSide,
                validationPictures: config.validationPictures)
            let maker = PairedSampleMaker(size: config.size, loadSide: config.loadSide)
            examples = PairedExamples(pairs: data.train, maker: maker)
            validation = PairedValidator(maker: maker, pairs: data.validation)
            skippedCount = data.skipped.count + data.unmatched.count
            warnings = data.skipped.map { "skipped pair \($0.path): \($0.reason)" }
            if !data.unmatched.isEmpty {
                let shown = data.unmatched.prefix(5).joined(separator: ", ") + (data.unmatched.count > 5 ? ", …" : "")
                warnings.append("\(data.unmatched.count) file(s) in A/ or B/ have no partner and are not used: \(shown)")
            }
        }
    }
}
