import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Editor scripts")
struct EditorAssetTests {
    /// Every script under Public/js — the editor's and the training dashboard's.
    static let modules =
        ((try? FileManager.default.contentsOfDirectory(
            atPath: TestConfiguration.repositoryRoot.appendingPathComponent("Public/js").path)) ?? [])
        .filter { $0.hasSuffix(".js") }.sorted()

    @Test("The script list is the real folder's, not empty")
    func moduleList() {
        #expect(Self.modules.count >= 12, "\(Self.modules)")
        #expect(Self.modules.contains("app.js") && Self.modules.contains("train.js"))
    }

    @Test("Every browser module is served as JavaScript and never writes HTML strings", arguments: modules)
    func module(name: String) async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/js/\(name)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
                let source = String(buffer: response.body)
                for forbidden in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                    #expect(!source.contains(forbidden), "\(name) uses \(forbidden)")
                }
            }
        }
    }

    @Test("protocol.js mirrors the server's version and error codes")
    func protocolMirror() throws {
        let url = TestConfiguration.repositoryRoot.appendingPathComponent("Public/js/protocol.js")
        let source = try String(contentsOf: url, encoding: .utf8)
        #expect(source.contains("export const PROTOCOL_VERSION = \(ColorizeProtocol.version);"))
        #expect(source.contains(#"export const COLORIZE_SOCKET_PATH = "/ws/colorize";"#))
        let codes: [ColorizeServerMessage.ErrorCode] = [.badRequest, .tooLarge, .unsupportedMedia, .notFound, .busy, .superseded, .internalError]
        for code in codes {
            #expect(source.contains(#""\#(code.rawValue)""#), "protocol.js lacks \(code.rawValue)")
        }
        for type in ["colorize", "result", "error"] {
            #expect(source.contains(#"\#(type): "\#(type)""#))
        }
    }
}
