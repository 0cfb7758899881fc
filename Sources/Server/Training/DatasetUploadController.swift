import Foundation
import Hummingbird

/// Datasets from the browser, mounted under `/api`: `GET /datasets/root` answers
/// `{"root": "<absolute data root>", "exists": bool}` (where the dashboard looks for
/// datasets), and `POST /datasets/{dataset}/pictures` adds one picture (`DatasetUpload`).
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
    }

    @Sendable func root(_ request: Request, context: AppRequestContext) async throws -> Response {
        let root = upload.datasets.root
        return try Response.json(Root(root: upload.datasets.resolvedRoot ?? root, exists: upload.datasets.resolvedRoot != nil))
    }

    /// 200 with `DatasetPictureAdded`, or `{"error": "field: problem"}` (see `DatasetUpload.add`).
    @Sendable func addPicture(_ request: Request, context: AppRequestContext) async throws -> Response {
        let dataset = context.parameters.get("dataset") ?? ""
        let body = try await request.decodeJSONBody(DatasetPictureBody.self, maxBytes: upload.imageLimits.maxBodyBytes)
        return try Response.json(try await upload.add(dataset: dataset, body: body))
    }
}
