import Pix2Pix

/// What `POST /api/colorize` answers with (its `format` field).
enum ColorizeFormat: String, Sendable, CaseIterable {
    /// The colorized picture, opaque (the default).
    case png
    /// The picture with the page's paper transparent (line-art mode): `TransparentPaper`.
    case transparentPNG = "png-transparent"
    /// An OpenRaster file of layers that flatten to the picture: `LayeredExport`.
    case openRaster = "ora"
    /// A Photoshop file of the same layers: `LayeredExport.photoshop`.
    case photoshop = "psd"

    /// The answer's `Content-Type`.
    var contentType: String {
        switch self {
        case .png, .transparentPNG: "image/png"
        case .openRaster: OpenRaster.mimeType
        case .photoshop: PhotoshopDocument.mimeType
        }
    }

    /// Parses a `format` field (nil: PNG) for a job of `mode`.
    static func parse(_ text: String?, mode: ModelMode) throws(APIError) -> ColorizeFormat {
        guard let text else { return .png }
        guard let format = ColorizeFormat(rawValue: text) else {
            let known = allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw .badField("format", "must be one of \(known), not \"\(text.prefix(40))\"")
        }
        if format == .transparentPNG && mode != .lineart {
            throw .badField("format", "\"png-transparent\" needs mode \"lineart\": only line art has a page of paper to clear")
        }
        return format
    }

    /// Refuses, before any work, a picture the format cannot hold.
    func check(width: Int, height: Int) throws(APIError) {
        if self == .photoshop, max(width, height) > PhotoshopDocument.maximumSide {
            throw .badField("format", ExportError.tooLargeForPhotoshop(width: width, height: height).description)
        }
    }
}
