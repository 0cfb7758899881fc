import ImageCodecs
import Tensors
import Testing

@testable import Pix2Pix

/// Drawings made in the test: rectangles and circles of ink on white paper.
enum TestDrawing {
    /// `size`² paper with the outline of the rectangle (x0, y0)–(x1, y1), `thickness` pixels
    /// of ink, and an opening of `gap` pixels in the middle of its top side.
    static func rectangle(size: Int, x0: Int, y0: Int, x1: Int, y1: Int, thickness: Int = 1, gap: Int = 0) -> FloatPlane {
        var lines = FloatPlane(width: size, height: size, repeating: 1)
        draw(&lines, x0: x0, y0: y0, x1: x1, y1: y1, thickness: thickness, gap: gap)
        return lines
    }

    static func draw(_ lines: inout FloatPlane, x0: Int, y0: Int, x1: Int, y1: Int, thickness: Int = 1, gap: Int = 0) {
        let openingStart = (x0 + x1) / 2 - gap / 2
        let opening = openingStart..<(openingStart + gap)
        for t in 0..<thickness {
            for x in x0...x1 where !opening.contains(x) { lines[x, y0 + t] = 0 }
            for x in x0...x1 { lines[x, y1 - t] = 0 }
            for y in y0...y1 {
                lines[x0 + t, y] = 0
                lines[x1 - t, y] = 0
            }
        }
    }

    /// Number of paper pixels on `row` between `x0` and `x1` (the opening's width).
    static func openingWidth(_ lines: FloatPlane, row: Int, x0: Int, x1: Int) -> Int {
        (x0...x1).filter { lines[$0, row] > 0.5 }.count
    }

    /// `size`² paper with a 1-pixel circle of radius `radius` around the centre.
    static func circle(size: Int, radius: Double) -> FloatPlane {
        var lines = FloatPlane(width: size, height: size, repeating: 1)
        let c = Double(size) / 2
        for y in 0..<size {
            for x in 0..<size {
                let d = ((Double(x) + 0.5 - c) * (Double(x) + 0.5 - c) + (Double(y) + 0.5 - c) * (Double(y) + 0.5 - c)).squareRoot()
                if abs(d - radius) < 0.75 { lines[x, y] = 0 }
            }
        }
        return lines
    }
}

@Suite("Ink regions")
struct InkRegionsTests {
    @Test("a closed outline separates its inside from the page; the page is open, the inside closed")
    func closedOutline() throws {
        let regions = InkRegions(lines: TestDrawing.rectangle(size: 64, x0: 16, y0: 16, x1: 47, y1: 47), gapRadius: 3)
        let inside = try #require(regions.region(x: 32, y: 32))
        let page = try #require(regions.region(x: 2, y: 2))
        #expect(inside != page)
        #expect(regions.isOpen[page] && !regions.isOpen[inside])
        #expect(regions.region(x: 16, y: 30) == nil, "ink belongs to no region")
        #expect(regions.region(x: 17, y: 17) == inside, "the corner beside the line joins the inside")
    }

    @Test("a gap of up to 2·radius pixels is closed, a wider one is not", arguments: [1, 3, 5, 6])
    func gapsClosed(gap: Int) throws {
        let lines = TestDrawing.rectangle(size: 96, x0: 20, y0: 20, x1: 75, y1: 75, gap: gap)
        #expect(TestDrawing.openingWidth(lines, row: 20, x0: 20, x1: 75) == gap)
        let regions = InkRegions(lines: lines, gapRadius: 3)
        let inside = try #require(regions.region(x: 48, y: 60))
        let page = try #require(regions.region(x: 2, y: 2))
        #expect(inside != page, "a \(gap)-pixel gap must not join the inside to the page")
        #expect(!regions.isOpen[inside])
    }

    @Test("a gap much wider than the balls joins the shape to the page")
    func wideGapOpen() throws {
        let regions = InkRegions(lines: TestDrawing.rectangle(size: 96, x0: 20, y0: 20, x1: 75, y1: 75, gap: 24), gapRadius: 3)
        let inside = try #require(regions.region(x: 48, y: 60))
        #expect(regions.isOpen[inside])
    }

    @Test("1-pixel lines of a 1024-pixel drawing still separate regions")
    func thinLinesAtHighResolution() throws {
        let lines = TestDrawing.circle(size: 1024, radius: 300)
        let regions = InkRegions(lines: lines, gapRadius: InkRegions.gapRadius(forLongerSide: 1024))
        let inside = try #require(regions.region(x: 512, y: 512))
        let page = try #require(regions.region(x: 5, y: 5))
        #expect(inside != page && !regions.isOpen[inside])
        // Every paper pixel inside the circle is in the inside region, every one outside in the page.
        var wrong = 0
        for y in stride(from: 0, to: 1024, by: 7) {
            for x in stride(from: 0, to: 1024, by: 7) {
                guard let r = regions.region(x: x, y: y) else { continue }
                let d = ((Double(x) + 0.5 - 512) * (Double(x) + 0.5 - 512) + (Double(y) + 0.5 - 512) * (Double(y) + 0.5 - 512)).squareRoot()
                if d < 299 && r != inside { wrong += 1 }
                if d > 301 && r != page { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }

    @Test("regions are never merged across a closed line, whatever the nesting and thickness")
    func neverAcrossClosedLines() throws {
        var rng = SeededGenerator(seed: 7)
        for trial in 0..<20 {
            let size = 48 + rng.integer(in: 0...80)
            var lines = FloatPlane(width: size, height: size, repeating: 1)
            var boxes: [(Int, Int, Int, Int)] = []
            var margin = rng.integer(in: 2...6)
            while size - 2 * margin > 8 {
                let thickness = rng.integer(in: 1...2)
                let far = size - 1 - margin
                TestDrawing.draw(&lines, x0: margin, y0: margin, x1: far, y1: far, thickness: thickness)
                let (low, high) = (margin + thickness, far - thickness)
                boxes.append((low, low, high, high))
                margin += thickness + rng.integer(in: 1...9)
            }
            let regions = InkRegions(lines: lines, gapRadius: rng.integer(in: 1...4))
            // Depth of each pixel = number of boxes containing it; one region never spans two depths.
            var depthOfRegion: [Int: Int] = [:]
            for y in 0..<size {
                for x in 0..<size {
                    guard let r = regions.region(x: x, y: y) else { continue }
                    let depth = boxes.filter { x >= $0.0 && x <= $0.2 && y >= $0.1 && y <= $0.3 }.count
                    if let known = depthOfRegion[r] {
                        #expect(known == depth, "trial \(trial): region \(r) spans depths \(known) and \(depth)")
                        if known != depth { return }
                    } else {
                        depthOfRegion[r] = depth
                    }
                }
            }
            #expect(regions.isOpen.filter { $0 }.count >= 1)
        }
    }

    @Test("a drawing without ink is one open region; one all ink has none")
    func degenerate() {
        let blank = InkRegions(lines: FloatPlane(width: 9, height: 5, repeating: 1), gapRadius: 2)
        #expect(blank.count == 1 && blank.isOpen == [true] && blank.labels.allSatisfy { $0 == 0 })
        let ink = InkRegions(lines: FloatPlane(width: 9, height: 5, repeating: 0), gapRadius: 2)
        #expect(ink.count == 0 && ink.labels.allSatisfy { $0 == InkRegions.ink })
    }

    @Test("the distance transform is the exact squared Euclidean distance")
    func distanceTransform() {
        var rng = SeededGenerator(seed: 3)
        let (width, height) = (23, 17)
        let sources = (0..<(width * height)).map { _ in rng.chance(0.04) }
        let d = DistanceTransform.squared(width: width, height: height, isSource: sources)
        for y in 0..<height {
            for x in 0..<width {
                var best = Float.infinity
                for sy in 0..<height {
                    for sx in 0..<width where sources[sy * width + sx] {
                        best = min(best, Float((sx - x) * (sx - x) + (sy - y) * (sy - y)))
                    }
                }
                #expect(d[y * width + x] == best)
            }
        }
    }
}
