import Pix2Pix
import Tensors
import Testing

@Suite("Box means")
struct BoxMeanTests {
    /// The mean over each pixel's window cropped at the borders, summed pixel by pixel in Double.
    static func bruteForce(width: Int, height: Int, radius: Int, _ value: (Int) -> Float) -> [Double] {
        var means = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var (sum, count) = (0.0, 0)
                for v in max(y - radius, 0)...min(y + radius, height - 1) {
                    for u in max(x - radius, 0)...min(x + radius, width - 1) {
                        sum += Double(value(v * width + u))
                        count += 1
                    }
                }
                means[y * width + x] = sum / Double(count)
            }
        }
        return means
    }

    private static func randomPlane(width: Int, height: Int, seed: UInt64) -> FloatPlane {
        var rng = SeededGenerator(seed: seed)
        return FloatPlane(width: width, height: height, values: (0..<(width * height)).map { _ in rng.nextUniform() * 2 - 1 })
    }

    @Test(
        "match the windows' means computed pixel by pixel, borders, windows wider than the plane and planes shared across cores included",
        arguments: [(11, 9, 2), (40, 30, 50), (7, 5, 0), (260, 140, 3), (1, 13, 4)])
    func matchBruteForce(width: Int, height: Int, radius: Int) {
        let plane = Self.randomPlane(width: width, height: height, seed: UInt64(width * 1000 + radius))
        let means = BoxMean.of(plane, radius: radius)
        let expected = Self.bruteForce(width: width, height: height, radius: radius) { plane.values[$0] }
        let worst = zip(means.values, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-5, "largest difference \(worst)")
    }

    @Test("of products: the means of values times factors")
    func products() {
        let (width, height, radius) = (230, 150, 5)
        let values = Self.randomPlane(width: width, height: height, seed: 1)
        let factors = Self.randomPlane(width: width, height: height, seed: 2)
        var means = [Float](repeating: 0, count: width * height)
        var scratch = [Float](repeating: 0, count: width * height)
        values.values.withUnsafeBufferPointer { v in
            factors.values.withUnsafeBufferPointer { f in
                BoxMean.compute(
                    of: v.baseAddress!, times: f.baseAddress!, width: width, height: height, radius: radius,
                    scratch: &scratch, into: &means)
            }
        }
        let expected = Self.bruteForce(width: width, height: height, radius: radius) { values.values[$0] * factors.values[$0] }
        let worst = zip(means, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-5, "largest difference \(worst)")
    }
}
