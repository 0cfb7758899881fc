/// Brings the chroma a photo model predicted on its letterboxed square to the picture's full
/// resolution: the picture's region is cropped, resized bilinearly, and — when the picture
/// is larger than that region — passed through a guided filter led by the picture's own
/// full-resolution lightness, so color edges land on the picture's edges instead of being
/// blurred across them by the upscaling (guided joint upsampling).
public enum PhotoChromaUpsampling {
    /// `squareChroma`: 2 planes (a, b) of `box.side`² values. `lightness`: the picture's L\*
    /// (0…100), `box.sourceWidth × box.sourceHeight` values. Returns 2 planes at that size.
    public static func upsample(_ squareChroma: [Float], box: Letterbox, lightness: ArraySlice<Float>) -> [Float] {
        let (side, width, height) = (box.side, box.sourceWidth, box.sourceHeight)
        precondition(squareChroma.count == 2 * side * side, "chroma planes do not match the letterbox")
        precondition(lightness.count == width * height, "lightness does not match the picture")
        let scale = Double(max(width, height)) / Double(max(box.width, box.height))
        var planes = [Float](repeating: 0, count: 2 * width * height)
        planes.withUnsafeMutableBufferPointer { target in
            for c in 0..<2 {
                var region = [Float](repeating: 0, count: box.width * box.height)
                for row in 0..<box.height {
                    for col in 0..<box.width {
                        region[row * box.width + col] = squareChroma[c * side * side + (box.y + row) * side + box.x + col]
                    }
                }
                PlaneResize.bilinear(
                    FloatPlane(width: box.width, height: box.height, values: region), width: width, height: height,
                    into: target.baseAddress! + c * width * height)
            }
        }
        guard scale > 1 else { return planes }
        return guidedFilter(lightness: lightness, width: width, height: height, scale: scale).smooth(planes: planes)
    }

    /// Window radius of the upsampling filter in network pixels (scaled to the picture):
    /// the chroma is already smoothed at the network's resolution, so this window only has
    /// to reach across the blur that upscaling adds.
    public static let networkRadius = 4

    private static func guidedFilter(lightness: ArraySlice<Float>, width: Int, height: Int, scale: Double) -> GuidedFilter {
        let guide = FloatPlane(width: width, height: height, values: lightness.map { $0 / 100 })
        let radius = Int((Double(networkRadius) * scale).rounded())
        return GuidedFilter(guide: guide, radius: radius, epsilon: ColorizationEncoding.photoSmoothingEpsilon)
    }
}
