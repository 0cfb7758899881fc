import Foundation
import NN
import Tensors

/// Why a checkpoint cannot be used.
public enum CheckpointError: Error, CustomStringConvertible {
    case notATrainingCheckpoint(String)
    case badMetadata(path: String, reason: String)

    public var description: String {
        switch self {
        case .notATrainingCheckpoint(let path): "\(path) is not a Tinct training checkpoint"
        case .badMetadata(let path, let reason): "\(path): \(reason)"
        }
    }
}

/// The complete state of a training run in one safetensors file: both networks (PyTorch
/// state_dict names under `G.` and `D.`), both optimizers' moment estimates (`optG.m.…`,
/// `optG.v.…`, `optD.…`) and, in the metadata, the format version, the full training config,
/// the step and the Adam step counters. Written crash-safely (temporary file, fsync, rename).
public struct TrainingCheckpoint {
    public static let formatVersion = "1"

    public var config: TrainingConfig
    public var step: Int
    /// Best validation ΔE (16 hints) seen so far, if any.
    public var bestDeltaE: Double?

    public static func save(_ model: Pix2PixModel, config: TrainingConfig, step: Int, bestDeltaE: Double?, to path: String) throws {
        var tensors = model.generator.stateDict(prefix: "G.") + model.discriminator.stateDict(prefix: "D.")
        for (prefix, optimizer) in [("optG", model.optimizerG), ("optD", model.optimizerD)] {
            for (i, (name, _)) in optimizer.parameters.enumerated() {
                tensors.append(NamedTensor("\(prefix).m.\(name)", optimizer.firstMoments[i]))
                tensors.append(NamedTensor("\(prefix).v.\(name)", optimizer.secondMoments[i]))
            }
        }
        var metadata = [
            "tinct.format": formatVersion, "tinct.kind": "training",
            "tinct.config": String(decoding: try JSONEncoder().encode(config), as: UTF8.self),
            "tinct.step": String(step), "tinct.adamG.step": String(model.optimizerG.step),
            "tinct.adamD.step": String(model.optimizerD.step)
        ]
        if let bestDeltaE { metadata["tinct.bestDeltaE"] = String(bestDeltaE) }
        try SafetensorsFile.write(tensors, metadata: metadata, to: path)
    }

    /// Reads a checkpoint's metadata without touching a model.
    public static func read(_ file: SafetensorsFile, path: String) throws -> TrainingCheckpoint {
        guard file.metadata["tinct.kind"] == "training" else { throw CheckpointError.notATrainingCheckpoint(path) }
        guard file.metadata["tinct.format"] == formatVersion else {
            throw CheckpointError.badMetadata(path: path, reason: "format \(file.metadata["tinct.format"] ?? "?") is not \(formatVersion)")
        }
        guard let step = Int(file.metadata["tinct.step"] ?? ""), step >= 0 else {
            throw CheckpointError.badMetadata(path: path, reason: "no valid step")
        }
        do {
            let config = try JSONDecoder().decode(TrainingConfig.self, from: Data((file.metadata["tinct.config"] ?? "").utf8))
            return TrainingCheckpoint(config: config, step: step, bestDeltaE: file.metadata["tinct.bestDeltaE"].flatMap(Double.init))
        } catch {
            throw CheckpointError.badMetadata(path: path, reason: "config: \(error)")
        }
    }

    /// The checkpoint a user means by `source`: a file as it is; a run folder's
    /// best.safetensors, else its latest checkpoint; a model folder's generator (see
    /// `ModelInitialization`); nil when a folder holds none.
    public static func resolve(_ source: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder), isFolder.boolValue else { return source }
        if FileManager.default.fileExists(atPath: "\(source)/best.safetensors") { return "\(source)/best.safetensors" }
        if FileManager.default.fileExists(atPath: "\(source)/\(GeneratorModel.fileName)") { return "\(source)/\(GeneratorModel.fileName)" }
        return list(in: "\(source)/checkpoints").last?.path
    }

    /// Loads only the two networks of the checkpoint at `path` into `model`, whose
    /// architecture must match (fine-tuning); the optimizers and the step are left alone.
    public static func loadNetworks(into model: Pix2PixModel, from path: String) throws {
        let file = try SafetensorsFile(contentsOf: path)
        _ = try read(file, path: path)
        do {
            try model.generator.load(from: file, prefix: "G.", strict: true)
            try model.discriminator.load(from: file, prefix: "D.", strict: true)
        } catch {
            throw CheckpointError.badMetadata(path: path, reason: "its networks do not fit this run's architecture: \(error)")
        }
    }

    /// Loads networks and optimizer state into `model` (built from the same config).
    public static func restore(_ model: Pix2PixModel, from file: SafetensorsFile, path: String) throws -> TrainingCheckpoint {
        let header = try read(file, path: path)
        try model.generator.load(from: file, prefix: "G.", strict: false)
        try model.discriminator.load(from: file, prefix: "D.", strict: false)
        for (prefix, optimizer, key) in [("optG", model.optimizerG, "tinct.adamG.step"), ("optD", model.optimizerD, "tinct.adamD.step")] {
            for (i, (name, _)) in optimizer.parameters.enumerated() {
                optimizer.firstMoments[i].assign(from: try file.tensor("\(prefix).m.\(name)"))
                optimizer.secondMoments[i].assign(from: try file.tensor("\(prefix).v.\(name)"))
            }
            guard let adamStep = Int(file.metadata[key] ?? "") else { throw CheckpointError.badMetadata(path: path, reason: "no \(key)") }
            optimizer.restore(step: adamStep)
        }
        return header
    }

    /// Writes the checkpoint's generator as a servable model folder.
    public static func exportGenerator(checkpoint path: String, to folder: String, storedAs: StoredType = .float32) throws -> GeneratorModel {
        let model = try generatorModel(checkpoint: path)
        try model.save(folder: folder, storedAs: storedAs)
        return model
    }

    /// Checkpoint files of a run folder, oldest step first (temporary files are ignored).
    public static func list(in folder: String) -> [(step: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors"),
                let step = Int(name.dropFirst(5).dropLast(12))
            else { return nil }
            return (step, "\(folder)/\(name)")
        }.sorted { $0.0 < $1.0 }
    }

    public static func fileName(step: Int) -> String { String(format: "step-%08d.safetensors", step) }

    /// Deletes the temporary files (`.NAME.tmp-PID-…`, see `AtomicFile`) that a writer killed
    /// mid-write left in `folders`, those whose process no longer exists; returns their names.
    /// `list` never returns them anyway; this only keeps a run folder from filling up.
    public static func removeAbandonedTemporaryFiles(in folders: [String]) -> [String] {
        var removed: [String] = []
        for folder in folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") {
                guard let marker = name.range(of: ".tmp-", options: .backwards),
                    let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }), pid > 0,
                    kill(pid, 0) != 0, errno == ESRCH
                else { continue }
                if (try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")) != nil { removed.append(name) }
            }
        }
        return removed.sorted()
    }
}
