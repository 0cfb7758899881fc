import Foundation
import NN
import Pix2Pix
import Tensors
import TestSupport
import Testing

/// Weights travel both ways between Tinct and PyTorch.
@Suite("PyTorch weights")
struct TorchImportTests {
    static let torchGenerator = FixturePaths.path("Tests/Pix2PixTests/Fixtures/torch_generator.safetensors")
    static let config = GeneratorConfig(inputChannels: 3, outputChannels: 3, ngf: 8, downsamplings: 6, norm: .batch, dropout: true)

    @Test("a generator saved by PyTorch reproduces PyTorch's output")
    func importReproducesOutput() throws {
        let model = try GeneratorModel.importTorch(path: Self.torchGenerator, config: Self.config, mode: .pix2pix)
        let io = try Fixture(path: FixturePaths.path("Tests/Pix2PixTests/Fixtures/torch_generator_io.safetensors"))
        let y = model.run(io["x"])
        #expect(Compare.mismatch(y, io["y"], atol: 1e-5, what: "imported G(x)") == nil)
    }

    @Test("a 5-channel line-art U-Net with 5 downsamplings, train and eval")
    func lineartShape() throws {
        let f = try Fixture(path: FixturePaths.path("Tests/Pix2PixTests/Fixtures/unet_in5_out3.safetensors"))
        let g = UNetGenerator(GeneratorConfig(inputChannels: 5, outputChannels: 3, ngf: 4, downsamplings: 5, dropout: false))
        try g.load(from: f.file, prefix: "G.", strict: false)
        g.setTraining(false)
        #expect(Compare.mismatch(g.forward(f["x"]), f["y_eval"], atol: 1e-5, what: "eval") == nil)
        g.setTraining(true)
        #expect(Compare.mismatch(g.forward(f["x"]), f["y_train"], atol: 1e-5, what: "train") == nil)
    }

    @Test("a wrong architecture is refused with the offending tensor named")
    func wrongArchitecture() {
        var wrong = Self.config
        wrong.ngf = 16
        #expect(throws: StateDictError.self) { try GeneratorModel.importTorch(path: Self.torchGenerator, config: wrong, mode: .pix2pix) }
        var deeper = Self.config
        deeper.downsamplings = 7
        #expect(throws: StateDictError.self) { try GeneratorModel.importTorch(path: Self.torchGenerator, config: deeper, mode: .pix2pix) }
    }

    @Test("a Tinct model file has exactly the tensors PyTorch's strict load_state_dict expects, and reloads identically")
    func saveMatchesTorchKeys() throws {
        let model = try GeneratorModel.importTorch(path: Self.torchGenerator, config: Self.config, mode: .pix2pix)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-model-\(getpid())").path
        try model.save(folder: folder)
        let saved = try SafetensorsFile(contentsOf: "\(folder)/\(GeneratorModel.fileName)")
        let torch = try SafetensorsFile(contentsOf: Self.torchGenerator)
        #expect(Set(saved.entries.keys) == Set(torch.entries.keys))
        for (name, entry) in torch.entries {
            #expect(saved.entries[name]?.shape == entry.shape, "\(name)")
            #expect(saved.entries[name]?.dtype == entry.dtype, "\(name) dtype")
        }
        let reloaded = try GeneratorModel.load(path: folder)
        #expect(reloaded.mode == .pix2pix)
        #expect(reloaded.config == Self.config)
        let x = Tensor.randomNormal([1, 3, 64, 64], seed: 3)
        let a = model.run(x).copy()
        #expect(TensorMath.maxAbsDifference(a, reloaded.run(x)) == 0)
    }

    @Test("a plain PyTorch file is not mistaken for a Tinct model")
    func plainFileRefused() {
        #expect(throws: ModelFileError.self) { try GeneratorModel.load(path: Self.torchGenerator) }
    }
}
