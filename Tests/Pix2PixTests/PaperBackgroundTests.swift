import ImageCodecs
import Pix2Pix
import Tensors
import Testing

@Suite("Paper background")
struct PaperBackgroundTests {
    /// 20×20 paper with a closed square of ink from (5, 5) to (14, 14), and an open gap in its
    /// top side when `gap` is set.
    private static func square(gap: Bool = false) -> FloatPlane {
        var lines = FloatPlane(width: 20, height: 20, repeating: 1)
        for i in 5...14 {
            for (x, y) in [(i, 5), (i, 14), (5, i), (14, i)] { lines[x, y] = 0 }
        }
        if gap { lines[9, 5] = 1 }
        return lines
    }

    private static func tinted() -> RGBImage {
        var colors = RGBImage(width: 20, height: 20)
        for y in 0..<20 { for x in 0..<20 { colors[x, y] = (250, 230, 200) } }
        return colors
    }

    @Test("the paper reached from the border turns white; inside a closed outline the colors stay")
    func closedOutline() {
        let result = PaperBackground.keepingPaperWhite(Self.tinted(), lines: Self.square(), hints: [])
        #expect(result[0, 0] == (255, 255, 255) && result[19, 10] == (255, 255, 255))
        #expect(result[10, 10] == (250, 230, 200), "inside the square")
        #expect(result[5, 5] == (250, 230, 200), "ink pixels are not paper (the lines are multiplied on later)")
    }

    @Test("a gap in the outline lets the paper in; a hint on the paper keeps every color")
    func gapAndHint() {
        let open = PaperBackground.keepingPaperWhite(Self.tinted(), lines: Self.square(gap: true), hints: [])
        #expect(open[10, 10] == (255, 255, 255))
        let hinted = PaperBackground.keepingPaperWhite(
            Self.tinted(), lines: Self.square(), hints: [ColorHint(x: 1, y: 1, red: 0, green: 0, blue: 255, radius: 2)])
        #expect(hinted == Self.tinted())
        let hintInside = PaperBackground.keepingPaperWhite(
            Self.tinted(), lines: Self.square(), hints: [ColorHint(x: 10, y: 10, red: 0, green: 0, blue: 255, radius: 2)])
        #expect(hintInside[0, 0] == (255, 255, 255), "a hint inside the drawing does not keep the background's tint")
    }

    @Test("soft line edges stop the fill: a grey (0.6) outline is ink")
    func softEdges() {
        var lines = Self.square()
        for i in 5...14 { lines[i, 5] = 0.6 }
        #expect(!PaperBackground.mask(of: lines)[10 * 20 + 10])
    }

    @Test("the scanline fill reaches exactly what a plain breadth-first fill reaches, on random line art")
    func agreesWithBreadthFirst() {
        var rng = SeededGenerator(seed: 12)
        for trial in 0..<30 {
            let (width, height) = (7 + trial, 31 - trial / 2)
            var lines = FloatPlane(width: width, height: height, repeating: 1)
            for i in 0..<lines.values.count where rng.nextUniform() < 0.25 + 0.01 * Float(trial) { lines.values[i] = 0 }
            var expected = [Bool](repeating: false, count: width * height)
            var queue = (0..<(width * height)).filter { i in
                (i % width == 0 || i % width == width - 1 || i / width == 0 || i / width == height - 1) && lines.values[i] > 0.8
            }
            for i in queue { expected[i] = true }
            while let i = queue.popLast() {
                let (x, y) = (i % width, i / width)
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
                where (0..<width).contains(nx) && (0..<height).contains(ny) && !expected[ny * width + nx] && lines.values[ny * width + nx] > 0.8 {
                    expected[ny * width + nx] = true
                    queue.append(ny * width + nx)
                }
            }
            #expect(PaperBackground.mask(of: lines) == expected, "trial \(trial)")
        }
    }
}
