import Foundation
import Logging
import NIOCore

/// Closes a WebSocket connection whose client leaves a message unfinished: a fragmented
/// message whose last fragment does not come, or a frame whose payload stops part-way.
///
/// Until it is whole, such a message is held by the server (the frame decoder keeps a partial
/// frame, the WebSocket library the fragments so far), up to the 20 MiB message limit per
/// socket; pings do not end it, since a client that answers them is alive. So a message must
/// arrive whole within `deadline` of its first byte; otherwise the client gets a close frame
/// (1008, policy violation) and the connection is closed, which frees what it held.
///
/// Sits in front of the HTTP decoder, behind `FirstRequestGuardHandler` (so its first read
/// holds the whole first request head). A connection whose first request asks for a WebSocket
/// carries frames after that head (a client may not send anything else: RFC 6455 §4.1, and a
/// refused upgrade is closed); any other connection is left alone.
final class WebSocketMessageDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a message may take from its first byte to its last.
    let deadline: TimeAmount
    /// Where a closed connection is noted.
    let logger: Logger
    private var sawFirstHead = false
    /// Set when the first request asks for a WebSocket.
    private var frames: WebSocketFrameTracker?
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount, logger: Logger) {
        (self.deadline, self.logger) = (deadline, logger)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytesView
        if !sawFirstHead {
            sawFirstHead = true
            if let end = FirstRequestGuardHandler.endOfHead(bytes), Self.asksForWebSocket(bytes.prefix(end)) {
                frames = WebSocketFrameTracker()
                frames?.consume(bytes.dropFirst(end))
            }
        } else {
            frames?.consume(bytes)
        }
        if frames?.isMidMessage == true {
            startTimer(context)
        } else {
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { timer?.cancel() }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            let (handler, context) = loopBound.value
            handler.closeUnfinished(context)
        }
    }

    /// Tells the client why (close code 1008) and closes the connection.
    private func closeUnfinished(_ context: ChannelHandlerContext) {
        let seconds = deadline.nanoseconds / 1_000_000_000
        logger.notice("Closed a WebSocket whose message did not arrive whole within \(seconds) s")
        let reason = Array("a message must arrive whole within \(seconds) s".utf8.prefix(123))
        // An unmasked close frame: FIN + opcode 8, payload = code 1008 then the reason.
        let frame: [UInt8] = [0x88, UInt8(2 + reason.count), 0x03, 0xF0] + reason
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: frame)), promise: nil)
        context.close(promise: nil)
    }

    /// Whether a request head asks for a WebSocket (`Upgrade: websocket`).
    static func asksForWebSocket(_ head: ByteBufferView.SubSequence) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        return text.split(separator: "\r\n").dropFirst().contains { line in
            guard let colon = line.firstIndex(of: ":") else { return false }
            return line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "upgrade"
                && line[line.index(after: colon)...].lowercased().contains("websocket")
        }
    }
}
