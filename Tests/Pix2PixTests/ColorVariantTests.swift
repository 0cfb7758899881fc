import ImageCodecs
import NN
import Tensors
import TestSupport
import Testing

@testable import Pix2Pix

/// A drawing for the shipped line-art model: three closed shapes and an open stroke on a
/// 160×120 page, no hint in two of the shapes (the network's own colours, which a variant
/// changes).
enum VariantDrawing {
    static let width = 160, height = 120

    static func lines() -> FloatPlane {
        var lines = FloatPlane(width: width, height: height, repeating: 1)
        TestDrawing.draw(&lines, x0: 10, y0: 10, x1: 70, y1: 70, thickness: 2)
        TestDrawing.draw(&lines, x0: 85, y0: 20, x1: 150, y1: 100, thickness: 2)
        TestDrawing.draw(&lines, x0: 20, y0: 82, x1: 60, y1: 112, thickness: 2)
        for x in 70..<150 { lines[x, 110 - (x - 70) / 16] = 0 }
        return lines
    }

    static func picture() -> RGBImage {
        let plane = lines()
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        for i in 0..<(width * height) {
            for c in 0..<3 { pixels[3 * i + c] = UInt8(255 * plane.values[i]) }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A hint in the small bottom shape only.
    static let hints = [ColorHint(x: 40, y: 97, red: 40, green: 90, blue: 200, radius: 2)]

    static func shippedModel() throws -> GeneratorModel {
        try GeneratorModel.load(path: FixturePaths.path("models/default-lineart"))
    }
}

@Suite("Colour variants (dropout on, seeded)")
struct ColorVariantTests {
    static func differingPixels(_ a: RGBImage, _ b: RGBImage) -> (count: Int, largest: Int) {
        let differences = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }
        return (
            stride(from: 0, to: differences.count, by: 3).filter { differences[$0..<($0 + 3)].max()! > 0 }.count,
            differences.max() ?? 0
        )
    }

    @Test("the shipped model has dropout, so it has variants")
    func shippedModelHasVariants() throws {
        let model = try VariantDrawing.shippedModel()
        #expect(model.hasVariants)
        #expect(model.dropoutLayers.count == model.config.downsamplings - 5)
    }

    @Test("two seeds give different pictures; each differs from the deterministic one")
    func seedsDiffer() throws {
        let colorizer = Colorizer(model: try VariantDrawing.shippedModel())
        let picture = VariantDrawing.picture()
        let first = try colorizer.colorize(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: 1))
        let second = try colorizer.colorize(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: 2))
        let plain = try colorizer.colorize(picture, hints: VariantDrawing.hints)
        let between = Self.differingPixels(first, second)
        print("variants 1 and 2: \(between.count) of \(picture.pixelCount) pixels differ, by up to \(between.largest) levels")
        #expect(between.count > picture.pixelCount / 50, "a variant should recolour the unhinted shapes")
        #expect(Self.differingPixels(first, plain).count > 0 && Self.differingPixels(second, plain).count > 0)
        // Where the hint reaches, its colour stays whatever the variant.
        for variant in [first, second] {
            let p = variant[40, 97]
            #expect([p.red, p.green, p.blue] == [40, 90, 200])
        }
    }

    @Test("the same seed gives the same picture bit for bit, whatever ran in between")
    func sameSeedRepeats() throws {
        let colorizer = Colorizer(model: try VariantDrawing.shippedModel())
        let picture = VariantDrawing.picture()
        let once = try colorizer.colorizeLayered(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: 7))
        _ = try colorizer.colorize(picture, hints: [], variant: ColorVariant(seed: 8))
        let again = try colorizer.colorizeLayered(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: 7))
        #expect(once.picture == again.picture)
        // Another colorizer of the same file: a project reopened later.
        let reopened = Colorizer(model: try VariantDrawing.shippedModel())
        #expect(try reopened.colorize(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: 7)) == once.picture)
        // The layers of a variant flatten to the variant.
        guard case .lineArt(let paint, _) = once.source else {
            Issue.record("a line-art source")
            return
        }
        #expect(paint.multiplied(by: VariantDrawing.lines()) == once.picture)
    }

    @Test("no variant: today's deterministic picture, unchanged by variants run before; dropout back off")
    func noSeedIsUnchanged() throws {
        let picture = VariantDrawing.picture()
        let fresh = try Colorizer(model: try VariantDrawing.shippedModel()).colorize(picture, hints: VariantDrawing.hints)
        let model = try VariantDrawing.shippedModel()
        let colorizer = Colorizer(model: model)
        for seed in [3, 4] as [UInt64] { _ = try colorizer.colorize(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: seed)) }
        #expect(try colorizer.colorize(picture, hints: VariantDrawing.hints) == fresh)
        #expect(model.dropoutLayers.allSatisfy { !$0.isTraining })
        var batchNormInTraining = false
        model.generator.visit { _, module in if let norm = module as? BatchNorm2d, norm.isTraining { batchNormInTraining = true } }
        #expect(!batchNormInTraining, "a variant switches only the dropout layers")
    }

    @Test("a model without dropout refuses a variant, and colours without one")
    func noDropoutNoVariants() throws {
        let generator = UNetGenerator(GeneratorConfig(inputChannels: 9, outputChannels: 3, ngf: 4, downsamplings: 5))
        let colorizer = Colorizer(model: GeneratorModel(mode: .lineart, generator: generator, resolution: 64))
        #expect(!colorizer.model.hasVariants)
        #expect(throws: NoVariantsError()) { try colorizer.colorize(VariantDrawing.picture(), hints: [], variant: ColorVariant(seed: 1)) }
        _ = try colorizer.colorize(VariantDrawing.picture(), hints: [])
    }
}
