import NIOCore

/// Gives a refused WebSocket upgrade the answer Tinct chose.
///
/// The WebSocket library answers every upgrade it does not perform with an empty `400` and no
/// reason. `UpgradeRefusalMiddleware` hands this handler, which sits next to the socket, the
/// real answer (`401` without the token, `403` from another origin or host, `503` past the
/// socket cap, each with a JSON reason); it is written at once, whatever the library writes
/// afterwards is dropped, and the library's close of the connection waits for the answer.
final class UpgradeRefusalHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = Any
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?
    /// Completes when the answer has been written; set once one is sent.
    private var answered: EventLoopFuture<Void>?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes `answer` straight to the socket; on the channel's event loop. The library
    /// closes the connection after its own answer (dropped here), once this one is out.
    func send(_ answer: ByteBuffer) {
        guard let context, answered == nil else { return }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(answer), promise: written)
        answered = written.futureResult
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if answered != nil {
            promise?.succeed()  // the library's empty 400, dropped
        } else {
            context.write(data, promise: promise)
        }
    }

    func flush(context: ChannelHandlerContext) {
        if answered == nil { context.flush() }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // The library closes right after its own answer: let ours reach the client first.
        guard let answered else { return context.close(mode: mode, promise: promise) }
        answered.assumeIsolated().whenComplete { _ in context.close(mode: mode, promise: promise) }
    }

    /// Sends `answer` on `channel`'s refusal handler; without one (a channel not set up by
    /// `GuardedChildChannel`) the library's own answer stands.
    static func send(_ answer: ByteBuffer, on channel: any Channel) async {
        try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: UpgradeRefusalHandler.self).send(answer)
        }.get()
    }
}
