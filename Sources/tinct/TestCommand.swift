import ArgumentParser
import Foundation
import ImageCodecs
import Pix2Pix

/// `tinct test`: measures a model on a folder of pictures (pix2pix: of pairs) beside the
/// baselines and writes a gallery (index.html) and metrics.json.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Evaluate a model on pictures at 0, 4 and 16 simulated hints (pix2pix: on pairs); write a gallery and metrics.json.")

    @Option(help: "Model name (folder under --models) or path.")
    var model: String
    @Option(help: "Folder of models.")
    var models: String = "models"
    @Option(help: "Folder of ground-truth color pictures (its val/ subfolder when present); pix2pix: a paired dataset (see tinct train --help).")
    var data: String
    @Option(help: "Output folder for the gallery.")
    var out: String
    @Option(help: "At most this many pictures.")
    var pictures: Int = 48
    @Option(help: "Seed of the simulated hints.")
    var seed: UInt64 = 1
    @Option(help: "pix2pix: AtoB or BtoA; default: the direction the model was trained with (else AtoB).")
    var direction: PairDirection?
    @Option(help: "pix2pix: side-by-side or folders; detected when omitted.")
    var layout: PairedLayout?

    func run() throws {
        let generatorModel: GeneratorModel
        do { generatorModel = try ModelLocator.load(model, mode: nil, modelsDirectory: models) } catch { throw ValidationError("\(error)") }
        if generatorModel.mode == .pix2pix { return try testPaired(generatorModel) }
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

    /// pix2pix: the validation pairs (all pairs when the folder has no train/ val/ split).
    private func testPaired(_ generatorModel: GeneratorModel) throws {
        let files = PairedFiles(path: data, layout: layout ?? PairedLayout.detect(at: data))
        let chosen = Array((files.hasSplitFolders ? files.validation : files.all.sorted { $0.key < $1.key }).prefix(pictures))
        let set = PairedImageFolder(files: chosen, direction: direction ?? generatorModel.direction ?? .aToB,
                                    maxSide: generatorModel.resolution * 2)
        for skipped in set.skipped { FileHandle.standardError.write(Data("skipped \(skipped.path): \(skipped.reason)\n".utf8)) }
        if !files.unmatched.isEmpty {
            FileHandle.standardError.write(Data("warning: \(files.unmatched.count) file(s) in A/ or B/ have no partner\n".utf8))
        }
        guard set.count > 0 else { throw ValidationError("no readable pairs in \(data)") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let report = try PairedGallery.write(model: generatorModel, pairs: set, to: out)
        for row in report.rows {
            print(String(format: "%d pairs  model %.2f dB / ΔE %.2f   input unchanged %.2f / %.2f  %@", report.pictures,
                         row.model.psnr, row.model.deltaE, row.inputUnchanged.psnr, row.inputUnchanged.deltaE,
                         row.modelWins ? "model beats the input" : ""))
        }
        print("gallery: \(out)/index.html")
    }
}
