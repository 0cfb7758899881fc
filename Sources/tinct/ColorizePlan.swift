import ArgumentParser
import Foundation
import ImageCodecs
import Pix2Pix

/// How `tinct colorize` treats one picture: the model (hence the mode), whether its lines are
/// extracted first, and why, in words the command prints. A picture's kind is detected as the
/// editor detects it (`PictureKind`) unless `--mode` or `--model` decides.
struct ColorizePlan {
    let colorizer: Colorizer
    /// The extractor that turns the picture into line art first; nil to colorize it as it is.
    let extraction: LineExtractor.Style?
    /// One line for the person: what was chosen and how to choose otherwise.
    let explanation: String

    /// What the model is given: the picture, or its extracted lines.
    func input(from picture: RGBImage) -> RGBImage {
        guard let extraction else { return picture }
        let extractor = LineExtractor.forPicture(width: picture.width, height: picture.height, style: extraction)
        return RGBImage(GrayImage(extractor.extractKeepingColorEdges(from: picture)))
    }
}

/// Makes a `ColorizePlan` per picture, loading each model once.
final class ColorizePlanner {
    let modelName: String?
    let mode: ModelMode?
    let lines: LineExtractor.Style?
    let modelsDirectory: String
    let hasHints: Bool
    private var loaded: [String: (colorizer: Colorizer, path: String)] = [:]

    init(modelName: String?, mode: ModelMode?, lines: LineExtractor.Style?, modelsDirectory: String, hasHints: Bool) {
        (self.modelName, self.mode, self.lines, self.modelsDirectory, self.hasHints) = (modelName, mode, lines, modelsDirectory, hasHints)
    }

    func plan(for picture: RGBImage) throws -> ColorizePlan {
        let kind = PictureKind.of(picture)
        let (colorizer, path) = try model(for: modelName == nil ? mode ?? kind.mode : nil)
        let chosenMode = colorizer.mode
        if let mode, mode != chosenMode {
            throw CommandFailure("--model \(path) is a \(chosenMode.rawValue) model, not \(mode.rawValue); leave out --mode or pick another model")
        }
        if chosenMode == .pix2pix && hasHints { throw CommandFailure("a pix2pix model takes no hints; leave out --hints") }
        if lines != nil && chosenMode != .lineart {
            throw CommandFailure("--lines extracts line art for a line-art model; \(path) is a \(chosenMode.rawValue) model")
        }
        let extraction = chosenMode == .lineart ? (lines ?? (kind.needsLineExtraction ? .xdog : nil)) : nil
        return ColorizePlan(
            colorizer: colorizer, extraction: extraction,
            explanation: explain(kind: kind, mode: chosenMode, extraction: extraction, model: path))
    }

    /// The model for `mode` (its default), or the one `--model` names when `mode` is nil.
    private func model(for mode: ModelMode?) throws -> (colorizer: Colorizer, path: String) {
        let key = mode?.rawValue ?? "--model"
        if let cached = loaded[key] { return cached }
        let located: ModelLocator.Located
        do {
            located = try ModelLocator.load(modelName, mode: mode, modelsDirectory: modelsDirectory)
        } catch {
            throw CommandFailure(error, context: "cannot load the model")
        }
        located.model.generator.useInt16Products(true)  // as the server infers (a loaded model never trains)
        let entry = (Colorizer(model: located.model), located.path)
        loaded[key] = entry
        return entry
    }

    private func explain(kind: PictureKind, mode: ModelMode, extraction: LineExtractor.Style?, model: String) -> String {
        let decided = modelName != nil ? "the model's mode" : self.mode != nil ? "--mode" : "detected"
        var text: String
        switch (kind, mode) {
        case (_, .pix2pix): text = "pix2pix translation"
        case (.color, .lineart) where extraction != nil:
            text = "in colour → its lines (\(extraction!.rawValue)) in line-art mode"
        case (_, .lineart) where extraction != nil:
            text = "its lines (\(extraction!.rawValue)) in line-art mode"
        case (.grayscalePhoto, .photo): text = "a black-and-white photo → photo mode"
        case (.color, .photo): text = "in colour → photo mode (its lightness kept, colours from the hints)"
        case (.lineArt, .lineart): text = "line art → line-art mode"
        case (.grayscalePhoto, .lineart): text = "looks like a black-and-white photo, colorized as line art"
        case (.lineArt, .photo): text = "looks like line art, colorized as a photo"
        default: text = "\(mode.rawValue) mode"
        }
        text += " (\(decided); model \(model))"
        if modelName == nil && self.mode == nil {
            text += kind == .grayscalePhoto ? "; --mode lineart to treat it as a drawing" : "; --mode photo to treat it as a photo"
        }
        return text
    }
}

extension LineExtractor.Style: ExpressibleByArgument {}
