import Foundation
import NN
import Pix2Pix
import Tensors
import TestSupport
import Testing

/// A small pix2pix (64×64, ngf 8, 6 downsamplings, batch 2, no dropout) against PyTorch:
/// outputs, every parameter gradient, the weights after a full G+D step, and a 10-step
/// loss trajectory (Tests/Pix2PixTests/Fixtures/pix2pix_small.safetensors).
@Suite("Whole pix2pix model matches PyTorch", .serialized)
struct WholeModelTests {
    static let fixture = try! Fixture(path: FixturePaths.path("Tests/Pix2PixTests/Fixtures/pix2pix_small.safetensors"))

    static func makeModel() throws -> Pix2PixModel {
        let f = fixture
        let config = ModelConfig(
            generator: GeneratorConfig(inputChannels: f.int("in_nc"), outputChannels: f.int("out_nc"), ngf: f.int("ngf"),
                                       downsamplings: f.int("downs"), norm: .batch, dropout: false),
            discriminator: DiscriminatorConfig(inputChannels: f.int("in_nc") + f.int("out_nc"), ndf: f.int("ndf"), nLayers: f.int("n_layers")),
            ganLoss: .vanilla, lambdaL1: f.float("lambda_l1"),
            adam: .init(lr: f.float("lr"), beta1: f.float("beta1"), beta2: f.float("beta2")))
        let model = Pix2PixModel(config, seed: 123)
        try model.generator.load(from: f.file, prefix: "G.", strict: false)
        try model.discriminator.load(from: f.file, prefix: "D.", strict: false)
        return model
    }

    /// Compares every state_dict entry of `network` with the fixture's `prefix` tensors.
    static func expectState(_ network: any Module, prefix: String, atol: Float, rtol: Float = 1e-3) {
        for item in network.stateDict() {
            let expected = fixture[prefix + item.name]
            #expect(Compare.mismatch(item.tensor, expected, atol: atol, rtol: rtol, what: prefix + item.name) == nil)
        }
    }

    @Test("state_dict keys and shapes are PyTorch's")
    func keys() throws {
        let model = try Self.makeModel()
        let expectedG = Set(Self.fixture.names(under: "G."))
        let expectedD = Set(Self.fixture.names(under: "D."))
        #expect(Set(model.generator.stateDict().map(\.name)) == expectedG)
        #expect(Set(model.discriminator.stateDict().map(\.name)) == expectedD)
    }

    @Test("evaluation-mode generator output")
    func evalOutput() throws {
        let model = try Self.makeModel()
        model.generator.setTraining(false)
        let y = model.generator.forward(Self.fixture["A"])
        #expect(Compare.mismatch(y, Self.fixture["G_eval_out"], atol: 1e-5, what: "G eval") == nil)
    }

    @Test("one training step: output, gradients, losses and updated weights")
    func oneStep() throws {
        let model = try Self.makeModel()
        let f = Self.fixture
        let losses = model.trainingStep(realA: f["A"], realB: f["B"])
        #expect(Compare.mismatch(model.fakeB!, f["fake"], atol: 1e-5, what: "fake") == nil)
        #expect(abs(losses.lossDFake - f["loss_D_fake"][0]) < 1e-4)
        #expect(abs(losses.lossDReal - f["loss_D_real"][0]) < 1e-4)
        #expect(abs(losses.lossGGAN - f["loss_G_GAN"][0]) < 1e-4)
        #expect(abs(losses.lossGL1 - f["loss_G_L1"][0]) < 1e-5)
        for (name, p) in model.generator.namedParameters() {
            #expect(Compare.mismatch(p.grad, f["G_grad.\(name)"], atol: 1e-4, rtol: 2e-3, what: "G grad \(name)") == nil)
        }
        for (name, p) in model.discriminator.namedParameters() {
            #expect(Compare.mismatch(p.grad, f["D_grad.\(name)"], atol: 1e-4, rtol: 2e-3, what: "D grad \(name)") == nil)
        }
        Self.expectState(model.generator, prefix: "G_after.", atol: 2e-5)
        Self.expectState(model.discriminator, prefix: "D_after.", atol: 2e-5)
    }

    @Test("ten-step loss trajectory and final weights")
    func trajectory() throws {
        let model = try Self.makeModel()
        let f = Self.fixture
        let (lossG, lossD) = (f["trajectory.loss_G"], f["trajectory.loss_D"])
        for step in 0..<10 {
            let losses = model.trainingStep(realA: f["A"], realB: f["B"])
            let g = losses.lossG(lambdaL1: model.config.lambdaL1)
            #expect(abs(g - lossG[step]) <= 1e-3 * abs(lossG[step]), "loss_G step \(step + 1): \(g) vs \(lossG[step])")
            #expect(abs(losses.lossD - lossD[step]) <= 1e-3 * abs(lossD[step]), "loss_D step \(step + 1): \(losses.lossD) vs \(lossD[step])")
        }
        for (name, p) in model.generator.namedParameters() {
            #expect(Compare.mismatch(p.value, f["G_after10.\(name)"], atol: 1e-4, rtol: 1e-3, what: "G after 10 \(name)") == nil)
        }
    }
}
