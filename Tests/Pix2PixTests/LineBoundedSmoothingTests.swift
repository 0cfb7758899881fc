import CVectorLoops
import Pix2Pix
import Tensors
import Testing

@Suite("Line-bounded smoothing")
struct LineBoundedSmoothingTests {
    /// 24×24 paper with a vertical ink line at column 12.
    private static let lines = FloatPlane(width: 24, height: 24, values: (0..<(24 * 24)).map { $0 % 24 == 12 ? 0 : 1 })

    /// One plane: `left` left of the line, `right` right of it, with a ±`speckle` checkerboard.
    private static func plane(left: Float, right: Float, speckle: Float) -> [Float] {
        (0..<(24 * 24)).map { i in
            let (x, y) = (i % 24, i / 24)
            return (x < 12 ? left : right) + ((x + y) % 2 == 0 ? speckle : -speckle)
        }
    }

    @Test("nothing crosses a line: one side's result does not depend on the other side at all")
    func linesAreBarriers() {
        var a = Self.plane(left: 0.2, right: -0.7, speckle: 0.05)
        var b = Self.plane(left: 0.2, right: 0.9, speckle: 0.05)
        LineBoundedSmoothing.smooth(&a, channels: 1, lines: Self.lines, sigma: 4)
        LineBoundedSmoothing.smooth(&b, channels: 1, lines: Self.lines, sigma: 4)
        for i in 0..<(24 * 24) where i % 24 < 12 { #expect(a[i] == b[i], "pixel \(i) left of the line") }
        #expect(abs(a[11] - 0.2) < 0.02 && abs(a[13] + 0.7) < 0.02, "the two sides next to the line keep their colours")
    }

    @Test("speckle inside a region is averaged away; a flat region stays flat; channels are separate")
    func removesSpeckle() {
        var planes = Self.plane(left: 0.2, right: -0.7, speckle: 0.05) + [Float](repeating: 0.4, count: 24 * 24)
        LineBoundedSmoothing.smooth(&planes, channels: 2, lines: Self.lines, sigma: 4)
        for y in 4..<20 {
            for x in [3, 8, 16, 21] {
                #expect(abs(planes[y * 24 + x] - (x < 12 ? 0.2 : -0.7)) < 0.005, "(\(x), \(y))")
            }
        }
        #expect(planes[(24 * 24)...].allSatisfy { abs($0 - 0.4) < 1e-5 }, "the second channel was flat")
    }
}

/// The C passes (Sources/CVectorLoops/recursive_filter.c) against the filter's formula written
/// out here, pixel by pixel in the formula's order: equal to the bit on planes whose heights
/// are not whole groups of 8 rows, with barriers; subnormal results flushed to zero, and the
/// thread's floating-point mode as it was afterwards.
@Suite("Recursive filter passes")
struct RecursiveFilterPassTests {
    static func formula(_ v: inout [Float], width: Int, height: Int, left: [Float], up: [Float], feedback: Float) {
        for y in 0..<height {
            for x in 1..<width { v[y * width + x] += left[y * width + x] * feedback * (v[y * width + x - 1] - v[y * width + x]) }
            for x in stride(from: width - 2, through: 0, by: -1) {
                v[y * width + x] += left[y * width + x + 1] * feedback * (v[y * width + x + 1] - v[y * width + x])
            }
        }
        for y in 1..<height {
            for x in 0..<width { v[y * width + x] += up[y * width + x] * feedback * (v[(y - 1) * width + x] - v[y * width + x]) }
        }
        for y in stride(from: height - 2, through: 0, by: -1) {
            for x in 0..<width {
                v[y * width + x] += up[(y + 1) * width + x] * feedback * (v[(y + 1) * width + x] - v[y * width + x])
            }
        }
    }

    @Test("rows and columns equal the formula to the bit", arguments: [(1, 1), (2, 3), (7, 9), (37, 21), (64, 8)])
    func equalsFormula(width: Int, height: Int) {
        var rng = SeededGenerator(seed: UInt64(width * 100 + height))
        let count = width * height
        let start = (0..<count).map { _ in rng.nextUniform() * 2 - 1 }
        let left = (0..<count).map { i in i % width == 0 || rng.nextUniform() < 0.2 ? Float(0) : 1 }
        let up = (0..<count).map { i in i < width || rng.nextUniform() < 0.2 ? Float(0) : 1 }
        var expected = start
        var actual = start
        Self.formula(&expected, width: width, height: height, left: left, up: up, feedback: 0.83)
        tinct_recursive_filter_rows(&actual, width, height, left, 0.83)
        tinct_recursive_filter_columns(&actual, width, height, up, 0.83)
        #expect(actual == expected)
    }

    @Test("subnormal results become zero; the thread's floating-point mode is restored")
    func subnormals() {
        let width = 400
        var row = [Float](repeating: 0, count: width)
        row[0] = 1
        let joined = (0..<width).map { $0 == 0 ? Float(0) : 1 }
        tinct_recursive_filter_rows(&row, width, 1, joined, 0.5)
        #expect(row.allSatisfy { $0 == 0 || $0 >= Float.leastNormalMagnitude }, "a subnormal survived")
        #expect(row[1] > 0, "normal values are kept")
        let tiny = row.reduce(Float.leastNormalMagnitude) { max($0, $1 * 0) }  // not a constant the compiler folds
        #expect(tiny / 4 > 0, "subnormal arithmetic is flushed outside the passes")
    }
}
