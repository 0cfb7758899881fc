import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Testing

@testable import Server

/// `tinct serve --token`: who may listen where, and what a request must carry.
@Suite("Access token")
struct AccessTokenTests {
    static let secret = "0123456789abcdef-tinct-test"

    /// A loopback configuration that nevertheless requires the token (as `--token` does).
    static func guarded() throws -> ServerConfiguration {
        var configuration = ModelFixtures.configuration()
        configuration.accessToken = try AccessToken(secret)
        return configuration
    }

    @Test("Loopback addresses are told apart from everything else")
    func loopback() {
        for host in ["127.0.0.1", "127.0.1.1", "localhost", "LOCALHOST", "::1", "[::1]"] {
            #expect(NetworkExposure.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "127.0.0.1.example.com", "127.0.0", "1270.0.0.1", ""] {
            #expect(!NetworkExposure.isLoopback(host), "\(host)")
        }
    }

    @Test("Listening beyond loopback without a token is refused with a message saying what to do")
    func refusesOpenNetwork() async throws {
        var configuration = TestConfiguration.server()
        configuration.host = "0.0.0.0"
        let open = configuration
        let error = #expect(throws: ServerError.self) { try NetworkExposure.check(open) }
        #expect(error == .tokenRequired(host: "0.0.0.0"))
        let message = error?.description ?? ""
        #expect(message.contains("--token") && message.contains("TINCT_TOKEN") && message.contains("127.0.0.1"))
        await #expect(throws: ServerError.tokenRequired(host: "0.0.0.0")) {
            _ = try await buildApplication(configuration: open)
        }
        configuration.accessToken = try AccessToken(Self.secret)
        try NetworkExposure.check(configuration)
    }

    @Test("Tokens: 16–256 URL-safe characters, compared without regard to where they differ")
    func tokens() throws {
        #expect(throws: ServerError.self) { try AccessToken("short") }
        #expect(throws: ServerError.self) { try AccessToken(String(repeating: "a", count: 257)) }
        #expect(throws: ServerError.self) { try AccessToken("has spaces in it, sixteen+") }
        #expect(throws: ServerError.self) { try AccessToken("semi;colon=cookie-breaker") }
        let token = try AccessToken(Self.secret)
        #expect(token.matches(Self.secret))
        #expect(!token.matches(Self.secret + "x"))
        #expect(!token.matches(String(Self.secret.dropLast())))
        #expect(!token.matches(""))
        #expect(!token.matches("1123456789abcdef-tinct-test"))
        #expect(!"\(token)".contains(Self.secret))
        #expect(AccessToken.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEquals([1, 2, 3, 0], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEquals([], [0]))
    }

    @Test("Credentials are read from the header, the cookie and the query")
    func credentials() {
        #expect(PresentedCredentials.bearer("Bearer abc") == "abc")
        #expect(PresentedCredentials.bearer("bearer  abc") == "abc")
        #expect(PresentedCredentials.bearer("Basic abc") == nil)
        #expect(PresentedCredentials.cookie(named: "tinct_token", in: "a=1; tinct_token=xyz; b=2") == "xyz")
        #expect(PresentedCredentials.cookie(named: "tinct_token", in: "xtinct_token=xyz") == nil)
    }

    /// What the middleware after the token check (the request log among them) sees.
    final class SeenAddresses: @unchecked Sendable {
        private let lock = NSLock()
        private var addresses: [String] = []
        func add(_ address: String) { lock.withLock { addresses.append(address) } }
        var all: [String] { lock.withLock { addresses } }
    }

    struct RecordAddresses<Context: RequestContext>: RouterMiddleware {
        let seen: SeenAddresses
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            seen.add(request.uri.description)
            return try await next(request, context)
        }
    }

    @Test("A token sent to the open /healthz never reaches the middleware after the check (the request log)")
    func healthTokenNotLogged() async throws {
        let seen = SeenAddresses()
        let router = Router()
        router.add(middleware: AccessTokenMiddleware(token: try AccessToken(Self.secret)))
        router.add(middleware: RecordAddresses(seen: seen))
        router.get("/healthz") { _, _ in "ok" }
        router.get("/api/models") { _, _ in "[]" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz?token=\(Self.secret)&x=1", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/models?token=\(Self.secret)", method: .get) { #expect($0.status == .ok) }
        }
        #expect(seen.all.count == 2)
        #expect(seen.all.allSatisfy { !$0.contains(Self.secret) }, "\(seen.all)")
        #expect(seen.all.first == "/healthz?x=1")
    }

    @Test("Without a token the studio answers as before")
    func openOnLoopback() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            for uri in ["/", "/api/models", "/api/train/status", "/js/app.js"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
        }
    }

    @Test("With a token: only /healthz is open; header, cookie or query let a request in")
    func guardedRoutes() async throws {
        let app = try await buildApplication(configuration: Self.guarded())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            for (uri, method) in [
                ("/", HTTPRequest.Method.get), ("/train", .get), ("/js/app.js", .get), ("/api/models", .get),
                ("/api/train/status", .get), ("/api/train/stop", .post), ("/api/train/publish", .post), ("/api/colorize", .post),
                ("/ws/colorize", .get), ("/ws/train", .get)
            ] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri)")
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="tinct""#)
                    let message = try errorMessage(response)
                    #expect(message.hasPrefix("token: "), "\(uri)")
                    expectSecurityHeaders(response)
                }
            }
            try await client.execute(uri: "/api/models", method: .get, headers: [.authorization: "Bearer \(Self.secret)"]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/models", method: .get, headers: [.authorization: "Bearer \(Self.secret)x"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/models", method: .get, headers: [.cookie: "theme=dark; tinct_token=\(Self.secret)"]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/models?token=\(Self.secret)", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/models?token=wrong-wrong-wrong-wrong", method: .get) { #expect($0.status == .unauthorized) }
            // Training control with the token reaches the controller (409: nothing is running).
            try await client.execute(
                uri: "/api/train/stop", method: .post, headers: [.authorization: "Bearer \(Self.secret)", .contentType: "application/json"]
            ) {
                #expect($0.status == .conflict)
            }
        }
    }

    @Test("Opening a page with ?token= sets an HttpOnly cookie and redirects to the clean address")
    func browserLogin() async throws {
        let app = try await buildApplication(configuration: Self.guarded())
        try await app.test(.router) { client in
            try await client.execute(uri: "/train?token=\(Self.secret)&tab=runs", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/train?tab=runs")
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.hasPrefix("tinct_token=\(Self.secret);"))
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            }
            try await client.execute(uri: "/?token=not-the-right-token-at-all", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: "tinct_token=\(Self.secret)"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test("WebSockets need the token too: refused without, accepted by query, header or cookie")
    func guardedSockets() async throws {
        let app = try await buildApplication(configuration: Self.guarded())
        try await app.test(.live) { client in
            for path in ["/ws/colorize", "/ws/train"] {
                await #expect(throws: (any Error).self, "\(path) without a token") {
                    _ = try await client.ws(path) { _, _, _ in }
                }
                await #expect(throws: (any Error).self, "\(path) with a wrong token") {
                    _ = try await client.ws("\(path)?token=wrong-wrong-wrong-wrong") { _, _, _ in }
                }
                // Refused with 401 and the reason, as every other request without the token
                // (the WebSocket library alone would answer an empty 400).
                let port = try #require(client.port)
                for (query, wanted) in [("", "needs its access token"), ("?token=wrong-wrong-wrong-wrong", "is not this server's")] {
                    let refused = try await RawHTTPClient.refusedUpgrade(port: port, path: path + query, headers: ["Host: 127.0.0.1:\(port)"])
                    #expect(refused.status == 401, "\(path)\(query): \(refused.head)")
                    #expect(refused.body.contains("token: ") && refused.body.contains(wanted), "\(path)\(query): \(refused.body)")
                    #expect(refused.head.lowercased().contains("www-authenticate: bearer"), "\(path)\(query)")
                    #expect(refused.head.lowercased().contains("content-type: application/json"), "\(path)\(query)")
                }
                let ways: [(String, HTTPFields)] = [
                    ("\(path)?token=\(Self.secret)", [:]),
                    (path, [.authorization: "Bearer \(Self.secret)"]),
                    (path, [.cookie: "tinct_token=\(Self.secret)"])
                ]
                for (uri, headers) in ways {
                    _ = try await client.ws(uri, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers)) { inbound, outbound, _ in
                        // Both sockets answer a message that is not JSON with an error.
                        try await outbound.writeTextMessage("hello")
                        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        var text = ""
                        while !text.contains(#""type":"error""#) {
                            guard case .text(let next) = try await messages.next() else { break }
                            text = next
                        }
                        #expect(text.contains(#""type":"error""#), "\(uri) \(headers)")
                    }
                }
            }
        }
    }
}
