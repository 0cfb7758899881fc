import Foundation
import Hummingbird

/// `GET /api/models` and `POST /api/colorize`, mounted under `/api`.
struct ColorizeController: Sendable {
    /// Runs the colorizations; injected so tests can size its queue.
    let inference: InferenceService

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/models", use: self.models)
        routes.post("/colorize", use: self.colorize)
        return routes
    }

    /// The installed models: `[{"name", "mode", "resolution"}]`, sorted by name.
    @Sendable func models(_ request: Request, context: AppRequestContext) async throws -> Response {
        let models = await inference.models()
        return try Response.json(models)
    }

    /// Colorizes one picture; answers `image/png` of the input's size (with `"format":
    /// "png-transparent"`, its paper clear; with `"format": "ora"` or `"psd"`, an OpenRaster or
    /// Photoshop file of layers), or `{"error": ...}`.
    @Sendable func colorize(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limits = inference.limits
        let body = try await request.decodeJSONBody(ColorizeRequestBody.self, maxBytes: limits.maxBodyBytes)
        let job = try ColorizeJob(body: body, limits: limits)
        let output = try await inference.colorize(job, priority: .interactive)
        return Response(
            status: .ok,
            headers: [.contentType: job.format.contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: output.encoded))
        )
    }

    /// Decodes and validates a request body: a job, or a 4xx naming the field at fault.
    static func job(fromBody data: Data, limits: ColorizeLimits) throws(APIError) -> ColorizeJob {
        try ColorizeJob(body: Request.decodeJSON(ColorizeRequestBody.self, from: data), limits: limits)
    }
}
