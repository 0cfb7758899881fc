/// Which addresses keep the studio private to this machine, and the rule that a server
/// listening anywhere else must have an access token.
enum NetworkExposure {
    /// Whether `host` is a loopback address: `localhost`, `127.0.0.0/8` or `::1`.
    /// Anything else — `0.0.0.0`, `::`, a LAN address, a name other than `localhost` — may be
    /// reachable from other machines.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && UInt8(octet) != nil
        }
    }

    /// Refuses a configuration that listens beyond loopback without a token.
    static func check(_ configuration: ServerConfiguration) throws(ServerError) {
        if configuration.accessToken == nil, !isLoopback(configuration.host) {
            throw .tokenRequired(host: configuration.host)
        }
    }
}
