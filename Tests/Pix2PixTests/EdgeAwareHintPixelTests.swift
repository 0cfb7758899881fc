import ImageCodecs
import Tensors
import Testing

@testable import Pix2Pix

@Suite("Edge-aware hint fill (photos)")
struct EdgeAwareHintPixelTests {
    /// The cheapest cost from `seed` to every pixel, by plain repeated relaxation (Bellman–Ford)
    /// over the same steps `EdgeAwareHintPixel` takes — an independent, slow twin.
    private static func costs(from seed: Int, lightness: [Float], width: Int, height: Int, edgeCost: Int) -> [Int] {
        let level = lightness.map { Int(max(0, min(100, $0)).rounded()) }
        var cost = [Int](repeating: .max, count: width * height)
        cost[seed] = 0
        var changed = true
        while changed {
            changed = false
            for i in 0..<cost.count where cost[i] != .max {
                let (x, y) = (i % width, i / width)
                for dy in -1...1 {
                    for dx in -1...1 where (dx != 0 || dy != 0) && x + dx >= 0 && x + dx < width && y + dy >= 0 && y + dy < height {
                        let j = (y + dy) * width + x + dx
                        let step = (dx != 0 && dy != 0 ? 7 : 5) + edgeCost * (level[j] - level[i]) * (level[j] - level[i])
                        if cost[i] + step < cost[j] {
                            cost[j] = cost[i] + step
                            changed = true
                        }
                    }
                }
            }
        }
        return cost
    }

    @Test("every pixel takes a hinted pixel it reaches at the least cost, as a brute-force search finds; nil without hints")
    func cheapestAgreesWithBruteForce() throws {
        var rng = SeededGenerator(seed: 9)
        for trial in 0..<8 {
            let (width, height) = (9 + trial, 11)
            let lightness = (0..<(width * height)).map { _ in Float(rng.integer(in: 0...100)) }
            var mask = [Float](repeating: 0, count: width * height)
            for _ in 0..<(1 + trial % 4) { mask[rng.integer(in: 0...(mask.count - 1))] = 1 }
            let seeds = (0..<mask.count).filter { mask[$0] > 0 }
            let edgeCost = [0, 1, 4, 16][trial % 4]
            let owner = try #require(EdgeAwareHintPixel.map(mask: mask, lightness: lightness, width: width, height: height, edgeCost: edgeCost))
            let tables = Dictionary(
                uniqueKeysWithValues: seeds.map { ($0, Self.costs(from: $0, lightness: lightness, width: width, height: height, edgeCost: edgeCost)) })
            for i in 0..<mask.count {
                let chosen = Int(owner[i])
                #expect(mask[chosen] > 0, "trial \(trial): pixel \(i) takes an unhinted pixel")
                let best = seeds.map { tables[$0]![i] }.min()!
                #expect(tables[chosen]![i] == best, "trial \(trial), edge cost \(edgeCost): pixel \(i) costs \(tables[chosen]![i]), best \(best)")
            }
        }
        #expect(EdgeAwareHintPixel.map(mask: [0, 0, 0, 0], lightness: [50, 50, 50, 50], width: 2, height: 2) == nil)
    }

    /// A 60 × 30 photo: a dark left half (L* ≈ 30) and a light right half (≈ 80).
    private static func twoHalves() -> RGBImage {
        var picture = RGBImage(width: 60, height: 30)
        for y in 0..<30 { for x in 0..<60 { picture[x, y] = x < 30 ? (70, 70, 70) : (200, 200, 200) } }
        return picture
    }

    @Test("two flat areas split by an edge: a hint on one side never colours the other, however close it is")
    func edgeStopsColour() {
        let picture = Self.twoHalves()
        let red = ColorHint(x: 27, y: 15, red: 200, green: 30, blue: 30, radius: 1)
        let blue = ColorHint(x: 58, y: 15, red: 30, green: 40, blue: 200, radius: 1)
        let filled = Baselines.edgeAwareFill(hints: [red, blue], photo: picture)
        let redLab = LabColor.rgbToLab(200 / 255, 30 / 255, 30 / 255)
        for y in 0..<30 {
            for x in 30..<60 {
                let p = filled[x, y]
                #expect(p.blue > p.red + 40, "(\(x), \(y)) on the light side took the red hint's colour: \(p)")
            }
        }
        let beside = filled[31, 15]
        let nearest = Baselines.nearestHintFill(hints: [red, blue], input: .photo(picture))[31, 15]
        #expect(beside.blue > beside.red && nearest.red > nearest.blue, "the nearest-hint fill crosses the edge, this fill does not")
        let left = filled[2, 2]
        let leftLab = LabColor.rgbToLab(Float(left.red) / 255, Float(left.green) / 255, Float(left.blue) / 255)
        #expect(
            abs(leftLab.a - redLab.a) < 12 && abs(leftLab.l - LabColor.rgbToLab(70 / 255, 70 / 255, 70 / 255).l) < 6,
            "the dark side is red at about its own lightness (the sRGB gamut clips a little)")
    }

    @Test("a smooth lightness ramp carries a hint's colour along its whole length")
    func rampCarriesColour() {
        // A ramp from L* ≈ 20 to ≈ 90 over 80 px on top; a flat grey band below, split by an edge.
        var picture = RGBImage(width: 80, height: 40)
        for y in 0..<40 {
            for x in 0..<80 {
                let v = UInt8(50 + 2 * x)
                picture[x, y] = y < 20 ? (v, v, v) : (120, 0, 0)
            }
        }
        let green = ColorHint(x: 2, y: 10, red: 30, green: 180, blue: 40, radius: 1)
        let blue = ColorHint(x: 78, y: 30, red: 30, green: 40, blue: 200, radius: 1)
        let filled = Baselines.edgeAwareFill(hints: [green, blue], photo: picture)
        let far = filled[77, 5]
        #expect(far.green > far.blue, "the far end of the ramp, next to the blue hint across the edge, is green: \(far)")
    }

    @Test("without hints the edge-aware fill is the grey input")
    func noHints() {
        let picture = Self.twoHalves()
        #expect(Baselines.edgeAwareFill(hints: [], photo: picture) == Baselines.inputUnchanged(.photo(picture)))
    }
}
