import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The client stopped reading: a write did not complete within `SocketSender.timeout`.
struct SocketStalled: Error, CustomStringConvertible {
    let timeout: Duration
    var description: String { "the client read nothing for \(timeout); connection closed" }
}

/// Writes a connection's messages and drops the connection when its client stops reading.
///
/// Every write waits for room (NIO stops accepting data once its buffer and the kernel's are
/// full), so a session never piles up messages for a slow client: at most the one being
/// written per task. A write still waiting after `timeout` means the client is gone or not
/// reading; the connection is then closed, which ends the session and frees what it holds
/// (a colorize session keeps its decoded picture). A vanished client that was idle is found
/// by the WebSocket auto-ping instead.
struct SocketSender: Sendable {
    let outbound: WebSocketOutboundWriter
    let channel: any Channel
    let timeout: Duration
    let gauge: SocketGauge

    /// Sends one text message.
    /// - Throws: `SocketStalled` after closing the connection, or the write's own error.
    func send(_ text: String) async throws {
        gauge.messageQueued()
        defer { gauge.messageDone() }
        let written = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await outbound.writeTextMessage(text)
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), first else {
                // Closing fails the stuck write, so the group can finish.
                channel.close(mode: .all, promise: nil)
                return false
            }
            return true
        }
        if !written {
            gauge.connectionStalled()
            throw SocketStalled(timeout: timeout)
        }
    }

    /// Starts the closing handshake with `code` (the session should then return).
    func close(_ code: WebSocketErrorCode, reason: String) async {
        try? await outbound.close(code, reason: reason)
    }
}

extension WebSocketMessage {
    /// The message's size in bytes.
    var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let buffer): buffer.readableBytes
        }
    }
}
