import ImageCodecs
import Testing

@testable import Pix2Pix

@Suite("Photo network side")
struct PhotoNetworkSideTests {
    @Test("a photo at least 1.5× the training resolution is seen at 1.5× (a multiple of the downsampling factor); smaller ones at the training resolution")
    func sideRule() {
        #expect(PhotoNetworkSide.side(width: 512, height: 384, trainedAt: 128, multiple: 64) == 192)
        #expect(PhotoNetworkSide.side(width: 192, height: 100, trainedAt: 128, multiple: 64) == 192)
        #expect(PhotoNetworkSide.side(width: 191, height: 191, trainedAt: 128, multiple: 64) == 128)
        #expect(PhotoNetworkSide.side(width: 4000, height: 3000, trainedAt: 128, multiple: 64) == 192)
        // 1.5 × 64 = 96 is not a multiple of 64: rounded down to 64, the training resolution.
        #expect(PhotoNetworkSide.side(width: 500, height: 500, trainedAt: 64, multiple: 64) == 64)
        #expect(PhotoNetworkSide.side(width: 500, height: 500, trainedAt: 64, multiple: 32) == 96)
    }

    @Test("the colorizer runs a photo at that side and returns the picture's own size; a side given to it is kept")
    func colorizerUsesTheSide() throws {
        let generator = UNetGenerator(GeneratorConfig(inputChannels: 6, outputChannels: 2, ngf: 4, downsamplings: 5))
        let model = GeneratorModel(mode: .photo, generator: generator, resolution: 64)
        var picture = RGBImage(width: 120, height: 90)
        for y in 0..<90 { for x in 0..<120 { picture[x, y] = (UInt8(2 * x), UInt8(2 * y), 90) } }
        let hint = ColorHint(x: 10, y: 10, red: 200, green: 30, blue: 30, radius: 2)

        let chosen = Colorizer(model: model)
        #expect(chosen.photoSide(width: 120, height: 90) == 96)
        #expect(chosen.photoInput(picture, hints: [hint]).x.shape == [1, 6, 96, 96])
        let result = try chosen.colorize(picture, hints: [hint])
        #expect(result.width == 120 && result.height == 90)

        let pinned = Colorizer(model: model, resolution: 64)
        #expect(pinned.photoSide(width: 120, height: 90) == 64)
        #expect(pinned.photoInput(picture, hints: [hint]).x.shape == [1, 6, 64, 64])
        #expect(try pinned.colorize(picture, hints: [hint]).width == 120)
    }
}
