import Foundation
import Hummingbird

/// Datasets from the browser, mounted under `/api`: `GET /datasets/root` answers
/// `{"root": "<absolute data root>", "exists": bool, "maxPictureBytes", "maxPixels", "maxPictures"}`
/// (where the dashboard looks for datasets, and what one may hold), and
/// `POST /datasets/{dataset}/pictures` adds one picture (`DatasetUpload`).
struct DatasetUploadController: Sendable {
    let upload: DatasetUpload

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/datasets/root", use: self.root)
        routes.post("/datasets/{dataset}/pictures", use: self.addPicture)
        return routes
    }

    struct Root: Codable, Sendable, Equatable {
        let root: String
        let exists: Bool
        /// Largest picture file, in bytes; largest picture, in pixels; most pictures in a dataset.
        let maxPictureBytes: Int
        let maxPixels: Int
        let maxPictures: Int
    }

    @Sendable func root(_ request: Request, context: AppRequestContext) async throws -> Response {
        let resolved = upload.datasets.resolvedRoot
        return try Response.json(
            Root(
                root: resolved ?? upload.datasets.root, exists: resolved != nil, maxPictureBytes: upload.maxPictureBytes,
                maxPixels: upload.imageLimits.maxPixels, maxPictures: upload.limits.maxPictures))
    }

    /// 200 with `DatasetPictureAdded`, or `{"error": "field: problem"}` (see `DatasetUpload.add`).
    @Sendable func addPicture(_ request: Request, context: AppRequestContext) async throws -> Response {
        let dataset = context.parameters.get("dataset") ?? ""
        let body = try await request.decodeJSONBody(DatasetPictureBody.self, maxBytes: upload.imageLimits.maxBodyBytes)
        return try Response.json(try await upload.add(dataset: dataset, body: body))
    }
}
