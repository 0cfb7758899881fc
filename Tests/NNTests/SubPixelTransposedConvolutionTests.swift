import NN
import Tensors
import TestSupport
import Testing

/// A 4×4 stride-2 layer over a large plane computes its transposed product by phases
/// (`SubPixelTransposedConvolution`): a `Conv2d`'s input gradient equals the sum of its
/// definition, computed here term by term in Double.
@Suite("Sub-pixel transposed convolution equals its definition")
struct SubPixelTransposedConvolutionTests {
    /// Batch, channels of the larger plane, channels of the smaller, the larger plane's height and
    /// width: even and odd sizes, one image and several, the smallest width that takes the path.
    static let cases: [(n: Int, channels: Int, sourceChannels: Int, h: Int, w: Int)] = [
        (2, 18, 6, 32, 34), (1, 17, 4, 33, 35), (3, 16, 3, 40, 32), (1, 20, 2, 64, 33)
    ]

    @Test("Conv2d input gradient, from every channel and from a start channel", arguments: 0..<cases.count)
    func convolutionInputGradient(index: Int) {
        let c = Self.cases[index]
        for start in [0, c.channels - SubPixelTransposedConvolution.minimumChannels] {
            let layer = Conv2d(c.channels, c.sourceChannels, kernel: 4, stride: 2, padding: 1)
            layer.inputGradientStartChannel = start
            layer.weight.value.assign(from: Tensor.randomNormal(layer.weight.shape, seed: UInt64(index)))
            let x = Tensor.randomNormal([c.n, c.channels, c.h, c.w], seed: 10 + UInt64(index))
            let y = layer.forward(x)
            let g = ConvGeometry(n: c.n, c: c.channels, h: c.h, w: c.w, kh: 4, kw: 4, stride: 2, padding: 1)
            #expect(
                SubPixelTransposedConvolution.applies(g, channels: c.channels - start) == GEMM.gatheredRowsAvailable,
                "case \(index): the sub-pixel path is taken exactly where its kernel runs")
            let dy = Tensor.randomNormal(y.shape, seed: 20 + UInt64(index))
            let dx = layer.backward(dy)
            let expected = Self.transposed(
                weights: layer.weight.value, source: dy, channels: c.channels, start: start, h: c.h, w: c.w)
            #expect(dx.shape == expected.shape)
            let worst = Self.largestDifference(dx, expected)
            #expect(worst <= 1e-4, "case \(index), start \(start): input gradient differs by \(worst)")
        }
    }

    /// out[n, c − start, iy, ix] = Σ weights[o, c, ky, kx] · source[n, o, oy, ox] over
    /// every (o, ky, kx, oy, ox) with 2·oy + ky − 1 = iy and 2·ox + kx − 1 = ix.
    static func transposed(
        weights: Tensor, source: Tensor, channels: Int, start: Int, h: Int, w: Int
    ) -> Tensor {
        let (n, sourceChannels, oh, ow) = (source.shape[0], source.shape[1], source.shape[2], source.shape[3])
        let kept = channels - start
        let out = Tensor(zeros: [n, kept, h, w])
        for image in 0..<n {
            for c in start..<channels {
                for iy in 0..<h {
                    for ix in 0..<w {
                        var sum = 0.0
                        for ky in 0..<4 where (iy + 1 - ky) % 2 == 0 {
                            let oy = (iy + 1 - ky) / 2
                            guard oy >= 0 && oy < oh else { continue }
                            for kx in 0..<4 where (ix + 1 - kx) % 2 == 0 {
                                let ox = (ix + 1 - kx) / 2
                                guard ox >= 0 && ox < ow else { continue }
                                for o in 0..<sourceChannels {
                                    let weight = weights.data[((o * channels + c) * 4 + ky) * 4 + kx]
                                    sum += Double(weight) * Double(source.data[((image * sourceChannels + o) * oh + oy) * ow + ox])
                                }
                            }
                        }
                        out.data[((image * kept + c - start) * h + iy) * w + ix] = Float(sum)
                    }
                }
            }
        }
        return out
    }

    static func largestDifference(_ a: Tensor, _ b: Tensor) -> Float {
        guard a.shape == b.shape else { return .infinity }
        var worst: Float = 0
        for i in 0..<a.count { worst = max(worst, abs(a.data[i] - b.data[i])) }
        return worst
    }
}
