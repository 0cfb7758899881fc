import ArgumentParser
import Foundation
import NN
import Pix2Pix

/// `tinct export`: publishes a training checkpoint's generator as a servable model.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Publish a checkpoint (or a run's best) as a model folder.")

    @Argument(help: "A checkpoint file, or a run folder (its best.safetensors, else its latest checkpoint).")
    var source: String
    @Option(name: .shortAndLong, help: "Model folder to write, e.g. models/my-lineart.")
    var output: String
    @Flag(help: "Store weights as float16 (half the size; loaded back to float32).")
    var half = false
    @Flag(
        help: "Store the large inner convolution weights as 8-bit integers with a float32 scale per slice, the rest as float16 (about half the size of --half)."
    )
    var int8 = false

    func validate() throws {
        if half && int8 { throw ValidationError("choose one of --half and --int8") }
    }

    func run() throws {
        guard let path = TrainingCheckpoint.resolve(source) else { throw CommandFailure(ModelSourceError.nothingToLoad(folder: DisplayPath.absolute(source))) }
        do {
            let model = try TrainingCheckpoint.exportGenerator(checkpoint: path, to: output, storedAs: int8 ? .int8 : half ? .float16 : .float32)
            print("exported \(model.mode.rawValue) model (\(model.generator.parameterCount) parameters, \(model.resolution) px) from \(path) to \(output)")
        } catch { throw CommandFailure(error) }
    }
}
