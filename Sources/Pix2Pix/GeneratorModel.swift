import Foundation
import NN
import Tensors

/// What a model colorizes: line art (+ hints), photos (+ hints), or generic paired images.
public enum ModelMode: String, Codable, Sendable, CaseIterable {
    case lineart
    case photo
    case pix2pix
}

/// Why a model file cannot be used.
public enum ModelFileError: Error, CustomStringConvertible {
    case notATinctModel(path: String)
    case unsupportedFormat(path: String, version: String)
    case badConfig(path: String, reason: String)

    public var description: String {
        switch self {
        case .notATinctModel(let path): "\(path) has no Tinct model metadata (use `tinct import-torch` for PyTorch files)"
        case .unsupportedFormat(let path, let version): "\(path) uses model format \(version); this Tinct reads format \(GeneratorModel.formatVersion)"
        case .badConfig(let path, let reason): "\(path): invalid model config: \(reason)"
        }
    }
}

/// A trained generator ready for inference, stored as one self-describing safetensors file:
/// tensors named exactly as PyTorch's `UnetGenerator.state_dict()` (so the file loads into
/// the reference model with a strict `load_state_dict`), metadata holding the format
/// version, the mode and the generator config.
public final class GeneratorModel {
    public static let formatVersion = "1"
    public static let fileName = "generator.safetensors"

    public let mode: ModelMode
    public let generator: UNetGenerator
    /// Side of the square pictures the model was trained on (and runs at).
    public let resolution: Int

    /// Batch norm at inference uses each picture's own statistics (pix2pix's test-time
    /// behaviour, for models trained at batch 1) rather than the running averages (PyTorch's
    /// `eval()`: imported models, and Tinct models trained at batch > 1; see
    /// `TrainingConfig.inferenceUsesBatchStatistics`).
    public let batchStatistics: Bool

    /// pix2pix models trained by Tinct: which side of the pairs they read (what `tinct test`
    /// needs to score them on a paired dataset); nil otherwise.
    public let direction: PairDirection?

    public init(
        mode: ModelMode, generator: UNetGenerator, resolution: Int = 256, batchStatistics: Bool = true,
        direction: PairDirection? = nil
    ) {
        self.mode = mode
        self.direction = direction
        self.generator = generator
        self.resolution = resolution
        self.batchStatistics = batchStatistics
        generator.setTraining(false)
        Self.useBatchStatistics(in: generator, batchStatistics)
    }

    /// Tinct runs generators as pix2pix tests them: dropout off, batch norm on the picture's
    /// own statistics (see `BatchNorm2d.evaluationUsesBatchStatistics`).
    public static func useBatchStatistics(in generator: UNetGenerator, _ on: Bool = true) {
        generator.visit { _, module in (module as? BatchNorm2d)?.evaluationUsesBatchStatistics = on }
    }

    public var config: GeneratorConfig { generator.config }

    /// Runs the generator in evaluation mode. Shapes: (N, in, S, S) → (N, out, S, S).
    public func run(_ x: Tensor) -> Tensor { generator.forward(x) }

    /// Loads a PyTorch state_dict of a `UnetGenerator` with the given architecture.
    public static func importTorch(path: String, config: GeneratorConfig, mode: ModelMode, resolution: Int = 256) throws -> GeneratorModel {
        let file = try SafetensorsFile(contentsOf: path)
        let generator = UNetGenerator(config)
        try generator.load(from: file, strict: true)
        return GeneratorModel(mode: mode, generator: generator, resolution: resolution, batchStatistics: false)
    }

    /// Loads a model written by `save`, from the file or the folder that holds it.
    public static func load(path: String) throws -> GeneratorModel {
        var isFolder: ObjCBool = false
        let file =
            FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            ? "\(path)/\(fileName)" : path
        let contents = try SafetensorsFile(contentsOf: file)
        guard let version = contents.metadata["tinct.format"] else { throw ModelFileError.notATinctModel(path: file) }
        guard version == formatVersion else { throw ModelFileError.unsupportedFormat(path: file, version: version) }
        guard let modeName = contents.metadata["tinct.mode"], let mode = ModelMode(rawValue: modeName) else {
            throw ModelFileError.badConfig(path: file, reason: "unknown mode \(contents.metadata["tinct.mode"] ?? "(none)")")
        }
        let config: GeneratorConfig
        do {
            config = try JSONDecoder().decode(GeneratorConfig.self, from: Data((contents.metadata["tinct.generator"] ?? "").utf8))
        } catch {
            throw ModelFileError.badConfig(path: file, reason: "\(error)")
        }
        guard (5...16).contains(config.downsamplings), config.attentionDepths.allSatisfy({ (0..<config.downsamplings).contains($0) }),
            (1...1024).contains(config.ngf),
            (1...64).contains(config.inputChannels), (1...64).contains(config.outputChannels)
        else {
            throw ModelFileError.badConfig(path: file, reason: "architecture out of range")
        }
        guard ColorizationEncoding.accepts(inputChannels: config.inputChannels, for: mode),
            config.outputChannels == ColorizationEncoding.outputChannels(mode)
        else {
            throw ModelFileError.badConfig(path: file, reason: "\(config.inputChannels) → \(config.outputChannels) channels do not fit mode \(mode.rawValue)")
        }
        let resolution = Int(contents.metadata["tinct.resolution"] ?? "256") ?? 256
        guard resolution > 0, resolution <= 4096, resolution % (1 << config.downsamplings) == 0 else {
            throw ModelFileError.badConfig(path: file, reason: "resolution \(resolution) is not a multiple of \(1 << config.downsamplings)")
        }
        let generator = UNetGenerator(config)
        try generator.load(from: contents, strict: true)
        let batchStatistics = contents.metadata["tinct.normalization"] != "running-statistics"
        return GeneratorModel(
            mode: mode, generator: generator, resolution: resolution, batchStatistics: batchStatistics,
            direction: contents.metadata["tinct.direction"].flatMap(PairDirection.init(rawValue:)))
    }

    /// int8 is for the large convolution weights of the inner layers, where nearly all the
    /// bytes are; the outer layers, biases and normalization stay float16, as they are few
    /// bytes and most sensitive to rounding.
    static let int8MinimumCount = 1 << 18

    static func storage(of tensor: Tensor, asked: StoredType) -> StoredType {
        guard asked == .int8 else { return asked }
        return tensor.shape.count >= 2 && tensor.count >= int8MinimumCount ? .int8 : .float16
    }

    /// Writes `folder/generator.safetensors` (crash-safely), creating the folder.
    public func save(folder: String, storedAs: StoredType = .float32) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let configJSON = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        let tensors = generator.stateDict().map { t in
            t.storedAs == .int64 ? t : NamedTensor(t.name, t.tensor, storedAs: Self.storage(of: t.tensor, asked: storedAs))
        }
        var metadata = [
            "tinct.format": Self.formatVersion, "tinct.kind": "generator",
            "tinct.mode": mode.rawValue, "tinct.generator": configJSON, "tinct.resolution": String(resolution),
            "tinct.normalization": batchStatistics ? "batch-statistics" : "running-statistics"
        ]
        if let direction { metadata["tinct.direction"] = direction.rawValue }
        try SafetensorsFile.write(tensors, metadata: metadata, to: "\(folder)/\(Self.fileName)")
    }
}
