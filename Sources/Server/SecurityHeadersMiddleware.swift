import HTTPTypes
import Hummingbird
import Logging

/// Adds the browser security headers to every response, errors included.
///
/// The policy allows only same-origin scripts, styles and connections (no inline script or
/// style), images also from `data:` and `blob:` URLs (the editor draws on canvases and previews
/// uploads), and forbids framing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The `Content-Security-Policy` value sent with every response.
    static var contentSecurityPolicy: String {
        "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Render the error here rather than letting it escape, so it gets the headers too.
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            response = Response(status: .internalServerError)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }
}

extension HTTPField.Name {
    /// `Referrer-Policy`, which swift-http-types does not predefine.
    static var referrerPolicy: Self { Self("Referrer-Policy")! }
}
