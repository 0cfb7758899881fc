import Foundation

extension RGBImage {
    /// Reads and decodes a PNG or JPEG file (format taken from the bytes, not the name).
    public init(contentsOf path: String, maxPixels: Int = ImageDecoder.defaultMaxPixels) throws(ImageCodecError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .fileReadFailed(path: path, reason: Self.reason(error))
        }
        self = try ImageDecoder.decode(data, maxPixels: maxPixels)
    }

    /// Encodes by the path's extension (`.png`, `.jpg`, `.jpeg`) and writes the file atomically.
    ///
    /// - Parameter jpegQuality: used only for JPEG names, 1...100.
    public func write(to path: String, jpegQuality: Int = 92) throws(ImageCodecError) {
        guard let format = ImageFormat(pathExtensionOf: path) else {
            throw .unsupportedFileExtension(path: path)
        }
        let bytes: [UInt8]
        switch format {
        case .png: bytes = try PNGEncoder.encode(self)
        case .jpeg: bytes = try JPEGEncoder.encode(self, quality: jpegQuality)
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .fileWriteFailed(path: path, reason: Self.reason(error))
        }
    }

    /// The operating system's explanation ("No such file or directory"), not Foundation's wrapper.
    private static func reason(_ error: any Error) -> String {
        var underlying = error as NSError
        if let inner = underlying.userInfo[NSUnderlyingErrorKey] as? any Error {
            underlying = inner as NSError
        }
        if underlying.domain == NSPOSIXErrorDomain, let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        return underlying.localizedDescription
    }
}
