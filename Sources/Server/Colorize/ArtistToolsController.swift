import Hummingbird
import Pix2Pix

/// The artist's helpers beside the colorizer, mounted under `/api`:
/// `POST /api/suggestions` (colours the network suggests at a point), `POST /api/palette`
/// (a reference picture's dominant colours) and `POST /api/regions` (the area a hint would
/// colour, for every pixel of a drawing). Each runs on the inference thread with the
/// colorizer's limits and answers errors as `/api/colorize` does.
struct ArtistToolsController: Sendable {
    let inference: InferenceService

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("/suggestions", use: self.suggestions)
        routes.post("/palette", use: self.palette)
        routes.post("/regions", use: self.regions)
        return routes
    }

    @Sendable func suggestions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limits = inference.limits
        let body = try await request.decodeJSONBody(SuggestionsRequestBody.self, maxBytes: limits.maxBodyBytes)
        return try Response.json(try await inference.suggestions(SuggestionsJob(body: body, limits: limits)))
    }

    @Sendable func palette(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limits = inference.limits
        let body = try await request.decodeJSONBody(PaletteRequestBody.self, maxBytes: limits.maxBodyBytes)
        let count = body.colors ?? ReferencePalette.defaultCount
        guard (1...ReferencePalette.maximumCount).contains(count) else {
            throw APIError.badField("colors", "must be from 1 to \(ReferencePalette.maximumCount)")
        }
        let (bytes, _) = try ColorizeJob.inspectImage(base64: body.image, limits: limits)
        return try Response.json(try await inference.palette(of: bytes, count: count))
    }

    @Sendable func regions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limits = inference.limits
        let body = try await request.decodeJSONBody(RegionsRequestBody.self, maxBytes: limits.maxBodyBytes)
        let (bytes, _) = try ColorizeJob.inspectImage(base64: body.image, limits: limits)
        return try Response.json(try await inference.regions(of: bytes))
    }
}
