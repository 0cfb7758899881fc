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
