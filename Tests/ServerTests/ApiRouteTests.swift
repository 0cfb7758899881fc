import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("JSON endpoints")
struct ApiRouteTests {
    @Test("GET /healthz answers {\"status\":\"ok\"}")
    func health() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                expectSecurityHeaders(response)
                let body = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                #expect(body == ["status": "ok"])
            }
            try await client.execute(uri: "/healthz", method: .head) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("GET /api/version reports name and version")
    func version() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/version", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                #expect(body == ["name": "tinct", "version": TinctVersion.version])
            }
        }
    }

    @Test("Unknown routes are 404 and still carry the security headers")
    func unknownRoute() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                expectSecurityHeaders(response)
            }
        }
    }
}
