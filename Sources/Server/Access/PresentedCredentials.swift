import HTTPTypes
import Hummingbird

/// The tokens a request carries, wherever it put them, and the request without its
/// `token` query parameter.
struct PresentedCredentials {
    let request: Request
    /// From `Authorization: Bearer <token>`.
    let bearerToken: Substring?
    /// From the cookie named by the middleware.
    let cookieToken: Substring?
    /// From the `token` query parameter (`?token=` in a page address or a WebSocket URL).
    let queryToken: Substring?

    init(_ request: Request, cookieName: String) {
        self.request = request
        bearerToken = request.headers[.authorization].flatMap(Self.bearer)
        cookieToken = request.headers[values: .cookie].lazy.compactMap { Self.cookie(named: cookieName, in: $0) }.first
        queryToken = request.uri.queryParameters["token"]
    }

    /// `Bearer abc` → `abc` (the scheme is case-insensitive).
    static func bearer(_ value: String) -> Substring? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].drop { $0 == " " }
    }

    /// The value of cookie `name` in a `Cookie:` header (`a=1; name=value`).
    static func cookie(named name: String, in header: String) -> Substring? {
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
            return trimmed[trimmed.index(after: equals)...]
        }
        return nil
    }

    /// The request's path and query with every `token` parameter removed.
    var addressWithoutToken: String {
        let path = request.uri.path
        guard let query = request.uri.query else { return path }
        let kept = query.split(separator: "&").filter { !($0 == "token" || $0.hasPrefix("token=")) }
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }

    /// The same request, its address without the token (so logs and handlers never see it).
    var requestWithoutToken: Request {
        var head = request.head
        head.path = addressWithoutToken
        return Request(head: head, body: request.body)
    }
}
