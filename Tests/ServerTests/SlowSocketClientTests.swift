import Foundation
import Hummingbird
import HummingbirdTesting
import Pix2Pix
import Testing

@testable import Server

/// Clients that stop reading must not make the server buffer without bound, and are
/// disconnected once a write has waited `webSocketSendTimeout`.
@Suite("WebSocket clients that never read", .serialized)
struct SlowSocketClientTests {
    static let sendTimeout: Duration = .seconds(1)

    /// Polls `condition` until it holds or `seconds` pass.
    static func eventually(within seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test("/ws/colorize: a client that sends without ever reading has at most two replies pending, then it is dropped")
    func colorizeFlood() async throws {
        var configuration = ModelFixtures.configuration()
        configuration.webSocketSendTimeout = Self.sendTimeout
        let gauge = SocketGauge()
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        let app = try await buildApplication(configuration: configuration, inference: inference, socketGauge: gauge)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let raw = try RawWebSocketClient(port: port, path: "/ws/colorize")
            // Each message is answered with an error quoting 40 characters of it (about 150
            // bytes). The client sends until the server hangs up: first the replies fill the
            // socket buffers and the server's writes stall, then the server stops reading, then
            // after the send timeout it closes the connection and the next send fails.
            let filler = String(repeating: "x", count: 40)
            let deadline = Date().addingTimeInterval(60)
            var sent = 0
            while raw.sendText(#"{"type":"\#(filler)","version":1,"id":\#(sent)}"#, until: deadline) { sent += 1 }
            #expect(Date() < deadline, "the server never closed the connection (\(sent) messages sent)")
            #expect(sent > 1000, "the server read almost nothing")
            #expect(gauge.peakPendingMessages <= 2, "peak \(gauge.peakPendingMessages) replies pending")
            #expect(try await Self.eventually(within: 10) { gauge.openConnections == 0 }, "the stalled client is still connected")
            #expect(gauge.stalledConnections == 1)
            #expect(gauge.pendingMessages == 0)
            #expect(raw.serverClosed(within: 5))
            // The server still answers — on a new connection: under a loaded machine the flood
            // can outlast the server's idle timeout, which closes the test client's own one.
            #expect(try await RawHTTPClient.get(port: port, path: "/healthz", headers: ["Host: 127.0.0.1"]).status == 200)
        }
    }

    @Test("/ws/train: a client that never reads holds at most its queue's capacity, then it is dropped")
    func trainingFlood() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        var configuration = fixture.configuration
        // Longer than the flood below takes in a debug build, so the backlog is measured full.
        configuration.webSocketSendTimeout = .seconds(3)
        let gauge = SocketGauge()
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        let training = TrainingService(configuration: configuration, inference: inference)
        let app = try await buildApplication(configuration: configuration, inference: inference, training: training, socketGauge: gauge)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let raw = try RawWebSocketClient(port: port, path: "/ws/train")
            #expect(try await Self.eventually(within: 5) { training.subscriberCount == 1 })
            // A long run's worth of events, as fast as the trainer could report them: progress
            // (replaceable) and warnings of 4 KB (not replaceable) — 20 MB in all, more than the
            // kernel's socket buffers take (they grow to a few megabytes on loopback).
            let note = String(repeating: "disk almost full ", count: 240)
            var largestBacklog = 0
            for step in 1...5_000 {
                training.receive(TrainingServicePartsTests.progress(step))
                training.receive(.warning(message: "\(step): \(note)"))
                if step % 100 == 0 {
                    largestBacklog = max(largestBacklog, training.subscriberBacklogs.first ?? 0)
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            largestBacklog = max(largestBacklog, training.subscriberBacklogs.first ?? 0)
            #expect(largestBacklog <= 256, "backlog reached \(largestBacklog)")
            #expect(largestBacklog > 100, "the client's writes never stalled (backlog \(largestBacklog)); the test proves nothing")
            #expect(gauge.peakPendingMessages <= 1)
            #expect(try await Self.eventually(within: 10) { training.subscriberCount == 0 }, "the stalled client is still subscribed")
            #expect(gauge.stalledConnections == 1 && gauge.openConnections == 0)
            #expect(raw.serverClosed(within: 5))
            _ = raw
        }
    }
}
