/// A summed-area table: any axis-aligned box sum in four lookups, so a local mean costs the
/// same for every window size.
public struct IntegralImage: Sendable {
    /// Width of the source plane.
    public let width: Int
    /// Height of the source plane.
    public let height: Int
    /// `(height + 1) × (width + 1)` running sums in Double (Float would lose low bits
    /// after ~10⁵ additions); row 0 and column 0 are zero.
    private let sums: [Double]

    /// Builds the table for `plane`.
    public init(_ plane: FloatPlane) {
        let width = plane.width
        let height = plane.height
        self.width = width
        self.height = height
        let stride = width + 1
        var sums = [Double](repeating: 0, count: (height + 1) * stride)
        plane.values.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { table in
                for y in 0..<height {
                    var rowSum: Double = 0
                    for x in 0..<width {
                        rowSum += Double(source[y * width + x])
                        table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + rowSum
                    }
                }
            }
        }
        self.sums = sums
    }

    /// Sum over columns `x0..<x1` and rows `y0..<y1` (clamped to the plane).
    public func sum(x0: Int, y0: Int, x1: Int, y1: Int) -> Double {
        let left = min(max(x0, 0), width)
        let right = min(max(x1, left), width)
        let top = min(max(y0, 0), height)
        let bottom = min(max(y1, top), height)
        let stride = width + 1
        return sums[bottom * stride + right] - sums[top * stride + right] - sums[bottom * stride + left]
            + sums[top * stride + left]
    }

    /// Mean over the `(2·radius + 1)²` window centred on `(x, y)`, cropped at the borders
    /// (so the divisor is the number of pixels actually inside).
    public func mean(x: Int, y: Int, radius: Int) -> Float {
        let x0 = max(x - radius, 0)
        let x1 = min(x + radius + 1, width)
        let y0 = max(y - radius, 0)
        let y1 = min(y + radius + 1, height)
        let count = (x1 - x0) * (y1 - y0)
        guard count > 0 else { return 0 }
        return Float(sum(x0: x0, y0: y0, x1: x1, y1: y1) / Double(count))
    }

    /// Every pixel's window mean (see `mean(x:y:radius:)`) as a plane.
    public func boxMean(radius: Int) -> FloatPlane {
        precondition(radius >= 0, "box radius must not be negative, got \(radius)")
        var values = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { values[y * width + x] = mean(x: x, y: y, radius: radius) }
        }
        return FloatPlane(width: width, height: height, values: values)
    }
}
