import Foundation
import Hummingbird

extension Request {
    /// Collects the body (refusing more than `maxBytes` with 413, judged from `Content-Length`
    /// first) and decodes it as JSON; a decoding failure is a 400 naming the field.
    func decodeJSONBody<Body: Decodable>(_ type: Body.Type, maxBytes: Int) async throws -> Body {
        let tooLarge = APIError(.contentTooLarge, "body: larger than the limit of \(maxBytes) bytes")
        if let length = headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await self.body.collect(upTo: maxBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        return try Self.decodeJSON(Body.self, from: Data(buffer.readableBytesView))
    }

    /// Decodes `data` as JSON; a failure is a 400 naming the field at fault (or `body` when
    /// the bytes are not JSON at all). Shared by the routes and the message fuzz tests.
    static func decodeJSON<Body: Decodable>(_ type: Body.Type, from data: Data) throws(APIError) -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            let (field, problem) = error.fieldProblem
            throw APIError.badField(field, problem)
        } catch {
            throw APIError.badField("body", "is not valid JSON")
        }
    }
}
