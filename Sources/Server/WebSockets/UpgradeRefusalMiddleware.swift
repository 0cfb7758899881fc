import Hummingbird

/// The outermost middleware of the WebSocket router: an upgrade request it does not take
/// (any answer but the `200` that means "upgrade") is answered with that answer — the token
/// middleware's `401`, the cross-site guard's `403`, `SocketAdmission`'s `403` or `503`, a
/// `404` for an unknown path — through `UpgradeRefusalHandler`, instead of the WebSocket
/// library's empty `400`. Errors must already be rendered as responses
/// (`SecurityHeadersMiddleware`, next in line, does that).
struct UpgradeRefusalMiddleware: RouterMiddleware {
    typealias Context = SocketRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard response.status != .ok else { return response }
        context.logger.notice(
            "Refused a WebSocket upgrade", metadata: ["path": "\(request.uri.path)", "status": "\(response.status.code)"])
        await UpgradeRefusalHandler.send(try await RawHTTPAnswer.bytes(of: response), on: context.channel)
        return response
    }
}
