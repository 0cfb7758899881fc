/// Line extraction for a whole picture a person opened (the editor's "Extract lines"), as
/// opposed to training's randomized extractors.
extension LineExtractor {
    /// The detectors a person can pick, each with its documented default parameters.
    public enum Style: String, Codable, Sendable, CaseIterable {
        /// XDoG: clean one-sided outlines, the best default for drawings and flat-colour art.
        case xdog
        /// Adaptive threshold: keeps dark fills and hatching.
        case adaptive
        /// Sobel edges: lines on both sides of every edge, for photos with soft shading.
        case sobel
    }

    /// Side, in pixels, that the filters' default parameters are tuned for.
    public static let referenceSide = 256
    /// Largest factor the parameters are scaled by, so very large pictures keep their detail.
    public static let maximumPictureScale: Float = 4

    /// An extractor for a `width`×`height` picture whose lines are about as thick, relative
    /// to the picture, as the defaults give at 256×256 (the scale the colorization models saw
    /// in training): blur widths and windows grow with the picture's longer side, by a factor
    /// between 1 and `maximumPictureScale`. Smaller pictures use the defaults unchanged.
    public static func forPicture(width: Int, height: Int, style: Style = .xdog) -> LineExtractor {
        let scale = min(maximumPictureScale, max(1, Float(max(width, height)) / Float(referenceSide)))
        switch style {
        case .xdog:
            var filter = XDoG()
            filter.sigma *= scale
            return LineExtractor(method: .xdog(filter))
        case .adaptive:
            var filter = AdaptiveThreshold()
            filter.radius = Int((Float(filter.radius) * scale).rounded())
            return LineExtractor(method: .adaptiveThreshold(filter))
        case .sobel:
            // A blurrier edge spreads the same contrast over more pixels, so the per-pixel
            // gradient thresholds shrink by the same factor.
            var filter = SobelEdges()
            filter.sigma *= scale
            filter.low /= scale
            filter.high /= scale
            return LineExtractor(method: .sobel(filter))
        }
    }
}
