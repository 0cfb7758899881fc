import NN
import Tensors
import TestSupport
import Testing

/// A 4×4 stride-2 convolution over a large plane reads its column matrix from the input's parity
/// planes (`ParityPlaneConvolution`): its forward, weight gradient (accumulated over two
/// backward passes) and bias gradient equal the sums of their definitions, computed here term by
/// term in Double.
@Suite("Parity-plane convolution equals its definition")
struct ParityPlaneConvolutionTests {
    /// Batch, input channels, output channels, input height and width: even and odd sizes, one
    /// image and several, the fewest channels and the smallest width that take the path.
    static let cases: [(n: Int, c: Int, oc: Int, h: Int, w: Int)] = [
        (2, 3, 8, 32, 34), (1, 5, 9, 33, 35), (3, 2, 16, 40, 32), (1, 4, 12, 64, 33)
    ]

    @Test("forward, weight and bias gradients", arguments: 0..<cases.count)
    func convolution(index: Int) throws {
        let c = Self.cases[index]
        let layer = Conv2d(c.c, c.oc, kernel: 4, stride: 2, padding: 1)
        layer.weight.value.assign(from: Tensor.randomNormal(layer.weight.shape, seed: UInt64(index)))
        let bias = try #require(layer.bias)
        bias.value.assign(from: Tensor.randomNormal(bias.shape, seed: 10 + UInt64(index)))
        let g = ConvGeometry(n: c.n, c: c.c, h: c.h, w: c.w, kh: 4, kw: 4, stride: 2, padding: 1)
        #expect(
            ParityPlaneConvolution.applies(g, outChannels: c.oc) == GEMM.gatheredRowsAvailable,
            "case \(index): the parity-plane path is taken exactly where its kernel runs")
        let x = Tensor.randomNormal([c.n, c.c, c.h, c.w], seed: 20 + UInt64(index))
        let dy = Tensor.randomNormal([c.n, c.oc, g.outH, g.outW], seed: 30 + UInt64(index))
        var expectedY = [Double](repeating: 0, count: dy.count)
        var expectedWeight = [Double](repeating: 0, count: layer.weight.value.count)
        var expectedBias = [Double](repeating: 0, count: c.oc)
        for image in 0..<c.n {
            for o in 0..<c.oc {
                for oy in 0..<g.outH {
                    for ox in 0..<g.outW {
                        let out = ((image * c.oc + o) * g.outH + oy) * g.outW + ox
                        var sum = Double(bias.value.data[o])
                        for ci in 0..<c.c {
                            for ky in 0..<4 {
                                let iy = 2 * oy + ky - 1
                                guard iy >= 0 && iy < c.h else { continue }
                                for kx in 0..<4 {
                                    let ix = 2 * ox + kx - 1
                                    guard ix >= 0 && ix < c.w else { continue }
                                    let w = ((o * c.c + ci) * 4 + ky) * 4 + kx
                                    let input = Double(x.data[((image * c.c + ci) * c.h + iy) * c.w + ix])
                                    sum += Double(layer.weight.value.data[w]) * input
                                    expectedWeight[w] += Double(dy.data[out]) * input
                                }
                            }
                        }
                        expectedY[out] = sum
                        expectedBias[o] += Double(dy.data[out])
                    }
                }
            }
        }
        let y = layer.forward(x)
        #expect(y.shape == dy.shape)
        #expect(Self.largestDifference(y.data, expectedY, count: y.count) <= 1e-4, "case \(index): forward")
        layer.zeroGrad()
        _ = layer.backward(dy)
        _ = layer.forward(x)
        _ = layer.backward(dy)  // the second pass adds to the first
        let weightDifference = Self.largestDifference(
            layer.weight.grad.data, expectedWeight.map { 2 * $0 }, count: expectedWeight.count)
        #expect(weightDifference <= 1e-3, "case \(index): weight gradient differs by \(weightDifference)")
        let biasDifference = Self.largestDifference(bias.grad.data, expectedBias.map { 2 * $0 }, count: c.oc)
        #expect(biasDifference <= 1e-3, "case \(index): bias gradient differs by \(biasDifference)")
    }

    static func largestDifference(_ a: UnsafeMutablePointer<Float>, _ b: [Double], count: Int) -> Float {
        var worst: Float = 0
        for i in 0..<count { worst = max(worst, Float(abs(Double(a[i]) - b[i]))) }
        return worst
    }
}
