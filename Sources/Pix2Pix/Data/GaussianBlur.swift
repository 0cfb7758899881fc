import Foundation

/// Separable Gaussian blur of a `FloatPlane`, edges replicated.
///
/// Two 1-D passes of `2·radius + 1` taps each (radius = ⌈3σ⌉) instead of one 2-D pass of
/// `(2·radius + 1)²`, which is what keeps line extraction at 256×256 within a few milliseconds.
public enum GaussianBlur {
    /// Normalized 1-D kernel for `sigma`, radius ⌈3σ⌉ (at least 1). `sigma` must be positive.
    public static func kernel(sigma: Float) -> [Float] {
        precondition(sigma > 0, "Gaussian sigma must be positive, got \(sigma)")
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-radius...radius).map { offset -> Float in
            let x = Float(offset)
            return exp(-x * x / (2 * sigma * sigma))
        }
        let total = weights.reduce(0, +)
        for index in weights.indices { weights[index] /= total }
        return weights
    }

    /// `plane` blurred with a Gaussian of standard deviation `sigma` pixels; a `sigma` of
    /// zero returns the plane unchanged.
    public static func blur(_ plane: FloatPlane, sigma: Float) -> FloatPlane {
        precondition(sigma >= 0, "Gaussian sigma must not be negative, got \(sigma)")
        guard sigma > 0, plane.width > 0, plane.height > 0 else { return plane }
        let weights = kernel(sigma: sigma)
        let radius = weights.count / 2
        let width = plane.width
        let height = plane.height
        var horizontal = [Float](repeating: 0, count: width * height)
        var padded = [Float](repeating: 0, count: width + 2 * radius)

        // Rows: copy each into a replicated-edge buffer so the tap loop needs no clamping.
        plane.values.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { output in
                padded.withUnsafeMutableBufferPointer { row in
                    weights.withUnsafeBufferPointer { w in
                        for y in 0..<height {
                            let base = y * width
                            for x in 0..<(width + 2 * radius) {
                                row[x] = source[base + min(max(x - radius, 0), width - 1)]
                            }
                            for x in 0..<width {
                                var sum: Float = 0
                                for tap in 0..<w.count { sum += w[tap] * row[x + tap] }
                                output[base + x] = sum
                            }
                        }
                    }
                }
            }
        }

        // Columns: accumulate whole rows at a time, which walks memory contiguously.
        var vertical = [Float](repeating: 0, count: width * height)
        horizontal.withUnsafeBufferPointer { source in
            vertical.withUnsafeMutableBufferPointer { output in
                weights.withUnsafeBufferPointer { w in
                    for y in 0..<height {
                        let base = y * width
                        for tap in 0..<w.count {
                            let sourceBase = min(max(y + tap - radius, 0), height - 1) * width
                            let weight = w[tap]
                            for x in 0..<width { output[base + x] += weight * source[sourceBase + x] }
                        }
                    }
                }
            }
        }
        return FloatPlane(width: width, height: height, values: vertical)
    }
}
