import Hummingbird
import HummingbirdWebSocket
import Logging

extension Router where Context == SocketRequestContext {
    /// Adds a WebSocket route at `path` as every socket of the server has one: an upgrade is
    /// taken only when `admission` admits it, the connection is counted in `gauge` while it
    /// lasts, and `session` runs it with a `SocketSender` that waits at most `sendTimeout` for
    /// the client to take each message.
    func addSocketRoute(
        _ path: RouterPath, admission: SocketAdmission, gauge: SocketGauge, sendTimeout: Duration,
        session: @escaping @Sendable (WebSocketInboundStream, SocketSender, Logger) async throws -> Void
    ) {
        ws(
            path,
            shouldUpgrade: { request, _ in
                try admission.admit(request)
                return .upgrade([:])
            }
        ) { inbound, outbound, context in
            let sender = SocketSender(
                outbound: outbound, channel: context.requestContext.channel, timeout: sendTimeout, gauge: gauge)
            gauge.connectionOpened()
            defer { gauge.connectionClosed() }
            try await session(inbound, sender, context.logger)
        }
    }
}
