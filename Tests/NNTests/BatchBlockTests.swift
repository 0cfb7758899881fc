import NN
import Tensors
import TestSupport
import Testing

/// Convolutions run their GEMMs one image at a time over large planes (reading and writing the
/// NCHW tensors in place) and over the whole batch in channel-major layout over small ones
/// (`Layout.gemmPerImage`). Either way a batch must give what its images give one by one —
/// outputs and input gradients image by image, weight and bias gradients summed — which is the
/// path with no layout of its own (N = 1).
@Suite("A batch equals its images one by one")
struct BatchBlockTests {
    /// Input sizes on both sides of the per-image threshold (output planes 17×16 and 5×5).
    static let sizes: [(h: Int, w: Int)] = [(34, 32), (10, 10)]

    /// The input tensor of image `n` of a batch.
    static func image(_ n: Int, of batch: Tensor) -> Tensor {
        let size = batch.count / batch.shape[0]
        return Tensor(Array(UnsafeBufferPointer(start: batch.data + n * size, count: size)), shape: [1] + batch.shape.dropFirst())
    }

    static func worstRelative(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var scale: Float = 1e-3
        for i in 0..<count { scale = max(scale, abs(b[i])) }
        var worst: Float = 0
        for i in 0..<count { worst = max(worst, abs(a[i] - b[i])) }
        return worst / scale
    }

    /// Runs `make()`'s layer on the batch and on each image alone with the same weights and
    /// output gradient, and compares.
    func check(_ make: () -> any Layer, weight: (any Layer) -> Parameter, bias: (any Layer) -> Parameter?, input: Tensor, label: String) throws {
        let batched = make()
        let single = make()
        let w = Tensor.randomNormal(weight(batched).value.shape, seed: 3)
        weight(batched).value.assign(from: w)
        weight(single).value.assign(from: w)
        for i in 0..<(bias(batched)?.value.count ?? 0) {
            bias(batched)!.value.data[i] = Float(i) * 0.1 - 0.2
            bias(single)!.value.data[i] = Float(i) * 0.1 - 0.2
        }
        let y = batched.forward(input)
        let dy = Tensor.randomNormal(y.shape, seed: 4)
        let dx = batched.backward(dy).copy()
        let outSize = y.count / y.shape[0]
        let inSize = input.count / input.shape[0]
        let singleWeightGradient = Tensor(zeros: w.shape)
        var singleBiasGradient = [Float](repeating: 0, count: bias(single)?.value.count ?? 0)
        for n in 0..<input.shape[0] {
            weight(single).grad.zero()
            bias(single)?.grad.zero()
            let yn = single.forward(Self.image(n, of: input))
            #expect(Self.worstRelative(y.data + n * outSize, yn.data, outSize) <= 1e-5, "\(label) image \(n): output")
            let dxn = single.backward(Self.image(n, of: dy))
            #expect(Self.worstRelative(dx.data + n * inSize, dxn.data, inSize) <= 1e-5, "\(label) image \(n): input gradient")
            for i in 0..<w.count { singleWeightGradient.data[i] += weight(single).grad.data[i] }
            for i in 0..<singleBiasGradient.count { singleBiasGradient[i] += bias(single)!.grad.data[i] }
        }
        #expect(Self.worstRelative(weight(batched).grad.data, singleWeightGradient.data, w.count) <= 1e-4, "\(label): weight gradient")
        if let b = bias(batched) {
            #expect(Self.worstRelative(b.grad.data, singleBiasGradient, b.grad.count) <= 1e-4, "\(label): bias gradient")
        }
    }

    @Test("Conv2d 4×4 stride 2 and 3×3 stride 1", arguments: 0..<sizes.count)
    func convolution(index: Int) throws {
        let (h, w) = Self.sizes[index]
        let x = Tensor.randomNormal([3, 5, h, w], seed: UInt64(10 + index))
        try check(
            { Conv2d(5, 6, kernel: 4, stride: 2, padding: 1) }, weight: { ($0 as! Conv2d).weight }, bias: { ($0 as! Conv2d).bias },
            input: x, label: "Conv2d k4 s2 \(h)×\(w)")
        try check(
            { Conv2d(5, 4, kernel: 3, stride: 1, padding: 1, bias: false) }, weight: { ($0 as! Conv2d).weight },
            bias: { ($0 as! Conv2d).bias }, input: x, label: "Conv2d k3 s1 \(h)×\(w)")
    }

    @Test("ConvTranspose2d 4×4 stride 2", arguments: 0..<sizes.count)
    func transposedConvolution(index: Int) throws {
        let (h, w) = Self.sizes[index]
        let x = Tensor.randomNormal([3, 6, h / 2, w / 2], seed: UInt64(20 + index))
        try check(
            { ConvTranspose2d(6, 5, kernel: 4, stride: 2, padding: 1) }, weight: { ($0 as! ConvTranspose2d).weight },
            bias: { ($0 as! ConvTranspose2d).bias }, input: x, label: "ConvTranspose2d \(h / 2)×\(w / 2)")
    }

    @Test("The sizes above run both paths")
    func sizesCoverBothPaths() {
        let planes = Self.sizes.map { ($0.h / 2) * ($0.w / 2) }
        #expect(Layout.gemmPerImage(n: 3, plane: planes[0]) && !Layout.gemmPerImage(n: 3, plane: planes[1]), "\(planes)")
    }
}
