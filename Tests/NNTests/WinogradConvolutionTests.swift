import NN
import Tensors
import TestSupport
import Testing

/// A wide 4×4 stride-1 convolution runs on Winograd's transforms (`WinogradConvolution`): the
/// transforms reproduce a tile of the correlation, and the layer's forward, weight, bias and
/// input gradients equal the sums of their definitions, computed here term by term in Double,
/// to rounding: within 2·10⁻⁵ of the largest value (measured 3–4·10⁻⁶; the transforms' larger
/// constants round more than the direct sums, ~10⁻⁷; a wrong term is off by whole units).
@Suite("Winograd convolution equals its definition")
struct WinogradConvolutionTests {
    @Test("Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A is the tile of the 4×4 correlation", arguments: [2, 3])
    func transformIdentity(side: Int) {
        let transform = side == 2 ? WinogradTransform.twoByTwo : WinogradTransform.threeByThree
        #expect(transform.outputTile == side && transform.window == side + 3)
        let a = transform.window
        let a2 = a * a
        let d = Tensor.randomNormal([a2], seed: 1).scalars.map(Double.init)
        let g = Tensor.randomNormal([16], seed: 2).scalars.map(Double.init)
        var worst = 0.0
        for p in 0..<side {
            for q in 0..<side {
                var winograd = 0.0
                for xi in 0..<a2 {
                    var u = 0.0
                    for k in 0..<16 { u += Double(transform.weightKron[xi * 16 + k]) * g[k] }
                    var v = 0.0
                    for k in 0..<a2 { v += Double(transform.inputKron[xi * a2 + k]) * d[k] }
                    winograd += Double(transform.outputKron[(p * side + q) * a2 + xi]) * u * v
                }
                var direct = 0.0
                for ky in 0..<4 {
                    for kx in 0..<4 { direct += d[(p + ky) * a + q + kx] * g[ky * 4 + kx] }
                }
                worst = max(worst, abs(winograd - direct))
            }
        }
        #expect(worst < 1e-5, "F(\(side)×\(side), 4×4) differs from the correlation by \(worst)")
    }

    /// Batch, input channels, output channels, input height and width, padding: planes that
    /// tile exactly and ones with a partial last tile, padding 0 to 2, one image and several.
    static let cases: [(n: Int, c: Int, oc: Int, h: Int, w: Int, padding: Int)] = [
        (2, 32, 32, 9, 11, 1), (1, 40, 48, 16, 16, 1), (3, 32, 33, 7, 8, 2), (1, 36, 32, 10, 6, 0)
    ]

    @Test("forward, weight, bias and input gradients", arguments: 0..<cases.count)
    func convolution(index: Int) throws {
        let c = Self.cases[index]
        let layer = Conv2d(c.c, c.oc, kernel: 4, stride: 1, padding: c.padding)
        layer.weight.value.assign(from: Tensor.randomNormal(layer.weight.shape, seed: UInt64(index)))
        let bias = try #require(layer.bias)
        bias.value.assign(from: Tensor.randomNormal(bias.shape, seed: 10 + UInt64(index)))
        let g = ConvGeometry(n: c.n, c: c.c, h: c.h, w: c.w, kh: 4, kw: 4, stride: 1, padding: c.padding)
        #expect(WinogradConvolution.applies(g, outChannels: c.oc), "case \(index) takes the Winograd path")
        let x = Tensor.randomNormal([c.n, c.c, c.h, c.w], seed: 20 + UInt64(index))
        let dy = Tensor.randomNormal([c.n, c.oc, g.outH, g.outW], seed: 30 + UInt64(index))
        var expectedY = [Double](repeating: 0, count: dy.count)
        var expectedWeight = [Double](repeating: 0, count: layer.weight.value.count)
        var expectedBias = [Double](repeating: 0, count: c.oc)
        var expectedInput = [Double](repeating: 0, count: x.count)
        for image in 0..<c.n {
            for o in 0..<c.oc {
                for oy in 0..<g.outH {
                    for ox in 0..<g.outW {
                        let out = ((image * c.oc + o) * g.outH + oy) * g.outW + ox
                        let gradient = Double(dy.data[out])
                        var sum = Double(bias.value.data[o])
                        for ci in 0..<c.c {
                            for ky in 0..<4 {
                                let iy = oy + ky - c.padding
                                guard iy >= 0 && iy < c.h else { continue }
                                for kx in 0..<4 {
                                    let ix = ox + kx - c.padding
                                    guard ix >= 0 && ix < c.w else { continue }
                                    let w = ((o * c.c + ci) * 4 + ky) * 4 + kx
                                    let input = ((image * c.c + ci) * c.h + iy) * c.w + ix
                                    sum += Double(layer.weight.value.data[w]) * Double(x.data[input])
                                    expectedWeight[w] += gradient * Double(x.data[input])
                                    expectedInput[input] += gradient * Double(layer.weight.value.data[w])
                                }
                            }
                        }
                        expectedY[out] = sum
                        expectedBias[o] += gradient
                    }
                }
            }
        }
        let y = layer.forward(x)
        #expect(y.shape == dy.shape)
        let forward = Self.relativeDifference(y.data, expectedY)
        #expect(forward <= 2e-5, "case \(index): forward differs by \(forward) of its largest value")
        layer.zeroGrad()
        for pass in 1...2 {  // the second backward after the same forward: dx again, dW added
            let dx = layer.backward(dy)
            let input = Self.relativeDifference(dx.data, expectedInput)
            #expect(input <= 2e-5, "case \(index), pass \(pass): input gradient differs by \(input) of its largest value")
        }
        let weight = Self.relativeDifference(layer.weight.grad.data, expectedWeight.map { 2 * $0 })
        #expect(weight <= 2e-5, "case \(index): weight gradient differs by \(weight) of its largest value")
        let biasDifference = Self.relativeDifference(bias.grad.data, expectedBias.map { 2 * $0 })
        #expect(biasDifference <= 1e-6, "case \(index): bias gradient differs by \(biasDifference)")

        // Only the channels from the start channel on: their gradient alone, the same values.
        let start = 5
        layer.inputGradientStartChannel = start
        _ = layer.forward(x)
        let part = layer.backward(dy)
        #expect(part.shape == [c.n, c.c - start, c.h, c.w])
        let plane = c.h * c.w
        var expectedPart: [Double] = []
        for image in 0..<c.n {
            expectedPart += expectedInput[((image * c.c + start) * plane)..<((image + 1) * c.c * plane)]
        }
        let partDifference = Self.relativeDifference(part.data, expectedPart)
        #expect(partDifference <= 2e-5, "case \(index): channels from \(start) differ by \(partDifference)")
    }

    /// The largest difference over the largest magnitude of the expected values.
    static func relativeDifference(_ a: UnsafeMutablePointer<Float>, _ b: [Double]) -> Double {
        var worst = 0.0
        var scale = 0.0
        for i in b.indices {
            worst = max(worst, abs(Double(a[i]) - b[i]))
            scale = max(scale, abs(b[i]))
        }
        return worst / scale
    }
}
