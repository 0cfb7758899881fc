import Foundation
import HTTPTypes
import Hummingbird

/// An error answer of the JSON API: a status and a sentence for the person who sent the
/// request, rendered as `{"error": "..."}`. Messages about a field start with its name
/// (`hints[2].color: ...`), so a client can tell which input to fix.
public struct APIError: HTTPResponseError, Equatable, Sendable {
    public let status: HTTPResponse.Status
    public let message: String
    /// Seconds after which a retry may succeed (sent as `Retry-After` with 503).
    public let retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        (self.status, self.message, self.retryAfter) = (status, message, retryAfter)
    }

    /// 400 about one field of the request.
    static func badField(_ field: String, _ problem: String) -> APIError { APIError(.badRequest, "\(field): \(problem)") }

    /// 503: the inference queue is full.
    static let busy = APIError(.serviceUnavailable, "The colorizer is busy; try again in a moment.", retryAfter: 1)

    private struct Body: Encodable { let error: String }

    /// The answer's headers: the JSON content type, and `Retry-After` when set.
    var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return headers
    }

    /// The answer's body, `{"error": "<message>"}`.
    var body: ByteBuffer {
        // Encoding a struct of one string cannot fail.
        ByteBuffer(bytes: (try? JSONEncoder().encode(Body(error: message))) ?? Data(#"{"error":"internal"}"#.utf8))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
