import Foundation
import NN
import Pix2Pix
import Tensors
import TestSupport
import Testing

/// Every part of the GAN step at once against PyTorch: a U-Net with self-attention, a
/// two-scale discriminator with spectral norm on every convolution, self-attention and
/// instance norm, LSGAN, L1 and pix2pixHD's feature matching (32×32, batch 2;
/// Tests/Pix2PixTests/Fixtures/pix2pixhd_small.safetensors, `scripts/make_fixtures.py
/// generate --only pix2pixhd_small`).
///
/// One step is compared element by element, as WholeModelTests does: the output, the five
/// losses, every parameter gradient of both networks, and both networks' state after the
/// update — spectral norm's u and v included, after the four power iterations of the step
/// (D on fake, real, real again for the features, fake for G). Then a five-step trajectory
/// of loss_G and loss_D.
@Suite("Whole pix2pixHD-style model matches PyTorch", .serialized)
struct WholeModelHDTests {
    static let fixture = try! Fixture(path: FixturePaths.path("Tests/Pix2PixTests/Fixtures/pix2pixhd_small.safetensors"))

    static func makeModel() throws -> Pix2PixModel {
        let f = fixture
        #expect(f.meta("gan_loss") == "lsgan" && f.meta("norm_G") == "batch" && f.meta("norm_D") == "instance")
        #expect(f.bool("spectral_norm") && f.bool("d_attention") && !f.bool("dropout"))
        let config = ModelConfig(
            generator: GeneratorConfig(
                inputChannels: f.int("in_nc"), outputChannels: f.int("out_nc"), ngf: f.int("ngf"),
                downsamplings: f.int("downs"), norm: .batch, dropout: false,
                attentionDepths: f.meta("attention_depths").split(separator: ",").map { Int($0)! }),
            discriminator: DiscriminatorConfig(
                inputChannels: f.int("in_nc") + f.int("out_nc"), ndf: f.int("ndf"),
                nLayers: f.int("n_layers"), norm: .instance, scales: f.int("num_D"),
                spectralNorm: true, attention: true),
            ganLoss: .lsgan, lambdaL1: f.float("lambda_l1"), lambdaFeatureMatching: f.float("lambda_fm"),
            adam: .init(lr: f.float("lr"), beta1: f.float("beta1"), beta2: f.float("beta2")))
        let model = Pix2PixModel(config, seed: 123)
        try model.generator.load(from: f.file, prefix: "G.", strict: false)
        try model.discriminator.load(from: f.file, prefix: "D.", strict: false)
        return model
    }

    @Test("state_dict keys and shapes are PyTorch's (scale<k>., weight_orig/u/v, attention)")
    func keys() throws {
        let model = try Self.makeModel()
        #expect(Set(model.generator.stateDict().map(\.name)) == Set(Self.fixture.names(under: "G.")))
        #expect(Set(model.discriminator.stateDict().map(\.name)) == Set(Self.fixture.names(under: "D.")))
        for (network, prefix) in [(model.generator as any Module, "G."), (model.discriminator, "D.")] {
            for item in network.stateDict() {
                #expect(item.tensor.count == Self.fixture[prefix + item.name].count, "\(prefix)\(item.name)")
            }
        }
    }

    /// Compares each parameter's gradient with the fixture's; returns how many were compared.
    static func expectGradients(_ network: any Module, prefix: String) -> Int {
        var compared = 0
        for (name, p) in network.namedParameters() {
            #expect(Compare.mismatch(p.grad, fixture[prefix + name], atol: 1e-4, rtol: 2e-3, what: prefix + name) == nil)
            compared += 1
        }
        return compared
    }

    @Test("one training step: output, the five losses, every gradient and the updated state")
    func oneStep() throws {
        let model = try Self.makeModel()
        let f = Self.fixture
        let losses = model.trainingStep(realA: f["A"], realB: f["B"])
        #expect(Compare.mismatch(model.fakeB!, f["fake"], atol: 1e-5, what: "fake") == nil)
        let expected: [(String, Float, Float)] = [
            ("loss_D_fake", losses.lossDFake, 1e-4), ("loss_D_real", losses.lossDReal, 1e-4), ("loss_G_GAN", losses.lossGGAN, 1e-4),
            ("loss_G_L1", losses.lossGL1, 1e-5), ("loss_G_feat", losses.lossGFeature, 1e-4)
        ]
        for (name, value, tolerance) in expected {
            #expect(abs(value - f[name][0]) <= tolerance * max(1, abs(f[name][0])), "\(name): \(value) vs \(f[name][0])")
        }
        let comparedG = Self.expectGradients(model.generator, prefix: "G_grad.")
        let comparedD = Self.expectGradients(model.discriminator, prefix: "D_grad.")
        #expect(comparedG == f.names(under: "G_grad.").count && comparedG == 32)
        #expect(comparedD == f.names(under: "D_grad.").count && comparedD == 30)
        // Two kinds of parameter have no gradient in exact arithmetic: a convolution's bias right
        // before instance norm (the norm subtracts each channel's mean) and self-attention's key
        // bias (it adds the same qᵀb to a whole row of energies, which softmax ignores).
        // PyTorch's gradients there are ~1e-8, rounding. Adam divides
        // by √v, so such a gradient still moves the bias by up to lr, in a direction the
        // rounding picks. Those biases are held to Adam's one-step bound instead.
        let adam = model.config.adam
        let roundingStep = 2 * AdamBound.maxDisplacement(steps: 1, lr: adam.lr, beta1: adam.beta1, beta2: adam.beta2)
        var comparedState = 0
        var heldToBound = 0
        for (network, prefix, grads) in [(model.generator as any Module, "G_after.", "G_grad."), (model.discriminator, "D_after.", "D_grad.")] {
            for item in network.stateDict() {
                let gradientIsRounding = f.has(grads + item.name) && f[grads + item.name].scalars.allSatisfy { abs($0) < 1e-6 }
                let atol = gradientIsRounding ? roundingStep : 2e-5
                heldToBound += gradientIsRounding ? 1 : 0
                #expect(Compare.mismatch(item.tensor, f[prefix + item.name], atol: atol, rtol: 1e-3, what: prefix + item.name) == nil)
                comparedState += 1
            }
        }
        #expect(heldToBound == 7, "D's four stage-convolution biases (2 per scale), the three attention blocks' key biases")
        #expect(comparedState == f.names(under: "G_after.").count + f.names(under: "D_after.").count)
    }

    @Test("five-step loss trajectory")
    func trajectory() throws {
        let model = try Self.makeModel()
        let f = Self.fixture
        let (lossG, lossD) = (f["trajectory.loss_G"], f["trajectory.loss_D"])
        #expect(lossG.count == f.int("steps") && f.int("steps") == 5)
        for step in 0..<lossG.count {
            let losses = model.trainingStep(realA: f["A"], realB: f["B"])
            let g = losses.lossG(lambdaL1: model.config.lambdaL1)
            #expect(abs(g - lossG[step]) <= 1e-3 * abs(lossG[step]), "loss_G step \(step + 1): \(g) vs \(lossG[step])")
            #expect(abs(losses.lossD - lossD[step]) <= 1e-3 * abs(lossD[step]), "loss_D step \(step + 1): \(losses.lossD) vs \(lossD[step])")
        }
    }
}
