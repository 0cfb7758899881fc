import CBLAS

/// The one place that calls BLAS: C = alpha · op(A) · op(B) + beta · C, all row-major.
///
/// `op(A)` is M×K and `op(B)` is K×N; `lda`, `ldb`, `ldc` are row strides of the stored
/// matrices. `NaiveGEMM` computes the same thing with plain loops for tests.
public enum GEMM {
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size \(m)×\(n)×\(k)")
        if m == 0 || n == 0 { return }
        if Profiler.enabled {
            Profiler.measure("gemm \(transA ? "T" : "N")\(transB ? "T" : "N") m\(m) n\(n) k\(k)") {
                cblas_sgemm(
                    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets the number of BLAS threads for the whole process.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }
}
