import Hummingbird

/// `POST /api/lineart`, mounted under `/api`: turns a colour picture into line art with the
/// extractor training uses, so a colour drawing or photo can be colorized in line-art mode.
struct LineArtController: Sendable {
    /// Runs the extraction on the inference thread, with the colorizer's limits.
    let inference: InferenceService

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("/lineart", use: self.lineArt)
        return routes
    }

    /// Answers a grayscale `image/png` of the input's size (white paper, black ink), or
    /// `{"error": ...}` with 400 (naming the field), 413, 415 or 503 like `/api/colorize`.
    @Sendable func lineArt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limits = inference.limits
        let body = try await request.decodeJSONBody(LineArtRequestBody.self, maxBytes: limits.maxBodyBytes)
        let job = try LineArtJob(body: body, limits: limits)
        let png = try await inference.extractLines(job)
        return Response(
            status: .ok,
            headers: [.contentType: "image/png", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: png))
        )
    }
}
