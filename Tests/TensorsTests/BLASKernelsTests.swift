import Foundation
import Tensors
import TestSupport
import Testing

/// OpenBLAS's kernel choice (Sources/CBLASKernels): a process never runs kernels older than
/// its CPU supports, unless the user named them in OPENBLAS_CORETYPE.
struct BLASKernelsTests {
    @Test func kernelSetsAreOrderedByTheirVectorWidth() {
        #expect(BLASKernels.kernels("SkylakeX", atLeast: "Haswell"))
        #expect(BLASKernels.kernels("Cooperlake", atLeast: "SkylakeX"))
        #expect(BLASKernels.kernels("Zen", atLeast: "Haswell"))
        #expect(BLASKernels.kernels("Haswell", atLeast: "Sandybridge"))
        #expect(!BLASKernels.kernels("Prescott", atLeast: "Sandybridge"))
        #expect(!BLASKernels.kernels("Sandybridge", atLeast: "Haswell"))
        #expect(!BLASKernels.kernels("Haswell", atLeast: "SkylakeX"))
        #expect(BLASKernels.kernels("Nehalem", atLeast: "Prescott"), "unlisted sets are all SSE")
    }

    @Test func thisProcessRunsKernelsAsWideAsItsCPU() throws {
        let userChoice = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].flatMap { BLASKernels.replaced == nil ? $0 : nil }
        if let userChoice {
            #expect(BLASKernels.name.lowercased() == userChoice.lowercased(), "the user's OPENBLAS_CORETYPE stands")
            return
        }
        let best = try #require(BLASKernels.bestForThisCPU, "a CPU without AVX: OpenBLAS's own choice stands")
        #expect(BLASKernels.kernels(BLASKernels.name, atLeast: best), "\(BLASKernels.summary) on a CPU that runs \(best)")
        if let replaced = BLASKernels.replaced {
            #expect(!BLASKernels.kernels(replaced, atLeast: best), "only an older choice is replaced")
        }
    }
}

/// A machine image may set OPENBLAS_CORETYPE for every program (this project's build machines
/// set `Haswell` on AVX-512 CPUs): TINCT_BLAS_KERNELS=widest lifts it, checked on a real
/// `tinct` process, whose relaunch is what changes the kernels.
@Suite("OpenBLAS kernels of a tinct process")
struct BLASKernelsRelaunchTests {
    /// The first line `tinct bench --kernels` writes to stderr under `environment`.
    static func kernelsLine(_ environment: [String: String]) throws -> String {
        let binary = try #require(TinctExecutable.path, "no tinct executable beside the test runner; build the whole package or set TINCT_BINARY")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["bench", "--kernels"]
        var inherited = ProcessInfo.processInfo.environment
        for key in ["OPENBLAS_CORETYPE", "TINCT_BLAS_KERNELS", "TINCT_BLAS_KERNELS_REPLACED"] { inherited[key] = nil }
        process.environment = inherited.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        return text
    }

    @Test("An older OPENBLAS_CORETYPE stands and says how to lift it; TINCT_BLAS_KERNELS=widest replaces it")
    func widestReplacesAnOlderCoreType() throws {
        let best = try #require(BLASKernels.bestForThisCPU, "a CPU without AVX runs OpenBLAS's own choice")
        // A set older than the CPU's best: Sandybridge (AVX), or SSE3's Prescott on an AVX-only CPU.
        let older = best == "Sandybridge" ? "Prescott" : "Sandybridge"
        let kept = try Self.kernelsLine(["OPENBLAS_CORETYPE": older])
        #expect(kept.hasPrefix("OpenBLAS kernels: \(older), as OPENBLAS_CORETYPE says; this CPU runs \(best)"), "\(kept)")
        #expect(kept.contains("TINCT_BLAS_KERNELS=widest"), "\(kept)")
        let lifted = try Self.kernelsLine(["OPENBLAS_CORETYPE": older, "TINCT_BLAS_KERNELS": "widest"])
        #expect(lifted.hasPrefix("OpenBLAS kernels: \(best) (in place of \(older), for this CPU)"), "\(lifted)")
        let wrong = try Self.kernelsLine(["OPENBLAS_CORETYPE": older, "TINCT_BLAS_KERNELS": "fastest"])
        #expect(wrong.contains("TINCT_BLAS_KERNELS=fastest is not understood"), "\(wrong)")
        #expect(wrong.contains("OpenBLAS kernels: \(older), as OPENBLAS_CORETYPE says"), "\(wrong)")
    }
}
