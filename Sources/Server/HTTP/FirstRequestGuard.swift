import Foundation
import HummingbirdCore
import Logging
import NIOCore

/// Guards a new connection until its first request head has arrived whole, in front of the
/// HTTP decoder. Hummingbird's idle timeout starts only once a first head has been decoded,
/// and malformed heads get no answer, so without this a client could hold a connection (and
/// a file descriptor) forever with a half-sent request line, and garbage would be met with
/// silence. Here:
/// - the head must be complete within `deadline` (else `408` and the connection is closed),
///   and at most `maxHeadBytes` long (else `431`);
/// - its request line must read `METHOD target HTTP/1.x`, and every `Content-Length` must
///   be a plain non-negative number (else `400`).
/// A head that passes is handed on whole and the handler lets everything after it through.
/// It also counts the open connections: one opened while `connections` is at its limit is
/// answered `503` at once and closed, a clear refusal rather than a silent wait.
final class FirstRequestGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let deadline: TimeAmount
    let maxHeadBytes: Int
    let connections: ConnectionCounter
    private var pending: ByteBuffer?
    private var passing = false
    private var counted = false
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount, connections: ConnectionCounter, maxHeadBytes: Int = 64 << 10) {
        (self.deadline, self.connections, self.maxHeadBytes) = (deadline, connections, maxHeadBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted { connections.closed() }
        counted = false
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        if counted { connections.closed() }
        counted = false
    }

    /// Counts the connection, refusing it when the server is full; starts the head's clock.
    private func opened(_ context: ChannelHandlerContext) {
        guard !counted, !passing else { return }
        guard connections.open() else {
            return refuse(
                context, APIError(.serviceUnavailable, "request: the server has \(connections.limit) connections open; try again", retryAfter: 1))
        }
        counted = true
        startTimer(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if passing { return context.fireChannelRead(data) }
        var incoming = unwrapInboundIn(data)
        if pending == nil { pending = incoming } else { pending!.writeBuffer(&incoming) }
        guard let buffered = pending else { return }
        let bytes = buffered.readableBytesView
        guard let end = Self.endOfHead(bytes) else {
            if bytes.count > maxHeadBytes { refuse(context, APIError(.requestHeaderFieldsTooLarge, "request: the request head is too long")) }
            return
        }
        if let problem = Self.problem(inHead: bytes.prefix(end)) { return refuse(context, APIError(.badRequest, "request: \(problem)")) }
        timer?.cancel()
        timer = nil
        passing = true
        pending = nil
        context.fireChannelRead(wrapInboundOut(buffered))
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard timer == nil, !passing else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            let (handler, context) = loopBound.value
            if !handler.passing { handler.refuse(context, APIError(.requestTimeout, "request: the request did not arrive in time")) }
        }
    }

    /// Answers with `error` (status and JSON body), then closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ error: APIError) {
        passing = true  // nothing more is read or answered
        pending = nil
        timer?.cancel()
        context.writeAndFlush(wrapOutboundOut(RawHTTPAnswer.bytes(of: error))).whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// The offset just past the blank line that ends the head, if it has arrived.
    static func endOfHead(_ bytes: ByteBufferView) -> Int? {
        var index = bytes.startIndex
        var matched = 0
        let pattern: [UInt8] = [13, 10, 13, 10]
        while index < bytes.endIndex {
            matched = bytes[index] == pattern[matched] ? matched + 1 : (bytes[index] == 13 ? 1 : 0)
            index += 1
            if matched == 4 { return index - bytes.startIndex }
        }
        return nil
    }

    /// What is wrong with a request head (without its final blank line), or nil.
    static func problem(inHead head: ByteBufferView.SubSequence) -> String? {
        let text = String(decoding: head, as: UTF8.self)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        // A client may send empty lines before the request line (RFC 9112 §2.2).
        guard let requestLine = lines.first(where: { !$0.isEmpty }) else { return "empty request" }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && ($0.isUppercase || $0 == "-") }),
            !parts[1].isEmpty, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0"
        else { return "the request line is not METHOD TARGET HTTP/1.1" }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard line[..<colon].lowercased() == "content-length" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return "Content-Length must be a non-negative number"
            }
        }
        return nil
    }
}

/// Open connections, against a limit, shared by every connection's guard.
final class ConnectionCounter: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var count = 0

    init(limit: Int) { self.limit = limit }

    /// Counts one more connection; false (nothing counted) when `limit` are open.
    func open() -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func closed() { lock.withLock { count -= 1 } }
}
