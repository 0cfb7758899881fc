import Foundation
import ImageCodecs
import Testing

/// A phone's portrait JPEG must come out upright from the API and the CLI, as in a browser.
@Suite("EXIF orientation")
struct ExifOrientationTests {
    /// A 32×16 JPEG, white with a red 16×8 block in its stored top-left corner, with an APP1
    /// EXIF segment declaring `orientation` (big- or little-endian TIFF) right after SOI.
    static func jpeg(orientation: Int?, littleEndian: Bool = false) throws -> [UInt8] {
        var image = RGBImage(width: 32, height: 16)
        image.withMutablePixels { p in
            for y in 0..<8 {
                for x in 0..<16 {
                    p[3 * (y * 32 + x)] = 230
                    p[3 * (y * 32 + x) + 1] = 20
                    p[3 * (y * 32 + x) + 2] = 20
                }
            }
        }
        let plain = try JPEGEncoder.encode(image, quality: 95)
        guard let orientation else { return plain }
        func u16(_ v: Int) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        let tiff: [UInt8] =
            (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8)
            + u16(1) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0] + u32(0)
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let segment: [UInt8] = [0xFF, 0xE1] + [UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        return Array(plain[0..<2]) + segment + Array(plain[2...])
    }

    /// Which corner of the upright picture is red.
    static func redCorner(_ image: RGBImage) -> String {
        func red(_ x: Int, _ y: Int) -> Bool { image.pixels[3 * (y * image.width + x)] > 150 && image.pixels[3 * (y * image.width + x) + 1] < 100 }
        let (r, b) = (image.width - 2, image.height - 2)
        return [(1, 1, "top-left"), (r, 1, "top-right"), (1, b, "bottom-left"), (r, b, "bottom-right")]
            .filter { red($0.0, $0.1) }.map(\.2).joined(separator: ",")
    }

    @Test(
        "Each of the eight orientations shows the stored top-left corner where a browser shows it",
        arguments: [
            (1, "top-left"), (2, "top-right"), (3, "bottom-right"), (4, "bottom-left"),
            (5, "top-left"), (6, "top-right"), (7, "bottom-right"), (8, "bottom-left")
        ])
    func orientations(orientation: Int, corner: String) throws {
        for littleEndian in [false, true] {
            let bytes = try Self.jpeg(orientation: orientation, littleEndian: littleEndian)
            let image = try ImageDecoder.decode(bytes)
            let upright = orientation >= 5 ? (16, 32) : (32, 16)
            #expect((image.width, image.height) == upright, "orientation \(orientation)")
            let header = try ImageDecoder.readSize(bytes)
            #expect((header.width, header.height) == upright, "readSize, orientation \(orientation)")
            #expect(Self.redCorner(image) == corner, "orientation \(orientation), little-endian \(littleEndian)")
        }
    }

    @Test("No EXIF, an unknown value or a damaged segment leave the picture as stored, never an error")
    func malformed() throws {
        #expect(Self.redCorner(try ImageDecoder.decode(try Self.jpeg(orientation: nil))) == "top-left")
        #expect(Self.redCorner(try ImageDecoder.decode(try Self.jpeg(orientation: 9))) == "top-left")
        let good = try Self.jpeg(orientation: 6)
        var rng = SystemRandomNumberGenerator()
        // Every byte of the EXIF segment changed at random, 3000 times: never a crash.
        for _ in 0..<3000 {
            var bytes = good
            for _ in 0..<3 { bytes[Int.random(in: 2..<40, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = bytes.withUnsafeBytes { ExifOrientation.of($0) }
        }
        // Cut short inside the segment: upright.
        #expect(Array(good.prefix(30)).withUnsafeBytes { ExifOrientation.of($0) } == .upright)
    }
}
