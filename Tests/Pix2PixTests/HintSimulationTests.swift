import ImageCodecs
import Pix2Pix
import Tensors
import Testing

/// A picture with varied colour: a smooth gradient plus a few flat blocks.
private func colorfulPicture(width: Int = 48, height: Int = 40) -> RGBImage {
    var image = RGBImage(width: width, height: height)
    for y in 0..<height {
        for x in 0..<width {
            image[x, y] = (UInt8(x * 255 / (width - 1)), UInt8(y * 255 / (height - 1)), UInt8((x + y) % 200 + 30))
        }
    }
    return image
}

/// Line art with a grid of 2-px ink lines every 8 px (about 25% ink).
private func gridLines(width: Int = 48, height: Int = 40) -> FloatPlane {
    var plane = FloatPlane(width: width, height: height, repeating: 1)
    for y in 0..<height {
        for x in 0..<width where x % 8 < 2 || y % 8 < 2 { plane[x, y] = 0 }
    }
    return plane
}

@Suite("Hint simulation")
struct HintSimulationTests {
    @Test("dense counts: 30 % of hinted samples get 16–160 hints, log-uniform; the rest stay geometric")
    func denseCounts() {
        let simulation = HintSimulation()
        var rng = SeededGenerator(seed: 5)
        let nonZero = (0..<20_000).map { _ in simulation.sampleCount(rng: &rng) }.filter { $0 > 0 }
        #expect(nonZero.allSatisfy { (1...160).contains($0) })
        let above40 = Double(nonZero.filter { $0 > 40 }.count) / Double(nonZero.count)
        // Dense draws above 40: 0.3 · (log 161 − log 41) / (log 161 − log 16) ≈ 0.178.
        #expect(abs(above40 - 0.178) < 0.02, "share above 40: \(above40)")
        #expect(nonZero.contains { $0 >= 128 })
        let few = Double(nonZero.filter { $0 <= 4 }.count) / Double(nonZero.count)
        #expect(few > 0.25, "the first few hints stay common: \(few)")
    }

    @Test("hint counts without dense draws: zero with probability p0, geometric mean ≈ 8 otherwise, capped at 40")
    func countDistribution() {
        let simulation = HintSimulation(denseProbability: 0)
        var rng = SeededGenerator(seed: 11)
        let draws = (0..<20_000).map { _ in simulation.sampleCount(rng: &rng) }
        let zeroFraction = Double(draws.filter { $0 == 0 }.count) / Double(draws.count)
        #expect(abs(zeroFraction - 0.25) < 0.015)
        let nonZero = draws.filter { $0 > 0 }
        let mean = Double(nonZero.reduce(0, +)) / Double(nonZero.count)
        // Geometric mean 8, slightly lowered by the cap at 40.
        #expect(mean > 7.5 && mean < 8.3)
        #expect(draws.allSatisfy { (0...40).contains($0) })
        #expect(draws.contains(40))
        #expect(Double(nonZero.filter { $0 == 1 }.count) / Double(nonZero.count) > 0.1)

        var none = SeededGenerator(seed: 1)
        let always = HintSimulation(zeroHintProbability: 1)
        #expect((0..<100).allSatisfy { _ in always.sampleCount(rng: &none) == 0 })
    }

    @Test("point hints take the local 5×5 mean of the ground truth, within the noise")
    func colorsAreLocalMeans() {
        let target = colorfulPicture()
        let simulation = HintSimulation(strokeProbability: 0)
        var rng = SeededGenerator(seed: 5)
        var errors: [Float] = []
        for _ in 0..<40 {
            let result = simulation.simulateHints(count: 16, target: target, rng: &rng)
            #expect(result.hints.count == 16)
            for hint in result.hints {
                #expect((1...3).contains(hint.radius))
                let mean = simulation.localMean(x: hint.x, y: hint.y, target: target, lines: nil)
                for (value, expected) in [(hint.red, mean.0), (hint.green, mean.1), (hint.blue, mean.2)] {
                    let error = Float(value) - expected * 255
                    // σ ≤ 6 levels: 5σ plus rounding, unless clamped at 0 or 255.
                    if value != 0 && value != 255 { #expect(abs(error) <= 30.5) }
                    errors.append(error)
                }
            }
        }
        let bias = errors.reduce(0, +) / Float(errors.count)
        let spread = (errors.map { $0 * $0 }.reduce(0, +) / Float(errors.count)).squareRoot()
        #expect(abs(bias) < 0.5)
        #expect(spread > 2 && spread < 6.5)  // σ uniform in 2…6 levels → RMS ≈ 4.3
    }

    @Test("the local mean is the plain window average, ink left out when line art is given")
    func localMean() {
        var target = RGBImage(width: 10, height: 10, red: 200, green: 100, blue: 50)
        var lines = FloatPlane(width: 10, height: 10, repeating: 1)
        for y in 0..<10 {
            target[5, y] = (0, 0, 0)
            lines[5, y] = 0
        }
        let simulation = HintSimulation()
        let plain = simulation.localMean(x: 4, y: 4, target: target, lines: nil)
        #expect(abs(plain.0 - 200.0 * 20 / 25 / 255) < 1e-5)
        let inkFree = simulation.localMean(x: 4, y: 4, target: target, lines: lines)
        #expect(abs(inkFree.0 - 200.0 / 255) < 1e-5 && abs(inkFree.2 - 50.0 / 255) < 1e-5)
        let corner = simulation.localMean(x: 0, y: 0, target: target, lines: nil)  // 3×3 inside
        #expect(abs(corner.1 - 100.0 / 255) < 1e-5)
    }

    @Test("no hint lands on an ink line")
    func avoidsInk() {
        let target = colorfulPicture()
        let lines = gridLines()
        var rng = SeededGenerator(seed: 8)
        let simulation = HintSimulation()
        var total = 0
        for _ in 0..<300 {
            let result = simulation.simulateHints(target: target, lines: lines, rng: &rng)
            total += result.hints.count
            for hint in result.hints { #expect(lines[hint.x, hint.y] == 1, "hint at (\(hint.x), \(hint.y)) on ink") }
        }
        #expect(total > 1000)
    }

    @Test("half the hints prefer coloured areas over white background")
    func prefersColor() {
        // A quarter of the picture is coloured, the rest white.
        var target = RGBImage(width: 40, height: 40)
        for y in 0..<20 { for x in 0..<20 { target[x, y] = (30, 140, 220) } }
        func coloredFraction(_ simulation: HintSimulation) -> Double {
            var rng = SeededGenerator(seed: 21)
            var colored = 0
            var total = 0
            for _ in 0..<100 {
                for hint in simulation.simulateHints(count: 10, target: target, rng: &rng).hints {
                    total += 1
                    if hint.x < 20 && hint.y < 20 { colored += 1 }
                }
            }
            return Double(colored) / Double(total)
        }
        let never = coloredFraction(HintSimulation(strokeProbability: 0, preferColorProbability: 0))
        let always = coloredFraction(HintSimulation(strokeProbability: 0, preferColorProbability: 1))
        let half = coloredFraction(HintSimulation(strokeProbability: 0))
        #expect(abs(never - 0.25) < 0.05)
        #expect(always == 1)
        #expect(abs(half - 0.625) < 0.06)  // ½ · 1 + ½ · ¼
    }

    @Test("exact-count mode: k hints, deterministic for a seed", arguments: [0, 4, 16])
    func exactCount(k: Int) {
        let target = colorfulPicture()
        let lines = gridLines()
        let simulation = HintSimulation()
        var first = SeededGenerator(seed: 2024)
        var second = SeededGenerator(seed: 2024)
        let a = simulation.simulateHints(count: k, target: target, lines: lines, rng: &first)
        let b = simulation.simulateHints(count: k, target: target, lines: lines, rng: &second)
        #expect(a == b)
        #expect(a.hintCount == k)
        #expect(a.hints.count >= k && a.hints.count <= 5 * k)
        #expect(a.planes.width == 48 && a.planes.height == 40)
        #expect(a.planes.hintColor.count == 3 * 48 * 40 && a.planes.hintMask.count == 48 * 40)
        #expect((a.planes.hintMask.reduce(0, +) == 0) == (k == 0))
        #expect(a.planes == HintRasterizer(width: 48, height: 40).rasterize(a.hints))
        let points = HintSimulation(strokeProbability: 0)
        var rng = SeededGenerator(seed: 2024)
        #expect(points.simulateHints(count: k, target: target, rng: &rng).hints.count == k)
    }

    @Test("strokes are 2–5 touching discs of one colour and radius, at most ~12 px long")
    func strokes() {
        let target = colorfulPicture(width: 64, height: 64)
        let simulation = HintSimulation(strokeProbability: 1)
        var rng = SeededGenerator(seed: 9)
        var lengths: [Int] = []
        for _ in 0..<200 {
            let hints = simulation.simulateHints(count: 1, target: target, rng: &rng).hints
            #expect((1...5).contains(hints.count))
            let first = hints[0]
            for (previous, disc) in zip(hints, hints.dropFirst()) {
                #expect(disc.radius == first.radius && disc.hex == first.hex)
                let dx = Double(disc.x - previous.x)
                let dy = Double(disc.y - previous.y)
                #expect((dx * dx + dy * dy).squareRoot() <= Double(first.radius) + 1)
            }
            let last = hints[hints.count - 1]
            let span = Double((last.x - first.x) * (last.x - first.x) + (last.y - first.y) * (last.y - first.y))
            #expect(span.squareRoot() <= 13)
            lengths.append(hints.count)
        }
        #expect(Set(lengths).isSuperset(of: [2, 3, 4, 5]))
        // With default settings about 30% of hints are strokes.
        let mixed = HintSimulation()
        var strokesSeen = 0
        var mixedRNG = SeededGenerator(seed: 10)
        for _ in 0..<500 where mixed.simulateHints(count: 1, target: target, rng: &mixedRNG).hints.count > 1 {
            strokesSeen += 1
        }
        #expect(strokesSeen > 110 && strokesSeen < 190)
    }
}
