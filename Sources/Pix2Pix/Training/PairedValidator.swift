import ImageCodecs
import Tensors

/// Measures a pix2pix generator on validation pairs: mean PSNR and CIEDE2000 ΔE of its
/// output against the target, beside the non-learned baseline of returning the input
/// unchanged. Hints do not apply to paired translation, so there is one row, at 0 hints,
/// where nearest-hint fill is by its definition the input unchanged (both columns say so).
public struct PairedValidator: ValidationSet {
    public let maker: PairedSampleMaker
    public let pairs: [ImagePair]

    public init(maker: PairedSampleMaker, pairs: [ImagePair]) {
        (self.maker, self.pairs) = (maker, pairs)
    }

    public var count: Int { pairs.count }

    public func evaluate(_ generator: UNetGenerator) -> [ValidationRow] {
        var sums = [Double](repeating: 0, count: 4)
        for pair in pairs {
            let sample = maker.validation(pair)
            let output = Self.translate(sample, generator: generator)
            sums[0] += Metrics.psnr(output, sample.targetImage)
            sums[1] += Metrics.meanDeltaE2000(output, sample.targetImage)
            sums[2] += Metrics.psnr(sample.inputImage, sample.targetImage)
            sums[3] += Metrics.meanDeltaE2000(sample.inputImage, sample.targetImage)
        }
        let n = Double(max(pairs.count, 1))
        let unchanged = MethodScore(psnr: sums[2] / n, deltaE: sums[3] / n)
        return [
            ValidationRow(
                hints: 0, model: MethodScore(psnr: sums[0] / n, deltaE: sums[1] / n),
                inputUnchanged: unchanged, nearestHintFill: unchanged)
        ]
    }

    /// The generator's output for one sample, S×S.
    public static func translate(_ sample: PairedSample, generator: UNetGenerator) -> RGBImage {
        let size = sample.inputImage.width
        let y = generator.forward(Tensor(sample.input, shape: [1, 3, size, size]))
        return ColorizationEncoding.image(fromRGBPlanes: y.data, width: size, height: size)
    }
}
