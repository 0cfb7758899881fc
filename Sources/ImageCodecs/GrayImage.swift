/// An 8-bit single-channel image (line art, luminance masks).
///
/// `pixels` holds `width * height` bytes, row-major, top row first.
public struct GrayImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// One byte per pixel, row-major; `count == width * height`.
    public private(set) var pixels: [UInt8]

    /// Wraps existing pixels. `pixels.count` must equal `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(
            pixels.count == width * height,
            "\(width)x\(height) gray image needs \(width * height) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Luma of a colour image with the Rec. 601 weights JPEG uses (0.299, 0.587, 0.114).
    public init(_ image: RGBImage) {
        var gray = [UInt8](repeating: 0, count: image.pixelCount)
        image.pixels.withUnsafeBufferPointer { rgb in
            for index in gray.indices {
                let r = UInt32(rgb[3 * index])
                let g = UInt32(rgb[3 * index + 1])
                let b = UInt32(rgb[3 * index + 2])
                // Fixed point ×256; the weights sum to 256 so white stays 255.
                gray[index] = UInt8((77 * r + 150 * g + 29 * b + 128) >> 8)
            }
        }
        self.init(width: image.width, height: image.height, pixels: gray)
    }

    /// The value at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[offset(x, y)] }
        set { pixels[offset(x, y)] = newValue }
    }

    private func offset(_ x: Int, _ y: Int) -> Int {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        return y * width + x
    }
}

extension RGBImage {
    /// Repeats each gray value into R, G and B.
    public init(_ gray: GrayImage) {
        var rgb = [UInt8](repeating: 0, count: gray.width * gray.height * RGBImage.channels)
        for (index, value) in gray.pixels.enumerated() {
            rgb[3 * index] = value
            rgb[3 * index + 1] = value
            rgb[3 * index + 2] = value
        }
        self.init(width: gray.width, height: gray.height, pixels: rgb)
    }
}
