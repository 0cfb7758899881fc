import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// What a page on another site can make the user's browser send, over real sockets: the
/// requests are written byte for byte as Chromium sends them (see also
/// Tests/Browser/test_cross_site.py, which sends them from a real page on another port).
@Suite("Cross-site requests and foreign Host names")
struct CrossSiteTests {
    /// `fetch(url, {method: "POST", mode: "no-cors", body})` from http://evil.example.
    static func noCorsPost(port: Int, path: String, body: String, host: String? = nil, origin: String) async throws -> RawHTTPClient.Answer {
        try await RawHTTPClient.post(
            port: port, path: path,
            headers: [
                "Host: \(host ?? "127.0.0.1:\(port)")", "Origin: \(origin)", "Content-Type: text/plain;charset=UTF-8",
                "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"
            ],
            body: body)
    }

    @Test("A page on another site cannot start a run or publish over a shipped model")
    func crossSitePost() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let start = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":2}"#
            for origin in ["http://evil.example", "http://127.0.0.1:\(port + 1)", "null"] {
                let answer = try await Self.noCorsPost(port: port, path: "/api/train/start", body: start, origin: origin)
                #expect(answer.status == 403, "\(origin): \(answer.head)")
                #expect(answer.body.contains("origin: "), "\(origin)")
            }
            let publish = try await Self.noCorsPost(
                port: port, path: "/api/train/publish", body: #"{"run":"x","name":"default-lineart","replace":true}"#,
                origin: "http://evil.example")
            #expect(publish.status == 403)
            // Same site, other port, JSON declared: still another origin.
            let otherPort = try await RawHTTPClient.post(
                port: port, path: "/api/train/start",
                headers: ["Host: 127.0.0.1:\(port)", "Origin: http://127.0.0.1:\(port + 1)", "Content-Type: application/json"],
                body: start)
            #expect(otherPort.status == 403)
            // Without an Origin (curl, a script), a text/plain body is still not taken as JSON.
            let plain = try await RawHTTPClient.post(
                port: port, path: "/api/train/start", headers: ["Host: 127.0.0.1:\(port)", "Content-Type: text/plain"], body: start)
            #expect(plain.status == 415, "\(plain.head)")
            #expect(try await client.trainingStatus().state == .idle)
            // The page itself, same origin and JSON: accepted.
            let own = try await RawHTTPClient.post(
                port: port, path: "/api/train/start",
                headers: [
                    "Host: 127.0.0.1:\(port)", "Origin: http://127.0.0.1:\(port)", "Content-Type: application/json",
                    "Sec-Fetch-Site: same-origin"
                ],
                body: start)
            #expect(own.status == 200, "\(own.head)")
            _ = try await client.waitForIdle()
        }
    }

    @Test("A foreign Host (DNS rebinding) gets 403 on every path; loopback names and --allowed-host pass")
    func foreignHost() async throws {
        var configuration = TestConfiguration.server()
        configuration.allowedHosts = ["studio.lan"]
        let app = try await buildApplication(configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for path in ["/", "/api/models", "/api/train/status", "/js/app.js", "/healthz"] {
                let answer = try await RawHTTPClient.get(port: port, path: path, headers: ["Host: evil.example:\(port)"])
                #expect(answer.status == 403, "\(path): \(answer.head)")
            }
            let rebound = try await RawHTTPClient.post(
                port: port, path: "/api/colorize",
                headers: ["Host: evil.example:\(port)", "Origin: http://evil.example:\(port)", "Content-Type: application/json"],
                body: "{}")
            #expect(rebound.status == 403 && rebound.body.contains("host: "))
            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "[::1]:\(port)", "studio.lan:\(port)"] {
                let answer = try await RawHTTPClient.get(port: port, path: "/api/models", headers: ["Host: \(host)"])
                #expect(answer.status == 200, "\(host): \(answer.head)")
            }
            let noHost = try await RawHTTPClient.exchange(port: port, request: Array("GET /api/models HTTP/1.1\r\nConnection: close\r\n\r\n".utf8))
            #expect(noHost.status == 400)
        }
    }

    @Test("WebSocket upgrades from another origin (another port included) or host are refused with 403 and the reason")
    func socketOrigin() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func upgrade(origin: String?, host: String) async throws -> Int {
                var headers = [
                    "Host: \(host)", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"
                ]
                if let origin { headers.append("Origin: \(origin)") }
                let head = (["GET /ws/colorize HTTP/1.1"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
                return try await RawHTTPClient.exchangeHead(port: port, request: Array(head.utf8))
            }
            #expect(try await upgrade(origin: "http://127.0.0.1:\(port)", host: "127.0.0.1:\(port)") == 101)
            #expect(try await upgrade(origin: nil, host: "127.0.0.1:\(port)") == 101)
            // Refused with 403 and the reason: another origin (another port included), a foreign Host.
            let refusals = [
                ("http://127.0.0.1:\(port + 1)", "127.0.0.1:\(port)", "origin: "),
                ("http://evil.example", "127.0.0.1:\(port)", "origin: "),
                ("http://evil.example:\(port)", "evil.example:\(port)", "host: ")
            ]
            for (origin, host, reason) in refusals {
                for path in ["/ws/colorize", "/ws/train"] {
                    let refused = try await RawHTTPClient.refusedUpgrade(port: port, path: path, headers: ["Host: \(host)", "Origin: \(origin)"])
                    #expect(refused.status == 403, "\(path) from \(origin): \(refused.head)")
                    #expect(refused.body.hasPrefix(#"{"error":"\#(reason)"#), "\(path) from \(origin): \(refused.body)")
                }
            }
            // An unknown path is not found, not an empty 400.
            let unknown = try await RawHTTPClient.refusedUpgrade(port: port, path: "/ws/nothing", headers: ["Host: 127.0.0.1:\(port)"])
            #expect(unknown.status == 404, "\(unknown.head)")
        }
    }

    @Test("Past the WebSocket cap an upgrade is refused with 503; once a socket closes, the next is taken")
    func socketCap() async throws {
        var configuration = TestConfiguration.server()
        configuration.connections.maxWebSockets = 2
        let app = try await buildApplication(configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Opened on threads of their own: a blocking handshake on the cooperative pool would
            // starve the server's handlers (and other suites') of the threads they need.
            var sockets: [RawWebSocketClient]? = [
                try await RawHTTPClient.onOwnThread { try RawWebSocketClient(port: port, path: "/ws/train") },
                try await RawHTTPClient.onOwnThread { try RawWebSocketClient(port: port, path: "/ws/train") }
            ]
            let head =
                "GET /ws/colorize HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            let refused = try await RawHTTPClient.refusedUpgrade(port: port, path: "/ws/colorize", headers: ["Host: 127.0.0.1:\(port)"])
            #expect(refused.status == 503, "\(refused.head)")
            #expect(refused.head.lowercased().contains("retry-after: 1"))
            #expect(refused.body.contains("sockets: 2 WebSockets are open"), "\(refused.body)")
            #expect(sockets?.count == 2)
            sockets = nil  // both close
            var accepted = false
            for _ in 0..<50 where !accepted {
                accepted = try await RawHTTPClient.exchangeHead(port: port, request: Array(head.utf8)) == 101
                if !accepted { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(accepted, "no socket was taken after the others closed")
        }
    }

    @Test(
        "Same-origin rules",
        arguments: [
            ("http://127.0.0.1:8080", "127.0.0.1:8080", true),
            ("http://localhost:8080", "localhost:8080", true),
            ("http://[::1]:8080", "[::1]:8080", true),
            ("http://example.org", "example.org", true),
            ("http://127.0.0.1:8081", "127.0.0.1:8080", false),
            ("http://127.0.0.1", "127.0.0.1:8080", false),
            ("http://localhost:8080", "127.0.0.1:8080", false),
            ("null", "127.0.0.1:8080", false),
            ("file://", "127.0.0.1:8080", false),
            ("chrome-extension://abc", "127.0.0.1:8080", false),
            ("ws://localhost", "localhost:8080", true),
            ("ws://evil.example", "localhost:8080", false),
            ("http://evil.example:8080", "127.0.0.1:8080", false)
        ])
    func sameOrigin(origin: String, authority: String, same: Bool) {
        #expect(SiteBoundary.isSameOrigin(origin, authority: authority) == same)
    }

    @Test("Host names accepted by listening address")
    func boundary() {
        let loopback = SiteBoundary(listeningHost: "127.0.0.1")
        #expect(loopback.acceptsHost("localhost:1") && loopback.acceptsHost("127.0.0.1") && loopback.acceptsHost("[::1]:80"))
        #expect(!loopback.acceptsHost("evil.example") && !loopback.acceptsHost("127.0.0.2:80") && !loopback.acceptsHost(""))
        let lan = SiteBoundary(listeningHost: "192.0.2.7", extraNames: ["Studio.Example"])
        #expect(lan.acceptsHost("192.0.2.7:8080") && lan.acceptsHost("studio.example"))
        #expect(!lan.acceptsHost("localhost") && !lan.acceptsHost("evil.example"))
        #expect(SiteBoundary(listeningHost: "0.0.0.0").acceptsHost("anything.example"))
    }
}
