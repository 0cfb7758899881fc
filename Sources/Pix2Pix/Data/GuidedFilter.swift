/// The guided filter of He, Sun and Tang ("Guided Image Filtering", ECCV 2010): smooths a
/// plane while keeping the edges of a guide plane. In every window the output is an affine
/// function of the guide, `a·guide + b`, fitted to the input by least squares with a ridge
/// penalty `epsilon` on `a`; the per-window fits are then averaged.
///
/// Where the guide is flat inside a window (variance ≪ `epsilon`) the output is the window's
/// mean of the input, so high-frequency texture there is removed; where the guide has an
/// edge the output follows it, so edges the guide shows stay sharp. Cost is O(pixels) for
/// any radius (box means from summed-area tables).
public enum GuidedFilter {
    /// `input` smoothed under the edges of `guide` (same size), with square windows of side
    /// `2·radius + 1`. `epsilon` is in squared guide units: a guide step of size `s` counts
    /// as an edge when `s²` is well above it.
    public static func smooth(_ input: FloatPlane, guide: FloatPlane, radius: Int, epsilon: Float) -> FloatPlane {
        precondition(input.width == guide.width && input.height == guide.height, "guide and input differ in size")
        precondition(epsilon > 0, "epsilon must be positive")
        let count = input.values.count
        func mean(_ plane: FloatPlane) -> [Float] { IntegralImage(plane).boxMean(radius: radius).values }
        func plane(_ values: [Float]) -> FloatPlane { FloatPlane(width: input.width, height: input.height, values: values) }

        let guideMean = mean(guide)
        let inputMean = mean(input)
        let guideSquareMean = mean(plane((0..<count).map { guide.values[$0] * guide.values[$0] }))
        let productMean = mean(plane((0..<count).map { guide.values[$0] * input.values[$0] }))
        var slope = [Float](repeating: 0, count: count)
        var offset = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let variance = max(guideSquareMean[i] - guideMean[i] * guideMean[i], 0)
            let covariance = productMean[i] - guideMean[i] * inputMean[i]
            slope[i] = covariance / (variance + epsilon)
            offset[i] = inputMean[i] - slope[i] * guideMean[i]
        }
        let slopeMean = mean(plane(slope))
        let offsetMean = mean(plane(offset))
        return plane((0..<count).map { slopeMean[$0] * guide.values[$0] + offsetMean[$0] })
    }
}
