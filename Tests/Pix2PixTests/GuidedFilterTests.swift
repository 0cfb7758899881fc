import Pix2Pix
import Testing

@Suite("Guided filter")
struct GuidedFilterTests {
    /// The filter's definition computed the slow way: for every window (cropped at the
    /// borders) the least-squares fit `a·guide + b` with ridge `epsilon`, then each pixel
    /// averages the fits of the windows that contain it.
    private static func bruteForce(_ p: FloatPlane, guide: FloatPlane, radius: Int, epsilon: Double) -> [Double] {
        let (w, h) = (p.width, p.height)
        func window(_ x: Int, _ y: Int) -> [(Int, Int)] {
            var pixels: [(Int, Int)] = []
            for v in max(0, y - radius)...min(h - 1, y + radius) {
                for u in max(0, x - radius)...min(w - 1, x + radius) { pixels.append((u, v)) }
            }
            return pixels
        }
        var a = [Double](repeating: 0, count: w * h)
        var b = a
        for y in 0..<h {
            for x in 0..<w {
                let pixels = window(x, y)
                let n = Double(pixels.count)
                let gs = pixels.map { Double(guide[$0.0, $0.1]) }
                let ps = pixels.map { Double(p[$0.0, $0.1]) }
                let mg = gs.reduce(0, +) / n
                let mp = ps.reduce(0, +) / n
                let variance = gs.map { ($0 - mg) * ($0 - mg) }.reduce(0, +) / n
                let covariance = zip(gs, ps).map { ($0 - mg) * ($1 - mp) }.reduce(0, +) / n
                a[y * w + x] = covariance / (variance + epsilon)
                b[y * w + x] = mp - a[y * w + x] * mg
            }
        }
        return (0..<(w * h)).map { i in
            let (x, y) = (i % w, i / w)
            let pixels = window(x, y)
            let meanA = pixels.map { a[$0.1 * w + $0.0] }.reduce(0, +) / Double(pixels.count)
            let meanB = pixels.map { b[$0.1 * w + $0.0] }.reduce(0, +) / Double(pixels.count)
            return meanA * Double(guide[x, y]) + meanB
        }
    }

    @Test("matches the per-window least-squares definition, borders included")
    func matchesDefinition() {
        let (w, h) = (13, 9)
        let guide = FloatPlane(width: w, height: h, values: (0..<(w * h)).map { i in Float((i * 37) % 17) / 16 })
        let input = FloatPlane(width: w, height: h, values: (0..<(w * h)).map { i in Float((i * 11) % 7) / 3 - 1 })
        for (radius, epsilon) in [(1, Float(0.01)), (3, 0.001)] {
            let fast = GuidedFilter(guide: guide, radius: radius, epsilon: epsilon).smooth(input)
            let slow = Self.bruteForce(input, guide: guide, radius: radius, epsilon: Double(epsilon))
            for i in 0..<(w * h) { #expect(abs(Double(fast.values[i]) - slow[i]) < 1e-4, "pixel \(i), radius \(radius)") }
        }
    }

    @Test("on a plane shared across cores it matches the definition, and several planes at once match one at a time")
    func sharedPlanes() {
        let (w, h, radius, epsilon) = (190, 180, 2, Float(0.01))
        let guide = FloatPlane(width: w, height: h, values: (0..<(w * h)).map { i in Float((i * 37) % 17) / 16 })
        let first = FloatPlane(width: w, height: h, values: (0..<(w * h)).map { i in Float((i * 11) % 7) / 3 - 1 })
        let second = FloatPlane(width: w, height: h, values: (0..<(w * h)).map { i in Float((i * 5) % 13) / 6 - 1 })
        let filter = GuidedFilter(guide: guide, radius: radius, epsilon: epsilon)
        let both = filter.smooth(planes: first.values + second.values)
        #expect(both == filter.smooth(first).values + filter.smooth(second).values)
        let reference = Self.fromBoxMeans(first, guide: guide, radius: radius, epsilon: Double(epsilon))
        let worst = zip(both[0..<(w * h)], reference).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-4, "largest difference \(worst)")
    }

    /// The definition again, from window means summed pixel by pixel in Double (`BoxMeanTests`):
    /// mean_a·g + mean_b with a = cov(g, p)/(var(g) + ε), b = E[p] − a·E[g].
    private static func fromBoxMeans(_ p: FloatPlane, guide: FloatPlane, radius: Int, epsilon: Double) -> [Double] {
        let (w, h) = (p.width, p.height)
        func mean(_ value: (Int) -> Double) -> [Double] {
            BoxMeanTests.bruteForce(width: w, height: h, radius: radius) { Float(value($0)) }
        }
        let (g, q) = (guide.values.map(Double.init), p.values.map(Double.init))
        let (mg, mq) = (mean { g[$0] }, mean { q[$0] })
        let (mgg, mgq) = (mean { g[$0] * g[$0] }, mean { g[$0] * q[$0] })
        let a = (0..<(w * h)).map { (mgq[$0] - mg[$0] * mq[$0]) / (max(mgg[$0] - mg[$0] * mg[$0], 0) + epsilon) }
        let b = (0..<(w * h)).map { mq[$0] - a[$0] * mg[$0] }
        let (ma, mb) = (mean { a[$0] }, mean { b[$0] })
        return (0..<(w * h)).map { ma[$0] * g[$0] + mb[$0] }
    }

    @Test("on a flat guide a checkerboard is averaged away and a constant stays")
    func flatGuideRemovesTexture() {
        let side = 24
        let guide = FloatPlane(width: side, height: side, repeating: 0.6)
        let checkerboard = FloatPlane(width: side, height: side, values: (0..<(side * side)).map { i in (i % side + i / side) % 2 == 0 ? 0.3 : 0.1 })
        let smoothed = GuidedFilter(guide: guide, radius: 4, epsilon: 1e-3).smooth(checkerboard)
        for y in 6..<18 { for x in 6..<18 { #expect(abs(smoothed[x, y] - 0.2) < 0.005) } }
        let constant = GuidedFilter(guide: guide, radius: 4, epsilon: 1e-3).smooth(FloatPlane(width: side, height: side, repeating: -0.4))
        #expect(constant.values.allSatisfy { abs($0 + 0.4) < 1e-5 })
    }

    @Test("a step that the guide shows stays sharp")
    func keepsGuideEdges() {
        let side = 24
        // Left half dark, right half light; the input steps at the same column.
        let guide = FloatPlane(width: side, height: side, values: (0..<(side * side)).map { $0 % side < 12 ? 0.2 : 0.8 })
        let step = FloatPlane(width: side, height: side, values: (0..<(side * side)).map { $0 % side < 12 ? -0.5 : 0.5 })
        let smoothed = GuidedFilter(guide: guide, radius: 4, epsilon: 1e-3).smooth(step)
        for y in 0..<side {
            #expect(abs(smoothed[11, y] + 0.5) < 0.02 && abs(smoothed[12, y] - 0.5) < 0.02, "row \(y) next to the edge")
        }
    }
}
