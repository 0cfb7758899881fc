import Foundation
import ImageCodecs
import Testing

@Suite("Encoding round trips")
struct RoundTripTests {
    @Test("PNG round trip is exact", arguments: [(1, 1), (5, 3), (17, 9), (64, 33)])
    func png(width: Int, height: Int) throws {
        let image = RGBImage.gradient(width: width, height: height)
        let bytes = try PNGEncoder.encode(image)
        let decoded = try ImageDecoder.decodeWithInfo(bytes)
        #expect(decoded.format == .png)
        #expect(decoded.hadAlpha == false)
        #expect(decoded.image == image)
    }

    @Test("PNG round trip with fast compression is exact too", arguments: [(1, 1), (17, 9), (256, 256)])
    func fastPNG(width: Int, height: Int) throws {
        let image = RGBImage.gradient(width: width, height: height)
        #expect(try ImageDecoder.decode(PNGEncoder.encode(image, compression: .fast)) == image)
        let gray = GrayImage(image)
        #expect(try GrayImage(ImageDecoder.decode(PNGEncoder.encode(gray, compression: .fast))) == gray)
    }

    @Test("gray PNG round trip is exact")
    func grayPNG() throws {
        let gray = GrayImage(RGBImage.gradient(width: 9, height: 4))
        let decoded = try ImageDecoder.decode(PNGEncoder.encode(gray))
        #expect(decoded == RGBImage(gray))
    }

    @Test("JPEG round trip stays close at high quality", arguments: [(8, 8), (13, 7), (64, 48)])
    func jpeg(width: Int, height: Int) throws {
        let image = RGBImage.gradient(width: width, height: height)
        let bytes = try JPEGEncoder.encode(image, quality: 95)
        #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF]))
        let decoded = try ImageDecoder.decodeWithInfo(bytes)
        #expect(decoded.format == .jpeg)
        #expect(decoded.image.width == width && decoded.image.height == height)
        #expect(maxDifference(decoded.image.pixels, image.pixels) <= 12)
    }

    @Test("lower JPEG quality gives smaller files")
    func jpegQuality() throws {
        let image = RGBImage.gradient(width: 64, height: 64)
        let small = try JPEGEncoder.encode(image, quality: 20)
        let large = try JPEGEncoder.encode(image, quality: 95)
        let subsampled = try JPEGEncoder.encode(image, quality: 95, chromaSubsampling: true)
        #expect(small.count < large.count)
        #expect(subsampled.count < large.count)
    }

    @Test("gray JPEG round trip")
    func grayJPEG() throws {
        let gray = GrayImage(RGBImage.gradient(width: 16, height: 16))
        let decoded = try ImageDecoder.decode(JPEGEncoder.encode(gray, quality: 95))
        #expect(maxDifference(decoded.pixels, RGBImage(gray).pixels) <= 4)
    }

    @Test("encoders reject bad arguments with typed errors")
    func encoderErrors() {
        let empty = RGBImage(width: 0, height: 0, pixels: [])
        #expect(throws: ImageCodecError.zeroSize(width: 0, height: 0)) { try PNGEncoder.encode(empty) }
        #expect(throws: ImageCodecError.zeroSize(width: 0, height: 0)) { try JPEGEncoder.encode(empty, quality: 90) }
        let image = RGBImage(width: 2, height: 2)
        #expect(throws: ImageCodecError.invalidQuality(0)) { try JPEGEncoder.encode(image, quality: 0) }
        #expect(throws: ImageCodecError.invalidQuality(101)) { try JPEGEncoder.encode(image, quality: 101) }
    }

    @Test("files are written and read by extension")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ImageCodecsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = RGBImage.gradient(width: 10, height: 6)

        let png = directory.appendingPathComponent("picture.PNG").path
        try image.write(to: png)
        #expect(try RGBImage(contentsOf: png) == image)
        #expect(try ImageDecoder.readSize(Data(contentsOf: URL(fileURLWithPath: png))).format == .png)

        let jpeg = directory.appendingPathComponent("picture.jpeg").path
        try image.write(to: jpeg, jpegQuality: 90)
        #expect(
            try ImageDecoder.readSize(Data(contentsOf: URL(fileURLWithPath: jpeg)))
                == ImageInfo(format: .jpeg, width: 10, height: 6))

        let gif = directory.appendingPathComponent("picture.gif").path
        #expect(throws: ImageCodecError.unsupportedFileExtension(path: gif)) { try image.write(to: gif) }

        let missing = directory.appendingPathComponent("missing.png").path
        let error = #expect(throws: ImageCodecError.self) { try RGBImage(contentsOf: missing) }
        guard case .fileReadFailed(let path, let reason)? = error else {
            Issue.record("expected fileReadFailed, got \(String(describing: error))")
            return
        }
        #expect(path == missing)
        #expect(reason == "No such file or directory")
    }

    @Test("file extensions map to formats")
    func extensions() {
        #expect(ImageFormat(pathExtensionOf: "a/b.png") == .png)
        #expect(ImageFormat(pathExtensionOf: "x.JPG") == .jpeg)
        #expect(ImageFormat(pathExtensionOf: "x.jpeg") == .jpeg)
        #expect(ImageFormat(pathExtensionOf: "x.webp") == nil)
        #expect(ImageFormat(pathExtensionOf: "dir.png/file") == nil)
    }
}
