import CImageCodecs

/// The container formats Tinct reads and writes.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    case png
    case jpeg

    /// Recognises a format from the leading magic bytes; `nil` for anything else.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        return ImageFormat(tinct_sniff(base.assumingMemoryBound(to: UInt8.self), bytes.count))
    }

    /// The format a file name's extension asks for (`.png`, `.jpg`, `.jpeg`; any case).
    public init?(pathExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        default: return nil
        }
    }

    init?(_ format: tinct_format) {
        switch format {
        case TINCT_FORMAT_PNG: self = .png
        case TINCT_FORMAT_JPEG: self = .jpeg
        default: return nil
        }
    }

    /// "PNG" or "JPEG", for messages.
    public var name: String { rawValue.uppercased() }
}

/// What a header says about an image, read without decoding pixels.
public struct ImageInfo: Sendable, Equatable {
    /// The container format.
    public var format: ImageFormat
    /// Declared width in pixels.
    public var width: Int
    /// Declared height in pixels.
    public var height: Int

    /// Creates a header description.
    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}
