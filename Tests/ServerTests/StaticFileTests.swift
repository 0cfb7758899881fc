import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Static files from Public/")
struct StaticFileTests {
    @Test("GET /js/app.js serves the module as JavaScript")
    func appScript() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/js/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
                expectSecurityHeaders(response)
                #expect(String(buffer: response.body).contains("textContent"))
            }
        }
    }

    @Test("GET /css/app.css serves CSS")
    func stylesheet() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/css/app.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
            }
        }
    }

    @Test("Missing files are 404")
    func missingFile() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/js/missing.js", method: .get) { response in
                #expect(response.status == .notFound)
                expectSecurityHeaders(response)
            }
        }
    }

    @Test(
        "Paths that climb out of Public/ are 404",
        arguments: [
            "/../Package.swift",
            "/%2e%2e/Package.swift",
            "/%2E%2E/Package.swift",
            "/js/../../Package.swift",
            "/js/..%2f..%2fPackage.swift",
            "/..%5cPackage.swift",
            "/../templates/index.mustache",
            "/../Sources/Server/ServerConfiguration.swift"
        ]
    )
    func pathTraversal(uri: String) async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("PackageDescription"))
                expectSecurityHeaders(response)
            }
        }
    }

    @Test("Templates are not served as static files")
    func templatesNotServed() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/templates/index.mustache", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
