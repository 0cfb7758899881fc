import ArgumentParser
import Foundation
import NN
import Pix2Pix

/// `tinct import-torch`: turns a generator state_dict saved by PyTorch
/// (`safetensors.torch.save_file(G.state_dict(), …)`) into a self-describing Tinct model.
struct ImportTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-torch",
        abstract: "Import a PyTorch pix2pix UnetGenerator saved as safetensors.")

    @Argument(help: "The safetensors file written by PyTorch.")
    var weights: String

    @Option(help: "Filters in the outermost generator layer (pix2pix --ngf).")
    var ngf: Int = 64

    @Option(help: "Number of downsamplings of the U-Net (unet_256: 8, unet_128: 7).")
    var downs: Int = 8

    @Option(name: .customLong("in"), help: "Input channels.")
    var inputChannels: Int = 3

    @Option(name: .customLong("out"), help: "Output channels.")
    var outputChannels: Int = 3

    @Option(help: "Normalization the network was trained with: batch or instance.")
    var norm: NormKind = .batch

    @Option(help: "Mode the model serves: pix2pix (generic), lineart or photo.")
    var mode: ModelMode = .pix2pix

    @Option(help: "Side of the square pictures the model runs at (a multiple of 2^downs).")
    var resolution: Int = 256

    @Option(name: .shortAndLong, help: "Output model folder (created).")
    var output: String

    func validate() throws {
        guard downs >= 5 else { throw ValidationError("--downs must be at least 5") }
        guard ngf > 0, inputChannels > 0, outputChannels > 0 else { throw ValidationError("--ngf, --in and --out must be positive") }
        guard resolution > 0, resolution % (1 << downs) == 0 else { throw ValidationError("--resolution must be a multiple of \(1 << downs)") }
        guard ColorizationEncoding.accepts(inputChannels: inputChannels, for: mode),
            outputChannels == ColorizationEncoding.outputChannels(mode)
        else {
            throw ValidationError(
                "--in \(inputChannels) --out \(outputChannels) do not fit --mode \(mode.rawValue) "
                    + "(lineart 5 → 3, photo 6 → 2, pix2pix 3 → 3)")
        }
    }

    func run() throws {
        let config = GeneratorConfig(
            inputChannels: inputChannels, outputChannels: outputChannels, ngf: ngf,
            downsamplings: downs, norm: norm, dropout: true)
        do {
            let model = try GeneratorModel.importTorch(path: weights, config: config, mode: mode, resolution: resolution)
            try model.save(folder: output)
            print("imported \(model.generator.parameterCount) parameters into \(output)")
        } catch {
            throw CommandFailure(error)
        }
    }
}

extension NormKind: ExpressibleByArgument {}
extension ModelMode: ExpressibleByArgument {}
