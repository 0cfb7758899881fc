import ArgumentParser
import Foundation
import ImageCodecs
import Pix2Pix

/// `tinct test`: measures a model on a folder of pictures (pix2pix: of pairs) beside the
/// baselines and writes a gallery (index.html) and metrics.json.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Evaluate a model on pictures at 0 to 128 simulated hints (pix2pix: on pairs); write a gallery and metrics.json.",
        discussion: """
            Line art is measured twice: at the model's resolution beside the two baselines (gallery, \
            metrics.json), and as a user meets it — pictures at up to --side pixels, lines by a fixed XDoG, \
            hints sampled from the original's colours, colorized as the server does (fidelity.json): mean \
            ΔE and PSNR to the original, adherence (ΔE between each hint's colour and the result in the 7×7 \
            window around it, within its lines) and bleed (ΔE on the original's white page). Photos are \
            measured the same two ways: the full-resolution pass makes each picture grey, samples hints \
            from the original and reports ΔE, PSNR and adherence beside the grey input and both fills at \
            full resolution.
            """)

    @Option(help: "Model name (folder under --models) or path: a model folder, a training checkpoint, or a run folder (its best checkpoint, else its latest).")
    var model: String
    @Option(help: "Folder of models (default: the models folder beside the working directory or the tinct executable).")
    var models: String?
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
    @Option(help: "Line art and photos: longer side of the pictures of the full-resolution fidelity pass (0 skips it).")
    var side: Int = 512

    func run() throws {
        let generatorModel: GeneratorModel
        do {
            generatorModel = try ModelLocator.load(model, mode: nil, modelsDirectory: ModelLocator.modelsDirectory(models)).model
        } catch {
            throw CommandFailure(error, context: "cannot load the model")
        }
        if generatorModel.mode == .pix2pix { return try testPaired(generatorModel) }
        let folder = FileManager.default.fileExists(atPath: "\(data)/val") ? "\(data)/val" : data
        let set = ImageFolder(root: folder, maxSide: generatorModel.resolution * 2, maxPictures: pictures)
        guard set.count > 0 else { throw CommandFailure("no readable pictures in \(DisplayPath.absolute(folder))") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let report = try Gallery.write(model: generatorModel, pictures: set, seed: seed, to: out)
        print("At the model's resolution (\(generatorModel.resolution) px), \(set.count) pictures:")
        for row in report.rows {
            print(
                String(
                    format: "%3d hints  model %.2f dB / ΔE %.2f%@   input %.2f / %.2f   nearest-hint %.2f / %.2f%@  %@",
                    row.hints, row.model.psnr, row.model.deltaE, Self.fidelity(row.model.adherence, row.model.bleed),
                    row.inputUnchanged.psnr, row.inputUnchanged.deltaE, row.nearestHintFill.psnr, row.nearestHintFill.deltaE,
                    Self.fidelity(row.nearestHintFill.adherence, row.nearestHintFill.bleed) + Self.edgeAware(row),
                    row.modelWins ? "model beats every baseline" : ""))
        }
        print("gallery: \(out)/index.html")
        if generatorModel.mode == .lineart && side > 0 { try testFidelity(generatorModel, folder: folder) }
        if generatorModel.mode == .photo && side > 0 { try testPhotoFidelity(generatorModel, folder: folder) }
    }

    /// Photos as a user meets them: see `PhotoFidelityEvaluation`.
    private func testPhotoFidelity(_ generatorModel: GeneratorModel, folder: String) throws {
        let originals = ImageFolder(root: folder, maxSide: side, maxPictures: pictures)
        let evaluation = PhotoFidelityEvaluation(pictures: originals.images, seed: seed)
        var gallery = FidelityGallery(pictures: originals.count, counts: [0, 16, 64])
        let rows = try evaluation.evaluate(Colorizer(model: generatorModel)) { gallery.add(index: $0, hints: $1, input: $2, result: $3) }
        let galleryFolder = "\(out)/fidelity"
        try gallery.write(originals: originals, to: galleryFolder)
        print("As a user meets it (pictures at up to \(side) px, made grey, hints from the original, full resolution), \(originals.count) pictures:")
        for row in rows {
            print(
                String(
                    format: "%3d hints  ΔE %.2f  PSNR %.2f dB%@   grey input %.2f / %.2f dB   nearest-hint %.2f / %.2f dB   edge-aware %.2f / %.2f dB  %@",
                    row.hints, row.deltaE, row.psnr, Self.fidelity(row.adherence, nil), row.inputDeltaE, row.inputPSNR,
                    row.nearestHintDeltaE, row.nearestHintPSNR, row.edgeAwareDeltaE, row.edgeAwarePSNR,
                    row.hints > 0 && row.modelWins ? "model beats every baseline" : ""))
        }
        try writeFidelityFigures(rows)
        print("figures: \(out)/fidelity.json; gallery (original, then grey input with hints and result at 0, 16, 64 hints): \(galleryFolder)/")
    }

    /// Line art as a user meets it: see the command's discussion.
    private func testFidelity(_ generatorModel: GeneratorModel, folder: String) throws {
        let originals = ImageFolder(root: folder, maxSide: side, maxPictures: pictures)
        let evaluation = HintFidelityEvaluation(pictures: originals.images, seed: seed)
        var gallery = FidelityGallery(pictures: originals.count, counts: [0, 16, 128])
        let rows = try evaluation.evaluate(Colorizer(model: generatorModel)) { gallery.add(index: $0, hints: $1, input: $2, result: $3) }
        let galleryFolder = "\(out)/fidelity"
        try gallery.write(originals: originals, to: galleryFolder)
        print("As a user meets it (pictures at up to \(side) px, XDoG lines, hints from the original), \(originals.count) pictures:")
        for row in rows {
            print(
                String(
                    format: "%3d hints  ΔE %.2f  PSNR %.2f dB%@   (input unchanged: ΔE %.2f)", row.hints, row.deltaE, row.psnr,
                    Self.fidelity(row.adherence, row.bleed), row.inputDeltaE))
        }
        try writeFidelityFigures(rows)
        print("figures: \(out)/fidelity.json; gallery (original, then drawing and result at 0, 16, 128 hints): \(galleryFolder)/")
    }

    private func writeFidelityFigures<Row: Encodable>(_ rows: [Row]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(rows).write(to: URL(fileURLWithPath: "\(out)/fidelity.json"))
    }

    /// Photos: the edge-aware fill's PSNR / ΔE.
    private static func edgeAware(_ row: ValidationRow) -> String {
        row.edgeAwareFill.map { String(format: "   edge-aware %.2f / %.2f", $0.psnr, $0.deltaE) } ?? ""
    }

    private static func fidelity(_ adherence: Double?, _ bleed: Double?) -> String {
        (adherence.map { String(format: "  adherence %.2f", $0) } ?? "") + (bleed.map { String(format: "  bleed %.2f", $0) } ?? "")
    }

    /// pix2pix: the validation pairs (all pairs when the folder has no train/ val/ split).
    private func testPaired(_ generatorModel: GeneratorModel) throws {
        let files = PairedFiles(path: data, layout: layout ?? PairedLayout.detect(at: data))
        let chosen = Array((files.hasSplitFolders ? files.validation : files.all.sorted { $0.key < $1.key }).prefix(pictures))
        let set = PairedImageFolder(
            files: chosen, direction: direction ?? generatorModel.direction ?? .aToB,
            maxSide: generatorModel.resolution * 2)
        for skipped in set.skipped { FileHandle.standardError.write(Data("skipped \(skipped.path): \(skipped.reason)\n".utf8)) }
        if !files.unmatched.isEmpty {
            FileHandle.standardError.write(Data("warning: \(files.unmatched.count) file(s) in A/ or B/ have no partner\n".utf8))
        }
        guard set.count > 0 else { throw CommandFailure("no readable pairs in \(DisplayPath.absolute(data))") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let report = try PairedGallery.write(model: generatorModel, pairs: set, to: out)
        for row in report.rows {
            print(
                String(
                    format: "%d pairs  model %.2f dB / ΔE %.2f   input unchanged %.2f / %.2f  %@", report.pictures,
                    row.model.psnr, row.model.deltaE, row.inputUnchanged.psnr, row.inputUnchanged.deltaE,
                    row.modelWins ? "model beats the input" : ""))
        }
        print("gallery: \(out)/index.html")
    }
}
