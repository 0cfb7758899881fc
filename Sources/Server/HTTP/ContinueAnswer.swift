import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request head that carries `Expect: 100-continue` with `100 Continue` at once, so
/// the client sends its body without waiting: curl asks this for every body over 1 MB and,
/// unanswered, waits a second before sending it anyway (browsers never ask). The request then
/// goes on as any other and gets its final answer (an error included) from the routes; the
/// body is read, or refused, exactly as without the header. Sits after the HTTP/1 decoding, on
/// connections that did not become WebSockets.
final class ContinueAnswerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data),
            request.headerFields[.expect]?.lowercased() == "100-continue"
        {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
