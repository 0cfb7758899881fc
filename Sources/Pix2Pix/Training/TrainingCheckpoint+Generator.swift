import Foundation
import NN

/// Why a path names no model a user can run.
public enum ModelSourceError: Error, CustomStringConvertible {
    /// A folder with neither a model, a best checkpoint, nor checkpoints (e.g. a run that has not saved one yet).
    case nothingToLoad(folder: String)

    public var description: String {
        switch self {
        case .nothingToLoad(let folder):
            "\(folder) holds no \(GeneratorModel.fileName), best.safetensors or checkpoints/step-*.safetensors yet"
        }
    }
}

extension TrainingCheckpoint {
    /// The generator of the training checkpoint at `path`, ready for inference, as
    /// `tinct export` would publish it (mode, resolution, batch-norm behaviour and direction
    /// from the checkpoint's config).
    public static func generatorModel(checkpoint path: String) throws -> GeneratorModel {
        let file = try SafetensorsFile(contentsOf: path)
        let header = try read(file, path: path)
        let generator = UNetGenerator(header.config.model.generator)
        try generator.load(from: file, prefix: "G.", strict: false)
        return GeneratorModel(
            mode: header.config.mode, generator: generator, resolution: header.config.size,
            batchStatistics: header.config.inferenceUsesBatchStatistics, direction: header.config.paired?.direction)
    }
}

extension GeneratorModel {
    /// The generator a person means by `source`, read the way `tinct export` and `--init-from`
    /// read their sources: a model folder or its `generator.safetensors`; a training checkpoint;
    /// a run folder (its best.safetensors, else its latest checkpoint).
    public static func load(modelOrCheckpoint source: String) throws -> GeneratorModel {
        guard let path = TrainingCheckpoint.resolve(source) else { throw ModelSourceError.nothingToLoad(folder: source) }
        let kind = try SafetensorsFile(contentsOf: path).metadata["tinct.kind"]
        return kind == "training" ? try TrainingCheckpoint.generatorModel(checkpoint: path) : try load(path: path)
    }
}
