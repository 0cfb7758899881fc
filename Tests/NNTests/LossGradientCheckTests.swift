import NN
import Tensors
import TestSupport
import Testing

/// Finite-difference checks of the losses' gradients: L1, feature matching, and both sides of
/// every GAN loss.
///
/// The losses are plain loops (no GEMM, no workers), so no kernel or worker count changes
/// them. Each gradient element is about 1/M (M elements, mean reduction), far below the layer
/// checks' default tolerances, so the tolerance here is set from what can make a central
/// difference (L(x+ε) − L(x−ε))/2ε wrong:
/// - truncation: none on the piecewise-linear or quadratic losses (L1, hinge, LSGAN), as the
///   inputs stay ≥ 0.05 from every kink and ε = 0.04; BCE's third derivative (≤ 0.1) adds at
///   most ε²·0.1/6/M ≈ 3e-5/M, under the 1e-3 relative tolerance for all but σ(x) ≈ t;
/// - rounding: the loss is a Float, so each of the two values is off by up to a few half-ulps
///   of |L| (the Double sum converted once; feature matching adds a product and a sum per
///   feature); 8 ulp(|L|)/2ε bounds that with room to spare.
/// A wrong factor (a missing weight, 1/M, ½) or sign is off by ≥ 50 %: far outside.
@Suite("Loss gradients agree with finite differences")
struct LossGradientCheckTests {
    static let epsilon: Float = 0.04

    /// Checks every element of `x` (probes ≥ its size) with the tolerance explained above.
    static func check(_ value: () -> Float, input x: Tensor, gradient: Tensor, what: String) -> [String] {
        let rounding = 8 * value().magnitude.ulp / (2 * epsilon)
        let checker = GradientCheck(epsilon: epsilon, absoluteTolerance: rounding, relativeTolerance: 1e-3, probes: 1000)
        return checker.check(scalar: { Double(value()) }, input: x, gradient: gradient, what: what)
    }

    /// N(0, 1.5²) values (PatchGAN-logit sized), none within `margin` of any of `kinks`.
    static func prediction(_ shape: [Int], seed: UInt64, kinks: [Float] = [], margin: Float = 0.05) -> Tensor {
        let t = Tensor.randomNormal(shape, std: 1.5, seed: seed)
        for i in 0..<t.count {
            for kink in kinks where abs(t.data[i] - kink) < margin {
                t.data[i] = kink + (t.data[i] >= kink ? margin : -margin)
            }
        }
        return t
    }

    static func expectClean(_ failures: [String], _ what: String) {
        #expect(failures.isEmpty, "\(what): \(failures.prefix(4).joined(separator: "; "))")
    }

    /// Where each loss is not differentiable; hinge's kinks are at ±1.
    static func kinks(_ loss: GANLoss) -> [Float] { loss == .hinge ? [-1, 1] : [] }

    @Test("L1: d/dx mean|x − y| = sign(x − y)/M", arguments: [[2, 3, 5, 7], [1, 1, 3, 3], [3, 2, 4, 1]])
    func l1(shape: [Int]) {
        let y = Tensor.randomNormal(shape, seed: 1)
        // x − y kept ≥ 0.05 from 0, where |·| has its kink.
        let difference = Self.prediction(shape, seed: 2, kinks: [0])
        let x = Tensor(zeros: shape)
        TensorMath.add(y, difference, into: x)
        let analytic = Loss.l1(x, y).gradient.copy()
        Self.expectClean(
            Self.check({ Loss.l1(x, y).value }, input: x, gradient: analytic, what: "l1"),
            "l1 \(shape)")
        #expect(analytic.scalars.allSatisfy { abs(abs($0) - 1 / Float(x.count)) < 1e-9 })
    }

    @Test("L1 at equal elements: gradient 0, as PyTorch's sign(0)")
    func l1AtTies() {
        let y = Tensor.randomNormal([2, 3], seed: 3)
        let x = y.copy()
        x.data[0] += 1
        let g = Loss.l1(x, y).gradient
        #expect(g.data[0] == Float(1) / 6)
        #expect((1..<6).allSatisfy { g.data[$0] == 0 })
    }

    @Test("feature matching: every feature's gradient, weight included", arguments: [Float(1), 0.3, 2.5])
    func featureMatching(weight: Float) {
        let shapes = [[2, 4, 8, 8], [2, 8, 3, 5], [2, 1, 3, 3]]
        let real = shapes.enumerated().map { Tensor.randomNormal($0.element, seed: 10 + UInt64($0.offset)) }
        let fake = shapes.enumerated().map { index, shape in
            let f = Tensor(zeros: shape)
            TensorMath.add(real[index], Self.prediction(shape, seed: 20 + UInt64(index), kinks: [0]), into: f)
            return f
        }
        let analytic = FeatureMatching.loss(fake: fake, real: real, weight: weight).gradients.map { $0.copy() }
        func value() -> Float { FeatureMatching.loss(fake: fake, real: real, weight: weight).value }
        for (k, f) in fake.enumerated() {
            Self.expectClean(
                Self.check(value, input: f, gradient: analytic[k], what: "feature \(k)"),
                "feature matching, weight \(weight), feature \(k)")
        }
        // The real features are constants: the loss is Σ weight·L1, nothing flows to them.
        #expect(analytic.count == fake.count)
    }

    @Test("feature matching into reused gradient buffers gives the same gradients")
    func featureMatchingReusesBuffers() {
        let real = [Tensor.randomNormal([1, 2, 3, 3], seed: 30)]
        let fake = [Tensor.randomNormal([1, 2, 3, 3], seed: 31)]
        let fresh = FeatureMatching.loss(fake: fake, real: real, weight: 0.7).gradients[0].copy()
        let stale = [Tensor(repeating: 9, shape: [1, 2, 3, 3])]
        let reused = FeatureMatching.loss(fake: fake, real: real, weight: 0.7, gradients: stale).gradients[0]
        #expect(reused === stale[0])
        #expect(reused.scalars == fresh.scalars)
    }

    @Test("GAN losses, generator side", arguments: GANLoss.allCases)
    func generatorSide(loss: GANLoss) {
        for (i, shape) in [[2, 1, 3, 3], [1, 1, 5, 4], [3, 1, 2, 2]].enumerated() {
            let x = Self.prediction(shape, seed: 40 + UInt64(i), kinks: Self.kinks(loss))
            let analytic = loss.generatorLoss(x).gradient.copy()
            let failures = Self.check(
                { loss.generatorLoss(x).value }, input: x, gradient: analytic,
                what: "\(loss) G")
            Self.expectClean(failures, "\(loss) generator \(shape)")
        }
    }

    @Test("GAN losses, discriminator side on real and on fake", arguments: GANLoss.allCases)
    func discriminatorSide(loss: GANLoss) {
        for real in [true, false] {
            let x = Self.prediction([2, 1, 4, 3], seed: 50, kinks: Self.kinks(loss))
            let analytic = loss.discriminatorLoss(x, real: real).gradient.copy()
            let failures = Self.check(
                { loss.discriminatorLoss(x, real: real).value }, input: x,
                gradient: analytic, what: "\(loss) D real=\(real)")
            Self.expectClean(failures, "\(loss) discriminator real=\(real)")
        }
    }

    /// The generator's loss is not the discriminator's "real" loss for hinge (−mean(x), not
    /// mean(relu(1 − x))): the two sides must differ where x > 1.
    @Test("hinge: the generator side is −mean(x), also past the margin")
    func hingeGeneratorPastMargin() {
        let x = Tensor([2, 3], shape: [1, 1, 1, 2])
        #expect(GANLoss.hinge.generatorLoss(x).value == -2.5)
        #expect(GANLoss.hinge.generatorLoss(x).gradient.scalars == [-0.5, -0.5])
        #expect(GANLoss.hinge.discriminatorLoss(x, real: true).gradient.scalars == [0, 0])
    }
}
