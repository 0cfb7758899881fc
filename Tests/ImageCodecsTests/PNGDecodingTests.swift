import ImageCodecs
import Testing

@Suite("PNG decoding")
struct PNGDecodingTests {
    @Test("every PNG variant decodes to the expected RGB", arguments: Fixtures.manifest.png)
    func variant(_ fixture: Fixtures.Decodable) throws {
        let decoded = try ImageDecoder.decodeWithInfo(Fixtures.bytes(fixture.name))
        #expect(decoded.format == .png)
        #expect(decoded.image.width == fixture.width)
        #expect(decoded.image.height == fixture.height)
        #expect(decoded.hadAlpha == fixture.hasAlpha)
        #expect(decoded.image.pixels == fixture.rgb)
    }

    @Test("the fixture set covers every variant the decoder promises")
    func coverage() {
        let names = Set(Fixtures.manifest.png.map(\.name))
        for required in [
            "palette8_trns.png", "palette4.png", "gray8.png", "gray1.png", "gray_alpha8.png", "gray16.png",
            "rgb16.png", "rgba16.png", "interlaced_rgb8.png", "interlaced_gray2.png", "rgba8.png",
            "rgb8_trns.png", "gray8_trns.png"
        ] {
            #expect(names.contains(required), "missing fixture \(required)")
        }
    }

    @Test("RGBA composites onto white")
    func alphaOverWhite() throws {
        // Row 0 of rgba8.png: colour (200, 40 + 50x, 0) with alpha 255, 0, 128, 64.
        let image = try ImageDecoder.decode(Fixtures.bytes("rgba8.png"))
        #expect(image[0, 0] == (200, 40, 0))  // opaque: unchanged
        #expect(image[1, 0] == (255, 255, 255))  // transparent: paper
        #expect(image[2, 0] == (227, 197, 127))  // half: (c·128 + 255·127) / 255
        #expect(image[3, 0] == (241, 239, 191))  // quarter: (c·64 + 255·191) / 255
    }

    @Test("palette transparency (tRNS) composites onto white")
    func paletteTransparency() throws {
        // palette8_trns.png: index (x + y) % 4; entry 3 fully transparent, entry 2 (blue) half.
        let image = try ImageDecoder.decode(Fixtures.bytes("palette8_trns.png"))
        #expect(image[0, 0] == (255, 0, 0))
        #expect(image[3, 0] == (255, 255, 255))
        #expect(image[2, 0] == (127, 127, 255))
    }

    @Test("16-bit samples round to the nearest 8-bit value")
    func sixteenBitRounding() throws {
        // gray16.png pixel (1, 0) is 30077 → 30077 / 257 = 117.03 → 117.
        let image = try ImageDecoder.decode(Fixtures.bytes("gray16.png"))
        #expect(image[1, 0] == (117, 117, 117))
    }
}
