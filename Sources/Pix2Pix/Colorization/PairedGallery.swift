import Foundation
import ImageCodecs

/// Writes the evaluation gallery of a pix2pix model: per pair the input, the model's output
/// and the target as PNGs at the model's resolution; an `index.html` showing them side by
/// side with each pair's figures; and `metrics.json` with the mean row (the model beside the
/// input unchanged; hints do not apply, see `PairedValidator`).
public enum PairedGallery {
    public static func write(model: GeneratorModel, pairs: PairedImageFolder, to folder: String) throws -> Gallery.Report {
        let maker = PairedSampleMaker(size: model.resolution, loadSide: model.resolution)
        var html = """
            <!doctype html><meta charset="utf-8"><title>Tinct evaluation</title>
            <style>body{font-family:sans-serif}img{width:192px;image-rendering:pixelated}td{padding:2px;text-align:center}</style>
            <h1>Tinct evaluation: pix2pix model, \(pairs.count) pairs</h1><table>
            <tr><th>pair</th><th>input</th><th>model</th><th>target</th><th>model PSNR / ΔE</th><th>input PSNR / ΔE</th></tr>
            """
        for (i, pair) in pairs.pairs.enumerated() {
            let sample = maker.validation(pair)
            let output = PairedValidator.translate(sample, generator: model.generator)
            let stem = String(format: "%03d", i)
            try sample.inputImage.write(to: "\(folder)/\(stem)-input.png")
            try output.write(to: "\(folder)/\(stem)-model.png")
            try sample.targetImage.write(to: "\(folder)/\(stem)-target.png")
            let figures = [(output, sample.targetImage), (sample.inputImage, sample.targetImage)].map {
                String(format: "%.2f dB / %.2f", Metrics.psnr($0.0, $0.1), Metrics.meanDeltaE2000($0.0, $0.1))
            }
            let name = pairs.keys[i].replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            html +=
                "<tr><td>\(name)</td>" + ["input", "model", "target"].map { "<td><img src=\"\(stem)-\($0).png\"></td>" }.joined()
                + figures.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        html += "</table>\n"
        let rows = PairedValidator(maker: maker, pairs: pairs.pairs).evaluate(model.generator)
        let report = Gallery.Report(model: model.mode.rawValue, pictures: pairs.count, rows: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: "\(folder)/metrics.json"))
        try Data(html.utf8).write(to: URL(fileURLWithPath: "\(folder)/index.html"))
        return report
    }
}
