import Foundation
import Pix2Pix

/// What the server knows about one installed model without loading its weights.
public struct ModelInfo: Sendable, Equatable, Codable {
    /// Folder name under the models directory; also the name clients select it by.
    public let name: String
    /// What the model colorizes.
    public let mode: ModelMode
    /// Side of the square the network runs at.
    public let resolution: Int
    /// Absolute path of the model's `generator.safetensors`.
    let path: String
    /// Modification date of that file, so a re-published model is reloaded.
    let modified: Date

    private enum CodingKeys: String, CodingKey { case name, mode, resolution }

    init(name: String, mode: ModelMode, resolution: Int, path: String, modified: Date) {
        (self.name, self.mode, self.resolution, self.path, self.modified) = (name, mode, resolution, path, modified)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), mode: try c.decode(ModelMode.self, forKey: .mode),
            resolution: try c.decode(Int.self, forKey: .resolution), path: "", modified: .distantPast)
    }
}

/// Finds the models in the models directory: every subfolder with a valid name that holds a
/// `generator.safetensors` whose header carries Tinct's metadata.
///
/// Only the safetensors header is read (a few kilobytes), so listing stays cheap even for
/// large models; weights are loaded by the inference thread on first use.
public enum ModelCatalog {
    /// Model names clients may use: 1–64 of `A–Z a–z 0–9 _ -` (so a name is never a path).
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
            }
    }

    /// Names kept for the models that come with Tinct (`default-lineart`, `default-photo`, and
    /// any later `default-…`): a publish never writes them, so no request can replace them.
    public static func isReservedName(_ name: String) -> Bool {
        name.lowercased().hasPrefix("default-")
    }

    /// The models under `directory`, sorted by name. A missing directory has no models;
    /// folders that are not Tinct models are skipped.
    public static func scan(directory: String) -> [ModelInfo] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().compactMap { name in
            guard isValidName(name) else { return nil }
            let path = "\(directory)/\(name)/\(GeneratorModel.fileName)"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let metadata = try? readMetadata(path: path),
                metadata["tinct.format"] == GeneratorModel.formatVersion,
                let mode = metadata["tinct.mode"].flatMap(ModelMode.init(rawValue:))
            else { return nil }
            let resolution = Int(metadata["tinct.resolution"] ?? "256") ?? 256
            let modified = attributes[.modificationDate] as? Date ?? .distantPast
            return ModelInfo(name: name, mode: mode, resolution: resolution, path: path, modified: modified)
        }
    }

    /// The default model for `mode`: one named `default-<mode>` if present, else the first by name.
    public static func defaultModel(for mode: ModelMode, in models: [ModelInfo]) -> ModelInfo? {
        models.first { $0.name == "default-\(mode.rawValue)" && $0.mode == mode } ?? models.first { $0.mode == mode }
    }

    /// Largest safetensors header the catalog reads; Tinct's own headers are a few kilobytes.
    static let maxHeaderBytes = 16 << 20

    /// The `__metadata__` map of a safetensors file, reading only its header.
    static func readMetadata(path: String) throws -> [String: String] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        guard let lengthBytes = try handle.read(upToCount: 8), lengthBytes.count == 8 else { return [:] }
        let length = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(maxHeaderBytes), let header = try handle.read(upToCount: Int(length)),
            header.count == Int(length),
            let object = try JSONSerialization.jsonObject(with: header) as? [String: Any],
            let metadata = object["__metadata__"] as? [String: String]
        else { return [:] }
        return metadata
    }
}
