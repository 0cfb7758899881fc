/// The training and validation pairs of a pix2pix run (see `PairedFiles` for the layouts
/// and the split), decoded and oriented by the run's direction.
public struct PairedTrainingData: Sendable {
    public let train: PairedImageFolder
    /// The first `validationPictures` readable validation pairs.
    public let validation: [ImagePair]
    /// Pairs not used because a file is unreadable or corrupt.
    public let skipped: [ImageFolder.Skipped]
    /// Files of the `folders` layout with no partner (see `PairedFiles.unmatched`).
    public let unmatched: [String]

    public init(path: String, paired: PairedDataConfig, loadSide: Int, validationPictures: Int) {
        let files = PairedFiles(path: path, layout: paired.layout)
        train = PairedImageFolder(files: files.train, direction: paired.direction, maxSide: loadSide)
        let val = PairedImageFolder(files: Array(files.validation.prefix(validationPictures)), direction: paired.direction, maxSide: loadSide)
        validation = val.pairs
        skipped = train.skipped + val.skipped
        unmatched = files.unmatched
    }
}
