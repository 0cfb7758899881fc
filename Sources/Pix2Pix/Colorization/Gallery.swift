import Foundation
import ImageCodecs

/// Writes an evaluation gallery: per picture and hint count, the input with its hints, the
/// model's output and the ground truth as PNGs; an `index.html` showing them side by side;
/// and `metrics.json` with the mean rows (model beside both baselines) and per-picture figures.
public enum Gallery {
    public struct Report: Codable, Sendable {
        public var model: String
        public var pictures: Int
        public var rows: [ValidationRow]
    }

    public static func write(model: GeneratorModel, pictures: ImageFolder, seed: UInt64, to folder: String) throws -> Report {
        let maker = SampleMaker(mode: model.mode, size: model.resolution)
        var html = """
            <!doctype html><meta charset="utf-8"><title>Tinct evaluation</title>
            <style>body{font-family:sans-serif}img{width:192px;image-rendering:pixelated}td{padding:2px;text-align:center}</style>
            <h1>Tinct evaluation: \(model.mode.rawValue) model, \(pictures.count) pictures</h1><table>
            <tr><th>picture</th><th>hints</th><th>input + hints</th><th>model</th><th>nearest-hint fill</th><th>truth</th></tr>
            """
        for (i, picture) in pictures.images.enumerated() {
            for k in Validator.hintCounts {
                let sample = maker.validation(picture, hintCount: k, seed: BatchLoader.mix(seed, UInt64(i), UInt64(k), 0x7A1))
                let output = Validator.compose(sample: sample, generator: model.generator, mode: model.mode, size: model.resolution)
                let input: Baselines.Input = model.mode == .lineart ? .lineArt(sample.lines!) : .photo(sample.truth)
                var shown = Baselines.inputUnchanged(input)
                for h in sample.hints {
                    for dy in -h.radius...h.radius {
                        for dx in -h.radius...h.radius where dx * dx + dy * dy <= h.radius * h.radius {
                            let (x, y) = (h.x + dx, h.y + dy)
                            if x >= 0, y >= 0, x < shown.width, y < shown.height { shown[x, y] = (h.red, h.green, h.blue) }
                        }
                    }
                }
                let stem = String(format: "%03d-k%02d", i, k)
                try shown.write(to: "\(folder)/\(stem)-input.png")
                try output.write(to: "\(folder)/\(stem)-model.png")
                try Baselines.nearestHintFill(hints: sample.hints, input: input).write(to: "\(folder)/\(stem)-nearest.png")
                try sample.truth.write(to: "\(folder)/\(stem)-truth.png")
                let name = pictures.names[i].replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "&", with: "&amp;")
                html +=
                    "<tr><td>\(name)</td><td>\(k)</td>" + ["input", "model", "nearest", "truth"].map { "<td><img src=\"\(stem)-\($0).png\"></td>" }.joined()
                    + "</tr>\n"
            }
        }
        html += "</table>\n"
        let rows = Validator(maker: maker, pictures: pictures.images, seed: seed).evaluate(model.generator)
        let report = Report(model: model.mode.rawValue, pictures: pictures.count, rows: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: "\(folder)/metrics.json"))
        try Data(html.utf8).write(to: URL(fileURLWithPath: "\(folder)/index.html"))
        return report
    }
}
