import ArgumentParser
import Foundation
import ONNX
import Server

/// `tinct export-onnx`: writes a model's generator as a standard ONNX graph, for serving
/// stacks that run ONNX (ONNX Runtime, OpenVINO, Triton).
struct ExportONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-onnx",
        abstract: "Write a model's generator as an ONNX graph (opset \(GeneratorExport.opsetVersion)).",
        discussion: """
            The graph is the raw generator in evaluation: input float32 (N, C, S, S) NCHW planes as Tinct \
            builds them, output float32 (N, OC, S, S) in [-1, 1], S the model's resolution. The model's \
            metadata_props hold its mode, resolution and generator configuration.
            """)

    @Argument(help: "A model folder, a model name in --models (default-lineart, default-photo, …), a model file, a checkpoint or a run folder.")
    var model: String

    @Option(name: .shortAndLong, help: "The .onnx file to write.")
    var output: String

    @Option(help: "Folder of models a name is looked up in (default: as for serve).")
    var models: String?

    func run() throws {
        do {
            let located = try ModelLocator.load(model, mode: nil, modelsDirectory: ModelLocator.modelsDirectory(models))
            let data = try GeneratorExport.onnxData(of: located.model, producerVersion: TinctVersion.version)
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            let m = located.model
            let config = m.config
            print(
                "wrote \(DisplayPath.absolute(output)) (\(data.count) bytes, ONNX opset \(GeneratorExport.opsetVersion)) from \(located.path): "
                    + "\(m.mode.rawValue) generator, input (N, \(config.inputChannels), \(m.resolution), \(m.resolution)) → "
                    + "output (N, \(config.outputChannels), \(m.resolution), \(m.resolution))")
        } catch {
            throw CommandFailure(error)
        }
    }
}
