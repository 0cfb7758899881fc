import Foundation
import Logging
import Pix2Pix

/// Publishing a run as a model: exports a run's checkpoint as a model folder the editor
/// lists (`POST /api/train/publish`). Never writes the models that come with Tinct
/// (`default-…`), never half-replaces a model of the user's.
struct ModelPublisher: Sendable {
    let runs: RunFolders
    let modelsDirectory: String
    /// Told to rescan its models once one is published.
    let inference: InferenceService?
    let logger: Logger

    /// Exports run `request.run`'s chosen checkpoint as model `request.name` and makes the
    /// editor's model list show it.
    /// - Throws: 400/404 for bad names or a checkpoint the run lacks, 409 when the model exists
    ///   and `replace` is not set, 500 when the export fails.
    func publish(_ request: PublishRequest) async throws(APIError) -> ModelInfo {
        let folder = try runs.folder(of: request.run)
        guard ModelCatalog.isValidName(request.name) else { throw .badField("name", "must be 1–64 of A–Z a–z 0–9 _ -") }
        guard !ModelCatalog.isReservedName(request.name) else {
            throw .badField("name", "names starting with \"default-\" belong to the models that come with Tinct; choose another name")
        }
        let checkpoint = try Self.checkpointPath(request.checkpoint ?? .auto, run: request.run, folder: folder)
        let target = "\(modelsDirectory)/\(request.name)"
        if FileManager.default.fileExists(atPath: target), request.replace != true {
            throw APIError(.conflict, "name: a model named \"\(request.name)\" already exists (send \"replace\": true to overwrite it)")
        }
        let exported: (mode: ModelMode, resolution: Int)
        do {
            exported = try await OffPoolThread.run(named: "tinct-publish") {
                try Self.exportReplacing(checkpoint: checkpoint, into: target)
            }
        } catch {
            logger.error("Publish failed", metadata: ["run": "\(request.run)", "error": "\(error)"])
            throw APIError(.internalServerError, "checkpoint: could not be exported: \(error)")
        }
        await inference?.reloadModels()
        logger.info("Published a model", metadata: ["run": "\(request.run)", "model": "\(request.name)"])
        return ModelInfo(
            name: request.name, mode: exported.mode, resolution: exported.resolution,
            path: "\(target)/generator.safetensors", modified: Date())
    }

    /// The file of `choice` in run folder `folder`.
    /// - Throws: 400 when the run has no such checkpoint yet.
    static func checkpointPath(_ choice: PublishRequest.Checkpoint, run: String, folder: String) throws(APIError) -> String {
        let best = "\(folder)/best.safetensors"
        let hasBest = FileManager.default.fileExists(atPath: best)
        let useBest =
            switch choice {
            case .best: true
            case .latest: false
            case .auto: hasBest
            }
        if useBest {
            guard hasBest else { throw .badField("checkpoint", "the run has no best checkpoint yet (no validation has run)") }
            return best
        }
        guard let latest = TrainingCheckpoint.list(in: "\(folder)/checkpoints").last else {
            throw .badField("run", "\"\(run)\" has no checkpoint yet")
        }
        return latest.path
    }

    /// Exports into a fresh folder beside `target`, then puts it in `target`'s place, so a
    /// replaced model keeps nothing of the old one (no stale card) and a failed export leaves
    /// the old one whole. Names starting with "." are never listed as models.
    static func exportReplacing(checkpoint: String, into target: String) throws -> (mode: ModelMode, resolution: Int) {
        let files = FileManager.default
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let staging = "\(parent)/.publishing-\(name)-\(UUID().uuidString)"
        try files.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let model = try TrainingCheckpoint.exportGenerator(checkpoint: checkpoint, to: staging)
            if files.fileExists(atPath: target) {
                let old = "\(parent)/.replaced-\(name)-\(UUID().uuidString)"
                try files.moveItem(atPath: target, toPath: old)
                try files.moveItem(atPath: staging, toPath: target)
                try? files.removeItem(atPath: old)  // only leftovers; the new model is in place
            } else {
                try files.moveItem(atPath: staging, toPath: target)
            }
            return (model.mode, model.resolution)
        } catch {
            try? files.removeItem(atPath: staging)
            throw error
        }
    }
}
