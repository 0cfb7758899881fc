import CGEMMKernels
import Tensors
import Testing

/// Tinct's few-columns kernel (Sources/CGEMMKernels/few_columns_gemm.c) called directly, against
/// the naive twin: every width it takes (9 to 16 columns), depths that end inside a band of 16
/// and cross several, strides wider than the matrices, C full of NaN under beta 0 (overwritten,
/// not scaled). It declines other widths, rows that are not whole vectors, and every product on
/// a CPU without AVX-512, leaving C as it was (`GEMM.sgemm` then runs the blocked kernel or
/// OpenBLAS).
@Suite("Few-columns product kernel")
struct FewColumnsGEMMTests {
    static func run(m: Int, n: Int, k: Int, beta: Float) -> Bool {
        BlockedGEMMTests.compare(transA: true, transB: false, m: m, n: n, k: k, beta: beta) { a, lda, b, ldb, c, ldc in
            tinct_few_columns_gemm(m, n, k, 0.7, a, lda, b, ldb, beta, c, ldc) != 0
        }
    }

    @Test(
        "the few-columns kernel equals the naive twin for every width it takes",
        arguments: [
            (16, 9, 1), (32, 10, 16), (48, 11, 17), (64, 12, 33), (16, 13, 300), (96, 14, 48), (160, 15, 7),
            (2048, 16, 512)
        ])
    func product(m: Int, n: Int, k: Int) {
        for beta: Float in [0, 0.3] {
            #expect(Self.run(m: m, n: n, k: k, beta: beta) == BlockedGEMMTests.available, "beta \(beta)")
        }
    }

    @Test("other widths and rows that are not whole vectors are declined")
    func declined() {
        for (m, n, k) in [(64, 8, 20), (64, 17, 20), (40, 12, 20), (8, 16, 5)] {
            #expect(!Self.run(m: m, n: n, k: k, beta: 0.3), "m \(m) n \(n) k \(k)")
        }
    }
}
