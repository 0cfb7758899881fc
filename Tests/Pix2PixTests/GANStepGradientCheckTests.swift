import NN
import Pix2Pix
import Tensors
import TestSupport
import Testing

/// Both halves of the GAN step against finite differences of their own objectives, with
/// every part on at once: two discriminator scales, feature matching, self-attention in G and
/// D, each GAN loss.
///
/// - G's half: L_G = Σ_scales GAN_G(D(A, G(A))) + λ_L1·|G(A) − B| + λ_FM-weighted feature
///   matching, differentiated with respect to every generator parameter (`backwardGenerator`).
/// - D's half: L_D = ½ Σ_scales (GAN_D(D(A, G(A)), fake) + GAN_D(D(A, B), real)) with respect
///   to every discriminator parameter (`backwardDiscriminator`).
///
/// ε is 1e-3 and the tolerance the layer checks' (5e-3 + 2 %), with a few probes allowed
/// off where a step crosses a kink (NetworkGradientCheckTests.expectMostlyClean; here at most
/// 5 of 190). Rounding stays inside the tolerance under any summation order: L is a Float of
/// ~10 (½ ulp ≈ 5e-7) computed from float32 sums that another kernel order changes by a few
/// ulps, which moves a difference over 2ε by ~1e-3 at most.
/// B is ±1.2, outside tanh's range, so |G(A) − B| has no kink to cross.
/// Spectral norm is off: in training mode each forward moves its u, v, so repeated forwards
/// are not one function (its training-mode gradient has its own check in NNTests).
@Suite("GAN step gradients agree with finite differences", .serialized)
struct GANStepGradientCheckTests {
    static let checker = GradientCheck(epsilon: 1e-3, absoluteTolerance: 5e-3, relativeTolerance: 2e-2, probes: 6)

    static func makeModel(_ gan: GANLoss, scales: Int = 2, lambdaFM: Float = 10) -> Pix2PixModel {
        let config = ModelConfig(
            generator: GeneratorConfig(
                inputChannels: 2, outputChannels: 2, ngf: 2, downsamplings: 5, norm: .batch,
                dropout: false, attentionDepths: [3]),
            discriminator: DiscriminatorConfig(
                inputChannels: 4, ndf: 4, nLayers: 2, norm: .batch, scales: scales,
                attention: true),
            ganLoss: gan, lambdaL1: 10, lambdaFeatureMatching: lambdaFM)
        let model = Pix2PixModel(config, seed: 21)
        NetworkGradientCheckTests.randomize(model.generator, seed: 22)
        NetworkGradientCheckTests.randomize(model.discriminator, seed: 23)
        return model
    }

    static let realA = Tensor.randomNormal([2, 2, 32, 32], seed: 24)
    static let realB: Tensor = {
        let b = Tensor.randomNormal([2, 2, 32, 32], seed: 25)
        for i in 0..<b.count { b.data[i] = b.data[i] >= 0 ? 1.2 : -1.2 }
        return b
    }()

    @Test("generator half: every G parameter, with the GAN loss, L1 and feature matching", arguments: GANLoss.allCases)
    func generatorHalf(gan: GANLoss) {
        let model = Self.makeModel(gan)
        func lossG() -> Double {
            model.forward(realA: Self.realA, realB: Self.realB)
            let losses = model.backwardGenerator()
            return Double(losses.gan + model.config.lambdaL1 * losses.l1 + losses.feature)
        }
        model.generator.zeroGrad()
        let dBefore = model.discriminator.namedParameters().map { $0.parameter.grad.scalars }
        model.forward(realA: Self.realA, realB: Self.realB)
        let losses = model.backwardGenerator()
        #expect(losses.feature > 0 && losses.l1 > 0)
        #expect(
            model.discriminator.namedParameters().map { $0.parameter.grad.scalars } == dBefore,
            "the generator's half leaves D's gradients alone")
        // Every evaluation below runs the backward again: keep the analytic gradients first.
        let analytic = model.generator.namedParameters().map { ($0.name, $0.parameter.value, $0.parameter.grad.copy()) }
        var failures: [String] = []
        for (name, value, gradient) in analytic {
            failures += Self.checker.check(scalar: lossG, input: value, gradient: gradient, what: "d\(name)")
        }
        let probes = Dictionary(uniqueKeysWithValues: analytic.map { ("d\($0.0)", Self.checker.probeCount($0.1)) })
        NetworkGradientCheckTests.expectMostlyClean(failures, probes: probes, "\(gan) generator half")
    }

    @Test("discriminator half: every D parameter, both scales", arguments: GANLoss.allCases)
    func discriminatorHalf(gan: GANLoss) {
        let model = Self.makeModel(gan)
        model.forward(realA: Self.realA, realB: Self.realB)
        func lossD() -> Double {
            let losses = model.backwardDiscriminator()
            return 0.5 * Double(losses.fake + losses.real)
        }
        model.discriminator.zeroGrad()
        model.generator.zeroGrad()
        _ = model.backwardDiscriminator()
        #expect(
            model.generator.namedParameters().allSatisfy { $0.parameter.grad.scalars.allSatisfy { $0 == 0 } },
            "the discriminator's half leaves G's gradients alone")
        // Every evaluation below runs the backward again: keep the analytic gradients first.
        let analytic = model.discriminator.namedParameters().map { ($0.name, $0.parameter.value, $0.parameter.grad.copy()) }
        var failures: [String] = []
        for (name, value, gradient) in analytic {
            failures += Self.checker.check(scalar: lossD, input: value, gradient: gradient, what: "d\(name)")
        }
        let probes = Dictionary(uniqueKeysWithValues: analytic.map { ("d\($0.0)", Self.checker.probeCount($0.1)) })
        NetworkGradientCheckTests.expectMostlyClean(failures, probes: probes, "\(gan) discriminator half")
    }

    /// Feature matching's share alone: the same model with λ_FM = 0 gives G gradients that
    /// differ, and by the gradient of the feature-matching term.
    @Test("feature matching reaches G: its share of the gradient is the difference λ_FM makes")
    func featureMatchingShare() {
        let withFM = Self.makeModel(.lsgan)
        let without = Self.makeModel(.lsgan, lambdaFM: 0)
        for model in [withFM, without] {
            model.generator.zeroGrad()
            model.forward(realA: Self.realA, realB: Self.realB)
            _ = model.backwardGenerator()
        }
        // Self-attention's key bias is the exception: it shifts a whole row of energies, which
        // softmax ignores, so its gradient is zero with or without feature matching.
        let unchanged = zip(withFM.generator.namedParameters(), without.generator.namedParameters()).filter {
            !$0.0.name.hasSuffix("key_conv.bias") && TensorMath.maxAbsDifference($0.0.parameter.grad, $0.1.parameter.grad) <= 1e-4
        }.map(\.0.name)
        #expect(unchanged.isEmpty, "G parameters that do not feel feature matching: \(unchanged)")
    }

    @Test("four discriminator scales train: every scale's D moves, the losses are finite")
    func fourScales() {
        let config = ModelConfig(
            generator: GeneratorConfig(inputChannels: 1, outputChannels: 2, ngf: 2, downsamplings: 6, dropout: false),
            discriminator: DiscriminatorConfig(inputChannels: 3, ndf: 4, nLayers: 1, scales: 4),
            ganLoss: .lsgan, lambdaFeatureMatching: 10)
        let model = Pix2PixModel(config, seed: 26)
        let before = model.discriminator.discriminators.map { $0.namedParameters().map { $0.parameter.value.copy() } }
        let losses = model.trainingStep(
            realA: Tensor.randomNormal([1, 1, 64, 64], seed: 27),
            realB: Tensor.randomNormal([1, 2, 64, 64], std: 0.5, seed: 28))
        #expect([losses.lossDFake, losses.lossDReal, losses.lossGGAN, losses.lossGL1, losses.lossGFeature].allSatisfy { $0.isFinite })
        #expect(losses.lossGFeature > 0)
        for (k, net) in model.discriminator.discriminators.enumerated() {
            let moved = zip(net.namedParameters(), before[k]).contains { TensorMath.maxAbsDifference($0.0.parameter.value, $0.1) > 0 }
            #expect(moved, "scale \(k) was not updated")
        }
    }
}
