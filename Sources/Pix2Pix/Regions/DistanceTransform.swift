/// Exact squared Euclidean distance transform (Felzenszwalb and Huttenlocher, "Distance
/// Transforms of Sampled Functions", 2012): for every pixel, the squared distance to the
/// nearest pixel of a set, in two separable passes (columns, then rows) of the 1-D lower
/// envelope of parabolas. Linear in the number of pixels.
public enum DistanceTransform {
    /// Squared distance from each pixel to the nearest pixel where `isSource` is true;
    /// `Float.infinity` everywhere when there is none.
    public static func squared(width: Int, height: Int, isSource: [Bool]) -> [Float] {
        precondition(isSource.count == width * height, "the source mask does not match \(width)×\(height)")
        var grid = isSource.map { $0 ? Float(0) : Float.infinity }
        var line = [Float](repeating: 0, count: max(width, height))
        var result = [Float](repeating: 0, count: max(width, height))
        var envelope = Envelope(capacity: max(width, height))
        for x in 0..<width {
            for y in 0..<height { line[y] = grid[y * width + x] }
            envelope.transform(line, count: height, into: &result)
            for y in 0..<height { grid[y * width + x] = result[y] }
        }
        for y in 0..<height {
            for x in 0..<width { line[x] = grid[y * width + x] }
            envelope.transform(line, count: width, into: &result)
            for x in 0..<width { grid[y * width + x] = result[x] }
        }
        return grid
    }

    /// Working storage of the 1-D transform: the parabolas' vertices and their boundaries.
    private struct Envelope {
        var vertices: [Int]
        var boundaries: [Double]

        init(capacity: Int) {
            vertices = [Int](repeating: 0, count: capacity)
            boundaries = [Double](repeating: 0, count: capacity + 1)
        }

        /// d(q) = min over p of (q − p)² + f(p), for q in 0..<count.
        mutating func transform(_ f: [Float], count: Int, into d: inout [Float]) {
            var k = -1
            for q in 0..<count where f[q].isFinite {
                var s: Double = -.infinity
                while k >= 0 {
                    let p = vertices[k]
                    s = ((Double(f[q]) + Double(q * q)) - (Double(f[p]) + Double(p * p))) / Double(2 * (q - p))
                    if s <= boundaries[k] { k -= 1 } else { break }
                }
                k += 1
                vertices[k] = q
                boundaries[k] = k == 0 ? -.infinity : s
                boundaries[k + 1] = .infinity
            }
            guard k >= 0 else {
                for q in 0..<count { d[q] = .infinity }
                return
            }
            var j = 0
            for q in 0..<count {
                while boundaries[j + 1] < Double(q) { j += 1 }
                let p = vertices[j]
                d[q] = Float((q - p) * (q - p)) + f[p]
            }
        }
    }
}
