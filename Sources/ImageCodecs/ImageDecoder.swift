import CImageCodecs
import Foundation

/// A decoded picture plus what the file said about itself.
public struct DecodedImage: Sendable, Equatable {
    /// The pixels, transparency already composited onto white.
    public var image: RGBImage
    /// The container format the bytes were in.
    public var format: ImageFormat
    /// Whether the source carried transparency (an alpha channel or a tRNS chunk).
    public var hadAlpha: Bool
}

/// Reads PNG and JPEG bytes (format recognised from the magic bytes, not the file name).
///
/// Every PNG variant is accepted (palette, gray, gray+alpha, 1–16 bits, interlaced, tRNS)
/// and every common JPEG (gray, YCbCr, CMYK/YCCK, baseline or progressive). 16-bit samples
/// are rounded to 8 bits; colour profiles and gamma chunks are ignored (sRGB is assumed).
/// A truncated file is an error rather than a partly gray picture. A JPEG's EXIF orientation
/// is applied, as browsers do, so a phone's portrait photo comes out upright; `readSize`
/// reports the upright size.
public enum ImageDecoder {
    /// The default pixel limit: 40 megapixels, about 120 MB as RGB.
    public static let defaultMaxPixels = 40_000_000

    /// Decodes PNG or JPEG bytes to RGB, compositing transparency onto white.
    ///
    /// - Parameter maxPixels: images whose header declares more than this many pixels are
    ///   refused with `ImageCodecError.tooLarge` before any pixel memory is allocated.
    public static func decode<Bytes: ContiguousBytes>(
        _ bytes: Bytes, maxPixels: Int = defaultMaxPixels
    ) throws(ImageCodecError) -> RGBImage {
        try decodeWithInfo(bytes, maxPixels: maxPixels).image
    }

    /// Like `decode(_:maxPixels:)`, also reporting the format and whether alpha existed.
    public static func decodeWithInfo<Bytes: ContiguousBytes>(
        _ bytes: Bytes, maxPixels: Int = defaultMaxPixels
    ) throws(ImageCodecError) -> DecodedImage {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ImageCodecError) in try decode(raw, maxPixels: max(0, maxPixels)) }
        }
        return try result.get()
    }

    /// Reads only the header: format and declared size. Use it to enforce limits cheaply.
    public static func readSize<Bytes: ContiguousBytes>(_ bytes: Bytes) throws(ImageCodecError) -> ImageInfo {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ImageCodecError) in try readSize(raw) }
        }
        return try result.get()
    }

    private static func readSize(_ raw: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let format = try sniffOrThrow(raw)
        var cFormat = TINCT_FORMAT_UNKNOWN
        var width: UInt32 = 0
        var height: UInt32 = 0
        var call = CodecCall(format: format)
        try call.run(size: { (Int(width), Int(height)) }) { message, capacity in
            tinct_read_size(bytePointer(raw), raw.count, &cFormat, &width, &height, message, capacity)
        }
        let swapped = format == .jpeg && ExifOrientation.of(raw).swapsSides
        return ImageInfo(format: format, width: Int(swapped ? height : width), height: Int(swapped ? width : height))
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, maxPixels: Int) throws(ImageCodecError) -> DecodedImage {
        let format = try sniffOrThrow(raw)
        var decoded = tinct_image()
        defer { tinct_free(decoded.pixels) }
        var call = CodecCall(format: format, maxPixels: maxPixels)
        try call.run(size: { (Int(decoded.width), Int(decoded.height)) }) { message, capacity in
            switch format {
            case .png:
                tinct_png_decode(bytePointer(raw), raw.count, UInt64(maxPixels), &decoded, message, capacity)
            case .jpeg:
                tinct_jpeg_decode(bytePointer(raw), raw.count, UInt64(maxPixels), &decoded, message, capacity)
            }
        }
        let width = Int(decoded.width)
        let height = Int(decoded.height)
        let source = UnsafeBufferPointer(start: decoded.pixels, count: width * height * Int(decoded.channels))
        let pixels =
            decoded.channels == 4
            ? AlphaCompositing.overWhite(rgba: source)
            : Array(source)
        let stored = RGBImage(width: width, height: height, pixels: pixels)
        return DecodedImage(
            image: format == .jpeg ? stored.applying(ExifOrientation.of(raw)) : stored,
            format: format,
            hadAlpha: decoded.has_alpha != 0)
    }

    private static func sniffOrThrow(_ raw: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageFormat {
        if raw.isEmpty { throw .emptyData }
        guard let format = ImageFormat.sniff(raw) else {
            throw .unknownFormat(leadingBytes: Array(raw.prefix(16)))
        }
        return format
    }

    private static func bytePointer(_ raw: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
        raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }
}
