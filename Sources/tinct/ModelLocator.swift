import Foundation
import Pix2Pix

/// Finds a model given by name (a folder under the models directory) or by path, or the
/// default model of a mode (`models/default-lineart`, `models/default-photo`).
enum ModelLocator {
    static func load(_ nameOrPath: String?, mode: ModelMode?, modelsDirectory: String) throws -> GeneratorModel {
        let fm = FileManager.default
        if let nameOrPath {
            if fm.fileExists(atPath: nameOrPath) { return try GeneratorModel.load(path: nameOrPath) }
            let inFolder = "\(modelsDirectory)/\(nameOrPath)"
            guard nameOrPath.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil, fm.fileExists(atPath: inFolder) else {
                throw LocatorError.notFound(nameOrPath, modelsDirectory)
            }
            return try GeneratorModel.load(path: inFolder)
        }
        let wanted = mode ?? .lineart
        let fallback = "\(modelsDirectory)/default-\(wanted.rawValue)"
        guard fm.fileExists(atPath: fallback) else { throw LocatorError.noDefault(wanted, modelsDirectory) }
        return try GeneratorModel.load(path: fallback)
    }

    enum LocatorError: Error, CustomStringConvertible {
        case notFound(String, String)
        case noDefault(ModelMode, String)
        var description: String {
            switch self {
            case .notFound(let name, let dir): "no model '\(name)' (neither a path nor a folder in \(dir))"
            case .noDefault(let mode, let dir): "no default \(mode.rawValue) model in \(dir); pass --model"
            }
        }
    }
}
