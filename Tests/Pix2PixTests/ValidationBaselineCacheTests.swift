import Foundation
import ImageCodecs
import NN
import Tensors
import Testing

@testable import Pix2Pix

/// The validator computes its baselines once and reuses them at later checkpoints.
@Suite("Validation baselines kept between checkpoints")
struct ValidationBaselineCacheTests {
    static func validator(_ mode: ModelMode) -> Validator {
        let folder = ImageFolder(root: TrainingTests.makeDataset(count: 3), maxSide: 64)
        return Validator(maker: SampleMaker(mode: mode, size: 32), pictures: folder.images, seed: 7)
    }

    static func generator(_ mode: ModelMode, seed: UInt64) -> UNetGenerator {
        let config = GeneratorConfig(
            inputChannels: ColorizationEncoding.inputChannels(mode), outputChannels: ColorizationEncoding.outputChannels(mode),
            ngf: 4, downsamplings: 5)
        let model = Pix2PixModel(
            ModelConfig(
                generator: config,
                discriminator: DiscriminatorConfig(inputChannels: config.inputChannels + config.outputChannels, ndf: 4, nLayers: 2)),
            seed: seed)
        model.generator.setTraining(false)
        return model.generator
    }

    @Test("a validator that has evaluated one generator scores another exactly as a fresh one does", arguments: [ModelMode.lineart, .photo])
    func reusedBaselinesMatchFresh(mode: ModelMode) {
        let used = Self.validator(mode)
        let first = used.evaluate(Self.generator(mode, seed: 1))
        let second = Self.generator(mode, seed: 2)
        let again = used.evaluate(second)
        let fresh = Self.validator(mode).evaluate(second)
        #expect(again == fresh)
        #expect(again.map(\.nearestHintFill) == first.map(\.nearestHintFill))
        #expect(again.map(\.model) != first.map(\.model))
        #expect(again.allSatisfy { ($0.edgeAwareFill != nil) == (mode == .photo) })
    }
}
