import ImageCodecs

/// A line-art colorization with the page's paper transparent, so it can be placed on
/// anything: over white it is exactly the opaque picture (up to 8-bit rounding).
///
/// The picture is C × ink (C the colour under the lines, ink the line art), and C is, on
/// the page, (1 − p)·v + p with p the paper weight (`LineArtPaint.paper`): of that pixel's
/// result, p × ink is white paper showing through. So alpha = 1 − p·ink and the colour is
/// (C − p)·ink / alpha: paper no hint reaches (p = 1, ink = 1) is clear, lines (ink = 0) and
/// everything inside closed regions (p = 0) are opaque, and the anti-aliased edge of a line
/// on the page keeps its partial alpha.
public enum TransparentPaper {
    /// The RGBA picture for `colorization`.
    /// - Throws: `ExportError.noPaper` unless it is line art composed on regions.
    public static func picture(_ colorization: LayeredColorization) throws(ExportError) -> RGBAImage {
        guard case .lineArt(let paint, let guide) = colorization.source else { throw .noPaper }
        return picture(paint: paint, lines: guide.lines)
    }

    /// The RGBA picture for `paint` under `lines`.
    public static func picture(paint: LineArtPaint, lines: FloatPlane) -> RGBAImage {
        let plane = paint.width * paint.height
        var pixels = [UInt8](repeating: 0, count: 4 * plane)
        for i in 0..<plane {
            let ink = lines.values[i]
            let p = paint.paper[i]
            let alpha = 1 - p * ink
            pixels[4 * i + 3] = LineArtLayers.byte(alpha)
            guard alpha > 0 else { continue }
            for c in 0..<3 {
                pixels[4 * i + c] = LineArtLayers.byte(max(0, paint.colors[c * plane + i] - p) * ink / alpha)
            }
        }
        return RGBAImage(width: paint.width, height: paint.height, pixels: pixels)
    }
}
