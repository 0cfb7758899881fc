import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The JSON body helpers every route shares (Sources/Server/HTTP/JSONRequestBody.swift).
@Suite("JSON request bodies")
struct JSONBodyTests {
    /// A body with strict keys, as the training requests decode theirs.
    struct Strict: Decodable {
        let name: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: JSONKey.self)
            try c.refuseUnknownKeys(allowed: ["name"], what: "a field here")
            name = try c.decode(String.self, forKey: JSONKey("name"))
        }
    }

    static func message(_ body: String) -> String? {
        do {
            _ = try Request.decodeJSON(Strict.self, from: Data(body.utf8))
            return nil
        } catch {
            return error.message
        }
    }

    @Test(
        "Every decoding failure is a 400 naming the field",
        arguments: [
            (#"{"name":"x","nmae":"y"}"#, "nmae: is not a field here"),
            (#"{"name":"x","a:b":1}"#, #"body: "a:b" is not a field here"#),
            (#"{"name":7}"#, "name: expected a string"),
            (#"{}"#, "name: is required"),
            ("not json", "body: is not valid JSON")
        ])
    func failures(body: String, message: String) {
        #expect(Self.message(body) == message)
    }

    @Test("A training body over the limit is 413 about the body, judged from Content-Length")
    func tooLarge() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        let body = #"{"dataset":"\#(String(repeating: "x", count: TrainingController.maxBodyBytes))"}"#
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/api/train/start", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let message = try errorMessage(response)
                #expect(message == "body: larger than the limit of \(TrainingController.maxBodyBytes) bytes")
            }
        }
    }
}
