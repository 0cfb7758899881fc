import CImageCodecs

/// Writes 8-bit PNGs (lossless, no interlacing).
public enum PNGEncoder {
    /// How hard zlib works.
    public enum Compression: Sendable {
        /// zlib level 6: small files, for pictures written to disk.
        case standard
        /// zlib's run-length strategy: several times quicker, and about as small on colorized
        /// pictures (large flat and smooth areas); for answers a person is waiting for.
        case fast
    }

    /// Encodes an RGB image as a truecolour PNG.
    public static func encode(_ image: RGBImage, compression: Compression = .standard) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 3, compression: compression)
    }

    /// Encodes a gray image as an 8-bit grayscale PNG.
    public static func encode(_ image: GrayImage, compression: Compression = .standard) throws(ImageCodecError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 1, compression: compression)
    }

    /// Shared by every picture type (`RGBAImage`'s encoder is in its own file).
    static func encode(
        pixels: [UInt8], width: Int, height: Int, channels: Int, compression: Compression
    ) throws(ImageCodecError) -> [UInt8] {
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
                    $0.baseAddress, UInt32(width), UInt32(height), UInt32(channels), compression == .fast ? 1 : 0,
                    &output, &length,
                    message, capacity)
            }
        }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
