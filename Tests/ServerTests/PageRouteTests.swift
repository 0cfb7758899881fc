import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("HTML pages")
struct PageRouteTests {
    @Test("GET / renders the editor")
    func editorPage() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                expectSecurityHeaders(response)
                let html = String(buffer: response.body)
                #expect(html.contains("<title>Tinct</title>"))
                #expect(html.contains("<h1>Colorize</h1>"))
                #expect(html.contains(#"<main class="wide">"#))
                for id in ["drawing", "overlay", "result", "model", "color-hex", "palette", "live", "colorize", "download"] {
                    #expect(html.contains(#"id="\#(id)""#), "missing #\(id)")
                }
                #expect(html.contains(#"<a href="/train">"#))
                #expect(html.contains(#"<script type="module" src="/js/app.js"></script>"#))
                #expect(html.contains(#"<link rel="stylesheet" href="/css/app.css">"#))
                #expect(html.contains(#"id="status""#))
            }
        }
    }

    @Test("GET /train renders the training placeholder")
    func trainPage() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/train", method: .get) { response in
                #expect(response.status == .ok)
                expectSecurityHeaders(response)
                let html = String(buffer: response.body)
                #expect(html.contains("<title>Train · Tinct</title>"))
                #expect(html.contains("Train a model"))
            }
        }
    }

    @Test("Pages contain no inline script, which the CSP would block")
    func noInlineScript() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            let inlineHandler = try Regex(#"\son[a-z]+\s*="#)
            for uri in ["/", "/train"] {
                let html = try await client.execute(uri: uri, method: .get) { String(buffer: $0.body) }
                #expect(!html.contains("<script>"), "inline script in \(uri)")
                #expect(!html.contains("<style"), "inline style in \(uri)")
                #expect(!html.contains(" style="), "inline style attribute in \(uri)")
                #expect(!html.contains(inlineHandler), "inline event handler in \(uri)")
            }
        }
    }

    @Test("A templates folder without the pages fails at startup")
    func missingTemplateFailsEarly() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-empty-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        await #expect(throws: ServerError.missingTemplate(name: "index.mustache", directory: empty.path)) {
            _ = try await buildApplication(configuration: TestConfiguration.server(templatesDirectory: empty.path))
        }
    }
}
