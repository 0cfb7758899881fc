import Foundation
import NN
import Tensors

/// Fine-tuning from a servable model (`tinct export`'s folder or its `generator.safetensors`)
/// rather than a training checkpoint: only the generator is taken, the discriminator starts
/// from its random initialization.
///
/// A generator with fewer input planes than the run's — a line-art model from before the
/// dense hint fill, whose 5 planes are the first 5 of today's 9 — is widened: each
/// convolution that reads the input keeps its weights for the old planes, and the weights
/// for the new planes start at zero, so the widened network computes exactly what the old
/// one did until training moves it.
public enum ModelInitialization {
    /// Whether `path` (a file, or a folder holding `generator.safetensors`) is a servable model.
    public static func isModel(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        let file =
            FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            ? "\(path)/\(GeneratorModel.fileName)" : path
        guard let metadata = (try? SafetensorsFile(contentsOf: file))?.metadata else { return false }
        return metadata["tinct.mode"] != nil && metadata["tinct.kind"] != "training"
    }

    /// Loads the model at `path` into `model.generator`, widening its input as described.
    public static func loadGenerator(into model: Pix2PixModel, fromModel path: String) throws {
        let source = try GeneratorModel.load(path: path)
        let old = Dictionary(source.generator.stateDict().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        for item in model.generator.stateDict() {
            guard let from = old[item.name] else { throw StateDictError.missing([item.name]) }
            let to = item.tensor
            if from.shape == to.shape {
                to.assign(from: from)
            } else if from.shape.count == 4, to.shape.count == 4, from.shape[0] == to.shape[0], from.shape[2...] == to.shape[2...],
                from.shape[1] < to.shape[1]
            {
                widen(from, into: to)
            } else {
                throw StateDictError.shapeMismatch(name: item.name, expected: to.shape, found: from.shape)
            }
        }
    }

    /// Copies a (O, C, K, K) convolution weight into the first C input planes of a
    /// (O, C′, K, K) one, C′ > C, zeroing the rest.
    private static func widen(_ from: Tensor, into to: Tensor) {
        let (outputs, oldInputs, newInputs) = (to.shape[0], from.shape[1], to.shape[1])
        let kernel = to.shape[2] * to.shape[3]
        for i in 0..<to.count { to.data[i] = 0 }
        for o in 0..<outputs {
            for c in 0..<oldInputs {
                for k in 0..<kernel { to.data[(o * newInputs + c) * kernel + k] = from.data[(o * oldInputs + c) * kernel + k] }
            }
        }
    }
}
