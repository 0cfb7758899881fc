import Pix2Pix
import Testing

@Suite("Photo chroma upsampling")
struct PhotoChromaUpsamplingTests {
    /// A 64×32 picture whose lightness steps at column 40, letterboxed into a 16² square
    /// (region 16×8 at row 4); the predicted a\* steps at the same place (square column 10).
    private static let box = Letterbox(sourceWidth: 64, sourceHeight: 32, side: 16)
    private static let lightness: [Float] = (0..<(64 * 32)).map { $0 % 64 < 40 ? 30 : 70 }
    private static let squareChroma: [Float] = (0..<(2 * 16 * 16)).map { i in
        i >= 256 ? 0.1 : (i % 16 < 10 ? -0.2 : 0.3)
    }

    @Test("color edges land on the picture's own edges, where bilinear upscaling blurs them")
    func edgesFollowLightness() {
        let chroma = PhotoChromaUpsampling.upsample(Self.squareChroma, box: Self.box, lightness: Self.lightness[...])
        #expect(chroma.count == 2 * 64 * 32)
        var region = [Float](repeating: 0, count: 16 * 8)
        for row in 0..<8 { for col in 0..<16 { region[row * 16 + col] = Self.squareChroma[(Self.box.y + row) * 16 + col] } }
        let bilinear = PlaneResize.bilinear(FloatPlane(width: 16, height: 8, values: region), width: 64, height: 32)
        for y in [2, 16, 29] {
            // The two columns either side of the edge: the filter keeps each side's color
            // (within a few hundredths: its windows also average the blurred strip), while
            // bilinear upscaling alone mixes them.
            #expect(abs(chroma[y * 64 + 39] + 0.2) < 0.05 && abs(chroma[y * 64 + 40] - 0.3) < 0.05, "row \(y)")
            #expect(abs(bilinear[39, y] + 0.2) > 0.15 && abs(bilinear[40, y] - 0.3) > 0.15, "bilinear alone blurs the edge")
            #expect(abs(chroma[64 * 32 + y * 64 + 20] - 0.1) < 1e-4, "a flat b* stays flat")
        }
    }

    @Test("a picture no larger than the network's square is only cropped and resized")
    func smallPictureIsNotFiltered() {
        let box = Letterbox(sourceWidth: 16, sourceHeight: 8, side: 16)
        let lightness = [Float](repeating: 50, count: 16 * 8)
        let chroma = PhotoChromaUpsampling.upsample(Self.squareChroma, box: box, lightness: lightness[...])
        for row in 0..<8 { for col in 0..<16 { #expect(chroma[row * 16 + col] == Self.squareChroma[(box.y + row) * 16 + col]) } }
    }
}
