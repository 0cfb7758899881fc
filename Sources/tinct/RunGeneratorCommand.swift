import ArgumentParser
import Foundation
import Pix2Pix
import Tensors

/// `tinct run-generator` (hidden): runs a model's raw generator on raw float32 planes, the
/// reference that an exported ONNX graph is checked against (Tests/Interop/test_onnx.py) and
/// timed beside (Tests/Interop/measure_onnx_speed.py).
struct RunGeneratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-generator",
        abstract: "Run a model's raw generator on a raw float32 input file (for checking exported graphs).",
        discussion: """
            The input file holds N pictures of (C, S, S) little-endian float32 planes, NCHW, with C and S the \
            model's input channels and resolution; the output file receives (N, OC, S, S) the same way.
            """,
        shouldDisplay: false)

    @Argument(help: "A model folder or name, a model file, a checkpoint or a run folder.")
    var model: String

    @Option(help: "Raw float32 input planes (N, C, S, S).")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the raw float32 output (N, OC, S, S).")
    var output: String

    @Option(help: "Folder of models a name is looked up in (default: as for serve).")
    var models: String?

    @Option(help: "Also time this many runs after two warm-ups and print their median and minimum in ms as JSON.")
    var `repeat` = 0

    func validate() throws {
        guard `repeat` >= 0 else { throw ValidationError("--repeat must not be negative") }
    }

    func run() throws {
        let model: GeneratorModel
        let bytes: Data
        do {
            model = try ModelLocator.load(self.model, mode: nil, modelsDirectory: ModelLocator.modelsDirectory(models)).model
            bytes = try Data(contentsOf: URL(fileURLWithPath: input))
        } catch {
            throw CommandFailure(error)
        }
        let side = model.resolution
        let channels = model.config.inputChannels
        let pictureBytes = channels * side * side * MemoryLayout<Float>.size
        guard !bytes.isEmpty, bytes.count % pictureBytes == 0 else {
            throw CommandFailure(
                "\(DisplayPath.absolute(input)) holds \(bytes.count) bytes; this model's input is whole pictures of "
                    + "(\(channels), \(side), \(side)) float32, \(pictureBytes) bytes each")
        }
        let x = Tensor(zeros: [bytes.count / pictureBytes, channels, side, side])
        bytes.withUnsafeBytes { raw in
            for i in 0..<x.count { x.data[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        }
        let y = model.run(x)
        let result = Data(y.scalars.map(\.bitPattern.littleEndian).withUnsafeBytes { Array($0) })
        do {
            try result.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure(error)
        }
        if `repeat` > 0 { print(time(model, x)) }
    }

    /// Median and minimum of `repeat` runs after two warm-ups, as one JSON line.
    private func time(_ model: GeneratorModel, _ x: Tensor) -> String {
        for _ in 0..<2 { _ = model.run(x) }
        let clock = ContinuousClock()
        let milliseconds = (0..<`repeat`).map { _ in
            let elapsed = clock.measure { _ = model.run(x) }
            return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        }.sorted()
        let median = milliseconds[milliseconds.count / 2]
        return String(
            format: #"{"pictures": %d, "repeat": %d, "median_ms": %.3f, "min_ms": %.3f}"#,
            x.shape[0], `repeat`, median, milliseconds[0])
    }
}
