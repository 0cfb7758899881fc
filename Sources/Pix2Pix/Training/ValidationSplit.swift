/// Which pictures of a dataset without `train/` and `val/` subfolders are held out for
/// validation: one in `oneIn`, chosen by a stable hash of the file's path in the dataset, so
/// every run, machine and the dashboard's description agree on the same ones.
public enum ValidationSplit {
    /// One picture in this many is held out (5 %).
    public static let oneIn: UInt64 = 20

    /// Fewer validation pictures than this make the checkpoint table's figures too noisy to
    /// compare checkpoints by (one odd picture moves the mean ΔE by several units); the
    /// dashboard and `tinct train` warn below it.
    public static let fewPictures = 8

    /// Whether the picture at `name` (its path relative to the dataset) is held out.
    public static func isHeldOut(_ name: String) -> Bool { stableHash(name) % oneIn == 0 }

    /// How many of `names` are held out.
    public static func heldOutCount(_ names: [String]) -> Int { names.filter(isHeldOut).count }

    /// FNV-1a over the UTF-8 bytes: the same on every machine and run.
    static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }
}
