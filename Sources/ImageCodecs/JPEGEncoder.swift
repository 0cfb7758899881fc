import CImageCodecs

/// Writes baseline JPEGs with optimised Huffman tables.
public enum JPEGEncoder {
    /// Encodes an RGB image.
    ///
    /// - Parameters:
    ///   - quality: libjpeg quality, 1...100 (90 is visually lossless for most pictures).
    ///   - chromaSubsampling: `false` (default) keeps colour at full resolution (4:4:4),
    ///     which matters for colourised output; `true` halves it both ways (4:2:0) for
    ///     smaller files.
    public static func encode(
        _ image: RGBImage, quality: Int, chromaSubsampling: Bool = false
    ) throws(ImageCodecError) -> [UInt8] {
        try encode(
            pixels: image.pixels, width: image.width, height: image.height, channels: 3,
            quality: quality, chromaSubsampling: chromaSubsampling)
    }

    /// Encodes a gray image as a single-component JPEG.
    public static func encode(_ image: GrayImage, quality: Int) throws(ImageCodecError) -> [UInt8] {
        try encode(
            pixels: image.pixels, width: image.width, height: image.height, channels: 1,
            quality: quality, chromaSubsampling: false)
    }

    private static func encode(
        pixels: [UInt8], width: Int, height: Int, channels: Int, quality: Int, chromaSubsampling: Bool
    ) throws(ImageCodecError) -> [UInt8] {
        guard (1...100).contains(quality) else { throw .invalidQuality(quality) }
        guard width > 0, height > 0 else { throw .zeroSize(width: width, height: height) }
        guard width <= 65_500, height <= 65_500 else {
            throw .unsupported(.jpeg, message: "\(width)x\(height) exceeds JPEG's 65500 pixels per side")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        defer { tinct_free(output) }
        var call = CodecCall(format: .jpeg)
        try call.run { message, capacity in
            pixels.withUnsafeBufferPointer {
                tinct_jpeg_encode(
                    $0.baseAddress, UInt32(width), UInt32(height), UInt32(channels), Int32(quality),
                    chromaSubsampling ? 1 : 0, &output, &length, message, capacity)
            }
        }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
