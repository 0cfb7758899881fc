import NN
import Tensors
import TestSupport
import Testing

/// A convolution to one output channel (`SingleChannelConvolution`, no im2col) gives what the
/// im2col + GEMM path gives for the same channel: the twin is a two-channel layer whose first
/// channel has the same weights and whose second channel's gradient is zero.
@Suite("Convolution to one channel equals the im2col path")
struct SingleChannelConvolutionTests {
    /// Input shape, kernel, stride, padding: the PatchGAN's last layers, odd sizes, batch > 1.
    static let cases: [([Int], Int, Int, Int)] = [
        ([4, 32, 16, 16], 4, 1, 1), ([1, 16, 33, 31], 4, 1, 1), ([3, 8, 12, 10], 4, 2, 1), ([2, 5, 9, 7], 3, 2, 0),
        ([2, 6, 5, 5], 1, 1, 0), ([1, 4, 3, 3], 4, 1, 2)
    ]

    @Test("forward, weight, bias and input gradients", arguments: 0..<cases.count)
    func equalsTheIm2colPath(index: Int) throws {
        let (shape, kernel, stride, padding) = Self.cases[index]
        let one = Conv2d(shape[1], 1, kernel: kernel, stride: stride, padding: padding)
        let two = Conv2d(shape[1], 2, kernel: kernel, stride: stride, padding: padding)
        let weights = Tensor.randomNormal([2 * one.weight.value.count], seed: UInt64(index))
        for i in 0..<two.weight.value.count { two.weight.value.data[i] = weights.data[i] }
        for i in 0..<one.weight.value.count { one.weight.value.data[i] = weights.data[i] }
        let (oneBias, twoBias) = (try #require(one.bias), try #require(two.bias))
        (oneBias.value.data[0], twoBias.value.data[0], twoBias.value.data[1]) = (0.3, 0.3, -0.7)

        let x = Tensor.randomNormal(shape, seed: 100 + UInt64(index))
        let y1 = one.forward(x)
        let y2 = two.forward(x)
        let plane = y1.shape[2] * y1.shape[3]
        #expect(y2.shape == [shape[0], 2, y1.shape[2], y1.shape[3]])
        var worst: Float = 0
        for n in 0..<shape[0] {
            for p in 0..<plane { worst = max(worst, abs(y1.data[n * plane + p] - y2.data[(2 * n) * plane + p])) }
        }
        #expect(worst <= 1e-4, "forward differs by \(worst)")

        let dy1 = Tensor.randomNormal(y1.shape, seed: 200 + UInt64(index))
        let dy2 = Tensor(zeros: y2.shape)
        for n in 0..<shape[0] {
            for p in 0..<plane { dy2.data[(2 * n) * plane + p] = dy1.data[n * plane + p] }
        }
        let dx1 = one.backward(dy1)
        let dx2 = two.backward(dy2)
        #expect(maxDifference(dx1, dx2) <= 1e-4, "input gradient differs by \(maxDifference(dx1, dx2))")
        var weightWorst: Float = 0
        for i in 0..<one.weight.grad.count { weightWorst = max(weightWorst, abs(one.weight.grad.data[i] - two.weight.grad.data[i])) }
        #expect(weightWorst <= 1e-3, "weight gradient differs by \(weightWorst)")
        #expect(abs(oneBias.grad.data[0] - twoBias.grad.data[0]) <= 1e-3)
        #expect((one.weight.grad.count..<two.weight.grad.count).allSatisfy { two.weight.grad.data[$0] == 0 })
    }

    private func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape)
        var worst: Float = 0
        for i in 0..<a.count { worst = max(worst, abs(a.data[i] - b.data[i])) }
        return worst
    }
}
