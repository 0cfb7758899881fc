import Foundation
import Hummingbird

/// A field of a JSON body that decodes but is not acceptable (an unknown key, a value out of
/// the allowed set). A custom `init(from:)` throws it; `Request.decodeJSON` turns it into a
/// 400 naming the field, like the decoder's own errors.
struct RequestFieldError: Error, Equatable {
    let field: String
    let problem: String
}

/// Any key of a JSON object, for a decoder that reads every key (to refuse unknown ones).
struct JSONKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == JSONKey {
    /// Throws for the first key (sorted) that is not in `allowed`, so a typo is not silently
    /// ignored: `sizee: is not <what>`. A key that is not a plain name ("", "a:b", a long
    /// string) is quoted after `body`, so the message still starts with a field the client
    /// can recognise.
    func refuseUnknownKeys(allowed: Set<String>, what: String) throws(RequestFieldError) {
        guard let unknown = allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) else { return }
        let plain = (1...40).contains(unknown.count) && unknown.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        throw plain
            ? RequestFieldError(field: unknown, problem: "is not \(what)")
            : RequestFieldError(field: "body", problem: "\"\(unknown.prefix(40))\" is not \(what)")
    }
}

extension APIError {
    /// The 400 for a JSON body or message that failed to decode: the field at fault
    /// (`hints[2].x`, `size`) and what was wrong, or `body: is not valid JSON`.
    static func decodingFailure(_ error: any Error) -> APIError {
        switch error {
        case let error as RequestFieldError:
            return .badField(error.field, error.problem)
        case let error as DecodingError:
            let (field, problem) = error.fieldProblem
            return .badField(field, problem)
        default:
            return .badField("body", "is not valid JSON")
        }
    }
}

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
        } catch {
            throw .decodingFailure(error)
        }
    }
}

extension DecodingError {
    /// The failing field as a path (`hints[2].x`), and what was wrong, for a 400 answer.
    var fieldProblem: (field: String, problem: String) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return (parent.isEmpty ? key.stringValue : "\(parent).\(key.stringValue)", "is required")
        case .typeMismatch(let type, let context):
            return (Self.orBody(path(context.codingPath)), "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return (Self.orBody(path(context.codingPath)), "expected \(Self.describe(type)), found null")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return (field.isEmpty ? "body" : field, field.isEmpty ? "is not valid JSON" : "is malformed")
        @unknown default:
            return ("body", "is not valid JSON")
        }
    }

    /// An empty path means the whole message (`42` where an object was expected).
    private static func orBody(_ field: String) -> String { field.isEmpty ? "body" : field }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is String.Type: "a string"
        case is [WireHint].Type: "an array of hints"
        case is [String: Any].Type: "a JSON object"
        case is Bool.Type: "true or false"
        default: "a value of another type"
        }
    }
}
