import HummingbirdCore
import Logging
import NIOCore

/// The HTTP/WebSocket child channel with Tinct's connection guards in front of it, closest to
/// the socket first:
/// - `UpgradeRefusalHandler`: a refused WebSocket upgrade gets the answer Tinct chose (401,
///   403, 503 with a reason) instead of the WebSocket library's empty 400;
/// - `FirstRequestGuardHandler`: the first request head must arrive whole, well formed and in
///   time, and the connection count stays within its limit;
/// - `WebSocketMessageDeadlineHandler`: once upgraded, a message must arrive whole in time.
struct GuardedChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    /// The HTTP/WebSocket channel the guards sit in front of.
    let base: Base
    /// How long a new connection has to send its first request head.
    let firstHeadDeadline: TimeAmount
    /// The open connections, shared by every connection's guard.
    let connections: ConnectionCounter
    /// How long a WebSocket message may take from its first byte to its last.
    let webSocketMessageDeadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(UpgradeRefusalHandler())
            try pipeline.addHandler(FirstRequestGuardHandler(deadline: firstHeadDeadline, connections: connections))
            try pipeline.addHandler(WebSocketMessageDeadlineHandler(deadline: webSocketMessageDeadline, logger: logger))
        }.flatMap { base.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async { await base.handle(value: value, logger: logger) }
}
