import ImageCodecs
import Tensors
import Testing

@testable import Pix2Pix

@Suite("Hint spreading")
struct HintSpreadingTests {
    private static let red = ColorHint(x: 0, y: 0, red: 220, green: 20, blue: 30, radius: 1)
    private static let blue = ColorHint(x: 0, y: 0, red: 10, green: 40, blue: 230, radius: 1)

    private static func at(_ hint: ColorHint, _ x: Int, _ y: Int) -> ColorHint {
        var moved = hint
        (moved.x, moved.y) = (x, y)
        return moved
    }

    private static func color(_ fill: HintFill, _ x: Int, _ y: Int) -> (Float, Float, Float) {
        let plane = fill.width * fill.height
        let i = y * fill.width + x
        return (fill.colors[i], fill.colors[plane + i], fill.colors[2 * plane + i])
    }

    private static func near(_ a: (Float, Float, Float), _ hint: ColorHint, tolerance: Float = 0.01) -> Bool {
        abs(a.0 - Float(hint.red) / 255) <= tolerance && abs(a.1 - Float(hint.green) / 255) <= tolerance
            && abs(a.2 - Float(hint.blue) / 255) <= tolerance
    }

    @Test("a hint colours its whole closed region exactly, and nothing outside its line")
    func closedRegion() {
        let regions = InkRegions(lines: TestDrawing.rectangle(size: 64, x0: 16, y0: 16, x1: 47, y1: 47), gapRadius: 3)
        let fill = HintSpreading.fill(hints: [Self.at(Self.red, 20, 40)], regions: regions, openReach: 8, blendSigma: 1)
        for (x, y) in [(17, 17), (46, 46), (32, 32), (46, 17)] {
            #expect(fill.known[y * 64 + x] == 1, "(\(x), \(y))")
            #expect(Self.near(Self.color(fill, x, y), Self.red), "(\(x), \(y))")
        }
        let outside = (0..<64 * 64).filter { i in regions.labels[i] >= 0 && regions.isOpen[Int(regions.labels[i])] }
        #expect(!outside.isEmpty && outside.allSatisfy { fill.known[$0] == 0 }, "the page beyond the line knows nothing")
    }

    @Test("a hint never colours a region separated from it by a closed line, with gaps closed")
    func neverAcrossLines() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<12 {
            let gap = rng.integer(in: 0...4)
            let lines = TestDrawing.rectangle(size: 80, x0: 20, y0: 20, x1: 59, y1: 59, thickness: rng.integer(in: 1...2), gap: gap)
            let regions = InkRegions(lines: lines, gapRadius: 3)
            let (x, y) = rng.chance(0.5) ? (rng.integer(in: 24...55), rng.integer(in: 24...55)) : (rng.integer(in: 2...10), rng.integer(in: 2...77))
            let fill = HintSpreading.fill(hints: [Self.at(Self.blue, x, y)], regions: regions, openReach: 1000, blendSigma: 2)
            let hinted = regions.region(x: x, y: y)!
            for i in 0..<(80 * 80) where regions.labels[i] >= 0 && Int(regions.labels[i]) != hinted {
                let region = regions.labels[i]
                #expect(fill.known[i] == 0, "trial \(trial): pixel \(i) of region \(region) was coloured from region \(hinted)")
                if fill.known[i] != 0 { return }
            }
        }
    }

    @Test("on the open page a hint colours only its neighbourhood, fading out at its reach")
    func openRegionReach() {
        let regions = InkRegions(lines: FloatPlane(width: 100, height: 100, repeating: 1), gapRadius: 3)
        let fill = HintSpreading.fill(hints: [Self.at(Self.red, 50, 50)], regions: regions, openReach: 20, blendSigma: 1)
        #expect(fill.known[50 * 100 + 55] == 1, "5 px away: fully known")
        let fading = fill.known[50 * 100 + 65]
        #expect(fading > 0 && fading < 1, "15 px away: fading, got \(fading)")
        #expect(fill.known[50 * 100 + 75] == 0 && fill.known[10 * 100 + 10] == 0, "beyond the reach: nothing")
        #expect(Self.near(Self.color(fill, 55, 50), Self.red))
    }

    @Test("a hint always colours the dot around it that it reaches without crossing ink, even where the page's reach fades")
    func dotAroundTheHint() {
        let blank = InkRegions(lines: FloatPlane(width: 40, height: 40, repeating: 1), gapRadius: 1)
        let fill = HintSpreading.fill(hints: [Self.at(Self.red, 20, 20)], regions: blank, openReach: 4, blendSigma: 1)
        let r = HintSpreading.dotRadius
        for dy in -r...r {
            for dx in -r...r where dx * dx + dy * dy <= r * r {
                #expect(fill.known[(20 + dy) * 40 + 20 + dx] == 1, "(\(dx), \(dy)) inside the dot")
                #expect(Self.near(Self.color(fill, 20 + dx, 20 + dy), Self.red), "(\(dx), \(dy)) inside the dot")
            }
        }
        #expect(fill.known[20 * 40 + 26] == 0, "6 px away, past a reach of 4: nothing")

        var wall = FloatPlane(width: 40, height: 40, repeating: 1)
        for y in 0..<40 { wall[20, y] = 0 }
        let halves = InkRegions(lines: wall, gapRadius: 1)
        let beside = HintSpreading.fill(hints: [Self.at(Self.red, 22, 20)], regions: halves, openReach: 1000, blendSigma: 1)
        #expect(
            (0..<40).allSatisfy { y in (0..<20).allSatisfy { x in beside.known[y * 40 + x] == 0 } },
            "the dot of a hint 2 px from a line never reaches past it")

        let pair = HintSpreading.fill(
            hints: [Self.at(Self.red, 10, 20), Self.at(Self.blue, 14, 20)], regions: blank,
            openReach: 1000, blendSigma: 1)
        #expect(
            Self.near(Self.color(pair, 9, 20), Self.red) && Self.near(Self.color(pair, 15, 20), Self.blue),
            "two close hints each keep the pixels they own")
    }

    @Test("around the clicks the nearest click wins: a wide hint's disc does not take the pixels beside a small hint")
    func nearestClickWins() {
        let regions = InkRegions(lines: TestDrawing.rectangle(size: 48, x0: 2, y0: 2, x1: 45, y1: 45), gapRadius: 1)
        var wide = Self.at(Self.blue, 28, 20)
        wide.radius = 5
        for hints in [[Self.at(Self.red, 20, 20), wide], [wide, Self.at(Self.red, 20, 20)]] {
            let fill = HintSpreading.fill(hints: hints, regions: regions, openReach: 8, blendSigma: 1)
            // (22, 20) is 1 px from the blue disc's edge, so blue reaches it first through the
            // region, but it is 2 px from the red click and 6 from the blue one.
            #expect(Self.near(Self.color(fill, 22, 20), Self.red), "beside the red click")
            #expect(Self.near(Self.color(fill, 25, 20), Self.blue), "inside the blue disc")
            #expect(fill.known[20 * 48 + 22] == 1)
        }
    }

    @Test("two hints in one region split it by geodesic distance, blended only at the seam")
    func twoHintsSplit() {
        let regions = InkRegions(lines: TestDrawing.rectangle(size: 96, x0: 4, y0: 4, x1: 91, y1: 91), gapRadius: 2)
        let fill = HintSpreading.fill(
            hints: [Self.at(Self.red, 15, 48), Self.at(Self.blue, 80, 48)], regions: regions,
            openReach: 10, blendSigma: 2)
        #expect(Self.near(Self.color(fill, 10, 48), Self.red, tolerance: 0.02))
        #expect(Self.near(Self.color(fill, 86, 48), Self.blue, tolerance: 0.02))
        let seam = Self.color(fill, 47, 48)
        #expect(seam.0 < 0.8 && seam.0 > 0.1, "the seam is a blend, got \(seam)")
    }

    @Test("the fill placed into the network's square keeps its colours and leaves the margins unknown")
    func placedInLetterbox() {
        let regions = InkRegions(lines: TestDrawing.rectangle(size: 64, x0: 8, y0: 8, x1: 55, y1: 55), gapRadius: 2)
        var lines = FloatPlane(width: 64, height: 32, repeating: 1)
        for y in 0..<32 { for x in 0..<64 { lines[x, y] = regions.labels[(y + 16) * 64 + x] == InkRegions.ink ? 0 : 1 } }
        let wide = InkRegions(lines: lines, gapRadius: 2)
        let fill = HintSpreading.fill(hints: [Self.at(Self.red, 30, 16)], regions: wide, openReach: 6, blendSigma: 1)
        let box = Letterbox(sourceWidth: 64, sourceHeight: 32, side: 32)
        let placed = fill.placed(in: box)
        #expect(placed.known[2 * 32 + 16] == 0, "the top margin")
        #expect(placed.known[16 * 32 + 16] == 1)
        #expect(Self.near(Self.color(placed, 16, 16), Self.red))
    }
}

@Suite("Line-art composition")
struct LineArtCompositionTests {
    @Test("with a network that adds nothing, a hinted shape comes out in the hint's colour, gap closed, and the page white")
    func flatColoursAndWhitePage() throws {
        let lines = TestDrawing.rectangle(size: 512, x0: 128, y0: 128, x1: 383, y1: 383, thickness: 2, gap: 4)
        let hint = ColorHint(x: 200, y: 200, red: 200, green: 120, blue: 40, radius: 4)
        let guide = LineArtGuide(lines: lines, hints: [hint])
        let side = 64
        let zeros = [Float](repeating: 0, count: 3 * side * side)
        let networkLines = FloatPlane(width: side, height: side, values: (0..<(side * side)).map { lines[8 * ($0 % side), 8 * ($0 / side)] })
        let picture = zeros.withUnsafeBufferPointer {
            LineArtComposition.compose(
                output: $0.baseAddress!, networkLines: networkLines,
                box: Letterbox(sourceWidth: 512, sourceHeight: 512, side: side), guide: guide)
        }
        #expect(picture[370, 370] == (200, 120, 40), "inside the shape, far from the hint")
        #expect(picture[255, 132] == (200, 120, 40), "inside, just below the gap")
        #expect(
            picture[5, 5] == (255, 255, 255) && picture[450, 250] == (255, 255, 255) && picture[255, 120] == (255, 255, 255),
            "the page, also just above the gap")
        #expect(picture[128, 250] == (0, 0, 0), "the line")
    }

    @Test("a closed shape no hint reaches comes out one flat colour, the mean of the network's varying guess; the page stays white")
    func unhintedShapeIsFlat() {
        let lines = TestDrawing.rectangle(size: 256, x0: 64, y0: 64, x1: 191, y1: 191, thickness: 2)
        let guide = LineArtGuide(lines: lines, hints: [])
        let side = 64
        // A ramp from dark red on the left to light red on the right, in the network's -1...1.
        var output = [Float](repeating: -0.2, count: 3 * side * side)
        for i in 0..<(side * side) { output[i] = -0.8 + 1.6 * Float(i % side) / Float(side - 1) }
        let networkLines = FloatPlane(width: side, height: side, values: (0..<(side * side)).map { lines[4 * ($0 % side), 4 * ($0 / side)] })
        let picture = output.withUnsafeBufferPointer {
            LineArtComposition.compose(
                output: $0.baseAddress!, networkLines: networkLines,
                box: Letterbox(sourceWidth: 256, sourceHeight: 256, side: side), guide: guide)
        }
        let inside = picture[128, 128]
        #expect(inside != (255, 255, 255) && inside.0 > inside.1, "the network's reddish guess is kept, got \(inside)")
        for (x, y) in [(68, 68), (187, 187), (68, 187), (187, 68), (100, 150)] {
            #expect(picture[x, y] == inside, "(\(x), \(y)) is \(picture[x, y]), the middle \(inside)")
        }
        #expect(picture[10, 128] == (255, 255, 255) && picture[240, 128] == (255, 255, 255), "the page")
    }

    @Test("with hints elsewhere, an unhinted shape's flat colour is half the network's guess, half the nearest hint's colour")
    func unhintedShapeLeansToNearestHint() {
        let lines = TestDrawing.rectangle(size: 256, x0: 64, y0: 64, x1: 191, y1: 191, thickness: 2)
        let near = ColorHint(x: 30, y: 128, red: 200, green: 120, blue: 40, radius: 2)
        let far = ColorHint(x: 250, y: 250, red: 10, green: 40, blue: 230, radius: 2)
        let guide = LineArtGuide(lines: lines, hints: [far, near])
        let side = 64
        let output = [Float](repeating: -0.2, count: 3 * side * side)  // grey 0.4 everywhere
        let networkLines = FloatPlane(width: side, height: side, values: (0..<(side * side)).map { lines[4 * ($0 % side), 4 * ($0 / side)] })
        let picture = output.withUnsafeBufferPointer {
            LineArtComposition.compose(
                output: $0.baseAddress!, networkLines: networkLines,
                box: Letterbox(sourceWidth: 256, sourceHeight: 256, side: side), guide: guide)
        }
        let share = LineArtComposition.nearestHintShare
        let expected = [near.red, near.green, near.blue].map { 255 * ((1 - share) * 0.4 + share * Float($0) / 255) }
        for (x, y) in [(128, 128), (70, 70), (185, 185)] {
            let got = picture[x, y]
            #expect(
                abs(Float(got.0) - expected[0]) <= 1.5 && abs(Float(got.1) - expected[1]) <= 1.5 && abs(Float(got.2) - expected[2]) <= 1.5,
                "(\(x), \(y)): \(got), expected \(expected)")
        }
    }
}
