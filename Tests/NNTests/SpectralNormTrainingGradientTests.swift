import NN
import Tensors
import TestSupport
import Testing

/// Spectral norm in training mode, where every forward first runs a power iteration on the
/// stored u, v (v ← normalize(Wᵀu), u ← normalize(Wv)) and then divides W by σ = uᵀWv.
///
/// The backward treats the iterated u, v as constants, as PyTorch's autograd does (it clones
/// them out of the graph). Two statements follow, each checked by finite differences with
/// the layer checks' default tolerances (ε 1e-2, 5e-3 + 2 %: float32 rounding of a loss
/// summed in Double moves a difference by ~1e-4 at most, whatever the GEMM's order):
/// - from any u, v, the backward of a training forward is the exact gradient of
///   W ↦ conv(x, W/(uᵀWv)) with u, v held at the values that forward produced;
/// - once u, v have converged to W's top singular vectors, it is also the gradient of the
///   training forward itself, power iteration included: σ is then W's largest singular value,
///   whose gradient is u·vᵀ, and the iteration's own dependence on W vanishes to first order
///   (du ⟂ Wv ∥ u, and dv ⟂ v ∥ WᵀWv).
@Suite("Spectral norm in training mode agrees with finite differences")
struct SpectralNormTrainingGradientTests {
    static let shapes: [[Int]] = [[1, 3, 5, 7], [2, 4, 8, 8], [3, 2, 7, 5]]

    static func layer(channels: Int, seed: UInt64) -> SpectralNormConv2d {
        var rng = SeededGenerator(seed: seed)
        let layer = SpectralNormConv2d(Conv2d(channels, 4, kernel: 4, stride: 2, padding: 1), rng: &rng)
        Initializer.normal(std: 0.3).fill(layer.weightOrig.value, rng: &rng)
        Initializer.normal(std: 0.3).fill(layer.conv.bias!.value, rng: &rng)
        return layer
    }

    static func expectClean(_ failures: [String], _ what: String) {
        #expect(failures.isEmpty, "\(what): \(failures.prefix(4).joined(separator: "; "))")
    }

    @Test("from fresh u, v: the gradient with the iterated u, v held constant")
    func freshVectors() {
        for (i, shape) in Self.shapes.enumerated() {
            let layer = Self.layer(channels: shape[1], seed: UInt64(i))
            let (u0, v0) = (layer.u.value.copy(), layer.v.value.copy())
            // The analytic pass: training forwards, each from u0, v0, then backward. The
            // differences after it: evaluation forwards, which use the stored (iterated) u, v.
            var analyticPass = true
            let failures = GradientCheck().check(
                forward: { x in
                    if analyticPass {
                        layer.u.value.assign(from: u0)
                        layer.v.value.assign(from: v0)
                    }
                    layer.isTraining = analyticPass
                    return layer.forward(x)
                },
                backward: { dy in
                    defer { analyticPass = false }
                    return layer.backward(dy)
                },
                zeroGrad: { layer.zeroGrad() }, parameters: layer.namedParameters(),
                input: GradientCheckTests.input(shape, seed: 100 + UInt64(i)))
            Self.expectClean(failures, "spectral norm, fresh u, v, \(shape)")
            // The training forward did iterate: u moved away from its random start.
            #expect(TensorMath.maxAbsDifference(layer.u.value, u0) > 1e-2, "u did not move in training mode")
        }
    }

    @Test("at converged u, v: the gradient of the training forward, power iteration included")
    func convergedVectors() {
        for (i, shape) in Self.shapes.enumerated() {
            let layer = Self.layer(channels: shape[1], seed: 10 + UInt64(i))
            let x = GradientCheckTests.input(shape, seed: 110 + UInt64(i))
            for _ in 0..<200 { _ = layer.forward(x) }  // power iteration to convergence
            let (u, v) = (layer.u.value.copy(), layer.v.value.copy())
            _ = layer.forward(x)
            #expect(TensorMath.maxAbsDifference(layer.u.value, u) < 1e-5, "u has not converged")
            let failures = GradientCheck().check(
                forward: { x in
                    layer.u.value.assign(from: u)
                    layer.v.value.assign(from: v)
                    return layer.forward(x)
                },
                backward: { layer.backward($0) }, zeroGrad: { layer.zeroGrad() },
                parameters: layer.namedParameters(), input: x)
            #expect(layer.isTraining)
            Self.expectClean(failures, "spectral norm, converged u, v, \(shape)")
        }
    }
}
