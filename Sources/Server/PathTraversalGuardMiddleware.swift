import Foundation
import Hummingbird

/// Answers 404 to any request whose path, once percent-decoded, contains a `..` segment.
///
/// `FileMiddleware` already refuses such paths, but with 400; a plain 404 says nothing about
/// how the server maps URLs to files. Sits outside the file middleware so the file system is
/// never consulted for these paths.
struct PathTraversalGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = request.uri.path.removingPercentEncoding else {
            throw HTTPError(.notFound)
        }
        // Split on both separators so `..\` tricks are refused too, whatever the platform.
        let segments = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if segments.contains("..") || path.contains("\0") {
            context.logger.notice("Refused path traversal attempt", metadata: ["path": "\(request.uri.path)"])
            throw HTTPError(.notFound)
        }
        return try await next(request, context)
    }
}
