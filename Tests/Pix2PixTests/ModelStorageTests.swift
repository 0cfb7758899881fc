import Foundation
import NN
import Pix2Pix
import Tensors
import Testing

@Suite("Model storage")
struct ModelStorageTests {
    @Test("--int8: inner weights take a byte each, the model still computes what the float32 one does")
    func int8ModelMatchesFloat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-int8-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let generator = Pix2PixModel(
            ModelConfig(
                generator: GeneratorConfig(inputChannels: 5, outputChannels: 3, ngf: 32, downsamplings: 5),
                discriminator: DiscriminatorConfig(inputChannels: 8, ndf: 4, nLayers: 1)), seed: 4
        ).generator
        let model = GeneratorModel(mode: .lineart, generator: generator, resolution: 32, batchStatistics: true)
        for (name, kind) in [("f32", StoredType.float32), ("f16", .float16), ("i8", .int8)] {
            try model.save(folder: "\(folder)/\(name)", storedAs: kind)
        }
        func size(_ name: String) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)/generator.safetensors")[.size] as! Int
        }
        let (int8Bytes, halfBytes) = (try size("i8"), try size("f16"))
        #expect(int8Bytes < halfBytes * 6 / 10, "int8 file \(int8Bytes) bytes vs float16 \(halfBytes)")
        let file = try SafetensorsFile(contentsOf: "\(folder)/i8/generator.safetensors")
        #expect(file.entries.values.contains { $0.dtype == .int8 })
        #expect(file.entries.values.contains { $0.dtype == .float16 })

        var rng = SeededGenerator(seed: 8)
        let x = Tensor((0..<(5 * 32 * 32)).map { _ in rng.nextUniform() * 2 - 1 }, shape: [1, 5, 32, 32])
        let reference = try GeneratorModel.load(path: "\(folder)/f32").run(x).scalars
        let quantized = try GeneratorModel.load(path: "\(folder)/i8").run(x).scalars
        let worst = zip(reference, quantized).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 0.02, "largest output difference \(worst) (outputs in [-1, 1])")
    }
}
