import Pix2Pix
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
