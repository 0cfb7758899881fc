import Foundation
import Tensors

/// eXtended Difference of Gaussians line extraction (Winnemöller, Kyprianidis & Olsen,
/// "XDoG: An eXtended difference-of-Gaussians compendium", Computers & Graphics 2012).
///
/// On luminance `I` in [0, 1]:
///
///     S = (1 + p) · G_σ ∗ I − p · G_kσ ∗ I              (sharpened DoG, eq. 5)
///     T(S) = 1                       if S ≥ ε
///            1 + tanh(φ · (S − ε))   otherwise            (soft threshold, eq. 7)
///
/// Flat areas give `S = I` and stay white whenever `I ≥ ε`; the dark side of an edge dips
/// far below its own value and becomes ink. Larger `σ` ignores finer texture, larger `p`
/// catches fainter edges, lower `ε` keeps dark regions from filling, larger `φ` gives
/// harder, less anti-aliased lines.
public struct XDoG: Codable, Sendable, Equatable {
    /// Standard deviation of the narrow Gaussian, in pixels.
    public var sigma: Float
    /// Ratio of the wide Gaussian to the narrow one (≈1.6 approximates a Laplacian of Gaussian).
    public var k: Float
    /// Sharpening strength p.
    public var p: Float
    /// Threshold ε on the sharpened image, in luminance units.
    public var epsilon: Float
    /// Steepness φ of the soft threshold.
    public var phi: Float

    /// Creates the filter; the defaults suit 256×256 pictures.
    public init(sigma: Float = 0.8, k: Float = 1.6, p: Float = 20, epsilon: Float = -0.02, phi: Float = 20) {
        precondition(sigma > 0 && k > 1 && p >= 0 && phi > 0, "invalid XDoG parameters")
        self.sigma = sigma
        self.k = k
        self.p = p
        self.epsilon = epsilon
        self.phi = phi
    }

    /// Ranges `random(using:)` draws from: σ 0.6–1.4 px, k 1.6 fixed, p 12–30, ε −0.10–0.02,
    /// φ 10–40. All of them give clean outlines on photos and flat-colour art.
    public static let sigmaRange: ClosedRange<Float> = 0.6...1.4
    /// See `sigmaRange`.
    public static let pRange: ClosedRange<Float> = 12...30
    /// See `sigmaRange`.
    public static let epsilonRange: ClosedRange<Float> = -0.10...0.02
    /// See `sigmaRange`.
    public static let phiRange: ClosedRange<Float> = 10...40

    /// Parameters drawn uniformly from the documented ranges.
    public static func random(using rng: inout SeededGenerator) -> XDoG {
        XDoG(
            sigma: rng.uniform(sigmaRange), k: 1.6, p: rng.uniform(pRange), epsilon: rng.uniform(epsilonRange),
            phi: rng.uniform(phiRange))
    }

    /// Line art (1 = paper, 0 = ink) from a luminance plane in [0, 1].
    public func apply(toLuminance luminance: FloatPlane) -> FloatPlane {
        let narrow = GaussianBlur.blur(luminance, sigma: sigma)
        let wide = GaussianBlur.blur(luminance, sigma: k * sigma)
        var output = narrow
        for index in output.values.indices {
            let sharpened = (1 + p) * narrow.values[index] - p * wide.values[index]
            output.values[index] = sharpened >= epsilon ? 1 : 1 + tanh(phi * (sharpened - epsilon))
        }
        return output
    }
}
