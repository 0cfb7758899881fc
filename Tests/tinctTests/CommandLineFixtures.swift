import Foundation
import ImageCodecs
import Pix2Pix

/// Tiny untrained models, run folders and pictures for the command-line tests.
enum CommandLineFixtures {
    /// A fresh empty folder under the temporary directory.
    static func folder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-cli-\(name)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A 32-pixel generator for `mode` (ngf 4, 5 downsamplings), untrained.
    static func generator(_ mode: ModelMode) -> GeneratorConfig {
        GeneratorConfig(
            inputChannels: ColorizationEncoding.inputChannels(mode), outputChannels: ColorizationEncoding.outputChannels(mode),
            ngf: 4, downsamplings: 5)
    }

    /// A models folder with `default-lineart` and `default-photo`.
    static func modelsFolder() throws -> String {
        let models = folder("models")
        for mode in [ModelMode.lineart, .photo] {
            try GeneratorModel(mode: mode, generator: UNetGenerator(generator(mode)), resolution: 32)
                .save(folder: "\(models)/default-\(mode.rawValue)")
        }
        return models
    }

    /// A run folder as `tinct train` leaves it after one checkpoint: `checkpoints/step-….safetensors`
    /// and `best.safetensors`, no servable model.
    static func runFolder(dataPath: String) throws -> String {
        let run = folder("run")
        let model = ModelConfig(generator: generator(.lineart), discriminator: DiscriminatorConfig(inputChannels: 12, ndf: 4, nLayers: 2))
        let config = TrainingConfig(
            mode: .lineart, dataPath: dataPath, size: 32, batch: 1, steps: 2, seed: 1, model: model,
            checkpointEvery: 1, sampleEvery: 1, keepLast: 1, validationPictures: 2)
        let network = Pix2PixModel(model, seed: 1)
        try FileManager.default.createDirectory(atPath: "\(run)/checkpoints", withIntermediateDirectories: true)
        try TrainingCheckpoint.save(network, config: config, step: 1, bestDeltaE: nil, to: "\(run)/checkpoints/\(TrainingCheckpoint.fileName(step: 1))")
        try TrainingCheckpoint.save(network, config: config, step: 1, bestDeltaE: 30, to: "\(run)/best.safetensors")
        return run
    }

    /// A black-and-white photo: smooth shading with texture, no colour.
    static func grayPhoto(width: Int = 96, height: Int = 72) -> RGBImage {
        picture(width: width, height: height) { x, y in
            let v = UInt8((x * 200 / width + y * 40 / height + (x * y) % 17) % 256)
            return (v, v, v)
        }
    }

    /// Flat colour shapes on a blue background (what a colour drawing or icon looks like).
    static func colorShapes(width: Int = 100, height: Int = 75) -> RGBImage {
        picture(width: width, height: height) { x, y in
            if (x - 35) * (x - 35) + (y - 37) * (y - 37) <= 22 * 22 { return (220, 60, 40) }
            if (60...90).contains(x) && (15...60).contains(y) { return (40, 160, 70) }
            return (150, 200, 240)
        }
    }

    /// Black rings on white paper.
    static func lineArt(side: Int = 96) -> RGBImage {
        picture(width: side, height: side) { x, y in
            let r = (Double((x - side / 2) * (x - side / 2) + (y - side / 2) * (y - side / 2))).squareRoot()
            return abs(r - Double(side) / 3) < 1.5 || abs(r - Double(side) / 6) < 1.5 ? (0, 0, 0) : (255, 255, 255)
        }
    }

    static func picture(width: Int, height: Int, _ pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> RGBImage {
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                bytes += [r, g, b]
            }
        }
        return RGBImage(width: width, height: height, pixels: bytes)
    }
}
