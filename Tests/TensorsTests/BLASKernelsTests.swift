import Foundation
import Tensors
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
