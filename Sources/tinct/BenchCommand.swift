import ArgumentParser
import Foundation
import NN
import Pix2Pix
import Tensors

/// `tinct bench`: times the pix2pix benchmark configurations, one JSON line each, to be
/// compared with scripts/bench/torch_pix2pix.py run on the same machine
/// (scripts/bench_compare.py runs both).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time inference and training steps of the reference pix2pix configurations.")

    @Option(help: "Run only the configuration with this name (\(BenchmarkConfiguration.all.map(\.name).joined(separator: ", "))).")
    var only: String?

    @Flag(help: "After timing, print where one inference and one training step spend their time, per layer type and GEMM shape (stderr).")
    var profile = false

    @Option(help: "Timed repetitions per measurement, after two warm-up calls.")
    var `repeat`: Int = 5

    @Flag(help: "Only print which OpenBLAS kernels this process runs and what this CPU could run, then exit.")
    var kernels = false

    func validate() throws {
        if let only, !BenchmarkConfiguration.all.contains(where: { $0.name == only }) {
            throw ValidationError("unknown configuration '\(only)'; choose from \(BenchmarkConfiguration.all.map(\.name).joined(separator: ", "))")
        }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        FileHandle.standardError.write(Data((BLASKernels.summary + "\nVector loops: \(VectorLoops.level)\n").utf8))
        if kernels { return }
        for configuration in BenchmarkConfiguration.all where only == nil || only == configuration.name {
            let result = Benchmark.run(configuration, repeat: `repeat`)
            if profile { printProfile(configuration) }
            // Written unbuffered so each line appears as soon as its configuration finishes.
            FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
        }
    }

    /// Where one inference and one training step of `configuration` spend their time (stderr).
    private func printProfile(_ configuration: BenchmarkConfiguration) {
        let (inference, step) = Benchmark.profile(configuration)
        let sections = [("one inference (batch 1)", inference), ("one training step (batch \(configuration.batch))", step)]
        for (title, report) in sections {
            var text = "\(configuration.name), \(title):\n"
            for row in report {
                text += String(format: "%-40@ %8.2f ms %5d calls\n", row.name as NSString, row.seconds * 1000, row.calls)
            }
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
