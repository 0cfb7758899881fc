import Foundation
import Tensors

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
        var vertical = [Float](repeating: 0, count: width * height)
        // Each output sums its taps in order, from the first; looping over the taps outside
        // and the pixels inside keeps that order and lets the pixels run in vector lanes.
        plane.values.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { rows in
                vertical.withUnsafeMutableBufferPointer { columns in
                    weights.withUnsafeBufferPointer { w in
                        let (source, rows) = (UncheckedSendable(source.baseAddress!), UncheckedSendable(rows.baseAddress!))
                        let (columns, w) = (UncheckedSendable(columns.baseAddress!), UncheckedSendable(w))
                        // Rows: each copied into a replicated-edge buffer so the taps need no clamping.
                        Parallel.forEachChunk(height, costPerItem: width * w.value.count) { band in
                            var padded = [Float](repeating: 0, count: width + 2 * radius)
                            padded.withUnsafeMutableBufferPointer { row in
                                for y in band {
                                    let (input, output) = (source.value + y * width, rows.value + y * width)
                                    for x in 0..<(width + 2 * radius) { row[x] = input[min(max(x - radius, 0), width - 1)] }
                                    for tap in 0..<w.value.count {
                                        let weight = w.value[tap]
                                        for x in 0..<width { output[x] += weight * row[x + tap] }
                                    }
                                }
                            }
                        }
                        // Columns: whole rows at a time, which walks memory contiguously.
                        Parallel.forEachChunk(height, costPerItem: width * w.value.count) { band in
                            for y in band {
                                let output = columns.value + y * width
                                for tap in 0..<w.value.count {
                                    let input = rows.value + min(max(y + tap - radius, 0), height - 1) * width
                                    let weight = w.value[tap]
                                    for x in 0..<width { output[x] += weight * input[x] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return FloatPlane(width: width, height: height, values: vertical)
    }
}
