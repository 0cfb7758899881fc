import Foundation

/// One pair on disk, not yet decoded.
public struct PairedFile: Sendable, Equatable {
    /// Where the two sides live.
    public enum Source: Sendable, Equatable {
        /// One picture, A on the left half, B on the right.
        case sideBySide(String)
        /// Two pictures.
        case separate(a: String, b: String)
    }

    /// Relative path (without extension for `folders`): what pairs are matched, sorted and
    /// hash-split by, and what reports name.
    public var key: String
    public var source: Source
}

/// The pairs of a paired dataset, split into training and validation without decoding
/// anything: `train/` and `val/` subfolders are the split when present (other subfolders
/// such as `test/` are then left alone), otherwise a deterministic hash of each pair's key
/// sends about 5% to validation, as for colorization data.
public struct PairedFiles: Sendable {
    public var train: [PairedFile]
    public var validation: [PairedFile]
    /// Whether the split came from `train/` and `val/` folders.
    public var hasSplitFolders: Bool
    /// Pictures of the `folders` layout with no partner on the other side (or a second
    /// picture for an already matched name), as paths relative to the dataset.
    public var unmatched: [String]

    public init(path: String, layout: PairedLayout) {
        switch layout {
        case .sideBySide:
            if PairedLayout.isFolder("\(path)/train") {
                let list = { (sub: String) in
                    ImageFolder.listPictures(under: "\(path)/\(sub)").map { PairedFile(key: "\(sub)/\($0)", source: .sideBySide("\(path)/\(sub)/\($0)")) }
                }
                self.init(train: list("train"), validation: list("val"), split: true, unmatched: [])
            } else {
                let all = ImageFolder.listPictures(under: path).map { PairedFile(key: $0, source: .sideBySide("\(path)/\($0)")) }
                self.init(hashSplitting: all, unmatched: [])
            }
        case .folders:
            if PairedLayout.isFolder("\(path)/train/A") {
                let train = Self.match(root: "\(path)/train")
                let val = Self.match(root: "\(path)/val")
                self.init(
                    train: train.pairs, validation: val.pairs, split: true,
                    unmatched: train.unmatched.map { "train/\($0)" } + val.unmatched.map { "val/\($0)" })
            } else {
                let all = Self.match(root: path)
                let inTrain = all.pairs.filter { $0.key.hasPrefix("train/") }
                if inTrain.isEmpty {
                    self.init(hashSplitting: all.pairs, unmatched: all.unmatched)
                } else {
                    self.init(train: inTrain, validation: all.pairs.filter { $0.key.hasPrefix("val/") }, split: true, unmatched: all.unmatched)
                }
            }
        }
    }

    private init(train: [PairedFile], validation: [PairedFile], split: Bool, unmatched: [String]) {
        (self.train, self.validation, self.hasSplitFolders, self.unmatched) = (train, validation, split, unmatched)
    }

    private init(hashSplitting all: [PairedFile], unmatched: [String]) {
        let isValidation = all.map { ValidationSplit.isHeldOut($0.key) }
        self.init(
            train: zip(all, isValidation).filter { !$0.1 }.map(\.0),
            validation: zip(all, isValidation).filter { $0.1 }.map(\.0), split: false, unmatched: unmatched)
    }

    /// Every pair, training then validation (what `tinct test` uses on a folder without a split).
    public var all: [PairedFile] { train + validation }

    /// Pairs `root/A/…` with `root/B/…` by relative path without extension; a missing
    /// folder contributes no pictures. Sorted by key.
    static func match(root: String) -> (pairs: [PairedFile], unmatched: [String]) {
        func byKey(_ side: String) -> (files: [String: String], extra: [String]) {
            var files: [String: String] = [:]
            var extra: [String] = []
            for relative in ImageFolder.listPictures(under: "\(root)/\(side)") {
                let key = (relative as NSString).deletingPathExtension
                if files[key] == nil { files[key] = relative } else { extra.append("\(side)/\(relative)") }
            }
            return (files, extra)
        }
        let a = byKey("A")
        let b = byKey("B")
        var pairs: [PairedFile] = []
        var unmatched = a.extra + b.extra
        for (key, relative) in a.files {
            if let partner = b.files[key] {
                pairs.append(PairedFile(key: key, source: .separate(a: "\(root)/A/\(relative)", b: "\(root)/B/\(partner)")))
            } else {
                unmatched.append("A/\(relative)")
            }
        }
        unmatched += b.files.filter { a.files[$0.key] == nil }.map { "B/\($0.value)" }
        return (pairs.sorted { $0.key < $1.key }, unmatched.sorted())
    }
}
