import ImageCodecs
import Pix2Pix
import Testing

@Suite("Line extraction for opened pictures")
struct LineExtractorPictureTests {
    @Test("Parameters are the defaults up to 256 px and grow with the longer side, capped at 4×")
    func scaling() {
        #expect(LineExtractor.forPicture(width: 200, height: 120) == LineExtractor(method: .xdog(XDoG())))
        #expect(LineExtractor.forPicture(width: 256, height: 256, style: .adaptive) == LineExtractor(method: .adaptiveThreshold(AdaptiveThreshold())))
        guard case .xdog(let wide) = LineExtractor.forPicture(width: 300, height: 1024).method else {
            Issue.record("not XDoG")
            return
        }
        #expect(abs(wide.sigma - 4 * XDoG().sigma) < 1e-6)
        guard case .sobel(let huge) = LineExtractor.forPicture(width: 8000, height: 2000, style: .sobel).method else {
            Issue.record("not Sobel")
            return
        }
        #expect(abs(huge.sigma - 4 * SobelEdges().sigma) < 1e-6)
        #expect(abs(huge.high - SobelEdges().high / 4) < 1e-6)
    }

    @Test("A large picture's outline stays a drawn line: ink on the edge, paper elsewhere", arguments: LineExtractor.Style.allCases)
    func largePicture(style: LineExtractor.Style) {
        var picture = RGBImage(width: 1024, height: 768)
        for y in 200..<560 {
            for x in 300..<700 { picture[x, y] = (40, 90, 200) }
        }
        let lines = LineExtractor.forPicture(width: 1024, height: 768, style: style).extract(from: picture)
        #expect(lines[500, 380] > 0.9 && lines[50, 50] > 0.9, "flat areas stay paper")
        let acrossEdge = (290...310).map { lines[$0, 380] }
        #expect(acrossEdge.min() ?? 1 < 0.5, "no ink at the edge")
        #expect(lines.fraction(below: 0.5) < 0.05)
    }
}
