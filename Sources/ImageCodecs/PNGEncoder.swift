import CImageCodecs

/// Writes 8-bit PNGs (lossless; zlib level 6, no interlacing).
public enum PNGEncoder {
    /// Encodes an RGB image as a truecolour PNG.
    public static func encode(_ image: RGBImage) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 3)
    }

    /// Encodes a gray image as an 8-bit grayscale PNG.
    public static func encode(_ image: GrayImage) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 1)
    }

    private static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int) throws(ImageCodecError)
        -> [UInt8]
    {
        guard width > 0, height > 0 else { throw .zeroSize(width: width, height: height) }
        guard width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .unsupported(.png, message: "\(width)x\(height) exceeds PNG's 2^31-1 limit per side")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        defer { tinct_free(output) }
        var call = CodecCall(format: .png)
        try call.run { message, capacity in
            pixels.withUnsafeBufferPointer {
                tinct_png_encode(
                    $0.baseAddress, UInt32(width), UInt32(height), UInt32(channels), &output, &length,
                    message, capacity)
            }
        }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
