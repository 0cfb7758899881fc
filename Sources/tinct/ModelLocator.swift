import Foundation
import Pix2Pix
import Server

/// Finds the model a command is given: a path (a model folder or file, a training checkpoint,
/// or a run folder — see `GeneratorModel.load(modelOrCheckpoint:)`), a name (a folder under
/// the models directory), or, with neither, the default model of a mode
/// (`default-lineart`, `default-photo`).
enum ModelLocator {
    /// The models directory: `--models` when given, else the first `models` folder holding a
    /// default model beside the working directory or the executable (see `ResourceLocator`), so
    /// an installed `tinct` finds its shipped models from anywhere; `models` in the working
    /// directory when there is none.
    static func modelsDirectory(_ given: String?, locator: ResourceLocator = .forCurrentProcess()) -> String {
        if let given { return DisplayPath.absolute(given) }
        let holdsDefault = { (folder: String) in
            ModelMode.allCases.contains { FileManager.default.fileExists(atPath: "\(folder)/default-\($0.rawValue)") }
        }
        return (try? locator.locateDirectory(named: "models", where: holdsDefault)) ?? DisplayPath.absolute("models")
    }

    /// A model and the path it was read from (for messages).
    struct Located {
        let model: GeneratorModel
        let path: String
    }

    static func load(_ nameOrPath: String?, mode: ModelMode?, modelsDirectory: String) throws -> Located {
        let fm = FileManager.default
        if let nameOrPath {
            if fm.fileExists(atPath: nameOrPath) {
                return Located(model: try GeneratorModel.load(modelOrCheckpoint: nameOrPath), path: DisplayPath.absolute(nameOrPath))
            }
            let inFolder = "\(modelsDirectory)/\(nameOrPath)"
            guard nameOrPath.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil, fm.fileExists(atPath: inFolder) else {
                throw LocatorError.notFound(nameOrPath, modelsDirectory)
            }
            return Located(model: try GeneratorModel.load(path: inFolder), path: inFolder)
        }
        let wanted = mode ?? .lineart
        let fallback = "\(modelsDirectory)/default-\(wanted.rawValue)"
        guard fm.fileExists(atPath: fallback) else { throw LocatorError.noDefault(wanted, modelsDirectory) }
        return Located(model: try GeneratorModel.load(path: fallback), path: fallback)
    }

    enum LocatorError: Error, CustomStringConvertible {
        case notFound(String, String)
        case noDefault(ModelMode, String)
        var description: String {
            switch self {
            case .notFound(let name, let dir):
                "no model '\(name)': neither a path (model folder, checkpoint or run folder) nor a folder in \(dir)"
            case .noDefault(let mode, let dir): "no default \(mode.rawValue) model in \(dir); pass --model or --models"
            }
        }
    }
}
