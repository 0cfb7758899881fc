import ImageCodecs
import Tensors
import Testing

@testable import Pix2Pix

@Suite("Suggested colours, reference palette, hint areas")
struct ArtistToolsTests {
    static func lab(_ r: Float, _ g: Float, _ b: Float) -> LabColor { LabColor.rgbToLab(r / 255, g / 255, b / 255) }

    @Test("rank: agreeing colours cluster in Lab; the largest cluster first, then the earliest")
    func rankClusters() {
        let reds = [Self.lab(200, 30, 30), Self.lab(203, 33, 28), Self.lab(198, 28, 32), Self.lab(201, 31, 30)]
        let blues = [Self.lab(30, 60, 200), Self.lab(32, 62, 198)]
        let green = Self.lab(40, 180, 60)
        let yellow = Self.lab(240, 220, 40)
        let ranked = ColorSuggestions.rank([green, blues[0]] + reds + [blues[1], yellow])
        #expect(ranked.map(\.votes) == [4, 2, 1, 1])
        #expect(abs(Int(ranked[0].red) - 200) <= 2 && abs(Int(ranked[1].blue) - 199) <= 2)
        #expect(ranked[2].green > 150, "green came before yellow")
        #expect(ColorSuggestions.rank(reds + blues, limit: 1).map(\.votes) == [4])
    }

    @Test("suggestions at an unhinted shape: the network's colours there over the variants, votes adding up")
    func suggestionsFollowTheVariants() throws {
        let colorizer = Colorizer(model: try VariantDrawing.shippedModel())
        let picture = VariantDrawing.picture()
        let (x, y) = (117, 60)
        let suggestions = try colorizer.suggestColors(for: picture, hints: VariantDrawing.hints, x: x, y: y, variants: 8)
        print("suggestions at (\(x), \(y)): " + suggestions.map { "\($0.hex) ×\($0.votes)" }.joined(separator: ", "))
        #expect(!suggestions.isEmpty && suggestions.count <= ColorSuggestions.maximumCount)
        #expect(suggestions.map(\.votes).reduce(0, +) <= 8 && suggestions.map(\.votes) == suggestions.map(\.votes).sorted(by: >))
        // Each suggestion is the network's colour for the shape in some variant. The shape is
        // closed and unhinted, so the composition paints it flat: a `nearestHintShare` of the
        // nearest hint's colour (the blue one, the only one) over the rest, the network's mean
        // over the shape. Taking the hint's part back out leaves the network's colour (the
        // mean over the shape, not the smoothed point: within a few ΔE).
        let share = LineArtComposition.nearestHintShare
        let hint = VariantDrawing.hints[0]
        let networkColours = try (1...8).map { seed -> LabColor in
            let p = try colorizer.colorize(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: UInt64(seed)))[x, y]
            let unmixed = zip([p.red, p.green, p.blue], [hint.red, hint.green, hint.blue]).map { painted, hinted in
                min(255, max(0, (Float(painted) - share * Float(hinted)) / (1 - share)))
            }
            return Self.lab(unmixed[0], unmixed[1], unmixed[2])
        }
        for suggestion in suggestions {
            let colour = Self.lab(Float(suggestion.red), Float(suggestion.green), Float(suggestion.blue))
            let nearest = networkColours.map { $0.deltaE2000(to: colour) }.min()!
            #expect(nearest < 8, "\(suggestion.hex) is \(nearest) ΔE from every variant's own colour for the shape")
        }
        // Taken as a hint at the point, the first suggestion is what the shape is painted.
        let first = suggestions[0]
        let adopted = VariantDrawing.hints + [ColorHint(x: x, y: y, red: first.red, green: first.green, blue: first.blue, radius: 2)]
        let painted = try colorizer.colorize(picture, hints: adopted)
        for (px, py) in [(x, y), (x + 10, y + 10), (x - 8, y - 12)] {
            let p = painted[px, py]
            let difference = Self.lab(Float(p.red), Float(p.green), Float(p.blue))
                .deltaE2000(to: Self.lab(Float(first.red), Float(first.green), Float(first.blue)))
            #expect(difference < 2, "(\(px), \(py)) is \(difference) ΔE from the adopted \(first.hex)")
        }
        // Deterministic: the same request, the same answer.
        #expect(try colorizer.suggestColors(for: picture, hints: VariantDrawing.hints, x: x, y: y, variants: 8) == suggestions)
    }

    @Test("the input of a drawing is kept between questions about it with the same hints, and only then")
    func suggestionInputKept() throws {
        let colorizer = Colorizer(model: try VariantDrawing.shippedModel())
        let picture = VariantDrawing.picture()
        let first = colorizer.suggestionInput(for: picture, hints: VariantDrawing.hints)
        let values = first.x.scalars
        #expect(colorizer.suggestionInput(for: picture, hints: VariantDrawing.hints).x === first.x)
        // The kept input is a copy: the colorizer's own input tensor is rewritten by the next picture.
        _ = colorizer.lineArtInput(VariantDrawing.picture(), hints: [])
        #expect(first.x.scalars == values)
        let kept = try colorizer.suggestColors(for: picture, hints: VariantDrawing.hints, x: 117, y: 60, variants: 2)
        let fresh = try Colorizer(model: try VariantDrawing.shippedModel())
            .suggestColors(for: picture, hints: VariantDrawing.hints, x: 117, y: 60, variants: 2)
        #expect(kept == fresh)
        #expect(colorizer.suggestionInput(for: picture, hints: []).x !== first.x, "other hints, another input")
        var pixels = picture.pixels
        pixels[3 * (60 * picture.width + 117)] = 0
        let touched = RGBImage(width: picture.width, height: picture.height, pixels: pixels)
        let again = colorizer.suggestionInput(for: touched, hints: VariantDrawing.hints)
        #expect(again.isFor(touched, hints: VariantDrawing.hints) && !again.isFor(picture, hints: VariantDrawing.hints))
        #expect(again.x !== first.x, "another drawing, another input")
    }

    @Test("a line-art colorization leaves its input for suggestions about the picture it coloured")
    func colorizationKeepsItsInput() throws {
        let colorizer = Colorizer(model: try VariantDrawing.shippedModel())
        let picture = VariantDrawing.picture()
        _ = try colorizer.colorize(picture, hints: VariantDrawing.hints, variant: ColorVariant(seed: 4))
        let left = try #require(colorizer.keptSuggestionInput)
        #expect(left.isFor(picture, hints: VariantDrawing.hints))
        #expect(colorizer.suggestionInput(for: picture, hints: VariantDrawing.hints).x === left.x)
        #expect(left.x.scalars == colorizer.lineArtInput(picture, hints: VariantDrawing.hints).x.scalars)
    }

    @Test("suggestions refuse a point outside the picture; a model without dropout suggests its one colour")
    func suggestionRefusals() throws {
        let colorizer = Colorizer(model: try VariantDrawing.shippedModel())
        #expect(throws: SuggestionError.pointOutside(x: 160, y: 0, width: 160, height: 120)) {
            try colorizer.suggestColors(for: VariantDrawing.picture(), hints: [], x: 160, y: 0)
        }
        let plain = UNetGenerator(GeneratorConfig(inputChannels: 9, outputChannels: 3, ngf: 4, downsamplings: 5))
        let one = try Colorizer(model: GeneratorModel(mode: .lineart, generator: plain, resolution: 64))
            .suggestColors(for: VariantDrawing.picture(), hints: [], x: 40, y: 40)
        #expect(one.map(\.votes) == [1])
    }

    /// 50 % red, 30 % blue, 20 % yellow, in bands; `noise` levels of deterministic noise.
    static func reference(noise: Int = 0) -> RGBImage {
        let (width, height) = (200, 100)
        var generator = SeededGenerator(seed: 5)
        var pixels: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width {
                let colour: [Int] = x < 100 ? [200, 30, 30] : x < 160 ? [30, 60, 200] : [240, 220, 40]
                for c in colour {
                    let jitter = noise == 0 ? 0 : Int(generator.next() % UInt64(2 * noise + 1)) - noise
                    pixels.append(UInt8(max(0, min(255, c + jitter))))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test("palette: a picture of three known colours gives them, ranked by share", arguments: [0, 6])
    func paletteOfKnownColours(noise: Int) {
        let palette = ReferencePalette.colors(of: Self.reference(noise: noise), count: 3)
        print("palette (noise ±\(noise)): " + palette.map { "\($0.hex) \($0.share)" }.joined(separator: ", "))
        let expected: [([Int], Float)] = [([200, 30, 30], 0.5), ([30, 60, 200], 0.3), ([240, 220, 40], 0.2)]
        #expect(palette.count == 3)
        for (colour, (rgb, share)) in zip(palette, expected) {
            let got = [Int(colour.red), Int(colour.green), Int(colour.blue)]
            #expect(zip(got, rgb).allSatisfy { abs($0 - $1) <= 2 }, "\(got) for \(rgb)")
            #expect(abs(colour.share - share) < 0.03)
        }
    }

    @Test("palette: fewer colours than asked when the picture has fewer; the same every time")
    func paletteIsDeterministic() {
        let picture = Self.reference(noise: 0)
        let six = ReferencePalette.colors(of: picture, count: 6)
        #expect(six.count == 3)
        #expect(ReferencePalette.colors(of: picture, count: 6) == six)
        let noisy = Self.reference(noise: 20)
        #expect(ReferencePalette.colors(of: noisy, count: 5) == ReferencePalette.colors(of: noisy, count: 5))
        #expect(ReferencePalette.colors(of: noisy, count: 5).map(\.share).reduce(0, +) > 0.999)
    }

    /// A closed rectangle, a rectangle with a 4-pixel gap in its top (closed by the
    /// enclosures, not the regions), on a 120² page.
    static func areaDrawing() -> FloatPlane {
        var lines = FloatPlane(width: 120, height: 120, repeating: 1)
        TestDrawing.draw(&lines, x0: 10, y0: 10, x1: 50, y1: 50, thickness: 2)
        TestDrawing.draw(&lines, x0: 65, y0: 10, x1: 110, y1: 60, thickness: 2, gap: 4)
        return lines
    }

    @Test("hint areas: one per closed region, the gapped shape's enclosure, the open page, ink")
    func areaLabels() {
        let map = HintAreaMap(lines: Self.areaDrawing())
        let label = { (x: Int, y: Int) in map.labels[y * 120 + x] }
        #expect(label(30, 30) >= 0 && label(20, 40) == label(30, 30))
        #expect(label(88, 35) >= 0 && label(88, 35) != label(30, 30), "the gapped shape is its own area")
        #expect(label(5, 100) == HintAreaMap.page && label(115, 115) == HintAreaMap.page)
        #expect(label(11, 30) == label(30, 30), "ink at a line's edge counts as the paper beside it")
        #expect(map.pageReach == HintSpreading.openReach(forLongerSide: 120))
        #expect(map.areaCount == 2)
        // The runs decode to the labels.
        var decoded: [Int32] = []
        let runs = map.runs
        for k in stride(from: 0, to: runs.count, by: 2) { decoded += Array(repeating: runs[k], count: Int(runs[k + 1])) }
        #expect(decoded == map.labels)
    }

    @Test(
        "hint areas match what a hint colours: the hint fill of one hint covers its area and little else",
        arguments: [(30, 30), (88, 35)])
    func areasMatchHintSpreading(x: Int, y: Int) {
        let lines = Self.areaDrawing()
        let map = HintAreaMap(lines: lines)
        let hint = ColorHint(x: x, y: y, red: 255, green: 0, blue: 0, radius: 2)
        let fill = LineArtGuide(lines: lines, hints: [hint]).fill
        let area = map.labels[y * 120 + x]
        let inArea = map.labels.indices.filter { map.labels[$0] == area }
        let coloured = fill.known.indices.filter { fill.known[$0] > 0.5 }
        let covered = inArea.filter { fill.known[$0] > 0.5 }.count
        let outside = coloured.filter { map.labels[$0] != area }.count
        print("area at (\(x), \(y)): \(inArea.count) pixels, \(covered) coloured by the hint; \(outside) coloured outside it")
        #expect(Double(covered) > 0.97 * Double(inArea.count))
        #expect(Double(outside) < 0.03 * Double(coloured.count))
    }
}
