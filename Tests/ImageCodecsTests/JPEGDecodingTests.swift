import ImageCodecs
import Testing

@Suite("JPEG decoding")
struct JPEGDecodingTests {
    /// The fixtures are solid 8×8 blocks saved at quality 100 without subsampling, so only
    /// rounding in the DCT and colour conversion separates them from the expected colours.
    @Test(
        "baseline, progressive, gray, CMYK and YCCK decode to the expected RGB",
        arguments: Fixtures.manifest.jpeg)
    func variant(_ fixture: Fixtures.Decodable) throws {
        let decoded = try ImageDecoder.decodeWithInfo(Fixtures.bytes(fixture.name))
        #expect(decoded.format == .jpeg)
        #expect(decoded.hadAlpha == false)
        #expect(decoded.image.width == fixture.width)
        #expect(decoded.image.height == fixture.height)
        #expect(maxDifference(decoded.image.pixels, fixture.rgb) <= 3)
    }

    @Test("the fixture set covers the JPEG kinds the decoder promises")
    func coverage() {
        let names = Set(Fixtures.manifest.jpeg.map(\.name))
        #expect(names == ["baseline.jpg", "progressive.jpg", "gray.jpg", "cmyk.jpg", "ycck.jpg"])
    }

    @Test("Adobe CMYK is read with inverted ink values")
    func adobeCMYK() throws {
        // Top-left quadrant stores (C, M, Y, K) = (220, 30, 40, 255) inverted: RGB ≈ (220, 30, 40).
        // Bottom-left stores (255, 255, 0, 128): RGB ≈ (128, 128, 0), black ink darkening yellow.
        let image = try ImageDecoder.decode(Fixtures.bytes("cmyk.jpg"))
        let topLeft = image[2, 2]
        let bottomLeft = image[2, 12]
        #expect(abs(Int(topLeft.red) - 220) <= 3 && abs(Int(topLeft.green) - 30) <= 3)
        #expect(abs(Int(bottomLeft.red) - 128) <= 3 && bottomLeft.blue <= 3)
    }

    @Test("a grayscale JPEG becomes equal R, G and B")
    func grayExpands() throws {
        let image = try ImageDecoder.decode(Fixtures.bytes("gray.jpg"))
        for y in 0..<image.height {
            for x in 0..<image.width {
                let pixel = image[x, y]
                #expect(pixel.red == pixel.green && pixel.green == pixel.blue)
            }
        }
    }
}
