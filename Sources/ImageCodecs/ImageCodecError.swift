/// Why an image could not be read, decoded, encoded or written.
///
/// Every case reads as a complete sentence through `description`, fit to show a user.
public enum ImageCodecError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The data has no bytes at all.
    case emptyData
    /// The data is neither PNG nor JPEG; carries its first few bytes for the message.
    case unknownFormat(leadingBytes: [UInt8])
    /// The stream is malformed; `message` is libpng's or libjpeg's explanation.
    case corrupt(ImageFormat, message: String)
    /// The stream ends before the image is complete.
    case truncated(ImageFormat, message: String)
    /// The declared size exceeds the caller's pixel limit (checked before any pixel memory is allocated).
    case tooLarge(width: Int, height: Int, maxPixels: Int)
    /// The image has no pixels.
    case zeroSize(width: Int, height: Int)
    /// The stream is valid but uses something Tinct does not handle.
    case unsupported(ImageFormat, message: String)
    /// Memory for the pixels could not be allocated.
    case outOfMemory(message: String)
    /// JPEG quality outside 1...100.
    case invalidQuality(Int)
    /// A file name whose extension is not `.png`, `.jpg` or `.jpeg`.
    case unsupportedFileExtension(path: String)
    /// The file could not be read.
    case fileReadFailed(path: String, reason: String)
    /// The file could not be written.
    case fileWriteFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptyData:
            return "The image data is empty (0 bytes)."
        case .unknownFormat(let bytes):
            let hex = bytes.prefix(8).map { String($0, radix: 16, uppercase: true) }
                .map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
            let guess = Self.otherFormatName(bytes).map { " It looks like \($0)." } ?? ""
            return "The data is not a PNG or JPEG image (it starts with \(hex)).\(guess)"
        case .corrupt(let format, let message):
            return "The \(format.name) image is corrupt: \(message)."
        case .truncated(let format, let message):
            return "The \(format.name) image is truncated (the file ends too early): \(message)."
        case .tooLarge(let width, let height, let maxPixels):
            return "The image is \(width)×\(height) = \(width * height) pixels, "
                + "more than the limit of \(maxPixels) pixels."
        case .zeroSize(let width, let height):
            return "The image has no pixels (\(width)×\(height))."
        case .unsupported(let format, let message):
            return "This \(format.name) image uses a feature Tinct cannot read: \(message)."
        case .outOfMemory(let message):
            return "Not enough memory for the image: \(message)."
        case .invalidQuality(let quality):
            return "JPEG quality must be between 1 and 100, not \(quality)."
        case .unsupportedFileExtension(let path):
            return "Cannot tell the image format of \"\(path)\": use a .png, .jpg or .jpeg name."
        case .fileReadFailed(let path, let reason):
            return "Could not read \"\(path)\": \(reason)."
        case .fileWriteFailed(let path, let reason):
            return "Could not write \"\(path)\": \(reason)."
        }
    }

    /// Names a few formats users commonly upload by mistake, so the message can say so.
    private static func otherFormatName(_ bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts(Array("GIF8".utf8)) { return "a GIF" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "a WebP image" }
        if starts(Array("ftyp".utf8), at: 4) { return "a HEIC/AVIF or MP4 file" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "a TIFF" }
        if starts(Array("BM".utf8)) { return "a BMP" }
        if starts(Array("<svg".utf8)) || starts(Array("<?xml".utf8)) { return "an SVG or XML document" }
        return nil
    }
}
