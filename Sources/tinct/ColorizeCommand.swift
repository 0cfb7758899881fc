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
    @Option(help: "Model name (folder under --models) or path (a model folder, a training checkpoint or a run folder); default: the mode's default model.")
    var model: String?
    @Option(
        help:
            "lineart, photo or pix2pix; chooses the default model (models/default-MODE). Default: detected per picture as the editor does — line art, a black-and-white photo (photo), or a picture in colour (line art of its extracted lines)."
    )
    var mode: ModelMode?
    @Option(help: "Folder of models (default: the models folder beside the working directory or the tinct executable).")
    var models: String?
    @Option(help: "JSON file of hints: [{\"x\": 10, \"y\": 20, \"color\": \"#ff0000\", \"r\": 3}] in input pixels.")
    var hints: String?
    @Option(
        help: "Extract the picture's lines first with xdog, adaptive or sobel (line-art models only). Default: xdog for a picture in colour, none for line art."
    )
    var lines: LineExtractor.Style?
    @Option(
        help:
            "Also write the result as layers (lines, flat colours, shading, hints): OUT.ora (OpenRaster: Krita, GIMP, MyPaint) or OUT.psd (Photoshop), chosen by the extension; a folder of layer files when the input is a folder (see --layers-format)."
    )
    var layers: String?
    @Option(
        help:
            "The layer files' format: ora (OpenRaster) or psd (Photoshop). A folder input writes one file per picture in it (default ora); for one picture the --layers file's extension decides, and this must agree with it."
    )
    var layersFormat: LayerFile?
    @Flag(help: "Line art: write the output PNG with the page's paper transparent (lines and colours opaque).")
    var transparent = false
    @Option(
        help:
            "Colour with this variant: a seed (0 or more) for the generator's dropout, which gives another plausible colouring; the same seed gives the same picture. Default: the deterministic colouring."
    )
    var variant: UInt64?

    func validate() throws {
        if layersFormat != nil, layers == nil { throw ValidationError("--layers-format chooses the format of --layers; give --layers too") }
        if let mode, mode != .lineart, lines != nil { throw ValidationError("--lines makes line art; it needs --mode lineart (or none)") }
        if let mode, mode != .lineart, transparent { throw ValidationError("--transparent clears the paper of line art; it needs --mode lineart (or none)") }
        if transparent, ImageFormat(pathExtensionOf: output) == .jpeg {
            throw ValidationError("--transparent writes a PNG with alpha; name the output .png")
        }
    }

    func run() throws {
        let hintList = try hints.map(HintFile.read) ?? []
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
            throw CommandFailure("\(DisplayPath.absolute(input)) does not exist")
        }
        let planner = ColorizePlanner(
            modelName: model, mode: mode, lines: lines, modelsDirectory: ModelLocator.modelsDirectory(models),
            hasHints: !hintList.isEmpty)
        if isFolder.boolValue {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            var failures = 0
            for name in ImageFolder.listPictures(under: input) {
                let stem = (name as NSString).deletingPathExtension
                let target = "\(output)/\(stem).png"
                let layered = layers.map { "\($0)/\(stem).\((layersFormat ?? .openRaster).rawValue)" }
                for file in [target] + (layered.map { [$0] } ?? []) {
                    try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                }
                do {
                    let explanation = try colorize("\(input)/\(name)", hints: hintList, planner: planner, to: target, layers: layered)
                    print("\(name): \(explanation) → \(target)")
                } catch let failure as PictureFailure {
                    failures += 1
                    FileHandle.standardError.write(Data("skipped \(name): \(failure)\n".utf8))
                }
            }
            if failures > 0 { throw ExitCode(2) }
        } else {
            if let layers, LayerFile.format(of: layers) == nil {
                throw CommandFailure("--layers \(layers): name the layers file .ora (OpenRaster) or .psd (Photoshop)")
            }
            if let layers, let layersFormat, LayerFile.format(of: layers) != layersFormat {
                throw CommandFailure("--layers \(layers) is not a .\(layersFormat.rawValue) file, as --layers-format asks")
            }
            let explanation = try colorize(input, hints: hintList, planner: planner, to: output, layers: layers)
            print("\(input): \(explanation) → \(output)\(layers.map { " and \($0)" } ?? "")")
        }
    }

    /// Colorizes the picture at `path` into `target` (and its layers into `layers`) as its
    /// plan says; returns the plan's explanation.
    private func colorize(
        _ path: String, hints: [ColorHint], planner: ColorizePlanner, to target: String,
        layers: String?
    ) throws -> String {
        let picture: RGBImage
        do { picture = try RGBImage(contentsOf: path) } catch { throw PictureFailure(error, context: DisplayPath.absolute(path)) }
        let plan = try planner.plan(for: picture)
        do {
            let result = try plan.colorizer.colorizeLayered(
                plan.input(from: picture), hints: hints,
                variant: variant.map(ColorVariant.init(seed:)))
            if transparent {
                try writeFile(PNGEncoder.encode(TransparentPaper.picture(result)), to: target)
            } else {
                try result.picture.write(to: target)
            }
            if let layers {
                let bytes =
                    try LayerFile.format(of: layers) == .photoshop
                    ? LayeredExport.photoshop(result) : LayeredExport.openRaster(result)
                try writeFile(bytes, to: layers)
            }
        } catch {
            throw PictureFailure(error, context: DisplayPath.absolute(path))
        }
        return plan.explanation
    }
}

/// The layered formats `--layers` writes, told apart by the file's extension (the raw value)
/// or named by `--layers-format`.
enum LayerFile: String, Equatable, CaseIterable, ExpressibleByArgument {
    case openRaster = "ora"
    case photoshop = "psd"

    /// The format a path names: `.ora` or `.psd` (any case); nil for anything else.
    static func format(of path: String) -> LayerFile? {
        LayerFile(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

/// Writes `bytes` to `path` atomically.
private func writeFile(_ bytes: [UInt8], to path: String) throws {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CommandFailure("cannot write \(DisplayPath.absolute(path)): \((error as NSError).localizedDescription)")
    }
}

/// One picture of a folder could not be read, colorized or written: it is skipped and the
/// others go on (a model that does not load stops the whole command instead).
struct PictureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ error: any Error, context: String) { description = "\(context): \(error)" }
}

/// Reads a hints file in the API's format.
enum HintFile {
    struct Entry: Decodable {
        var x: Int
        var y: Int
        var color: String
        var r: Int?
    }

    static func read(_ path: String) throws -> [ColorHint] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read hints file \(DisplayPath.absolute(path))") }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: data) } catch {
            throw CommandFailure("hints file \(DisplayPath.absolute(path)) is not a JSON array of {x, y, color, r}: \(error)")
        }
        return try entries.enumerated().map { i, e in
            guard let hint = ColorHint(x: e.x, y: e.y, hex: e.color, radius: max(1, min(e.r ?? 3, 64))) else {
                throw CommandFailure("hints[\(i)].color '\(e.color)' is not #rrggbb")
            }
            return hint
        }
    }
}
