import Foundation
import ImageCodecs
import Pix2Pix

/// Limits on what one colorization request may ask for.
public struct ColorizeLimits: Sendable, Equatable {
    /// Largest HTTP request body, and largest WebSocket message, in bytes.
    public var maxBodyBytes: Int
    /// Largest picture, in pixels (checked from the header before decoding).
    public var maxPixels: Int
    /// Longest side of a picture, in pixels: the result is written as a PNG, whose encoder
    /// takes at most 1,000,000 pixels a side, and a download may be a JPEG (65,535); a picture
    /// longer than this is refused before any work rather than failing after it.
    public static let maxSide = 32_768
    /// Most hints in one request.
    public var maxHints: Int
    /// Largest hint radius, in input pixels.
    public var maxHintRadius: Int
    /// Jobs that may wait for the inference thread (beyond them: 503 / "busy").
    public var maxQueued: Int
    /// Input bytes the waiting jobs may hold together (beyond: 503).
    public var maxQueuedBytes: Int
    /// Longest a job may wait for the inference thread; one that could not start within it
    /// is answered 503 (at once when the work ahead is already longer).
    public var maxQueueDelay: Duration
    /// How long an idle editor connection keeps its decoded picture (`DecodedPictureCache`).
    public var idlePictureTimeout: Duration

    public init(
        maxBodyBytes: Int = 20 << 20, maxPixels: Int = 16_000_000, maxHints: Int = 500,
        maxHintRadius: Int = 256, maxQueued: Int = 256, maxQueuedBytes: Int = 256 << 20,
        maxQueueDelay: Duration = .seconds(5), idlePictureTimeout: Duration = .seconds(60)
    ) {
        (self.maxBodyBytes, self.maxPixels, self.maxHints) = (maxBodyBytes, maxPixels, maxHints)
        (self.maxHintRadius, self.maxQueued) = (maxHintRadius, maxQueued)
        (self.maxQueuedBytes, self.maxQueueDelay, self.idlePictureTimeout) = (maxQueuedBytes, maxQueueDelay, idlePictureTimeout)
    }
}

/// One hint as it travels on the wire: `{"x": int, "y": int, "color": "#rrggbb", "r": int?}`,
/// coordinates in the input picture's pixels.
public struct WireHint: Codable, Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var color: String
    public var r: Int?

    public init(x: Int, y: Int, color: String, r: Int? = nil) {
        (self.x, self.y, self.color, self.r) = (x, y, color, r)
    }

    private enum CodingKeys: String, CodingKey { case x, y, color, r }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        x = try Self.integer(c, .x)
        y = try Self.integer(c, .y)
        color = try c.decode(String.self, forKey: .color)
        let hasRadius = try c.contains(.r) && !c.decodeNil(forKey: .r)
        r = hasRadius ? try Self.integer(c, .r) : nil
    }

    /// Decodes an integer, reporting a fractional or huge number as a type mismatch *at its
    /// key* (Foundation would report "not valid JSON" with no coding path).
    private static func integer(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int {
        do {
            return try c.decode(Int.self, forKey: key)
        } catch let error as DecodingError {
            guard case .dataCorrupted = error else { throw error }
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: c.codingPath + [key], debugDescription: "\(error)"))
        } catch {
            // Linux Foundation throws an internal error for 1.5 or 1e40 here.
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: c.codingPath + [key], debugDescription: "\(error)"))
        }
    }
}

/// The body of `POST /api/colorize`, exactly as sent; `ColorizeJob.validate` checks it.
struct ColorizeRequestBody: Decodable {
    var image: String
    var mode: String
    var hints: [WireHint]?
    var model: String?
    /// "png" (default), "png-transparent", "ora" or "psd" (`ColorizeFormat`).
    var format: String?
    /// `{"seed": N}`: the colouring of that dropout variant instead of the deterministic one.
    var variant: WireVariant?
}

/// A hint that passed validation; `radius` nil means "the model's usual hint size".
struct ValidHint: Sendable, Equatable {
    let x: Int, y: Int, red: UInt8, green: UInt8, blue: UInt8
    let radius: Int?
}

/// A validated colorization request, ready for the inference thread.
struct ColorizeJob: Sendable {
    /// The input picture: bytes still to decode (on the inference thread), or a picture
    /// already decoded by an earlier request of the same WebSocket connection.
    enum Source: Sendable {
        case encoded([UInt8])
        case decoded(RGBImage)
    }

    /// Bytes the job's input holds while it waits (for the queue's bound).
    var inputBytes: Int {
        switch source {
        case .encoded(let bytes): bytes.count
        case .decoded(let image): image.pixels.count
        }
    }

    var source: Source
    var width: Int
    var height: Int
    var mode: ModelMode
    var hints: [ValidHint]
    var model: String?
    /// How the result is answered; the editor's live previews are always PNG.
    var format: ColorizeFormat = .png
    /// The dropout variant to colour with; nil for the deterministic colouring.
    var variant: ColorVariant?

    /// Parses a `mode` field; only the editor's two modes are accepted.
    static func parseMode(_ text: String) throws(APIError) -> ModelMode {
        guard let mode = ModelMode(rawValue: text), mode == .lineart || mode == .photo else {
            throw .badField("mode", "must be \"lineart\" or \"photo\", not \"\(text.prefix(40))\"")
        }
        return mode
    }

    /// Parses a `model` field (nil: the default model of the mode).
    static func parseModelName(_ name: String?) throws(APIError) -> String? {
        guard let name else { return nil }
        guard ModelCatalog.isValidName(name) else {
            throw .badField("model", "a model name is 1–64 letters, digits, '_' or '-'")
        }
        return name
    }

    /// Decodes base64 picture bytes and reads the header, enforcing the pixel limit before
    /// any pixel is decoded.
    static func inspectImage(base64: String, limits: ColorizeLimits) throws(APIError) -> ([UInt8], ImageInfo) {
        guard !base64.isEmpty else { throw .badField("image", "is empty") }
        // Accept a data: URL too, as browsers produce them.
        let payload = base64.hasPrefix("data:") ? String(base64[(base64.firstIndex(of: ",").map { base64.index(after: $0) } ?? base64.endIndex)...]) : base64
        guard let data = Data(base64Encoded: payload), !data.isEmpty else {
            throw .badField("image", "is not valid base64")
        }
        let bytes = [UInt8](data)
        let info: ImageInfo
        do {
            info = try ImageDecoder.readSize(bytes)
        } catch {
            throw imageError(error)
        }
        guard info.width > 0, info.height > 0 else { throw .badField("image", "has no pixels (\(info.width)×\(info.height))") }
        guard info.width <= ColorizeLimits.maxSide, info.height <= ColorizeLimits.maxSide else {
            throw APIError(
                .contentTooLarge, "image: \(info.width)×\(info.height) has a side longer than the limit of \(ColorizeLimits.maxSide) pixels")
        }
        guard info.width * info.height <= limits.maxPixels else {
            throw APIError(
                .contentTooLarge,
                "image: \(info.width)×\(info.height) is \(info.width * info.height) pixels, more than the limit of \(limits.maxPixels)")
        }
        return (bytes, info)
    }

    /// Checks hints against the picture size and the limits.
    static func validateHints(_ hints: [WireHint], width: Int, height: Int, limits: ColorizeLimits) throws(APIError) -> [ValidHint] {
        guard hints.count <= limits.maxHints else {
            throw .badField("hints", "\(hints.count) hints, more than the limit of \(limits.maxHints)")
        }
        var valid: [ValidHint] = []
        valid.reserveCapacity(hints.count)
        for (i, hint) in hints.enumerated() {
            guard (0..<width).contains(hint.x), (0..<height).contains(hint.y) else {
                throw .badField("hints[\(i)]", "(\(hint.x), \(hint.y)) lies outside the \(width)×\(height) picture")
            }
            guard let color = ColorHint.parseHex(hint.color) else {
                throw .badField("hints[\(i)].color", "must be \"#rrggbb\", not \"\(hint.color.prefix(20))\"")
            }
            if let r = hint.r, !(0...limits.maxHintRadius).contains(r) {
                throw .badField("hints[\(i)].r", "must be between 0 and \(limits.maxHintRadius)")
            }
            valid.append(ValidHint(x: hint.x, y: hint.y, red: color.red, green: color.green, blue: color.blue, radius: hint.r))
        }
        return valid
    }

    /// Maps an image codec failure to the API's answer: 415 for data that is no image at all,
    /// 413 for a picture over the limit, 400 for a damaged picture.
    static func imageError(_ error: ImageCodecError) -> APIError {
        switch error {
        case .emptyData, .unknownFormat:
            APIError(.unsupportedMediaType, "image: \(error.description) Send a PNG or JPEG.")
        case .tooLarge:
            APIError(.contentTooLarge, "image: \(error.description)")
        default:
            .badField("image", error.description)
        }
    }

    /// Validates a decoded JSON body.
    init(body: ColorizeRequestBody, limits: ColorizeLimits) throws(APIError) {
        let mode = try Self.parseMode(body.mode)
        let model = try Self.parseModelName(body.model)
        let (bytes, info) = try Self.inspectImage(base64: body.image, limits: limits)
        let format = try ColorizeFormat.parse(body.format, mode: mode)
        try format.check(width: info.width, height: info.height)
        let hints = try Self.validateHints(body.hints ?? [], width: info.width, height: info.height, limits: limits)
        let variant = try body.variant?.validated()
        self.init(
            source: .encoded(bytes), width: info.width, height: info.height, mode: mode, hints: hints, model: model,
            format: format, variant: variant)
    }

    init(
        source: Source, width: Int, height: Int, mode: ModelMode, hints: [ValidHint], model: String?,
        format: ColorizeFormat = .png, variant: ColorVariant? = nil
    ) {
        (self.source, self.width, self.height, self.mode, self.hints, self.model) = (source, width, height, mode, hints, model)
        (self.format, self.variant) = (format, variant)
    }
}
