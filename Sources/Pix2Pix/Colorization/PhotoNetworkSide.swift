/// The side of the square a photo model sees a picture at. A photo model is trained on
/// random crops of 35–100 % of a picture's short side scaled to its training resolution, so
/// a whole picture shown at 1.5× that resolution puts objects at the scale of a ~⅔ crop —
/// well inside what it learned — while hints and edges land 1.5× more finely. Measured
/// with default-photo (trained at 128 px) on pictures of up to 512 px, colorized at full
/// resolution, ΔE2000 to the original summed over 4, 16, 64 and 128 hints: validation split
/// 15.44 at 128 px, 15.16 at 192, 14.99 at 256; 24 training pictures 17.42, 16.97, 17.12.
/// At 128 px the model lost to the edge-aware fill at 128 hints (3.10 against 2.99 on the
/// validation split); at 192 it does not (2.88). 192 costs 2.25× the network time of 128,
/// 256 four times for no further gain.
public enum PhotoNetworkSide {
    /// How much larger than the training resolution a whole picture is shown.
    public static let scale = 1.5

    /// The side for a `width × height` picture: 1.5 × `trainedAt`, rounded down to a multiple
    /// of `multiple` (what the generator's downsamplings need), when the picture is at least
    /// that large; otherwise `trainedAt`.
    public static func side(width: Int, height: Int, trainedAt resolution: Int, multiple: Int) -> Int {
        precondition(resolution > 0 && multiple > 0 && resolution % multiple == 0, "\(resolution) is not a multiple of \(multiple)")
        let larger = Int(Double(resolution) * scale) / multiple * multiple
        return larger > resolution && max(width, height) >= larger ? larger : resolution
    }
}
