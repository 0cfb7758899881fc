import Foundation
import ImageCodecs
import Tensors
import Testing

@Suite("Malformed input")
struct MalformedInputTests {
    @Test("broken fixtures fail with the right error", arguments: Fixtures.manifest.errors)
    func failingFixture(_ fixture: Fixtures.Failing) {
        let error = #expect(throws: ImageCodecError.self) {
            try ImageDecoder.decode(Fixtures.bytes(fixture.name))
        }
        switch (fixture.error, error) {
        case ("truncated", .truncated?), ("tooLarge", .tooLarge?), ("zeroSize", .zeroSize?), ("corrupt", .corrupt?):
            break
        default:
            Issue.record("\(fixture.name): expected \(fixture.error), got \(String(describing: error))")
        }
    }

    @Test("a PNG header declaring 100000×100000 is refused from the header alone")
    func hugePNGFailsFast() throws {
        let bytes = Fixtures.bytes("huge_header.png")
        let info = try ImageDecoder.readSize(bytes)
        #expect(info == ImageInfo(format: .png, width: 100_000, height: 100_000))

        let start = ContinuousClock.now
        let error = #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(bytes) }
        #expect(error == .tooLarge(width: 100_000, height: 100_000, maxPixels: ImageDecoder.defaultMaxPixels))
        // Decoding 10^10 pixels would take minutes; refusing takes microseconds.
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test("zero-sized headers report the declared size")
    func zeroSize() {
        #expect(throws: ImageCodecError.zeroSize(width: 0, height: 1)) {
            try ImageDecoder.decode(Fixtures.bytes("zero_width.png"))
        }
        #expect(throws: ImageCodecError.zeroSize(width: 16, height: 0)) {
            try ImageDecoder.decode(Fixtures.bytes("zero_height.jpg"))
        }
        #expect(throws: ImageCodecError.zeroSize(width: 16, height: 0)) {
            try ImageDecoder.readSize(Fixtures.bytes("zero_height.jpg"))
        }
    }

    @Test("a JPEG frame header declaring 60000×60000 is refused")
    func hugeJPEG() throws {
        let bytes = Fixtures.bytes("huge_header.jpg")
        #expect(try ImageDecoder.readSize(bytes) == ImageInfo(format: .jpeg, width: 60_000, height: 60_000))
        #expect(throws: ImageCodecError.tooLarge(width: 60_000, height: 60_000, maxPixels: 1_000)) {
            try ImageDecoder.decode(bytes, maxPixels: 1_000)
        }
    }

    @Test("the pixel limit applies to valid images too")
    func callerLimit() throws {
        let bytes = Fixtures.bytes("rgb8.png")  // 5×3
        #expect(throws: ImageCodecError.tooLarge(width: 5, height: 3, maxPixels: 14)) {
            try ImageDecoder.decode(bytes, maxPixels: 14)
        }
        #expect(try ImageDecoder.decode(bytes, maxPixels: 15).pixelCount == 15)
    }

    @Test("zero bytes is emptyData, for [UInt8] and Data alike")
    func empty() {
        #expect(throws: ImageCodecError.emptyData) { try ImageDecoder.decode([UInt8]()) }
        #expect(throws: ImageCodecError.emptyData) { try ImageDecoder.decode(Data()) }
        #expect(throws: ImageCodecError.emptyData) { try ImageDecoder.readSize([UInt8]()) }
    }

    @Test("random bytes are not an image")
    func randomBytes() {
        var generator = SeededGenerator(seed: 7)
        for length in [1, 2, 3, 7, 8, 100, 4096] {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.first == 0x89 || bytes.first == 0xFF { bytes[0] = 0 }  // keep clear of the magic
            let error = #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(bytes) }
            guard case .unknownFormat? = error else {
                Issue.record("length \(length): \(String(describing: error))")
                continue
            }
        }
    }

    @Test("random bytes after a valid signature fail cleanly", arguments: [ImageFormat.png, .jpeg])
    func randomBodies(_ format: ImageFormat) {
        var generator = SeededGenerator(seed: 11)
        let magic: [UInt8] = format == .png ? [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] : [0xFF, 0xD8, 0xFF]
        for length in [0, 1, 20, 500, 5000] {
            let bytes = magic + (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(bytes, maxPixels: 1_000_000) }
        }
    }

    @Test(
        "damaged copies of valid files decode or throw, never crash",
        arguments: ["rgb8.png", "interlaced_rgb8.png", "palette4.png", "baseline.jpg", "progressive.jpg", "cmyk.jpg"])
    func mutations(_ name: String) {
        let original = Fixtures.bytes(name)
        var generator = SeededGenerator(seed: UInt64(name.utf8.count))
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) {
                bytes.removeLast(Int.random(in: 0..<bytes.count / 2, using: &generator))
            }
            do {
                let image = try ImageDecoder.decode(bytes, maxPixels: 1_000_000)
                #expect(image.pixels.count == image.pixelCount * 3)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("error messages say what went wrong")
    func descriptions() {
        #expect(ImageCodecError.emptyData.description.contains("empty"))
        let gif = ImageCodecError.unknownFormat(leadingBytes: Array("GIF89a".utf8))
        #expect(gif.description.contains("47 49 46 38 39 61"))
        #expect(gif.description.contains("GIF"))
        let large = ImageCodecError.tooLarge(width: 100_000, height: 100_000, maxPixels: 40_000_000)
        #expect(large.description.contains("100000×100000"))
        #expect(large.description.contains("40000000"))
        #expect(ImageCodecError.zeroSize(width: 0, height: 5).description.contains("0×5"))
    }

    @Test("truncation messages carry the library's explanation")
    func truncationMessage() {
        let error = #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(Fixtures.bytes("truncated.jpg")) }
        #expect(error?.description.contains("Premature end of JPEG file") == true)
        #expect(error?.description.contains("truncated") == true)
    }
}
