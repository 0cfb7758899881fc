import Tensors

/// Line extraction by adaptive (local-mean) thresholding: a pixel is ink when it is darker
/// than the mean of its `(2·radius + 1)²` neighbourhood by more than `offset`.
///
/// The local mean comes from `BoxMean`, so the cost does not grow with the window.
/// Lines lie on the dark side of each edge and are about `radius` pixels wide; `softness`
/// turns the hard cut into a linear ramp (a pixel `softness` below the threshold is full ink).
public struct AdaptiveThreshold: Codable, Sendable, Equatable {
    /// Half-size of the averaging window, in pixels.
    public var radius: Int
    /// How much darker than its neighbourhood (luminance units) a pixel must be to be ink.
    public var offset: Float
    /// Width of the ramp from paper to ink, in luminance units; 0 is a hard threshold.
    public var softness: Float

    /// Creates the filter; the defaults suit 256×256 pictures.
    public init(radius: Int = 4, offset: Float = 0.04, softness: Float = 0.04) {
        precondition(radius >= 1 && offset >= 0 && softness >= 0, "invalid adaptive threshold parameters")
        self.radius = radius
        self.offset = offset
        self.softness = softness
    }

    /// Ranges `random(using:)` draws from: radius 2–6 px, offset 0.02–0.08, softness 0–0.08.
    public static let radiusRange: ClosedRange<Int> = 2...6
    /// See `radiusRange`.
    public static let offsetRange: ClosedRange<Float> = 0.02...0.08
    /// See `radiusRange`.
    public static let softnessRange: ClosedRange<Float> = 0...0.08

    /// Parameters drawn uniformly from the documented ranges.
    public static func random(using rng: inout SeededGenerator) -> AdaptiveThreshold {
        AdaptiveThreshold(
            radius: rng.integer(in: radiusRange), offset: rng.uniform(offsetRange), softness: rng.uniform(softnessRange))
    }

    /// Line art (1 = paper, 0 = ink) from a luminance plane in [0, 1].
    public func apply(toLuminance luminance: FloatPlane) -> FloatPlane {
        let means = BoxMean.of(luminance, radius: radius)
        var output = luminance
        for index in output.values.indices {
            // How far below the threshold the pixel is; ≤ 0 means paper.
            let depth = means.values[index] - offset - luminance.values[index]
            if depth <= 0 {
                output.values[index] = 1
            } else if softness > 0 {
                output.values[index] = max(0, 1 - depth / softness)
            } else {
                output.values[index] = 0
            }
        }
        return output
    }
}
