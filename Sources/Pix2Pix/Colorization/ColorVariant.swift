import NN
import Tensors

/// One of the plausible colourings a generator gives with its dropout on.
///
/// pix2pix has no noise input: its only randomness is the dropout in the inner decoder
/// blocks (`GeneratorConfig.dropout`), which the paper keeps on at test time for that reason.
/// Tinct runs generators with dropout off (the deterministic colouring); a variant runs them
/// with dropout on, each dropout layer's mask drawn from a generator seeded by the variant's
/// seed and the layer's index — so one seed gives the same colouring bit for bit, every time
/// (a project file can store the seed), and different seeds give different ones.
public struct ColorVariant: Sendable, Equatable, Hashable, Codable {
    /// Chosen by the user (any number); the masks depend on nothing else.
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }
}

/// A variant asked of a model that has no dropout, which has only one colouring.
public struct NoVariantsError: Error, CustomStringConvertible, Equatable {
    public init() {}
    public var description: String {
        "this model has no dropout layers, so it gives one colouring only: leave out the variant"
    }
}

extension GeneratorModel {
    /// The generator's dropout layers, outermost first (the order their seeds are mixed in).
    public var dropoutLayers: [Dropout] {
        var layers: [Dropout] = []
        generator.visit { _, module in if let dropout = module as? Dropout, dropout.p > 0 { layers.append(dropout) } }
        return layers
    }

    /// Whether the model gives different colourings for different variants.
    public var hasVariants: Bool { !dropoutLayers.isEmpty }

    /// Runs the generator as `run(_:)` does, with dropout on and seeded by `variant` when one
    /// is given (only the dropout layers change mode: batch norm stays as inference has it).
    /// Shapes: (N, in, S, S) → (N, out, S, S).
    /// - Throws: `NoVariantsError` when a variant is asked of a model without dropout.
    public func run(_ x: Tensor, variant: ColorVariant?) throws(NoVariantsError) -> Tensor {
        guard let variant else { return run(x) }
        let layers = dropoutLayers
        guard !layers.isEmpty else { throw NoVariantsError() }
        for (index, layer) in layers.enumerated() {
            layer.rng = SeededGenerator(seed: BatchLoader.mix(variant.seed, UInt64(index), 0x7A_21A7))
            layer.isTraining = true
        }
        defer { for layer in layers { layer.isTraining = false } }
        return run(x)
    }
}
