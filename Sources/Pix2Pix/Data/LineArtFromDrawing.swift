import ImageCodecs

/// An uploaded drawing (already line art, perhaps scanned, anti-aliased, or with coloured
/// lines) in the representation extractors produce: a plane in [0, 1], paper 1, ink 0.
///
/// Takes Rec. 601 luminance, then stretches levels linearly so that
/// - paper, the 90th percentile of luminance (drawings are mostly paper), maps to 1, which
///   whitens greyish scans and JPEG paper;
/// - ink, the 1st percentile, but never lighter than halfway to the paper, maps to 0, which
///   makes coloured or pencil-grey lines as dark as the black lines training saw, while a
///   blank page is not blown up into noise.
/// Anti-aliasing survives as intermediate values.
public func lineArt(fromDrawing drawing: RGBImage) -> FloatPlane {
    var plane = FloatPlane(luminanceOf: drawing)
    guard !plane.values.isEmpty else { return plane }
    // 256-bin histogram: percentiles without sorting.
    var histogram = [Int](repeating: 0, count: 256)
    for value in plane.values { histogram[min(max(Int(value * 255 + 0.5), 0), 255)] += 1 }
    func percentile(_ fraction: Double) -> Float {
        let target = Int((Double(plane.values.count - 1) * fraction).rounded(.down))
        var seen = 0
        for (bin, count) in histogram.enumerated() {
            seen += count
            if seen > target { return Float(bin) / 255 }
        }
        return 1
    }
    let paper = max(percentile(0.9), 0.05)
    let ink = max(0, min(percentile(0.01), paper / 2))
    let scale = 1 / (paper - ink)
    for index in plane.values.indices {
        plane.values[index] = min(max((plane.values[index] - ink) * scale, 0), 1)
    }
    return plane
}
