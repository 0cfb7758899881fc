import Tensors

/// The guided filter of He, Sun and Tang ("Guided Image Filtering", ECCV 2010): smooths a
/// plane while keeping the edges of a guide plane. In every window the output is an affine
/// function of the guide, `a·guide + b`, fitted to the input by least squares with a ridge
/// penalty `epsilon` on `a`; the per-window fits are then averaged.
///
/// Where the guide is flat inside a window (variance ≪ `epsilon`) the output is the window's
/// mean of the input, so high-frequency texture there is removed; where the guide has an
/// edge the output follows it, so edges the guide shows stay sharp. Cost is O(pixels) for
/// any radius (`BoxMean`), spread over the cores. The guide's own statistics are computed
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
        var mean = [Float](repeating: 0, count: guide.values.count)
        var variance = [Float](repeating: 0, count: guide.values.count)
        var scratch = [Float](repeating: 0, count: guide.values.count)
        guide.values.withUnsafeBufferPointer { g in
            let (width, height) = (guide.width, guide.height)
            BoxMean.compute(of: g.baseAddress!, width: width, height: height, radius: radius, scratch: &scratch, into: &mean)
            BoxMean.compute(  // E[g²] for now
                of: g.baseAddress!, times: g.baseAddress!, width: width, height: height, radius: radius,
                scratch: &scratch, into: &variance)
        }
        // E[g²] − E[g]², never below 0 (rounding).
        variance.withUnsafeMutableBufferPointer {
            Self.forEachPixel(guide.values.count, $0.baseAddress!, mean) { squareMean, mean in max(squareMean - mean * mean, 0) }
        }
        (guideMean, guideVariance) = (mean, variance)
    }

    /// `input` (the guide's size) smoothed under the guide's edges.
    public func smooth(_ input: FloatPlane) -> FloatPlane {
        precondition(input.width == guide.width && input.height == guide.height, "guide and input differ in size")
        return FloatPlane(width: guide.width, height: guide.height, values: smooth(planes: input.values))
    }

    /// Each of `planes` (channel-major, every plane the guide's size: a\* then b\*, say)
    /// smoothed under the guide's edges, the planes in the same order; one set of working
    /// planes serves them all.
    public func smooth(planes: [Float]) -> [Float] {
        let (count, width, height) = (guide.values.count, guide.width, guide.height)
        precondition(count > 0 && planes.count % count == 0, "planes are not whole planes of the guide's size")
        var output = [Float](repeating: 0, count: planes.count)
        var slope = [Float](repeating: 0, count: count)
        var offset = [Float](repeating: 0, count: count)
        var scratch = [Float](repeating: 0, count: count)
        let boxMean = { (values: UnsafePointer<Float>, factors: UnsafePointer<Float>?, means: UnsafeMutablePointer<Float>) in
            BoxMean.compute(
                of: values, times: factors, width: width, height: height, radius: radius, scratch: &scratch, into: means)
        }
        for start in stride(from: 0, to: planes.count, by: count) {
            planes.withUnsafeBufferPointer { p in
                guide.values.withUnsafeBufferPointer { g in
                    boxMean(p.baseAddress! + start, nil, &offset)  // E[p] for now
                    boxMean(g.baseAddress!, p.baseAddress! + start, &slope)  // E[g·p] for now
                }
            }
            fitWindows(slope: &slope, offset: &offset)
            // Each pixel: the mean of its windows' a times g, plus the mean of their b.
            output.withUnsafeMutableBufferPointer { out in
                let target = out.baseAddress! + start
                slope.withUnsafeBufferPointer { boxMean($0.baseAddress!, nil, target) }
                Self.forEachPixel(count, target, guide.values) { slopeMean, g in slopeMean * g }
                offset.withUnsafeBufferPointer { boxMean($0.baseAddress!, nil, &slope) }
                Self.forEachPixel(count, target, slope) { product, offsetMean in product + offsetMean }
            }
        }
        return output
    }

    /// Every window's least-squares fit, from E[g·p] in `slope` and E[p] in `offset`:
    /// a = cov(g, p) / (var(g) + ε) into `slope`, b = E[p] − a·E[g] into `offset`.
    private func fitWindows(slope: inout [Float], offset: inout [Float]) {
        let epsilon = epsilon
        slope.withUnsafeMutableBufferPointer { a in
            offset.withUnsafeMutableBufferPointer { b in
                guideMean.withUnsafeBufferPointer { mean in
                    guideVariance.withUnsafeBufferPointer { variance in
                        let (a, b) = (UncheckedSendable(a.baseAddress!), UncheckedSendable(b.baseAddress!))
                        let (mean, variance) = (UncheckedSendable(mean.baseAddress!), UncheckedSendable(variance.baseAddress!))
                        Parallel.forEachChunk(guide.values.count) { pixels in
                            for i in pixels {
                                let inputMean = b.value[i]
                                a.value[i] = (a.value[i] - mean.value[i] * inputMean) / (variance.value[i] + epsilon)
                                b.value[i] = inputMean - a.value[i] * mean.value[i]
                            }
                        }
                    }
                }
            }
        }
    }

    /// target[i] = combine(target[i], other[i]) for the first `count` pixels, on all cores.
    private static func forEachPixel(
        _ count: Int, _ target: UnsafeMutablePointer<Float>, _ other: [Float], _ combine: (Float, Float) -> Float
    ) {
        other.withUnsafeBufferPointer { o in
            let (t, o) = (UncheckedSendable(target), UncheckedSendable(o.baseAddress!))
            Parallel.forEachChunk(count) { pixels in
                for i in pixels { t.value[i] = combine(t.value[i], o.value[i]) }
            }
        }
    }
}
