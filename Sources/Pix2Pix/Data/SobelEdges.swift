import Tensors

/// Line extraction by gradient magnitude: Gaussian pre-blur, 3×3 Sobel, then a linear ramp
/// from paper (magnitude ≤ `low`) to ink (magnitude ≥ `high`).
///
/// The Sobel response is divided by 8 so a magnitude reads as luminance change per pixel
/// (a sharp black-to-white step measures 0.5 on both pixels beside it). Lines straddle the
/// edge, so they come out about two pixels wide, unlike XDoG's one-sided lines.
public struct SobelEdges: Codable, Sendable, Equatable {
    /// Pre-blur standard deviation, in pixels (suppresses texture and noise).
    public var sigma: Float
    /// Gradient magnitude at and below which a pixel is paper.
    public var low: Float
    /// Gradient magnitude at and above which a pixel is full ink.
    public var high: Float

    /// Creates the filter; the defaults suit 256×256 pictures.
    public init(sigma: Float = 0.8, low: Float = 0.05, high: Float = 0.2) {
        precondition(sigma >= 0 && low >= 0 && high > low, "invalid Sobel parameters")
        self.sigma = sigma
        self.low = low
        self.high = high
    }

    /// Ranges `random(using:)` draws from: σ 0.5–1.2 px, low 0.03–0.08, high = low + 0.08–0.25.
    public static let sigmaRange: ClosedRange<Float> = 0.5...1.2
    /// See `sigmaRange`.
    public static let lowRange: ClosedRange<Float> = 0.03...0.08
    /// See `sigmaRange`.
    public static let rampRange: ClosedRange<Float> = 0.08...0.25

    /// Parameters drawn uniformly from the documented ranges.
    public static func random(using rng: inout SeededGenerator) -> SobelEdges {
        let low = rng.uniform(lowRange)
        return SobelEdges(sigma: rng.uniform(sigmaRange), low: low, high: low + rng.uniform(rampRange))
    }

    /// Line art (1 = paper, 0 = ink) from a luminance plane in [0, 1].
    public func apply(toLuminance luminance: FloatPlane) -> FloatPlane {
        let smooth = GaussianBlur.blur(luminance, sigma: sigma)
        let width = smooth.width
        let height = smooth.height
        var output = FloatPlane(width: width, height: height, repeating: 1)
        guard width > 0, height > 0 else { return output }
        smooth.values.withUnsafeBufferPointer { s in
            output.values.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    let up = max(y - 1, 0) * width
                    let row = y * width
                    let down = min(y + 1, height - 1) * width
                    for x in 0..<width {
                        let left = max(x - 1, 0)
                        let right = min(x + 1, width - 1)
                        let gx =
                            (s[up + right] + 2 * s[row + right] + s[down + right])
                            - (s[up + left] + 2 * s[row + left] + s[down + left])
                        let gy =
                            (s[down + left] + 2 * s[down + x] + s[down + right])
                            - (s[up + left] + 2 * s[up + x] + s[up + right])
                        let magnitude = (gx * gx + gy * gy).squareRoot() / 8
                        out[row + x] = 1 - min(max((magnitude - low) / (high - low), 0), 1)
                    }
                }
            }
        }
        return output
    }
}
