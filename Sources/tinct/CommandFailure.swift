import Foundation

/// A command that was given well-formed arguments but could not do its work (a model that does
/// not load, a picture that cannot be read, a refused training run). ArgumentParser prints it
/// as `Error: <message>` alone and exits with status 1 — not the usage text and status 64 of a
/// `ValidationError`, which is kept for arguments that are themselves wrong.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }

    init(_ message: String) { self.message = message }

    /// Wraps any error from the libraries, prefixed with what was being done when `context` is given.
    init(_ error: any Error, context: String? = nil) {
        self.message = context.map { "\($0): \(error)" } ?? "\(error)"
    }
}

/// Absolute paths in messages, so a person who ran Tinct from another folder sees where it looked.
enum DisplayPath {
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
