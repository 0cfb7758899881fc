import Pix2Pix

/// The body of `POST /api/lineart`: `{"image": "<base64 PNG or JPEG>", "style": "xdog" | "adaptive" | "sobel"?,
/// "thickness": -2...2?}`.
struct LineArtRequestBody: Decodable {
    var image: String
    var style: String?
    /// Line weight: ink widened (positive) or narrowed (negative) by this many pixels; 0 when absent.
    var thickness: Int?
}

/// A validated line-extraction request, ready for the inference thread.
struct LineArtJob: Sendable {
    /// The picture's encoded bytes (decoded on the inference thread).
    let bytes: [UInt8]
    let width: Int
    let height: Int
    let style: LineExtractor.Style
    /// See `LineArtRequestBody.thickness`, within ±`LineThickness.maximumRadius`.
    let thickness: Int

    /// Validates a decoded body with the colorizer's limits (same size checks, same errors).
    init(body: LineArtRequestBody, limits: ColorizeLimits) throws(APIError) {
        let style: LineExtractor.Style
        if let name = body.style {
            guard let parsed = LineExtractor.Style(rawValue: name) else {
                let names = LineExtractor.Style.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw .badField("style", "must be one of \(names), not \"\(name.prefix(40))\"")
            }
            style = parsed
        } else {
            style = .xdog
        }
        let thickness = body.thickness ?? 0
        guard abs(thickness) <= LineThickness.maximumRadius else {
            throw .badField("thickness", "must be between -\(LineThickness.maximumRadius) and \(LineThickness.maximumRadius)")
        }
        let (bytes, info) = try ColorizeJob.inspectImage(base64: body.image, limits: limits)
        (self.bytes, self.width, self.height, self.style, self.thickness) = (bytes, info.width, info.height, style, thickness)
    }
}
