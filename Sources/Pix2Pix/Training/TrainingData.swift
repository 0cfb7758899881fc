import Foundation
import ImageCodecs

/// The training and validation pictures of a run: `DATA/train` and `DATA/val` when present,
/// otherwise every picture under DATA split deterministically (about 5% to validation, see
/// `ValidationSplit`).
public struct TrainingData: Sendable {
    public let train: ImageFolder
    public let validation: [RGBImage]
    public let skipped: [ImageFolder.Skipped]

    public init(path: String, loadSide: Int, validationPictures: Int) {
        var isFolder: ObjCBool = false
        let split = FileManager.default.fileExists(atPath: "\(path)/train", isDirectory: &isFolder) && isFolder.boolValue
        if split {
            train = ImageFolder(root: "\(path)/train", maxSide: loadSide)
            let val = ImageFolder(root: "\(path)/val", maxSide: loadSide, maxPictures: validationPictures)
            validation = val.images
            skipped = train.skipped + val.skipped
        } else {
            let all = ImageFolder(root: path, maxSide: loadSide)
            let isValidation = all.names.map(ValidationSplit.isHeldOut)
            train = all.subset(isValidation.map { !$0 })
            validation = Array(zip(all.images, isValidation).filter { $0.1 }.map(\.0).prefix(validationPictures))
            skipped = all.skipped
        }
    }
}

extension ImageFolder {
    /// The pictures whose flag is true.
    func subset(_ keep: [Bool]) -> ImageFolder {
        ImageFolder(
            root: root, names: zip(names, keep).filter { $0.1 }.map(\.0),
            images: zip(images, keep).filter { $0.1 }.map(\.0), skipped: skipped)
    }
}
