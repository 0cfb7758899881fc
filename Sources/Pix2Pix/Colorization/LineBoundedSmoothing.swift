import CVectorLoops
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
    public static func smooth(
        _ planes: inout [Float], channels: Int, lines: FloatPlane, sigma: Float,
        iterations: Int = 3, inkLevel: Float = PaperBackground.paperThreshold
    ) {
        let labels = lines.values.map { $0 <= inkLevel ? InkRegions.ink : 0 }
        smooth(
            &planes, channels: channels, labels: labels, width: lines.width, height: lines.height, sigma: sigma,
            iterations: iterations)
    }

    /// The same, with the barriers given as labels: nothing flows between two pixels of
    /// different labels, nor into or out of a pixel with a negative label. Rows are filtered
    /// left→right and back, several rows side by side; columns top→bottom and back, all
    /// columns of a row at once, which visits memory in order (Sources/CVectorLoops/recursive_filter.c).
    public static func smooth(
        _ planes: inout [Float], channels: Int, labels: [Int32], width: Int, height: Int,
        sigma: Float, iterations: Int = 3
    ) {
        precondition(
            planes.count == channels * width * height && labels.count == width * height,
            "planes do not match the labels")
        precondition(sigma > 0 && iterations > 0, "sigma and iterations must be positive")
        // 1 where a pixel is joined to its left (horizontal) or upper (vertical) neighbour.
        var joinedLeft = [Float](repeating: 0, count: width * height)
        var joinedUp = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let label = labels[i]
                guard label >= 0 else { continue }
                if x > 0 && labels[i - 1] == label { joinedLeft[i] = 1 }
                if y > 0 && labels[i - width] == label { joinedUp[i] = 1 }
            }
        }
        for k in 0..<iterations {
            // σ of iteration k, so that the iterations together have standard deviation σ.
            let scale = Float(sqrt(3.0) * pow(2.0, Double(iterations - k - 1)) / sqrt(pow(4.0, Double(iterations)) - 1))
            let feedback = exp(-Float(2).squareRoot() / (sigma * scale))
            planes.withUnsafeMutableBufferPointer { all in
                joinedLeft.withUnsafeBufferPointer { left in
                    joinedUp.withUnsafeBufferPointer { up in
                        for c in 0..<channels {
                            let p = all.baseAddress! + c * width * height
                            tinct_recursive_filter_rows(p, width, height, left.baseAddress!, feedback)
                            tinct_recursive_filter_columns(p, width, height, up.baseAddress!, feedback)
                        }
                    }
                }
            }
        }
    }
}
