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
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            let (field, problem) = error.fieldProblem
            throw APIError.badField(field, problem)
        }
    }
}
