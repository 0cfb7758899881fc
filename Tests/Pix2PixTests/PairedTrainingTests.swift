import Foundation
import ImageCodecs
import NN
import Pix2Pix
import Tensors
import Testing

/// pix2pix mode through the real Trainer: it learns one pair, saves and resumes its
/// direction and layout, and its model translates pictures at their own size.
@Suite("Paired training", .serialized)
struct PairedTrainingTests {
    /// One side-by-side pair (A smooth colors, B = A's channels rotated) as train/ and val/.
    static func onePairDataset() throws -> String {
        let root = TrainingTests.temporaryFolder("paired-data")
        var a = RGBImage(width: 40, height: 40)
        for y in 0..<40 {
            for x in 0..<40 { a[x, y] = (UInt8(40 + 4 * x), UInt8(200 - 3 * y), UInt8(x < 20 ? 60 : 180)) }
        }
        let pair = PairedDataTests.sideBySide(a, PairedDataTests.rotateChannels(a))
        for sub in ["train", "val"] { try PairedDataTests.write(pair, "\(root)/\(sub)/one.png") }
        return root
    }

    static func options(steps: Int) -> TrainingOptions {
        var o = TrainingOptions()
        (o.mode, o.size, o.downs, o.ngf, o.ndf, o.nLayers) = (.pix2pix, 32, 5, 8, 8, 2)
        (o.steps, o.lr, o.checkpointEvery, o.sampleEvery, o.valPictures, o.seed) = (steps, 1e-3, steps, steps, 1, 3)
        return o
    }

    @Test("a tiny pix2pix run overfits one pair: L1 falls by more than half and the model beats the input unchanged")
    func overfitsOnePair() throws {
        let data = try Self.onePairDataset()
        let run = TrainingTests.temporaryFolder("paired-run")
        var events: [TrainingEvent] = []
        let config = Self.options(steps: 150).config(dataPath: data)
        #expect(config.paired == PairedDataConfig(direction: .aToB, layout: .sideBySide))
        #expect(config.model.generator.inputChannels == 3 && config.model.generator.outputChannels == 3)
        let trainer = try Trainer(config: config, runDirectory: run, resume: false) { events.append($0) }
        try trainer.run(stop: StopSignal())
        let l1 = events.compactMap { if case .progress(_, _, _, _, _, let losses) = $0 { losses.lossGL1 } else { nil } }
        let first = try #require(l1.first)
        let last = try #require(l1.last)
        #expect(last < 0.5 * first, "L1 went from \(first) to \(last)")
        let rows = try #require(events.compactMap { if case .validation(_, let rows, _) = $0 { rows } else { nil } }.last)
        #expect(rows.map(\.hints) == [0])
        let row = try #require(rows.first)
        #expect(row.nearestHintFill == row.inputUnchanged)
        #expect(
            row.model.deltaE < row.inputUnchanged.deltaE && row.model.psnr > row.inputUnchanged.psnr,
            "model \(row.model) vs input unchanged \(row.inputUnchanged)")
        let grid = try RGBImage(contentsOf: "\(run)/samples/step-00000150.png")
        #expect(grid.width == 3 * 32 && grid.height == 32)

        // The exported model translates a picture of any size back at that size, and
        // remembers its direction for `tinct test`.
        let model = try TrainingCheckpoint.exportGenerator(checkpoint: "\(run)/best.safetensors", to: "\(run)/model")
        let reloaded = try GeneratorModel.load(path: "\(run)/model")
        #expect(reloaded.mode == .pix2pix && reloaded.direction == .aToB && reloaded.resolution == 32)
        let translated = try Colorizer(model: model).colorize(PairedDataTests.noise(width: 50, height: 30, seed: 1), hints: [])
        #expect(translated.width == 50 && translated.height == 30)

        let gallery = TrainingTests.temporaryFolder("paired-gallery")
        let pairs = PairedImageFolder(files: PairedFiles(path: data, layout: .sideBySide).validation, direction: .aToB, maxSide: 64)
        let report = try PairedGallery.write(model: reloaded, pairs: pairs, to: gallery)
        #expect(report.pictures == 1 && report.rows.count == 1)
        for file in ["index.html", "metrics.json", "000-input.png", "000-model.png", "000-target.png"] {
            #expect(FileManager.default.fileExists(atPath: "\(gallery)/\(file)"), "\(file)")
        }
    }

    @Test("direction and layout are saved with the run; a resume reads the data as the first run did")
    func resumeKeepsDirectionAndLayout() throws {
        let data = try Self.onePairDataset()
        let run = TrainingTests.temporaryFolder("paired-resume")
        var options = Self.options(steps: 4)
        options.direction = .bToA
        let config = options.config(dataPath: data)
        try Trainer(config: config, runDirectory: run, resume: false) { _ in }.run(stop: StopSignal(), pauseAt: 2)
        let saved = try JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: "\(run)/config.json")))
        #expect(saved.paired == PairedDataConfig(direction: .bToA, layout: .sideBySide))
        // A different request is ignored on resume: the checkpoint's config wins.
        let resumed = try Trainer(config: Self.options(steps: 4).config(dataPath: data), runDirectory: run, resume: true) { _ in }
        #expect(resumed.config.paired == saved.paired && resumed.currentStep == 2)
        try resumed.run(stop: StopSignal())
        #expect(resumed.currentStep == 4)
    }

    @Test("configs written before paired training still decode (no paired field)")
    func oldConfigDecodes() throws {
        var config = TrainingTests.tinyConfig(data: "/nowhere", steps: 3)
        #expect(config.paired == nil)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        json.removeValue(forKey: "paired")
        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded == config)
        config.mode = .pix2pix
        #expect(config.problems.contains { $0.contains("direction") })
    }
}
