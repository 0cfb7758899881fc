import Tensors

/// What a `BatchLoader` draws from: `count` stored examples, each turned into network
/// planes — input (inputChannels, S, S) and target (outputChannels, S, S), flattened — with
/// random augmentation taken from `rng` only, so (seed, step, slot) fixes every sample.
public protocol TrainingExamples: Sendable {
    var count: Int { get }
    /// S, the side of the square samples.
    var size: Int { get }
    var inputChannels: Int { get }
    var outputChannels: Int { get }
    func trainingPlanes(at index: Int, rng: inout SeededGenerator) -> (input: [Float], target: [Float])
}

/// Colorization (lineart, photo): pictures whose input is derived on the fly.
public struct ColorizationExamples: TrainingExamples {
    public let pictures: ImageFolder
    public let maker: SampleMaker

    public init(pictures: ImageFolder, maker: SampleMaker) {
        (self.pictures, self.maker) = (pictures, maker)
    }

    public var count: Int { pictures.count }
    public var size: Int { maker.size }
    public var inputChannels: Int { ColorizationEncoding.inputChannels(maker.mode) }
    public var outputChannels: Int { ColorizationEncoding.outputChannels(maker.mode) }

    public func trainingPlanes(at index: Int, rng: inout SeededGenerator) -> (input: [Float], target: [Float]) {
        let sample = maker.training(pictures.images[index], rng: &rng)
        return (sample.input, sample.target)
    }
}

/// pix2pix: stored pairs, input and target augmented alike.
public struct PairedExamples: TrainingExamples {
    public let pairs: PairedImageFolder
    public let maker: PairedSampleMaker

    public init(pairs: PairedImageFolder, maker: PairedSampleMaker) {
        (self.pairs, self.maker) = (pairs, maker)
    }

    public var count: Int { pairs.count }
    public var size: Int { maker.size }
    public var inputChannels: Int { 3 }
    public var outputChannels: Int { 3 }

    public func trainingPlanes(at index: Int, rng: inout SeededGenerator) -> (input: [Float], target: [Float]) {
        let sample = maker.training(pairs.pairs[index], rng: &rng)
        return (sample.input, sample.target)
    }
}
