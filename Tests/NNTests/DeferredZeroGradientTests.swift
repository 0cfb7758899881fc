import NN
import Tensors
import TestSupport
import Testing

/// `zeroGrad()` only marks a gradient zero; a convolution's backward then overwrites it
/// (a product with beta 0) instead of adding to cleared memory, and any other reader clears it.
/// Either way the gradients must be exactly those of an eager zeroing.
@Suite("Deferred gradient zeroing")
struct DeferredZeroGradientTests {
    @Test("a pending zero reads as zero, and hands beta 0 to the next overwrite only")
    func pendingZero() {
        let p = Parameter(Tensor(zeros: [3, 4]))
        p.grad.fill(5)
        p.zeroGrad()
        #expect(p.grad.scalars == [Float](repeating: 0, count: 12))
        p.grad.fill(7)
        p.zeroGrad()
        let first = p.gradientForAccumulation()
        #expect(first.beta == 0)
        #expect(p.gradientForAccumulation().beta == 1)
        #expect(first.tensor.scalars == [Float](repeating: 7, count: 12), "the memory is left for the overwrite")
    }

    /// Backward twice after `zeroGrad()`, over a stale gradient of NaN that must never be read,
    /// against a fresh layer whose gradient memory really is zero: the second pass accumulates.
    @Test("convolution weight gradients after zeroGrad over stale NaN equal those of cleared memory", arguments: [false, true])
    func convolutionOverwrite(transposed: Bool) {
        let make: () -> any Layer = {
            transposed ? ConvTranspose2d(6, 5, kernel: 4, stride: 2, padding: 1) : Conv2d(6, 5, kernel: 4, stride: 2, padding: 1)
        }
        let weightOf: (any Layer) -> Parameter = { ($0 as? Conv2d)?.weight ?? ($0 as! ConvTranspose2d).weight }
        let (deferred, eager) = (make(), make())
        let w = Tensor.randomNormal(weightOf(deferred).value.shape, seed: 11)
        weightOf(deferred).value.assign(from: w)
        weightOf(eager).value.assign(from: w)
        weightOf(deferred).grad.fill(.nan)
        deferred.zeroGrad()
        let x = Tensor.randomNormal([2, 6, 8, 8], seed: 12)
        for pass in 0..<2 {
            let y = deferred.forward(x)
            _ = eager.forward(x)
            let dy = Tensor.randomNormal(y.shape, seed: 13 + UInt64(pass))
            _ = deferred.backward(dy)
            _ = eager.backward(dy)
            #expect(weightOf(deferred).grad.scalars == weightOf(eager).grad.scalars, "pass \(pass)")
        }
        let finite = weightOf(deferred).grad.scalars.allSatisfy(\.isFinite)
        #expect(finite)
    }
}
