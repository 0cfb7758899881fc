import Foundation
import Hummingbird
import Pix2Pix

/// The dashboard's HTTP API, mounted under `/api`:
/// `GET /datasets`, `GET /runs`, `GET /runs/{run}/samples/{file}`, `GET /train/status`, `GET /train/defaults`,
/// `GET /train/options-schema`, `POST /train/start`, `POST /train/stop`, `POST /train/resume`, `POST /train/publish`.
/// Errors are `{"error": "field: problem"}` with 400, 404 or 409.
struct TrainingController: Sendable {
    let training: TrainingService

    /// Largest request body these routes read (they carry a few small fields).
    static let maxBodyBytes = 64 << 10

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/datasets", use: self.datasets)
        routes.get("/runs", use: self.runs)
        routes.get("/runs/{run}/samples/{file}", use: self.sample)
        routes.get("/train/status", use: self.status)
        routes.get("/train/defaults", use: self.defaults)
        routes.get("/train/options-schema", use: self.optionsSchema)
        routes.post("/train/start", use: self.start)
        routes.post("/train/stop", use: self.stop)
        routes.post("/train/resume", use: self.resume)
        routes.post("/train/publish", use: self.publish)
        return routes
    }

    /// `[{"name", "pictures", "train"?, "validation"?}]`: folders under the data root with pictures.
    @Sendable func datasets(_ request: Request, context: AppRequestContext) async throws -> Response {
        let folders = training.datasets
        let list = try await OffPoolThread.run(named: "tinct-datasets") { folders.list() }
        return try Response.json(list)
    }

    /// `[RunInfo]`, newest first.
    @Sendable func runs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (runs, datasets, active) = (training.runs, training.datasets, training.currentStatus)
        let activeRun = active.state.isActive ? active.run : nil
        let list = try await OffPoolThread.run(named: "tinct-runs") { runs.list(activeRun: activeRun, datasets: datasets) }
        return try Response.json(list)
    }

    /// A sample grid PNG of a run; names are checked strictly, so only `samples/step-N.png` files are served.
    @Sendable func sample(_ request: Request, context: AppRequestContext) async throws -> Response {
        let run = context.parameters.get("run") ?? ""
        let file = context.parameters.get("file") ?? ""
        guard RunFolders.isValidName(run), RunFolders.isValidSampleName(file) else { throw APIError(.notFound, "No such sample.") }
        let folder = "\(training.runs.root)/\(run)/samples"
        // The resolved file must still be inside the resolved runs folder (no symlink escapes).
        guard let root = DatasetFolders.realPath(training.runs.root),
            let path = DatasetFolders.realPath("\(folder)/\(file)"), path.hasPrefix(root + "/"),
            let data = FileManager.default.contents(atPath: path)
        else { throw APIError(.notFound, "No such sample.") }
        return Response(
            status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `TrainingStatus` of the current (or last) run.
    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Response.json(training.currentStatus)
    }

    /// The options a new run gets for omitted fields (`tinct train`'s defaults).
    @Sendable func defaults(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Response.json(TrainingOptions())
    }

    /// The options a start takes, with labels, help, ranges, choices and defaults, in the
    /// order the form shows them (`TrainingOptionsSchema`).
    @Sendable func optionsSchema(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Response.json(TrainingOptionsSchema())
    }

    /// Starts a run; 200 with the status, 400 naming a bad field, 409 while one is active.
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(StartTrainingRequest.self, maxBytes: Self.maxBodyBytes)
        return try Response.json(try training.start(body))
    }

    /// Asks the active run to stop (it saves a checkpoint); 409 when none is active.
    @Sendable func stop(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Response.json(try training.stop())
    }

    /// Continues a run from its latest checkpoint.
    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(ResumeTrainingRequest.self, maxBytes: Self.maxBodyBytes)
        return try Response.json(try await training.resume(body))
    }

    /// Exports a run's checkpoint as a model: `{"name", "mode", "resolution"}`.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(PublishRequest.self, maxBytes: Self.maxBodyBytes)
        return try Response.json(try await training.publish(body))
    }
}
