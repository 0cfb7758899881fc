import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// A WebSocket message left unfinished — its last fragment never sent, or a frame whose payload
/// stops part-way — is held by the server until it is whole, so it must not be held forever:
/// over real sockets, such a connection is closed after the message timeout (1 s here), even
/// while the client keeps sending pings, and a connection between messages is left open.
@Suite("Unfinished WebSocket messages")
struct UnfinishedSocketMessageTests {
    /// A server whose WebSocket messages must arrive whole within 1 s, and its socket gauge.
    static func app() async throws -> (some ApplicationProtocol, SocketGauge) {
        var configuration = TestConfiguration.server()
        configuration.connections.webSocketMessageTimeout = .seconds(1)
        let gauge = SocketGauge()
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        return (try await buildApplication(configuration: configuration, inference: inference, socketGauge: gauge), gauge)
    }

    /// A client upgraded on a thread of its own (a blocking handshake on the cooperative pool
    /// would starve the server's handlers).
    static func connect(port: Int, path: String) async throws -> RawWebSocketClient {
        try await RawHTTPClient.onOwnThread { try RawWebSocketClient(port: port, path: path) }
    }

    @Test("A fragmented message whose last fragment never comes closes the socket, pings or not", arguments: ["/ws/colorize", "/ws/train"])
    func unfinishedFragments(path: String) async throws {
        let (app, gauge) = try await Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let socket = try await Self.connect(port: port, path: path)
            // The first fragment of a text message (small enough for /ws/train's 4 KiB limit).
            let fragment = Array(#"{"type":"ping","version":1,"padding":""#.utf8) + [UInt8](repeating: 0x61, count: 2000)
            let closed = try await RawHTTPClient.onOwnThread {
                let deadline = Date().addingTimeInterval(20)
                guard socket.sendFrame(opcode: 0x1, fin: false, payload: fragment, until: deadline) else { return false }
                // Pings between fragments are allowed and keep the connection alive; they must
                // not keep the unfinished message alive.
                for _ in 0..<40 {
                    guard socket.sendFrame(opcode: 0x9, fin: true, payload: [1, 2, 3], until: deadline) else { return true }
                    if socket.serverClosed(within: 0.5) { return true }
                }
                return false
            }
            #expect(closed, "the connection holding half a message was not closed within 20 s")
            #expect(try await SlowSocketClientTests.eventually(within: 10) { gauge.openConnections == 0 }, "its session did not end")
        }
    }

    @Test("A frame whose payload stops part-way closes the socket", arguments: ["/ws/colorize", "/ws/train"])
    func stalledFrame(path: String) async throws {
        let (app, gauge) = try await Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let socket = try await Self.connect(port: port, path: path)
            // A frame announcing 1 MiB (under the frame limit) of which 64 KiB arrive.
            let payload = [UInt8](repeating: 0x61, count: 1 << 20)
            let closed = try await RawHTTPClient.onOwnThread {
                guard socket.sendFrame(opcode: 0x1, fin: true, payload: payload, payloadSent: 64 << 10, until: Date().addingTimeInterval(10))
                else { return true }
                return socket.serverClosed(within: 20)
            }
            #expect(closed, "the connection holding part of a frame was not closed within 20 s")
            #expect(try await SlowSocketClientTests.eventually(within: 10) { gauge.openConnections == 0 }, "its session did not end")
        }
    }

    @Test("A socket between messages stays open past the message timeout")
    func idleBetweenMessages() async throws {
        let (app, gauge) = try await Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let socket = try await Self.connect(port: port, path: "/ws/train")
            let stillOpen = try await RawHTTPClient.onOwnThread {
                // A message in two fragments, then nothing: the message is whole.
                let deadline = Date().addingTimeInterval(10)
                let first = Array(#"{"type":"pi"#.utf8)
                let last = Array(#"ng","version":1}"#.utf8)
                guard socket.sendFrame(opcode: 0x1, fin: false, payload: first, until: deadline),
                    socket.sendFrame(opcode: 0x0, fin: true, payload: last, until: deadline)
                else { return false }
                // Four times the timeout: a slow machine could only make a close come later.
                return !socket.serverClosed(within: 4)
            }
            #expect(stillOpen, "a socket with no message under way was closed")
            #expect(gauge.openConnections == 1)
        }
    }
}
