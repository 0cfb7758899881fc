/// An 8-bit sRGB image without alpha: the one picture type Tinct's pipeline passes around.
///
/// `pixels` holds `width * height * 3` bytes, RGB interleaved, row-major, top row first,
/// no row padding. Decoders composite any transparency onto white before building one.
public struct RGBImage: Sendable, Equatable {
    /// Samples per pixel in `pixels`.
    public static let channels = 3

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// RGB interleaved, row-major; `count == width * height * 3`.
    public private(set) var pixels: [UInt8]

    /// Wraps existing pixels. `pixels.count` must equal `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(
            pixels.count == width * height * Self.channels,
            "\(width)x\(height) RGB image needs \(width * height * Self.channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour (white by default).
    public init(width: Int, height: Int, red: UInt8 = 255, green: UInt8 = 255, blue: UInt8 = 255) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        var pixels = [UInt8](repeating: 0, count: width * height * Self.channels)
        for index in stride(from: 0, to: pixels.count, by: Self.channels) {
            pixels[index] = red
            pixels[index + 1] = green
            pixels[index + 2] = blue
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// Number of pixels (`width * height`).
    public var pixelCount: Int { width * height }

    /// The pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        get {
            let index = offset(x, y)
            return (pixels[index], pixels[index + 1], pixels[index + 2])
        }
        set {
            let index = offset(x, y)
            pixels[index] = newValue.red
            pixels[index + 1] = newValue.green
            pixels[index + 2] = newValue.blue
        }
    }

    /// Edits the pixel bytes in place; the closure must not change their count.
    public mutating func withMutablePixels<Result>(
        _ body: (inout [UInt8]) throws -> Result
    ) rethrows -> Result {
        let count = pixels.count
        defer { precondition(pixels.count == count, "pixel buffer size changed") }
        return try body(&pixels)
    }

    private func offset(_ x: Int, _ y: Int) -> Int {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        return (y * width + x) * Self.channels
    }
}
