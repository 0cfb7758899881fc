import Hummingbird

/// A rendered HTML document, returned by page routes.
struct HTMLPage: ResponseGenerator {
    /// The complete document.
    let html: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
