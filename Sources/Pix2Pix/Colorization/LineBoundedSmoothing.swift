import Foundation

/// Smooths colours inside the regions a line drawing encloses without ever carrying them
/// across a line: the recursive filter of the domain transform (Gastal and Oliveira,
/// "Domain Transform for Edge-Aware Image and Video Processing", SIGGRAPH 2011) with every
/// ink pixel an edge of infinite height.
///
/// Each iteration runs a first-order recursive filter left→right and right→left along every
/// row, then down and up along every column; the feedback weight between two neighbours is
/// `exp(−√2 / σ)`, and 0 where either of them is ink, so nothing flows through a line. Three
/// iterations with shrinking σ (as in the paper) give a smooth, nearly isotropic result.
/// The same filter with region labels as barriers blends hint colours inside a region
/// (`HintSpreading`).
public enum LineBoundedSmoothing {
    /// `planes` (`channels` planes of `lines.width × lines.height`) smoothed in place, with
    /// spatial extent `sigma` pixels; pixels of `lines` at or below `inkLevel` are barriers.
    public static func smooth(_ planes: inout [Float], channels: Int, lines: FloatPlane, sigma: Float,
                              iterations: Int = 3, inkLevel: Float = PaperBackground.paperThreshold) {
        let labels = lines.values.map { $0 <= inkLevel ? InkRegions.ink : 0 }
        smooth(&planes, channels: channels, labels: labels, width: lines.width, height: lines.height, sigma: sigma,
               iterations: iterations)
    }

    /// The same, with the barriers given as labels: nothing flows between two pixels of
    /// different labels, nor into or out of a pixel with a negative label.
    public static func smooth(_ planes: inout [Float], channels: Int, labels: [Int32], width: Int, height: Int,
                              sigma: Float, iterations: Int = 3) {
        precondition(planes.count == channels * width * height && labels.count == width * height,
                     "planes do not match the labels")
        precondition(sigma > 0 && iterations > 0, "sigma and iterations must be positive")
        for k in 0..<iterations {
            // σ of iteration k, so that the iterations together have standard deviation σ.
            let scale = Float(sqrt(3.0) * pow(2.0, Double(iterations - k - 1)) / sqrt(pow(4.0, Double(iterations)) - 1))
            let feedback = exp(-Float(2).squareRoot() / (sigma * scale))
            for c in 0..<channels {
                planes.withUnsafeMutableBufferPointer { all in
                    let plane = all.baseAddress! + c * width * height
                    for y in 0..<height {
                        pass(plane + y * width, count: width, step: 1, labels: labels, start: y * width, stride: 1, feedback: feedback)
                    }
                    for x in 0..<width {
                        pass(plane + x, count: height, step: width, labels: labels, start: x, stride: width, feedback: feedback)
                    }
                }
            }
        }
    }

    /// One line of samples, forwards then backwards.
    private static func pass(_ line: UnsafeMutablePointer<Float>, count: Int, step: Int, labels: [Int32], start: Int,
                             stride labelStride: Int, feedback: Float) {
        guard count > 1 else { return }
        func weight(_ i: Int) -> Float {  // between samples i − 1 and i
            let a = labels[start + (i - 1) * labelStride], b = labels[start + i * labelStride]
            return a < 0 || a != b ? 0 : feedback
        }
        for i in 1..<count {
            let w = weight(i)
            line[i * step] = (1 - w) * line[i * step] + w * line[(i - 1) * step]
        }
        for i in stride(from: count - 2, through: 0, by: -1) {
            let w = weight(i + 1)
            line[i * step] = (1 - w) * line[i * step] + w * line[(i + 1) * step]
        }
    }
}
