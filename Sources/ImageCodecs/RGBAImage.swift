/// An 8-bit sRGB image with straight (not premultiplied) alpha: what a layered or
/// transparent export writes. Tinct's pipeline itself works on opaque `RGBImage`s.
///
/// `pixels` holds `width * height * 4` bytes, RGBA interleaved, row-major, top row first.
public struct RGBAImage: Sendable, Equatable {
    /// Samples per pixel in `pixels`.
    public static let channels = 4

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// RGBA interleaved, row-major; `count == width * height * 4`.
    public var pixels: [UInt8]

    /// Wraps existing pixels. `pixels.count` must equal `width * height * 4`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(
            pixels.count == width * height * Self.channels,
            "\(width)x\(height) RGBA image needs \(width * height * Self.channels) bytes, got \(pixels.count)")
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    /// An image of one colour, fully transparent unless `alpha` says otherwise.
    public init(width: Int, height: Int, red: UInt8 = 0, green: UInt8 = 0, blue: UInt8 = 0, alpha: UInt8 = 0) {
        var pixels = [UInt8](repeating: 0, count: width * height * Self.channels)
        for index in stride(from: 0, to: pixels.count, by: Self.channels) {
            pixels[index] = red
            pixels[index + 1] = green
            pixels[index + 2] = blue
            pixels[index + 3] = alpha
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// `image`, fully opaque.
    public init(opaque image: RGBImage) {
        var pixels = [UInt8](repeating: 255, count: image.pixelCount * Self.channels)
        for i in 0..<image.pixelCount {
            for c in 0..<3 { pixels[4 * i + c] = image.pixels[3 * i + c] }
        }
        self.init(width: image.width, height: image.height, pixels: pixels)
    }

    /// The pixel at (`x`, `y`).
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8) {
        let i = 4 * (y * width + x)
        return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }
}

extension PNGEncoder {
    /// Encodes an RGBA image as a truecolour PNG with alpha.
    public static func encode(_ image: RGBAImage, compression: Compression = .standard) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 4, compression: compression)
    }
}
