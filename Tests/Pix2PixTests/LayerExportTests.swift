import Foundation
import ImageCodecs
import Testing

@testable import Pix2Pix

/// Composites layers as OpenRaster says (W3C compositing: `svg:src-over`, `svg:multiply`,
/// `svg:screen`, straight alpha, in floating point — as pyora does), skipping hidden ones.
enum OpenRasterCompositor {
    static func flatten(_ layers: [ExportLayer]) -> (rgb: [Float], alpha: [Float]) {
        let count = layers[0].image.width * layers[0].image.height
        var rgb = [Float](repeating: 0, count: 3 * count)
        var alpha = [Float](repeating: 0, count: count)
        for layer in layers where layer.isVisible {
            let p = layer.image.pixels
            for i in 0..<count {
                let sa = Float(p[4 * i + 3]) / 255
                let ba = alpha[i]
                let oa = sa + ba * (1 - sa)
                guard oa > 0 else { continue }
                for c in 0..<3 {
                    let s = Float(p[4 * i + c]) / 255
                    let b = rgb[3 * i + c]
                    let blended: Float
                    switch layer.composite {
                    case .normal: blended = s
                    case .multiply: blended = s * b
                    case .screen: blended = 1 - (1 - s) * (1 - b)
                    }
                    rgb[3 * i + c] = (s * sa * (1 - ba) + b * ba * (1 - sa) + sa * ba * blended) / oa
                }
                alpha[i] = oa
            }
        }
        return (rgb, alpha)
    }
}

@Suite("Layered and transparent export")
struct LayerExportTests {
    static let width = 72
    static let height = 60
    static let red = ColorHint(x: 20, y: 25, red: 210, green: 40, blue: 30, radius: 1)
    static let onPage = ColorHint(x: 62, y: 52, red: 30, green: 90, blue: 200, radius: 1)

    /// A closed rectangle with an anti-aliased (grey) edge, a shape with a gap, a grey stroke
    /// and a second closed rectangle.
    static func drawing() -> FloatPlane {
        var lines = FloatPlane(width: width, height: height, repeating: 1)
        TestDrawing.draw(&lines, x0: 8, y0: 8, x1: 34, y1: 40, thickness: 2)
        for y in 10...38 { lines[35, y] = 0.5 }
        TestDrawing.draw(&lines, x0: 42, y0: 6, x1: 66, y1: 30, thickness: 1, gap: 8)
        for x in 40..<70 { lines[x, 44 + (x - 40) / 10] = 0.2 }
        // A closed shape no hint reaches: the network's colours, shaded.
        TestDrawing.draw(&lines, x0: 4, y0: 46, x1: 32, y1: 58, thickness: 1)
        return lines
    }

    /// The real composition of a network's output (made-up numbers) over the drawing.
    static func colorization(hints: [ColorHint] = [red, onPage]) -> (paint: LineArtPaint, guide: LineArtGuide, picture: RGBImage) {
        let lines = drawing()
        let guide = LineArtGuide(lines: lines, hints: hints)
        let box = Letterbox(sourceWidth: width, sourceHeight: height, side: 32)
        // Gradients in three directions, which the smoothing keeps: shading to split off.
        let output = (0..<(3 * 32 * 32)).map { k -> Float in
            let (c, y, x) = (k / 1024, k / 32 % 32, k % 32)
            let t = c == 0 ? Float(x) / 31 : c == 1 ? Float(y) / 31 : Float(x + 31 - y) / 62
            return 1.6 * t - 0.8
        }
        let networkLines = FloatPlane(width: 32, height: 32, repeating: 1)
        let paint = output.withUnsafeBufferPointer {
            LineArtComposition.paint(output: $0.baseAddress!, networkLines: networkLines, box: box, guide: guide)
        }
        return (paint, guide, paint.multiplied(by: lines))
    }

    static func maxDifference(_ rgb: [Float], _ picture: RGBImage) -> Int {
        zip(rgb, picture.pixels).map { abs(Int((255 * $0).rounded()) - Int($1)) }.max() ?? 0
    }

    @Test("paint × lines is the composed picture, byte for byte")
    func composeIsPaintTimesLines() {
        let (paint, guide, picture) = Self.colorization()
        #expect(paint.paper.allSatisfy { (0...1).contains($0) } && paint.colors.allSatisfy { (0...1).contains($0) })
        #expect(picture == paint.multiplied(by: guide.lines))
    }

    @Test("paper, flats, shading (multiply), light (screen) and lines flatten to the picture within 2 levels")
    func layersFlattenToThePicture() {
        let (paint, guide, picture) = Self.colorization()
        let colorization = LayeredColorization(picture: picture, source: .lineArt(paint: paint, guide: guide), hints: [Self.red, Self.onPage])
        let layers = LayeredExport.layers(colorization)
        #expect(layers.map(\.name) == ["Paper", "Flats", "Shading", "Light", "Lines", "Hints"])
        #expect(layers.map(\.composite) == [.normal, .normal, .multiply, .screen, .normal, .normal])
        #expect(layers.map(\.isVisible) == [true, true, true, true, true, false])
        let (rgb, alpha) = OpenRasterCompositor.flatten(layers)
        #expect(alpha.allSatisfy { $0 > 0.9999 })
        let difference = Self.maxDifference(rgb, picture)
        print("layers flattened vs the picture: max \(difference) levels")
        #expect(difference <= 2)
        // Without the shading and light layers the picture is not reproduced: they carry the
        // network's shading (the gradients in the unhinted rectangle).
        let flatOnly = OpenRasterCompositor.flatten(layers.filter { $0.composite == .normal })
        #expect(Self.maxDifference(flatOnly.rgb, picture) > 10)
    }

    @Test("flats: one colour per region, the hint's own in a closed region it fills")
    func flatsAreOneColourPerRegion() {
        let (paint, guide, _) = Self.colorization()
        let flats = LineArtLayers(paint: paint, guide: guide).flats
        var colourOfRegion: [Int: [UInt8]] = [:]
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                guard let region = guide.regions.region(x: x, y: y) else { continue }
                let p = flats[x, y]
                let colour = [p.red, p.green, p.blue]
                if let known = colourOfRegion[region] { #expect(known == colour, "region \(region) at (\(x), \(y))") }
                colourOfRegion[region] = colour
            }
        }
        let inside = flats[20, 25]
        #expect([inside.red, inside.green, inside.blue, inside.alpha] == [210, 40, 30, 255])
        // Unreached page is clear; the page around the page hint is covered.
        #expect(flats[1, 1].alpha == 0)
        #expect(flats[62, 52].alpha == 255)
    }

    @Test("every pixel has a flat colour, deep ink too: the nearest region's")
    func deepInkTakesTheNearestRegion() {
        var lines = FloatPlane(width: 40, height: 40, repeating: 1)
        TestDrawing.draw(&lines, x0: 5, y0: 5, x1: 34, y1: 34, thickness: 9)
        let regions = InkRegions(lines: lines, gapRadius: 1)
        let owner = LineArtLayers.regionOfEveryPixel(regions)
        #expect(regions.effectiveRegion(9 * 40 + 9) == nil, "the middle of a 9-px line is deeper than inkReach")
        #expect(owner.allSatisfy { $0 >= 0 })
    }

    @Test("transparent paper: unreached page clear, lines and closed regions opaque, over white the picture")
    func transparentPaper() {
        let (paint, guide, picture) = Self.colorization()
        let clear = TransparentPaper.picture(paint: paint, lines: guide.lines)
        #expect(clear[1, 1].alpha == 0 && clear[70, 2].alpha == 0)
        #expect(clear[8, 20].alpha == 255 && clear[9, 20].alpha == 255, "a line on the page is opaque")
        #expect(clear[20, 25].alpha == 255, "colour in a closed region is opaque")
        #expect(clear[50, 45].alpha > 0 && clear[50, 45].alpha < 255, "a grey stroke on the page keeps a partial alpha")
        var worst = 0
        for i in 0..<(Self.width * Self.height) {
            let a = Int(clear.pixels[4 * i + 3])
            for c in 0..<3 {
                let overWhite = (Int(clear.pixels[4 * i + c]) * a + 255 * (255 - a) + 127) / 255
                worst = max(worst, abs(overWhite - Int(picture.pixels[3 * i + c])))
            }
        }
        print("transparent over white vs the picture: max \(worst) levels")
        #expect(worst <= 2)
        let photo = LayeredColorization(picture: picture, source: .photo(input: picture), hints: [])
        #expect(throws: ExportError.noPaper) { try TransparentPaper.picture(photo) }
    }

    @Test("a photo's layers: the photo (hidden), its colours, the hints (hidden); they flatten to the picture")
    func photoLayers() {
        let input = RGBImage(width: 8, height: 6, red: 90, green: 90, blue: 90)
        let picture = RGBImage(width: 8, height: 6, red: 120, green: 80, blue: 60)
        let layers = LayeredExport.layers(LayeredColorization(picture: picture, source: .photo(input: input), hints: [Self.at(2, 3)]))
        #expect(layers.map(\.name) == ["Photo", "Colours", "Hints"])
        #expect(layers.map(\.isVisible) == [false, true, false])
        #expect(Self.maxDifference(OpenRasterCompositor.flatten(layers).rgb, picture) == 0)
        #expect(layers[2].image[2, 3].alpha == 255 && layers[2].image[7, 0].alpha == 0)
    }

    static func at(_ x: Int, _ y: Int) -> ColorHint { ColorHint(x: x, y: y, red: 1, green: 2, blue: 3, radius: 0) }

    @Test("the .ora zip: mimetype first, stored, at byte 38; stack.xml top first with composite ops")
    func openRasterContainer() throws {
        let (paint, guide, picture) = Self.colorization()
        let file = try LayeredExport.openRaster(
            LayeredColorization(picture: picture, source: .lineArt(paint: paint, guide: guide), hints: [Self.red]))
        #expect(Array(file[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(file[8] == 0 && file[9] == 0, "mimetype is stored")
        #expect(String(decoding: file[30..<38], as: UTF8.self) == "mimetype")
        #expect(String(decoding: file[38..<54], as: UTF8.self) == "image/openraster")
        let xml = OpenRaster.stackXML(
            layers: LayeredExport.layers(
                LayeredColorization(picture: picture, source: .lineArt(paint: paint, guide: guide), hints: [Self.red])),
            width: Self.width, height: Self.height)
        let names = xml.split(separator: "\n").filter { $0.contains("<layer ") }
            .map { $0.split(separator: "\"")[1] }
        #expect(names == ["Hints", "Lines", "Light", "Shading", "Flats", "Paper"])
        #expect(xml.contains("name=\"Shading\" src=\"data/layer2.png\"") && xml.contains("composite-op=\"svg:multiply\""))
        #expect(xml.contains("name=\"Hints\" src=\"data/layer5.png\" x=\"0\" y=\"0\" opacity=\"1\" visibility=\"hidden\""))
        #expect(xml.contains("w=\"72\" h=\"60\""))
    }
}
