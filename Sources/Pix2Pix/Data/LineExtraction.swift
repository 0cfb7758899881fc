import ImageCodecs
import Tensors

/// Turns a colour picture into synthetic line art (1 = white paper, 0 = ink): the input
/// half of a training pair for line-art colorization.
///
/// A model trained on one extractor learns that extractor's quirks (XDoG's one-sided
/// lines, Sobel's doubled ones) and fails on real drawings, so training draws a fresh
/// extractor per pair with `random(rng:)`:
/// - method: XDoG with probability 0.5, adaptive threshold 0.25, Sobel 0.25, each with
///   parameters uniform in the ranges documented on `XDoG`, `AdaptiveThreshold` and
///   `SobelEdges`;
/// - thickness: ink dilation radius 0 (probability 0.55), 1 (0.3) or 2 (0.15).
public struct LineExtractor: Codable, Sendable, Equatable {
    /// Which edge detector produces the lines, with its parameters.
    public enum Method: Codable, Sendable, Equatable {
        /// Soft-thresholded sharpened difference of Gaussians.
        case xdog(XDoG)
        /// Darker-than-the-local-mean thresholding.
        case adaptiveThreshold(AdaptiveThreshold)
        /// Gradient magnitude.
        case sobel(SobelEdges)
    }

    /// The edge detector.
    public var method: Method
    /// Line-weight change applied afterwards, −2...2 (see `LineThickness.adjust(_:by:)`).
    public var thickness: Int

    /// Creates an extractor; the default is XDoG with its default parameters, unthickened.
    public init(method: Method = .xdog(XDoG()), thickness: Int = 0) {
        precondition(abs(thickness) <= LineThickness.maximumRadius, "thickness must be in -2...2, got \(thickness)")
        self.method = method
        self.thickness = thickness
    }

    /// Line art from `image`, the same size.
    public func extract(from image: RGBImage) -> FloatPlane {
        extract(fromLuminance: FloatPlane(luminanceOf: image))
    }

    /// Line art from a luminance plane in [0, 1].
    public func extract(fromLuminance luminance: FloatPlane) -> FloatPlane {
        let lines: FloatPlane
        switch method {
        case .xdog(let filter): lines = filter.apply(toLuminance: luminance)
        case .adaptiveThreshold(let filter): lines = filter.apply(toLuminance: luminance)
        case .sobel(let filter): lines = filter.apply(toLuminance: luminance)
        }
        return LineThickness.adjust(lines, by: thickness)
    }

    /// An extractor drawn as described on the type; the same generator state gives the same one.
    public static func random(rng: inout SeededGenerator) -> LineExtractor {
        let methodDraw = rng.nextUniform()
        let method: Method
        if methodDraw < 0.5 {
            method = .xdog(XDoG.random(using: &rng))
        } else if methodDraw < 0.75 {
            method = .adaptiveThreshold(AdaptiveThreshold.random(using: &rng))
        } else {
            method = .sobel(SobelEdges.random(using: &rng))
        }
        let thicknessDraw = rng.nextUniform()
        let thickness = thicknessDraw < 0.55 ? 0 : thicknessDraw < 0.85 ? 1 : 2
        return LineExtractor(method: method, thickness: thickness)
    }
}
