/// Problems found while assembling the application, before it starts listening.
public enum ServerError: Error, Equatable, CustomStringConvertible {
    /// A page template the server needs is not in the templates folder.
    case missingTemplate(name: String, directory: String)

    public var description: String {
        switch self {
        case .missingTemplate(let name, let directory):
            "Template \(name) not found in \(directory)."
        }
    }
}
