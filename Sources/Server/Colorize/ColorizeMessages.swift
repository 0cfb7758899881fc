import Foundation

/// The `/ws/colorize` wire protocol, version 1. Every message is a JSON text frame with a
/// `type` and a `version`; `Public/js/protocol.js` mirrors these types for the browser.
///
/// Client → server:
/// `{"type":"colorize","version":1,"id":7,"mode":"lineart","model":"name"?,"hints":[...]?,"image":"<base64>"?,"variant":{"seed":N}?}`
/// (`image` may be left out when it has not changed since the connection's last request;
/// `variant` asks for that dropout variant's colouring, as in `POST /api/colorize`).
///
/// Server → client:
/// `{"type":"result","version":1,"id":7,"image":"<base64 PNG>","width":W,"height":H,"ms":42.1}` or
/// `{"type":"error","version":1,"id":7,"code":"bad-request","message":"hints[0].color: ..."}`.
enum ColorizeProtocol {
    /// The protocol version this server speaks.
    static let version = 1
}

/// Fields every client message starts with, read first to pick the message's shape.
struct ClientEnvelope: Decodable {
    let type: String
    let version: Int?
    let id: Int?
}

/// `colorize`: colorize the connection's picture with these hints.
struct ColorizeCommand: Decodable, Sendable {
    let version: Int
    let id: Int
    let mode: String
    let model: String?
    let hints: [WireHint]?
    let image: String?
    let variant: WireVariant?
}

/// What the server sends.
enum ColorizeServerMessage: Encodable, Equatable {
    /// A finished colorization: base64 PNG of the input's size, and the time it took.
    case result(id: Int, image: String, width: Int, height: Int, ms: Double)
    /// A request that failed (or was superseded); `id` is nil when the message had none.
    case error(id: Int?, code: ErrorCode, message: String)

    /// Machine-readable error kinds, so clients can react without parsing messages.
    enum ErrorCode: String, Encodable {
        /// The message or one of its fields is invalid (`message` names the field).
        case badRequest = "bad-request"
        /// The picture or message is over a size limit.
        case tooLarge = "too-large"
        /// The data is not a PNG or JPEG picture.
        case unsupportedMedia = "unsupported-media"
        /// No such model (or none for the mode).
        case notFound = "not-found"
        /// The inference queue is full; retry shortly.
        case busy
        /// A newer request of this connection replaced this one before it ran.
        case superseded
        /// Anything else went wrong on the server.
        case internalError = "internal"
    }

    private enum CodingKeys: String, CodingKey { case type, version, id, image, width, height, ms, code, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ColorizeProtocol.version, forKey: .version)
        switch self {
        case .result(let id, let image, let width, let height, let ms):
            try c.encode("result", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(image, forKey: .image)
            try c.encode(width, forKey: .width)
            try c.encode(height, forKey: .height)
            try c.encode((ms * 10).rounded() / 10, forKey: .ms)
        case .error(let id, let code, let message):
            try c.encode("error", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        }
    }

    /// The error message for an API failure.
    static func error(id: Int?, _ error: APIError) -> ColorizeServerMessage {
        let code: ErrorCode =
            switch error.status {
            case .badRequest: .badRequest
            case .contentTooLarge: .tooLarge
            case .unsupportedMediaType: .unsupportedMedia
            case .notFound: .notFound
            case .serviceUnavailable: .busy
            default: .internalError
            }
        return .error(id: id, code: code, message: error.message)
    }

    /// The message as JSON text.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? #"{"type":"error","version":1,"code":"internal","message":"encoding failed"}"#
    }
}
