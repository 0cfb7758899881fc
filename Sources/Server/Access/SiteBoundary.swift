import Foundation

/// Which `Host` names and `Origin`s count as this server's own, so that a page on another
/// site — or on a name that an attacker's DNS points at 127.0.0.1 (DNS rebinding) — cannot
/// drive it through the user's browser.
///
/// - `Host`: a loopback server answers only to loopback names (`localhost`, `127.0.0.1`,
///   `[::1]`, the address it listens on) and to names given with `--allowed-host`. A server
///   listening on one other address adds that address. One listening on every interface
///   (`0.0.0.0`, `::`) must have an access token (`NetworkExposure`), which a rebound name
///   never carries, so there any `Host` is accepted. Ports are not compared: a rebound name
///   reaches the same port anyway.
/// - `Origin`: the scheme `http`, the host and the port must be the request's own `Host`
///   exactly; another port on 127.0.0.1 is another site.
public struct SiteBoundary: Sendable, Equatable {
    /// Lower-cased host names accepted in `Host`; nil accepts any.
    let hostNames: Set<String>?

    /// - Parameters:
    ///   - listeningHost: the address the server binds (`ServerConfiguration.host`).
    ///   - extraNames: further names the server is reached by (a proxy's, a machine's).
    public init(listeningHost: String, extraNames: [String] = []) {
        let listening = Self.bareHost(listeningHost)
        if listening == "0.0.0.0" || listening == "::" {
            hostNames = nil
            return
        }
        var names: Set<String> = [listening]
        if NetworkExposure.isLoopback(listeningHost) { names.formUnion(["localhost", "127.0.0.1", "::1"]) }
        names.formUnion(extraNames.map(Self.bareHost))
        hostNames = names
    }

    /// Whether a request's `Host` (authority, `name[:port]`) names this server.
    func acceptsHost(_ authority: String) -> Bool {
        guard let hostNames else { return true }
        return hostNames.contains(Self.hostName(ofAuthority: authority).lowercased())
    }

    /// Whether `origin` (`scheme://host[:port]`) is the origin of a page served by the request's
    /// own `authority`: for `http`/`https`, the same host and port. `null` (sandboxed frames,
    /// `file:` pages) and other schemes never are. Browsers only send `http(s)` origins;
    /// WebSocket client libraries (not pages) send `ws://host` without the port, so for
    /// `ws`/`wss` only the host is compared.
    static func isSameOrigin(_ origin: String, authority: String) -> Bool {
        guard let url = URL(string: origin), let scheme = url.scheme?.lowercased(), let host = url.host,
            url.path.isEmpty || url.path == "/"
        else { return false }
        let requestHost = hostName(ofAuthority: authority).lowercased()
        switch scheme {
        case "ws", "wss":
            return bareHost(host) == requestHost
        case "http", "https":
            let defaultPort = scheme == "https" ? 443 : 80
            let requestPort = port(ofAuthority: authority) ?? defaultPort
            return bareHost(host) == requestHost && (url.port ?? defaultPort) == requestPort
        default:
            return false
        }
    }

    /// `host` of `host:port`, `[::1]:port` → `::1`.
    static func hostName(ofAuthority authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        return String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The port of `host:port` or `[::1]:port`; nil when absent or not a number.
    static func port(ofAuthority authority: String) -> Int? {
        let afterHost: Substring
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            afterHost = authority[authority.index(after: end)...]
        } else if let colon = authority.firstIndex(of: ":") {
            afterHost = authority[colon...]
        } else {
            return nil
        }
        guard afterHost.first == ":" else { return nil }
        return Int(afterHost.dropFirst())
    }

    /// A host name lower-cased, without IPv6 brackets.
    static func bareHost(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        return name
    }
}
