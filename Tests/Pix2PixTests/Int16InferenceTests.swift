import Foundation
import ImageCodecs
import NN
import Tensors
import TestSupport
import Testing

@testable import Pix2Pix

/// The shipped models with int16 products (as the server and `tinct colorize` run them on CPUs
/// with AVX-512 VNNI) against float32: every output within 0.02 (outputs in [-1, 1]), and the
/// colourized drawing within 3 levels of 255. Where the CPU lacks VNNI, the products stay float32
/// and the outputs must be equal.
@Suite("Int16 inference")
struct Int16InferenceTests {
    static func worstDifference(_ model: GeneratorModel, input: Tensor) -> Float {
        model.generator.useInt16Products(false)
        let reference = model.run(input).scalars
        model.generator.useInt16Products(true)
        defer { model.generator.useInt16Products(false) }
        let quantized = model.run(input).scalars
        return zip(reference, quantized).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test("shipped models: outputs within 0.02 of float32", arguments: ["models/default-lineart", "models/default-photo"])
    func shippedModel(folder: String) throws {
        let model = try GeneratorModel.load(path: FixturePaths.path(folder))
        let side = model.resolution
        var rng = SeededGenerator(seed: 21)
        let channels = model.config.inputChannels
        let input = Tensor((0..<(channels * side * side)).map { _ in rng.nextUniform() * 2 - 1 }, shape: [1, channels, side, side])
        let worst = Self.worstDifference(model, input: input)
        if Int16Weights.available {
            #expect(worst < 0.02, "largest output difference \(worst)")
            #expect(worst > 0, "int16 products gave float32's outputs exactly: they did not run")
        } else {
            #expect(worst == 0)
        }
    }

    @Test("colourizing a drawing: every pixel within 3 levels of float32's")
    func drawing() throws {
        let model = try VariantDrawing.shippedModel()
        let reference = try Colorizer(model: model).colorize(VariantDrawing.picture(), hints: VariantDrawing.hints)
        model.generator.useInt16Products(true)
        let quantized = try Colorizer(model: model).colorize(VariantDrawing.picture(), hints: VariantDrawing.hints)
        let worst = zip(reference.pixels, quantized.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 255
        #expect(worst <= 3, "largest pixel difference \(worst) of 255")
    }
}
