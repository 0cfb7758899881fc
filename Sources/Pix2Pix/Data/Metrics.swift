import Foundation
import ImageCodecs

/// Colorization quality scores between a result and its ground truth.
///
/// PSNR rewards getting values right on average; CIEDE2000 ΔE measures how different the
/// colours look (≈1 is just noticeable, >10 is a different colour). Reported together
/// because a grey result can score a decent PSNR while its ΔE gives it away.
public enum Metrics {
    /// PSNR reported for identical images, whose true PSNR is infinite; also an upper cap,
    /// so averages over a set stay finite. 100 dB is far above any real difference
    /// (one 8-bit step on every sample is 48.1 dB).
    public static let identicalPSNR: Double = 100

    /// Peak signal-to-noise ratio in dB over all R, G and B samples, peak 255:
    /// 10·log₁₀(255² / MSE), capped at `identicalPSNR`.
    public static func psnr(_ result: RGBImage, _ truth: RGBImage) -> Double {
        precondition(
            result.width == truth.width && result.height == truth.height,
            "PSNR needs equal sizes, got \(result.width)x\(result.height) and \(truth.width)x\(truth.height)")
        guard result.pixelCount > 0 else { return identicalPSNR }
        var squaredError: Double = 0
        result.pixels.withUnsafeBufferPointer { a in
            truth.pixels.withUnsafeBufferPointer { b in
                for index in 0..<a.count {
                    let difference = Double(Int(a[index]) - Int(b[index]))
                    squaredError += difference * difference
                }
            }
        }
        let meanSquaredError = squaredError / Double(result.pixels.count)
        guard meanSquaredError > 0 else { return identicalPSNR }
        return min(10 * log10(255 * 255 / meanSquaredError), identicalPSNR)
    }

    /// Mean of `psnr` over image pairs (result, truth); 0 for no pairs.
    public static func meanPSNR(_ pairs: [(result: RGBImage, truth: RGBImage)]) -> Double {
        guard !pairs.isEmpty else { return 0 }
        return pairs.map { psnr($0.result, $0.truth) }.reduce(0, +) / Double(pairs.count)
    }

    /// Mean CIEDE2000 ΔE over corresponding pixels.
    ///
    /// Both images go to L\*a\*b\* through ImageCodecs' table-driven `labPlanes()`; pixels
    /// whose bytes are equal contribute 0 without evaluating the formula, which skips most
    /// of a flat background.
    public static func meanDeltaE2000(_ result: RGBImage, _ truth: RGBImage) -> Double {
        precondition(
            result.width == truth.width && result.height == truth.height,
            "ΔE needs equal sizes, got \(result.width)x\(result.height) and \(truth.width)x\(truth.height)")
        let count = result.pixelCount
        guard count > 0 else { return 0 }
        let first = result.labPlanes()
        let second = truth.labPlanes()
        var total: Double = 0
        for index in 0..<count {
            let p = 3 * index
            if result.pixels[p] == truth.pixels[p] && result.pixels[p + 1] == truth.pixels[p + 1]
                && result.pixels[p + 2] == truth.pixels[p + 2]
            {
                continue
            }
            total += Double(
                LabColor.deltaE2000(
                    LabColor(l: first[index], a: first[count + index], b: first[2 * count + index]),
                    LabColor(l: second[index], a: second[count + index], b: second[2 * count + index])))
        }
        return total / Double(count)
    }
}
