import Foundation
import Pix2Pix
import Testing

@Suite("Colour hints and their rasterizer")
struct ColorHintTests {
    @Test("hex parsing accepts #rrggbb in either case")
    func parseHex() {
        let hint = ColorHint(x: 3, y: 4, hex: "#FFa500", radius: 2)
        #expect(hint == ColorHint(x: 3, y: 4, red: 255, green: 165, blue: 0, radius: 2))
        #expect(hint?.hex == "#ffa500")
        #expect(ColorHint(x: 0, y: 0, hex: "#000000", radius: 1)?.hex == "#000000")
        #expect(ColorHint(x: 0, y: 0, red: 1, green: 2, blue: 171, radius: 1).hex == "#0102ab")
        for byte in [0, 9, 10, 15, 16, 127, 255] as [UInt8] {
            let color = ColorHint(x: 0, y: 0, red: byte, green: 255 - byte, blue: byte / 2, radius: 1)
            #expect(ColorHint(x: 0, y: 0, hex: color.hex, radius: 1) == color)
        }
    }

    @Test(
        "hex parsing rejects anything else",
        arguments: [
            "", "#", "ffa500", "#ffa50", "#ffa5000", "#gga500", " #ffa500", "#ffa50 ", "#ff a500",
            "0xffa500", "#fa0", "#+fa500", "#ｆｆa500", "#ffa50é"
        ])
    func rejectHex(text: String) {
        #expect(ColorHint.parseHex(text) == nil)
        #expect(ColorHint(x: 0, y: 0, hex: text, radius: 1) == nil)
    }

    @Test("hints round trip through JSON")
    func codable() throws {
        let hints = [ColorHint(x: 1, y: 2, red: 3, green: 4, blue: 5, radius: 6)]
        let data = try JSONEncoder().encode(hints)
        #expect(try JSONDecoder().decode([ColorHint].self, from: data) == hints)
    }

    @Test("rasterizing at the source size paints exact discs")
    func sameSize() {
        let rasterizer = HintRasterizer(width: 8, height: 6)
        let planes = rasterizer.rasterize([ColorHint(x: 2, y: 3, red: 255, green: 0, blue: 51, radius: 1)])
        #expect(planes.hintMask.reduce(0, +) == 5)
        let count = 48
        for (x, y) in [(2, 3), (1, 3), (3, 3), (2, 2), (2, 4)] {
            let index = y * 8 + x
            #expect(planes.hintMask[index] == 1)
            #expect(planes.hintColor[index] == 1)
            #expect(planes.hintColor[count + index] == 0)
            #expect(abs(planes.hintColor[2 * count + index] - 0.2) < 1e-6)
        }
        // Colour is zero wherever the mask is.
        for index in 0..<count where planes.hintMask[index] == 0 {
            #expect(planes.hintColor[index] == 0 && planes.hintColor[count + index] == 0)
        }
        // Hints partly or wholly outside the planes are clipped, not trapped on.
        let clipped = rasterizer.rasterize([
            ColorHint(x: 0, y: 0, red: 9, green: 9, blue: 9, radius: 1),
            ColorHint(x: -9, y: 40, red: 9, green: 9, blue: 9, radius: 2)
        ])
        #expect(clipped.hintMask.reduce(0, +) == 3)
    }

    @Test("user hints are scaled from image pixels to model pixels")
    func scaling() {
        let rasterizer = HintRasterizer(width: 256, height: 256)
        let red = ColorHint(x: 100, y: 200, red: 255, green: 0, blue: 0, radius: 4)
        let planes = rasterizer.rasterize([red], sourceWidth: 512, sourceHeight: 512)
        // Centre (100.5, 200.5)/2 − 0.5 = (49.75, 99.75) → (50, 100); radius 4/2 = 2 → 13 pixels.
        #expect(planes.hintMask.reduce(0, +) == 13)
        #expect(planes.hintMask[100 * 256 + 50] == 1)
        #expect(planes.hintMask[100 * 256 + 52] == 1)
        #expect(planes.hintMask[100 * 256 + 53] == 0)
        #expect(planes.hintMask[101 * 256 + 51] == 1)

        // Non-uniform upscaling 100×50 → 200×200: (10.5·2 − 0.5, 10.5·4 − 0.5) = (20.5, 41.5) → (21, 42).
        let up = rasterizer.rasterize(
            [ColorHint(x: 10, y: 10, red: 0, green: 0, blue: 255, radius: 1)], sourceWidth: 100, sourceHeight: 50)
        let small = HintRasterizer(width: 200, height: 200).rasterize(
            [ColorHint(x: 10, y: 10, red: 0, green: 0, blue: 255, radius: 1)], sourceWidth: 100, sourceHeight: 50)
        #expect(small.hintMask[42 * 200 + 21] == 1)
        #expect(small.hintMask[42 * 200 + 24] == 1)  // radius 1 · (2 + 4)/2 = 3
        #expect(small.hintMask[42 * 200 + 25] == 0)
        #expect(up.hintMask.reduce(0, +) > 0)

        // Tiny radii stay visible; hints outside the source are skipped.
        let down = HintRasterizer(width: 64, height: 64).rasterize(
            [
                ColorHint(x: 500, y: 500, red: 1, green: 2, blue: 3, radius: 0),
                ColorHint(x: 1024, y: 5, red: 1, green: 2, blue: 3, radius: 5)
            ], sourceWidth: 1024, sourceHeight: 1024)
        #expect(down.hintMask.reduce(0, +) == 5)
        #expect(down.hintMask[31 * 64 + 31] == 1)
    }

    @Test("later hints paint over earlier ones")
    func overlap() {
        let planes = HintRasterizer(width: 5, height: 5).rasterize([
            ColorHint(x: 2, y: 2, red: 255, green: 0, blue: 0, radius: 2),
            ColorHint(x: 2, y: 2, red: 0, green: 255, blue: 0, radius: 0)
        ])
        #expect(planes.hintColor[12] == 0 && planes.hintColor[25 + 12] == 1)
        #expect(planes.hintColor[11] == 1 && planes.hintColor[25 + 11] == 0)
    }
}
