/// The guided filter of He, Sun and Tang ("Guided Image Filtering", ECCV 2010): smooths a
/// plane while keeping the edges of a guide plane. In every window the output is an affine
/// function of the guide, `a·guide + b`, fitted to the input by least squares with a ridge
/// penalty `epsilon` on `a`; the per-window fits are then averaged.
///
/// Where the guide is flat inside a window (variance ≪ `epsilon`) the output is the window's
/// mean of the input, so high-frequency texture there is removed; where the guide has an
/// edge the output follows it, so edges the guide shows stay sharp. Cost is O(pixels) for
/// any radius (box means from summed-area tables). The guide's own statistics are computed
/// once, so one filter smooths several planes (a\* and b\*) for the price of one guide.
public struct GuidedFilter {
    /// Window radius: windows are `2·radius + 1` pixels square, cropped at the borders.
    public let radius: Int
    /// Ridge penalty in squared guide units: a guide step of size `s` counts as an edge when
    /// `s²` is well above it.
    public let epsilon: Float
    private let guide: FloatPlane
    private let guideMean: [Float]
    private let guideVariance: [Float]

    public init(guide: FloatPlane, radius: Int, epsilon: Float) {
        precondition(radius >= 0, "radius must not be negative, got \(radius)")
        precondition(epsilon > 0, "epsilon must be positive")
        (self.guide, self.radius, self.epsilon) = (guide, radius, epsilon)
        let mean = Self.boxMean(guide.values, like: guide, radius: radius)
        let squareMean = Self.boxMean(guide.values.map { $0 * $0 }, like: guide, radius: radius)
        guideMean = mean
        guideVariance = zip(squareMean, mean).map { max($0 - $1 * $1, 0) }
    }

    /// `input` (the guide's size) smoothed under the guide's edges.
    public func smooth(_ input: FloatPlane) -> FloatPlane {
        precondition(input.width == guide.width && input.height == guide.height, "guide and input differ in size")
        let count = input.values.count
        let inputMean = Self.boxMean(input.values, like: guide, radius: radius)
        let productMean = Self.boxMean((0..<count).map { guide.values[$0] * input.values[$0] }, like: guide, radius: radius)
        var slope = [Float](repeating: 0, count: count)
        var offset = [Float](repeating: 0, count: count)
        for i in 0..<count {
            slope[i] = (productMean[i] - guideMean[i] * inputMean[i]) / (guideVariance[i] + epsilon)
            offset[i] = inputMean[i] - slope[i] * guideMean[i]
        }
        let slopeMean = Self.boxMean(slope, like: guide, radius: radius)
        let offsetMean = Self.boxMean(offset, like: guide, radius: radius)
        return FloatPlane(width: guide.width, height: guide.height, values: (0..<count).map { slopeMean[$0] * guide.values[$0] + offsetMean[$0] })
    }

    private static func boxMean(_ values: [Float], like plane: FloatPlane, radius: Int) -> [Float] {
        IntegralImage(FloatPlane(width: plane.width, height: plane.height, values: values)).boxMean(radius: radius).values
    }
}
