import ArgumentParser
import Foundation
import ImageCodecs
import Pix2Pix

/// `tinct test`: measures a model on a folder of pictures beside the baselines and writes a
/// gallery (index.html) and metrics.json.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Evaluate a model on pictures at 0, 4 and 16 simulated hints; write a gallery and metrics.json.")

    @Option(help: "Model name (folder under --models) or path.")
    var model: String
    @Option(help: "Folder of models.")
    var models: String = "models"
    @Option(help: "Folder of ground-truth color pictures (its val/ subfolder when present).")
    var data: String
    @Option(help: "Output folder for the gallery.")
    var out: String
    @Option(help: "At most this many pictures.")
    var pictures: Int = 48
    @Option(help: "Seed of the simulated hints.")
    var seed: UInt64 = 1

    func run() throws {
        let generatorModel: GeneratorModel
        do { generatorModel = try ModelLocator.load(model, mode: nil, modelsDirectory: models) } catch { throw ValidationError("\(error)") }
        guard generatorModel.mode != .pix2pix else { throw ValidationError("tinct test evaluates lineart and photo models") }
        let folder = FileManager.default.fileExists(atPath: "\(data)/val") ? "\(data)/val" : data
        let set = ImageFolder(root: folder, maxSide: generatorModel.resolution * 2, maxPictures: pictures)
        guard set.count > 0 else { throw ValidationError("no readable pictures in \(folder)") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let report = try Gallery.write(model: generatorModel, pictures: set, seed: seed, to: out)
        for row in report.rows {
            print(String(format: "%2d hints  model %.2f dB / ΔE %.2f   input %.2f / %.2f   nearest-hint %.2f / %.2f  %@",
                         row.hints, row.model.psnr, row.model.deltaE, row.inputUnchanged.psnr, row.inputUnchanged.deltaE,
                         row.nearestHintFill.psnr, row.nearestHintFill.deltaE, row.modelWins ? "model beats both" : ""))
        }
        print("gallery: \(out)/index.html")
    }
}
