import Foundation

/// Which side of a pair the generator reads and which it must produce (pix2pix `--direction`).
public enum PairDirection: String, Codable, Sendable, CaseIterable {
    case aToB = "AtoB"
    case bToA = "BtoA"
}

/// How a paired dataset is stored on disk.
public enum PairedLayout: String, Codable, Sendable, CaseIterable {
    /// One file per pair, A in the left half and B in the right half (pix2pix's aligned
    /// datasets such as facades; the Kaggle anime sketch-colorization pairs).
    case sideBySide = "side-by-side"
    /// Two folders `A/` and `B/`, files paired by relative path without extension, so
    /// `A/x/1.jpg` goes with `B/x/1.png`. Either `DATA/A`, `DATA/B` (optionally each with
    /// `train/` and `val/` inside, as pix2pix's `combine_A_and_B.py` expects) or
    /// `DATA/train/{A,B}` and `DATA/val/{A,B}`.
    case folders

    /// `folders` when `path` holds `A/` and `B/` (or `train/A/` and `train/B/`), else `sideBySide`.
    public static func detect(at path: String) -> PairedLayout {
        let hasAB = { (root: String) in isFolder("\(root)/A") && isFolder("\(root)/B") }
        return hasAB(path) || hasAB("\(path)/train") ? .folders : .sideBySide
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}

/// What a pix2pix run must know about its data; saved in the config (and so in every
/// checkpoint) so that a resumed run reads the data exactly as the first one did.
public struct PairedDataConfig: Codable, Sendable, Equatable {
    public var direction: PairDirection
    public var layout: PairedLayout

    public init(direction: PairDirection = .aToB, layout: PairedLayout) {
        (self.direction, self.layout) = (direction, layout)
    }
}
