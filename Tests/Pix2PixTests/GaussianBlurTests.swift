import Pix2Pix
import Tensors
import Testing

@Suite("Gaussian blur")
struct GaussianBlurTests {
    @Test("on a plane shared across cores, every pixel is its taps summed in order, rows then columns, edges replicated")
    func matchesTapsInOrder() {
        let (width, height, sigma) = (230, 160, Float(1.5))
        var rng = SeededGenerator(seed: 21)
        let plane = FloatPlane(width: width, height: height, values: (0..<(width * height)).map { _ in rng.nextUniform() })
        let weights = GaussianBlur.kernel(sigma: sigma)
        let radius = weights.count / 2
        func clamped(_ i: Int, _ n: Int) -> Int { min(max(i, 0), n - 1) }
        var rows = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for tap in weights.indices { sum += weights[tap] * plane[clamped(x + tap - radius, width), y] }
                rows[y * width + x] = sum
            }
        }
        var expected = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for tap in weights.indices { sum += weights[tap] * rows[clamped(y + tap - radius, height) * width + x] }
                expected[y * width + x] = sum
            }
        }
        #expect(GaussianBlur.blur(plane, sigma: sigma).values == expected)
    }
}
