import Foundation
import ImageCodecs
import Logging
import Pix2Pix

/// What a finished colorization hands back.
struct ColorizeOutput: Sendable {
    /// The colorized picture, same size as the input, encoded as the job asked
    /// (`ColorizeFormat`: a PNG unless it asked for another format).
    let encoded: [UInt8]
    /// The decoded input, so a WebSocket connection can reuse it for its next request.
    let input: RGBImage
    /// Time spent on the inference thread (decode, network, compose, encode), milliseconds.
    let milliseconds: Double
}

/// Owns the installed models and runs every colorization on one dedicated inference thread
/// (never on the request handlers' cooperative pool), behind a bounded, prioritized queue.
///
/// The catalog is rescanned from `modelsDirectory` when it is older than a couple of seconds
/// or a name is not found, so a model published while the server runs shows up. Weights are
/// loaded on the inference thread on first use and reloaded when the file changes.
public actor InferenceService {
    /// Where models live: `<modelsDirectory>/<name>/generator.safetensors`.
    public nonisolated let modelsDirectory: String
    /// Request limits, shared with the controllers.
    public nonisolated let limits: ColorizeLimits
    /// The thread; its state maps model names to loaded colorizers.
    nonisolated let thread: InferenceThread<LoadedModels>
    private var catalog: [ModelInfo] = []
    private var scannedAt: ContinuousClock.Instant?
    private let logger: Logger

    /// How long a catalog scan is trusted.
    static let rescanInterval: Duration = .seconds(2)

    public init(modelsDirectory: String, limits: ColorizeLimits = .init(), logger: Logger = Logger(label: "tinct.inference")) {
        self.modelsDirectory = modelsDirectory
        self.limits = limits
        self.thread = InferenceThread(
            maxQueued: limits.maxQueued, maxQueuedBytes: limits.maxQueuedBytes, maxQueueDelay: limits.maxQueueDelay,
            state: LoadedModels())
        self.logger = logger
    }

    /// Whether an interactive job is running or waiting; long background work yields to it.
    public nonisolated var hasInteractiveWork: Bool { thread.hasInteractiveWork }

    /// Blocks the calling thread (never a task) while interactive work is running or waiting,
    /// until `deadline` at the latest.
    public nonisolated func waitWhileInteractiveWork(until deadline: Date) { thread.waitWhileInteractiveWork(until: deadline) }

    /// The installed models, sorted by name.
    public func models() -> [ModelInfo] {
        refreshCatalog(force: false)
        return catalog
    }

    /// Rescans the models directory now (after a model was published), so the next listing
    /// and request see it without waiting for the rescan interval.
    public func reloadModels() {
        refreshCatalog(force: true)
    }

    /// The model a request names, or the mode's default.
    /// - Throws: 404 when there is no such model, 400 when it colorizes another mode.
    func resolveModel(named name: String?, mode: ModelMode) throws(APIError) -> ModelInfo {
        refreshCatalog(force: false)
        if let name {
            var found = catalog.first { $0.name == name }
            if found == nil {
                refreshCatalog(force: true)
                found = catalog.first { $0.name == name }
            }
            guard let model = found else { throw APIError(.notFound, "model: no model named \"\(name)\"") }
            guard model.mode == mode else {
                throw .badField("model", "\"\(name)\" colorizes \(model.mode.rawValue), not \(mode.rawValue)")
            }
            return model
        }
        if let model = ModelCatalog.defaultModel(for: mode, in: catalog) { return model }
        refreshCatalog(force: true)
        guard let model = ModelCatalog.defaultModel(for: mode, in: catalog) else {
            throw APIError(.notFound, "model: no \(mode.rawValue) model is installed in \(modelsDirectory)")
        }
        return model
    }

    /// Colorizes `job` on the inference thread.
    /// - Throws: `APIError` for every failure a client should hear about (404, 400, 503, 500),
    ///   or `CancellationError` when the caller went away before the job started.
    func colorize(_ job: ColorizeJob, priority: InferencePriority = .interactive) async throws -> ColorizeOutput {
        let model = try resolveModel(named: job.model, mode: job.mode)
        let maxPixels = limits.maxPixels
        do {
            return try await thread.run(priority: priority, bytes: job.inputBytes) { loaded in
                try Self.perform(job, model: model, maxPixels: maxPixels, loaded: &loaded)
            }
        } catch let error as ExportError {
            throw APIError.badField("format", error.description)
        } catch let error as NoVariantsError {
            throw APIError.badField("variant", error.description)
        } catch let error as ResultEncodingError {
            logger.error("Result could not be encoded", metadata: ["error": "\(error.reason)"])
            throw error.apiError
        } catch let error as ModelLoadError {
            logger.error("Model failed to load", metadata: ["model": "\(model.name)", "error": "\(error.reason)"])
            throw APIError(.internalServerError, "model: \"\(model.name)\" could not be loaded: \(error.reason)")
        } catch {
            throw Self.answer(to: error)
        }
    }

    /// What a client hears for a failure every inference job can meet: a full queue (503),
    /// a picture that cannot be decoded (400/415/413) or hints that do not fit it (400);
    /// any other error unchanged.
    static func answer(to error: any Error) -> any Error {
        switch error {
        case let error as InferenceQueueError: error.apiError
        case let error as ImageCodecError: ColorizeJob.imageError(error)
        case let error as ColorizeError: APIError(.badRequest, error.description)
        default: error
        }
    }

    private func refreshCatalog(force: Bool) {
        let now = ContinuousClock.now
        if !force, let scannedAt, now - scannedAt < Self.rescanInterval { return }
        catalog = ModelCatalog.scan(directory: modelsDirectory)
        scannedAt = now
    }

    /// The work itself; runs on the inference thread.
    private static func perform(
        _ job: ColorizeJob, model: ModelInfo, maxPixels: Int, loaded: inout LoadedModels
    ) throws -> ColorizeOutput {
        let start = ContinuousClock.now
        let input: RGBImage
        switch job.source {
        case .encoded(let bytes): input = try ImageDecoder.decode(bytes, maxPixels: maxPixels)
        case .decoded(let image): input = image
        }
        let colorizer = try loaded.colorizer(for: model)
        let defaultRadius = Colorizer.defaultHintRadius(width: input.width, height: input.height, resolution: colorizer.resolution)
        let hints = job.hints.map {
            ColorHint(x: $0.x, y: $0.y, red: $0.red, green: $0.green, blue: $0.blue, radius: $0.radius ?? defaultRadius)
        }
        let result = try colorizer.colorizeLayered(input, hints: hints, variant: job.variant)
        let encoded = try ColorizeExport.encode(result, as: job.format)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return ColorizeOutput(encoded: encoded, input: input, milliseconds: ms)
    }
}

/// A model file that exists but cannot be used.
struct ModelLoadError: Error {
    let reason: String
}

/// The colorizers loaded so far, keyed by model name. Lives on the inference thread only.
struct LoadedModels {
    private var colorizers: [String: (modified: Date, colorizer: Colorizer)] = [:]

    /// The colorizer for `model`, loading (or reloading, if the file changed) its weights.
    mutating func colorizer(for model: ModelInfo) throws -> Colorizer {
        if let cached = colorizers[model.name], cached.modified == model.modified, cached.colorizer.mode == model.mode {
            return cached.colorizer
        }
        let generator: GeneratorModel
        do {
            generator = try GeneratorModel.load(path: model.path)
        } catch {
            throw ModelLoadError(reason: "\(error)")
        }
        // A loaded model only infers: its convolutions multiply by 16-bit snapshots of the weights
        // where the CPU has AVX-512 VNNI, ~2× the float products (outputs within 0.02 of float32).
        generator.generator.useInt16Products(true)
        let colorizer = Colorizer(model: generator)
        colorizers[model.name] = (model.modified, colorizer)
        return colorizer
    }
}
