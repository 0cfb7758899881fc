import Foundation
import ImageCodecs
import Pix2Pix
import Tensors
import Testing

/// A `size × size` white picture with a filled square (`inset` from each border) in `color`.
private func squarePicture(
    size: Int = 64, inset: Int = 16, color: (UInt8, UInt8, UInt8) = (200, 40, 40)
) -> RGBImage {
    var image = RGBImage(width: size, height: size)
    for y in inset..<(size - inset) {
        for x in inset..<(size - inset) { image[x, y] = (color.0, color.1, color.2) }
    }
    return image
}

/// Total darkness (sum of 1 − value) of a line-art plane.
private func inkMass(_ plane: FloatPlane) -> Float {
    plane.values.reduce(0) { $0 + (1 - $1) }
}

@Suite("Line extraction")
struct LineExtractionTests {
    static let extractors: [LineExtractor] = [
        LineExtractor(method: .xdog(XDoG())),
        LineExtractor(method: .adaptiveThreshold(AdaptiveThreshold())),
        LineExtractor(method: .sobel(SobelEdges()))
    ]

    @Test("a filled square gives ink along its border, paper inside and outside", arguments: extractors)
    func squareOutline(extractor: LineExtractor) {
        let lines = extractor.extract(from: squarePicture())
        #expect(lines.width == 64 && lines.height == 64)
        #expect(lines.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Mostly paper.
        #expect(lines.fraction(below: 0.5) < 0.2)
        #expect(1 - lines.fraction(below: 0.9) > 0.7)
        // Inside, outside and corners of the page stay white.
        for (x, y) in [(32, 32), (2, 2), (61, 61), (8, 32), (32, 56)] {
            #expect(lines[x, y] > 0.9, "(\(x), \(y)) should be paper, is \(lines[x, y])")
        }
        // Every row and column crossing the square meets ink within 3 px of each side.
        for t in 20..<44 {
            #expect((13..<20).map { lines[$0, t] }.min()! < 0.5, "left edge, row \(t)")
            #expect((44..<51).map { lines[$0, t] }.min()! < 0.5, "right edge, row \(t)")
            #expect((13..<20).map { lines[t, $0] }.min()! < 0.5, "top edge, column \(t)")
            #expect((44..<51).map { lines[t, $0] }.min()! < 0.5, "bottom edge, column \(t)")
        }
    }

    @Test("a blank page gives no ink", arguments: extractors)
    func blankPage(extractor: LineExtractor) {
        let lines = extractor.extract(from: RGBImage(width: 32, height: 24, red: 180, green: 200, blue: 90))
        #expect(lines.values.allSatisfy { $0 == 1 })
    }

    @Test("thickness changes the ink area monotonically")
    func thicknessMonotonic() {
        for extractor in Self.extractors {
            let masses = (-2...2).map { amount in
                inkMass(LineExtractor(method: extractor.method, thickness: amount).extract(from: squarePicture()))
            }
            for (thinner, thicker) in zip(masses, masses.dropFirst()) { #expect(thinner <= thicker) }
            #expect(masses[2] < masses[3] && masses[3] < masses[4])
            // Thinning by 2 erases lines narrower than 5 px.
            #expect(masses[0] < masses[2])
        }
    }

    @Test("thickening a single ink pixel grows it into the disc")
    func thickenDisc() {
        var plane = FloatPlane(width: 9, height: 9, repeating: 1)
        plane[4, 4] = 0
        #expect(LineThickness.thicken(plane, radius: 0) == plane)
        #expect(LineThickness.thicken(plane, radius: 1).fraction(below: 0.5) * 81 == 5)
        #expect(LineThickness.thicken(plane, radius: 2).fraction(below: 0.5) * 81 == 13)
        #expect(LineThickness.thin(LineThickness.thicken(plane, radius: 1), radius: 1) == plane)
    }

    @Test("random extractor is deterministic for a seed and varied across seeds")
    func randomDeterministic() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let picture = squarePicture()
        for _ in 0..<10 {
            let a = LineExtractor.random(rng: &first)
            let b = LineExtractor.random(rng: &second)
            #expect(a == b)
            #expect(a.extract(from: picture) == b.extract(from: picture))
        }
        var rng = SeededGenerator(seed: 7)
        var kinds: Set<String> = []
        var thicknesses: Set<Int> = []
        for _ in 0..<60 {
            let extractor = LineExtractor.random(rng: &rng)
            switch extractor.method {
            case .xdog: kinds.insert("xdog")
            case .adaptiveThreshold: kinds.insert("adaptive")
            case .sobel: kinds.insert("sobel")
            }
            thicknesses.insert(extractor.thickness)
            // Whatever is drawn still outlines the square on mostly white paper.
            let lines = extractor.extract(from: picture)
            #expect(lines.fraction(below: 0.5) < 0.4)
            #expect(lines[32, 32] > 0.9 && lines[2, 2] > 0.9)
            #expect(lines.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        #expect(kinds.count == 3)
        #expect(thicknesses == [0, 1, 2])
    }

    @Test("extractor choices survive a JSON round trip")
    func codable() throws {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<8 {
            let extractor = LineExtractor.random(rng: &rng)
            let data = try JSONEncoder().encode(extractor)
            #expect(try JSONDecoder().decode(LineExtractor.self, from: data) == extractor)
        }
    }

    @Test("an uploaded drawing is normalized: grey paper to 1, coloured lines to 0")
    func drawingNormalization() {
        var drawing = RGBImage(width: 40, height: 40, red: 225, green: 222, blue: 215)
        for index in 0..<40 {
            drawing[index, 10] = (200, 20, 20)  // red line
            drawing[20, index] = (40, 40, 160)  // blue line
            drawing[index, 11] = (212, 121, 117)  // anti-aliasing between red and paper
        }
        let lines = lineArt(fromDrawing: drawing)
        #expect(lines[5, 30] == 1)
        // The darkest line colour (blue) becomes ink; the red one stays nearly as dark.
        #expect(lines[20, 30] < 0.02)
        #expect(lines[5, 10] < 0.15)
        #expect(lines[5, 11] > 0.2 && lines[5, 11] < 0.8)
        #expect(lineArt(fromDrawing: RGBImage(width: 8, height: 8)).values.allSatisfy { $0 == 1 })
    }

    @Test("Gaussian blur keeps constants and mass")
    func filters() {
        #expect(abs(GaussianBlur.kernel(sigma: 1.3).reduce(0, +) - 1) < 1e-6)
        let constant = FloatPlane(width: 13, height: 7, repeating: 0.25)
        #expect(GaussianBlur.blur(constant, sigma: 1.5).values.allSatisfy { abs($0 - 0.25) < 1e-6 })
        var impulse = FloatPlane(width: 21, height: 21, repeating: 0)
        impulse[10, 10] = 1
        let blurred = GaussianBlur.blur(impulse, sigma: 1)
        #expect(abs(blurred.values.reduce(0, +) - 1) < 1e-5)
        #expect(abs(blurred[11, 10] - blurred[10, 11]) < 1e-7)
    }
}

extension LineExtractor: CustomTestStringConvertible {
    public var testDescription: String {
        switch method {
        case .xdog: "XDoG"
        case .adaptiveThreshold: "adaptive threshold"
        case .sobel: "Sobel"
        }
    }
}
