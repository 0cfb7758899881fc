/// Problems found while assembling the application, before it starts listening.
public enum ServerError: Error, Equatable, CustomStringConvertible {
    /// A page template the server needs is not in the templates folder.
    case missingTemplate(name: String, directory: String)
    /// The server would listen beyond loopback with no access token.
    case tokenRequired(host: String)
    /// The access token given cannot be used (too short, odd characters).
    case unusableToken(String)

    public var description: String {
        switch self {
        case .missingTemplate(let name, let directory):
            "Template \(name) not found in \(directory)."
        case .tokenRequired(let host):
            """
            Refusing to listen on \(host) without an access token: anyone who can reach this machine \
            could colorize, train and publish models on it. Pass --token <secret> or set TINCT_TOKEN \
            (at least \(AccessToken.minimumLength) characters, e.g. from `openssl rand -hex 24`), \
            or listen on 127.0.0.1.
            """
        case .unusableToken(let reason):
            "The access token cannot be used: \(reason)."
        }
    }
}
