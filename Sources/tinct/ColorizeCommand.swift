import ArgumentParser
import Foundation
import ImageCodecs
import Pix2Pix

/// `tinct colorize`: colorizes a picture (or every picture of a folder) at full resolution.
struct ColorizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colorize",
        abstract: "Colorize line art or a black-and-white photo, with optional color hints (or translate a picture with a pix2pix model).")

    @Argument(help: "Input picture (PNG/JPEG) or a folder of pictures.")
    var input: String
    @Option(name: .shortAndLong, help: "Output picture (.png/.jpg), or a folder when the input is a folder.")
    var output: String
    @Option(help: "Model name (folder under --models) or path; default: the mode's default model.")
    var model: String?
    @Option(help: "lineart, photo or pix2pix; chooses the default model (models/default-MODE).")
    var mode: ModelMode?
    @Option(help: "Folder of models.")
    var models: String = "models"
    @Option(help: "JSON file of hints: [{\"x\": 10, \"y\": 20, \"color\": \"#ff0000\", \"r\": 3}] in input pixels.")
    var hints: String?

    func run() throws {
        let colorizer: Colorizer
        do {
            colorizer = Colorizer(model: try ModelLocator.load(model, mode: mode, modelsDirectory: models))
        } catch { throw ValidationError("\(error)") }
        let hintList = try hints.map(HintFile.read) ?? []
        if colorizer.mode == .pix2pix && !hintList.isEmpty { throw ValidationError("a pix2pix model takes no hints; leave out --hints") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else { throw ValidationError("\(input) does not exist") }
        if isFolder.boolValue {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            var failures = 0
            for name in ImageFolder.listPictures(under: input) {
                let target = "\(output)/\((name as NSString).deletingPathExtension).png"
                try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                do {
                    try colorizer.colorize(RGBImage(contentsOf: "\(input)/\(name)"), hints: hintList).write(to: target)
                    print("\(name) → \(target)")
                } catch {
                    failures += 1
                    FileHandle.standardError.write(Data("skipped \(name): \(error)\n".utf8))
                }
            }
            if failures > 0 { throw ExitCode(2) }
        } else {
            do {
                let picture = try RGBImage(contentsOf: input)
                try colorizer.colorize(picture, hints: hintList).write(to: output)
            } catch { throw ValidationError("\(error)") }
        }
    }
}

/// Reads a hints file in the API's format.
enum HintFile {
    struct Entry: Decodable { var x: Int; var y: Int; var color: String; var r: Int? }

    static func read(_ path: String) throws -> [ColorHint] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read hints file \(path)") }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: data) } catch {
            throw ValidationError("hints file \(path) is not a JSON array of {x, y, color, r}: \(error)")
        }
        return try entries.enumerated().map { i, e in
            guard let hint = ColorHint(x: e.x, y: e.y, hex: e.color, radius: max(1, min(e.r ?? 3, 64))) else {
                throw ValidationError("hints[\(i)].color '\(e.color)' is not #rrggbb")
            }
            return hint
        }
    }
}
