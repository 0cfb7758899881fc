import ArgumentParser
import Foundation
import ImageCodecs
import Pix2Pix
import Server
import Testing

@testable import tinct

/// What a newcomer meets on the command line (#15 item 4): `tinct test --model` reads run
/// folders and checkpoints as `export` does, `colorize` picks the mode the editor would and
/// says so, and a command that fails at work prints its error alone with status 1, never the
/// usage text and status 64 of a wrong command line.
@Suite("tinct command line")
struct CommandLineTests {
    /// What ArgumentParser prints and the status it exits with for an error thrown by a command.
    static func outcome(of error: any Error) -> (message: String, status: Int32) {
        (Tinct.fullMessage(for: error), Tinct.exitCode(for: error).rawValue)
    }

    /// The error `body` throws (the test fails when it throws none).
    static func thrown(_ body: () throws -> Void) -> (any Error)? {
        do { try body() } catch { return error }
        Issue.record("expected an error")
        return nil
    }

    @Test("A model is found from a run folder, a checkpoint file and a model folder, with the run's mode and size")
    func modelSources() throws {
        let run = try CommandLineFixtures.runFolder(dataPath: CommandLineFixtures.folder("data"))
        let models = try CommandLineFixtures.modelsFolder()
        for source in [run, "\(run)/best.safetensors", "\(run)/checkpoints/\(TrainingCheckpoint.fileName(step: 1))"] {
            let located = try ModelLocator.load(source, mode: nil, modelsDirectory: models)
            #expect(located.model.mode == .lineart, "\(source)")
            #expect(located.model.resolution == 32, "\(source)")
        }
        #expect(try ModelLocator.load("default-photo", mode: nil, modelsDirectory: models).model.mode == .photo)
        #expect(try ModelLocator.load("\(models)/default-photo", mode: nil, modelsDirectory: models).model.mode == .photo)
        let emptyRun = CommandLineFixtures.folder("empty-run")
        let error = Self.thrown { _ = try ModelLocator.load(emptyRun, mode: nil, modelsDirectory: models) }
        #expect("\(error!)".contains("holds no generator.safetensors, best.safetensors or checkpoints"), "\(error!)")
    }

    @Test("tinct test --model RUN evaluates the run's best checkpoint and writes its gallery")
    func testCommandOnRunFolder() throws {
        let data = CommandLineFixtures.folder("pictures")
        for i in 0..<3 { try CommandLineFixtures.colorShapes(width: 64 + 8 * i, height: 64).write(to: "\(data)/p\(i).png") }
        let run = try CommandLineFixtures.runFolder(dataPath: data)
        let out = CommandLineFixtures.folder("gallery")
        try TestCommand.parse(["--model", run, "--data", data, "--out", out, "--pictures", "3", "--side", "0"]).run()
        #expect(FileManager.default.fileExists(atPath: "\(out)/index.html"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/metrics.json"))
    }

    @Test("Errors at work print alone with status 1; a wrong command line keeps usage and status 64")
    func runtimeErrorsAreNotUsageErrors() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/model"
        let out = CommandLineFixtures.folder("out")
        let failures: [any Error] = [
            Self.thrown { try TestCommand.parse(["--model", missing, "--data", out, "--out", out]).run() },
            Self.thrown { try ColorizeCommand.parse(["\(out)/none.png", "-o", "\(out)/x.png"]).run() },
            Self.thrown { try ExportCommand.parse([CommandLineFixtures.folder("empty"), "-o", "\(out)/m"]).run() }
        ].compactMap { $0 }
        #expect(failures.count == 3)
        for error in failures {
            let (message, status) = Self.outcome(of: error)
            #expect(status == ExitCode.failure.rawValue, "\(message)")
            #expect(!message.contains("Usage:"), "\(message)")
            #expect(message.contains("/"), "names a path: \(message)")
        }
        // The contrast: an argument that is itself wrong is a usage error.
        let usage = Self.thrown { _ = try ColorizeCommand.parseAsRoot(["in.png", "-o", "x.png", "--mode", "photo", "--lines", "xdog"]) }
        let (message, status) = Self.outcome(of: usage!)
        #expect(status == ExitCode.validationFailure.rawValue && message.contains("Usage:"), "\(status) \(message)")
    }

    @Test("A picture's kind is told apart as the editor does")
    func pictureKinds() {
        #expect(PictureKind.of(CommandLineFixtures.grayPhoto()) == .grayscalePhoto)
        #expect(PictureKind.of(CommandLineFixtures.colorShapes()) == .color)
        #expect(PictureKind.of(CommandLineFixtures.lineArt()) == .lineArt)
        #expect(PictureKind.of(CommandLineFixtures.lineArt(side: 20)) == .lineArt, "smaller than the probe")
    }

    @Test("colorize without --mode: a grey photo in photo mode, a colour picture on its lines, line art as it is; and says so")
    func colorizeDetectsTheMode() throws {
        let models = try CommandLineFixtures.modelsFolder()
        let planner = ColorizePlanner(modelName: nil, mode: nil, lines: nil, modelsDirectory: models, hasHints: true)
        let photo = try planner.plan(for: CommandLineFixtures.grayPhoto())
        #expect(photo.colorizer.mode == .photo && photo.extraction == nil)
        #expect(photo.explanation.contains("black-and-white photo → photo mode"), "\(photo.explanation)")
        #expect(photo.explanation.contains("--mode lineart"), "\(photo.explanation)")
        let color = try planner.plan(for: CommandLineFixtures.colorShapes())
        #expect(color.colorizer.mode == .lineart && color.extraction == .xdog, "\(color.explanation)")
        let lines = color.input(from: CommandLineFixtures.colorShapes())
        #expect(PictureKind.of(lines) == .lineArt, "the extracted lines are line art")
        let drawing = try planner.plan(for: CommandLineFixtures.lineArt())
        #expect(drawing.colorizer.mode == .lineart && drawing.extraction == nil, "\(drawing.explanation)")
        // --mode decides over the detection.
        let forced = ColorizePlanner(modelName: nil, mode: .lineart, lines: .sobel, modelsDirectory: models, hasHints: false)
        let forcedPlan = try forced.plan(for: CommandLineFixtures.grayPhoto())
        #expect(forcedPlan.colorizer.mode == .lineart && forcedPlan.extraction == .sobel)

        // End to end: the photo is colorized at its own size.
        let folder = CommandLineFixtures.folder("colorize")
        try CommandLineFixtures.grayPhoto().write(to: "\(folder)/photo.png")
        try ColorizeCommand.parse(["\(folder)/photo.png", "-o", "\(folder)/out.png", "--models", models]).run()
        let result = try RGBImage(contentsOf: "\(folder)/out.png")
        #expect(result.width == 96 && result.height == 72)
    }

    @Test("colorize --layers with a folder: .ora files, or .psd files with --layers-format psd, as one picture can")
    func colorizeFolderLayers() throws {
        let models = try CommandLineFixtures.modelsFolder()
        let folder = CommandLineFixtures.folder("colorize-layers")
        try FileManager.default.createDirectory(atPath: "\(folder)/in", withIntermediateDirectories: true)
        try CommandLineFixtures.lineArt(side: 48).write(to: "\(folder)/in/drawing.png")
        for (format, magic) in [(nil, "PK"), ("psd", "8BPS"), ("ora", "PK")] as [(String?, String)] {
            let layers = "\(folder)/layers-\(format ?? "default")"
            let formatArguments = format.map { ["--layers-format", $0] } ?? []
            try ColorizeCommand.parse(
                ["\(folder)/in", "-o", "\(folder)/out", "--models", models, "--mode", "lineart", "--layers", layers] + formatArguments
            ).run()
            let file = "\(layers)/drawing.\(format ?? "ora")"
            let bytes = try #require(FileManager.default.contents(atPath: file), "\(file) written")
            #expect(bytes.prefix(magic.utf8.count) == Data(magic.utf8), "\(file) starts with \(magic)")
        }
        // One picture: the file's extension decides, and --layers-format must agree with it.
        #expect(throws: CommandFailure.self) {
            try ColorizeCommand.parse(
                ["\(folder)/in/drawing.png", "-o", "\(folder)/one.png", "--models", models, "--layers", "\(folder)/one.ora", "--layers-format", "psd"]
            ).run()
        }
        #expect(throws: (any Error).self) { try ColorizeCommand.parse(["\(folder)/in", "-o", "\(folder)/out", "--layers-format", "psd"]) }
    }

    @Test("An installed tinct (make install PREFIX=…) finds its pages and models from any folder")
    func installedLayout() throws {
        let prefix = CommandLineFixtures.folder("prefix")
        for folder in ["bin", "share/tinct/models/default-lineart", "share/tinct/Public", "share/tinct/templates"] {
            try FileManager.default.createDirectory(atPath: "\(prefix)/\(folder)", withIntermediateDirectories: true)
        }
        // Run from a folder that has a `models` folder of its own, without default models.
        let elsewhere = CommandLineFixtures.folder("elsewhere")
        try FileManager.default.createDirectory(atPath: "\(elsewhere)/models/someone-elses", withIntermediateDirectories: true)
        let locator = ResourceLocator(currentDirectory: elsewhere, executableDirectory: "\(prefix)/bin")
        for name in ["Public", "templates"] {
            #expect(try locator.locateDirectory(named: name) == "\(prefix)/share/tinct/\(name)")
        }
        #expect(ModelLocator.modelsDirectory(nil, locator: locator) == "\(prefix)/share/tinct/models")
        #expect(ModelLocator.modelsDirectory("rel", locator: locator) == DisplayPath.absolute("rel"))
    }

    @Test("Extracted lines keep the edge between two colours of the same lightness (a yellow shutter on a light green disk)")
    func linesKeepColorEdges() throws {
        // Luma 226 (yellow) against 209 (light green): almost no edge in the luminance.
        let picture = CommandLineFixtures.picture(width: 96, height: 96) { x, y in
            (30..<66).contains(x) && (30..<66).contains(y) ? (255, 255, 0) : (200, 230, 120)
        }
        let plan = ColorizePlan(
            colorizer: Colorizer(model: GeneratorModel(mode: .lineart, generator: UNetGenerator(CommandLineFixtures.generator(.lineart)), resolution: 32)),
            extraction: .xdog, explanation: "")
        let lines = plan.input(from: picture)
        /// Ink pixels (dark) along the square's four sides, within 2 px of each.
        func inkOnOutline(_ image: RGBImage) -> Int {
            var ink = 0
            for y in 0..<image.height {
                for x in 0..<image.width where image.pixels[(y * image.width + x) * 3] < 128 {
                    let nearSide = [x - 30, x - 65, y - 30, y - 65].contains { abs($0) <= 2 }
                    if nearSide && (28...68).contains(x) && (28...68).contains(y) { ink += 1 }
                }
            }
            return ink
        }
        let luminanceOnly = RGBImage(GrayImage(LineExtractor.forPicture(width: 96, height: 96, style: .xdog).extract(from: picture)))
        #expect(inkOnOutline(luminanceOnly) < 20, "the luminance alone was expected to lose this outline")
        #expect(inkOnOutline(lines) >= 4 * 30, "the outline (4 sides of 36 px) has \(inkOnOutline(lines)) ink pixels")
    }
}
