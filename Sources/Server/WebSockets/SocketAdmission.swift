import Hummingbird
import Logging

/// Which WebSocket upgrades `/ws/colorize` and `/ws/train` take, and what a refused one is told.
///
/// An upgrade is taken when it comes from the server's own pages (a browser always sends
/// `Origin`; it must be the server's own origin, port included — see `SiteBoundary`; clients
/// without `Origin` are not browsers and pass) and fewer than `maxSockets` sockets are open:
/// each socket may hold a message of up to the body limit while it arrives, so their number
/// bounds that memory. The WebSocket library answers every refused upgrade with an empty
/// `400` and closes the connection, so the reason is logged here instead.
struct SocketAdmission: Sendable {
    let gauge: SocketGauge
    let maxSockets: Int

    /// Whether to upgrade `request`; a refusal is logged with its reason.
    func admits(_ request: Request, logger: Logger) -> Bool {
        if !Self.isSameOrigin(request) {
            logger.notice("Refused a WebSocket from another origin", metadata: ["origin": "\(request.headers[.origin] ?? "")"])
            return false
        }
        if gauge.openConnections >= maxSockets {
            logger.notice("Refused a WebSocket: \(maxSockets) sockets are open, the most this server keeps")
            return false
        }
        return true
    }

    /// Whether the upgrade comes from the server's own origin (or from a client that is not a browser).
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let authority = request.head.authority else { return false }
        return SiteBoundary.isSameOrigin(origin, authority: authority)
    }
}
