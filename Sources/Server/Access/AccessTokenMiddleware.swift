import HTTPTypes
import Hummingbird

/// Lets a request through only when it carries the server's access token; installed only
/// when a token is configured (`tinct serve --token`), so a loopback studio is unchanged.
///
/// Everything except `GET /healthz` needs the token — pages, scripts, the API and the
/// WebSocket upgrades. A request may present it as `Authorization: Bearer <token>`, as the
/// `tinct_token` cookie, or as a `token` query parameter. Opening a page with
/// `?token=<token>` sets the cookie (HttpOnly, SameSite=Strict) and redirects to the same
/// address without it, so the browser's scripts and sockets then authenticate on their own
/// and the token leaves the address bar. The parameter is removed from the request before
/// it reaches later middleware, so request logs never show it.
struct AccessTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AccessToken

    /// The cookie a browser keeps the token in.
    static var cookieName: String { "tinct_token" }
    /// How long a browser keeps the cookie: 30 days.
    static var cookieMaxAge: Int { 30 * 24 * 3600 }
    /// Paths answered without the token (monitoring).
    static var openPaths: Set<String> { ["/healthz"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let credentials = PresentedCredentials(request, cookieName: Self.cookieName)
        // Open paths need no token, but one sent along must not reach the request log either.
        if Self.openPaths.contains(request.uri.path) { return try await next(credentials.requestWithoutToken, context) }
        if let fromQuery = credentials.queryToken {
            guard token.matches(fromQuery) else { throw Self.refusal(.unauthorized, "token: the token in the address is not this server's") }
            if request.method == .get, Self.isPage(request) {
                return Self.rememberInBrowser(fromQuery, redirectingTo: credentials.addressWithoutToken)
            }
            return try await next(credentials.requestWithoutToken, context)
        }
        if let presented = credentials.bearerToken ?? credentials.cookieToken {
            guard token.matches(presented) else { throw Self.refusal(.unauthorized, "token: the access token presented is not this server's") }
            return try await next(request, context)
        }
        throw Self.refusal(
            .unauthorized,
            "token: this Tinct server needs its access token; open /?token=<token> in the browser, "
                + "or send Authorization: Bearer <token>")
    }

    /// Browser pages, the only answers worth a redirect that sets the cookie.
    static func isPage(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == "/" || path == "/train"
    }

    /// `303` to `location`, setting the cookie.
    static func rememberInBrowser(_ token: Substring, redirectingTo location: String) -> Response {
        let cookie = "\(cookieName)=\(token); Path=/; Max-Age=\(cookieMaxAge); HttpOnly; SameSite=Strict"
        return Response(status: .seeOther, headers: [.location: location, .setCookie: cookie, .cacheControl: "no-store"])
    }

    /// A 401 that names the scheme, as RFC 9110 asks.
    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> TokenRefusal {
        TokenRefusal(error: APIError(status, message))
    }
}

/// A 401 JSON answer with `WWW-Authenticate: Bearer`.
struct TokenRefusal: HTTPResponseError {
    let error: APIError
    var status: HTTPResponse.Status { error.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try error.response(from: request, context: context)
        response.headers[.wwwAuthenticate] = #"Bearer realm="tinct""#
        return response
    }
}
