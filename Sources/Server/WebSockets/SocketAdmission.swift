import Hummingbird

/// Which WebSocket upgrades `/ws/colorize` and `/ws/train` take, and why the others are refused.
///
/// An upgrade is taken when it comes from the server's own pages (a browser always sends
/// `Origin`; it must be the server's own origin, port included — see `SiteBoundary`; clients
/// without `Origin` are not browsers and pass) and fewer than `maxSockets` sockets are open:
/// each socket may hold a message of up to the body limit while it arrives, so their number
/// bounds that memory. A refusal is an `APIError` (403 for another origin, 503 past the cap),
/// sent to the client by `UpgradeRefusalMiddleware`.
struct SocketAdmission: Sendable {
    let gauge: SocketGauge
    let maxSockets: Int

    /// Returns when `request` may be upgraded.
    /// - Throws: 403 `origin: …` for a page on another origin, 503 `sockets: …` past the cap.
    func admit(_ request: Request) throws(APIError) {
        if !Self.isSameOrigin(request) {
            throw APIError(
                .forbidden, "origin: WebSocket connections from pages on other sites (\(request.headers[.origin] ?? "")) are refused")
        }
        if gauge.openConnections >= maxSockets {
            throw APIError(
                .serviceUnavailable, "sockets: \(maxSockets) WebSockets are open, the most this server keeps; try again when one closes",
                retryAfter: 1)
        }
    }

    /// Whether the upgrade comes from the server's own origin (or from a client that is not a browser).
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let authority = request.head.authority else { return false }
        return SiteBoundary.isSameOrigin(origin, authority: authority)
    }
}
