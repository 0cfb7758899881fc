import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Live server on loopback")
struct LiveServerTests {
    @Test("GET /healthz over a real socket")
    func health() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                expectSecurityHeaders(response)
            }
        }
    }
}
