import Foundation
import HTTPTypes
import Hummingbird

/// Refuses requests that a web page on another site could make the user's browser send to
/// this server (see `SiteBoundary` for what counts as this server's own):
/// - any request whose `Host` is not one of the server's names (DNS rebinding): 403;
/// - a request that changes state (any method but GET, HEAD and OPTIONS) carrying an `Origin`
///   other than the server's own, or `Sec-Fetch-Site: cross-site` / `same-site`: 403;
/// - such a request to `/api/` whose body is not declared `application/json` (a page can post
///   `text/plain` without asking the server first; JSON needs a CORS preflight, which this
///   server never grants): 415.
/// Clients that are not browsers (the CLI, curl, scripts) send no `Origin` and pass.
struct CrossSiteGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let boundary: SiteBoundary

    /// Set by browsers on every request: where the page that caused it comes from.
    static var secFetchSite: HTTPField.Name { HTTPField.Name("Sec-Fetch-Site")! }

    /// Methods that only read (RFC 9110 "safe" methods).
    static var readOnlyMethods: Set<HTTPRequest.Method> { [.get, .head, .options] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority, !authority.isEmpty else {
            throw APIError(.badRequest, "host: the request has no Host header")
        }
        guard boundary.acceptsHost(authority) else {
            throw APIError(
                .forbidden,
                "host: this Tinct server does not answer to \"\(SiteBoundary.hostName(ofAuthority: authority))\"; "
                    + "open it as http://127.0.0.1 or http://localhost, or start it with --allowed-host NAME")
        }
        if !Self.readOnlyMethods.contains(request.method) {
            if let origin = request.headers[.origin], !SiteBoundary.isSameOrigin(origin, authority: authority) {
                throw APIError(.forbidden, "origin: requests from pages on other sites (\(origin)) are refused")
            }
            if let site = request.headers[Self.secFetchSite], site == "cross-site" || site == "same-site" {
                throw APIError(.forbidden, "origin: requests from pages on other sites are refused")
            }
            if request.uri.path.hasPrefix("/api/"), !Self.declaresJSON(request) {
                throw APIError(.unsupportedMediaType, "body: send it as JSON with Content-Type: application/json")
            }
        }
        return try await next(request, context)
    }

    /// Whether `Content-Type` is `application/json` (parameters such as `charset` allowed).
    static func declaresJSON(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType] else { return false }
        let essence = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return essence.lowercased() == "application/json"
    }
}
