import CBLAS
import CSkinnyGEMM
import Dispatch

/// The one place that calls BLAS: C = alpha · op(A) · op(B) + beta · C, all row-major.
///
/// `op(A)` is M×K and `op(B)` is K×N; `lda`, `ldb`, `ldc` are row strides of the stored
/// matrices. `NaiveGEMM` computes the same thing with plain loops for tests.
///
/// Threading: OpenBLAS runs single-threaded and Tinct splits each large product into one
/// block of C per core itself (by columns, or by rows when C is tall). OpenBLAS's own
/// threads spin between calls and steal the cores from Tinct's elementwise loops; one pool
/// for everything avoids that. `TINCT_BLAS_THREADS=n` in the environment restores OpenBLAS
/// threading instead (for comparison). `TINCT_GEMM` swaps in the naive twin for numerical
/// sensitivity runs (see `NumericsEnvironment`).
public enum GEMM {
    /// Products smaller than this (2·M·N·K flops) run on one core.
    static let splitThreshold = 4_000_000

    static let blasThreads: Int? = {
        if let n = NumericsEnvironment.positiveInteger("TINCT_BLAS_THREADS") {
            openblas_set_num_threads(Int32(n))
            return n
        }
        openblas_set_num_threads(1)
        return nil
    }()

    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size \(m)×\(n)×\(k)")
        if m == 0 || n == 0 { return }
        switch NumericsEnvironment.gemmBackend {
        case .blas: break
        case .naive:
            return NaiveGEMM.sgemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        case .naiveFloatReversed:
            return NaiveGEMM.sgemmFloatReversed(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        let split = blasThreads == nil && Parallel.workers > 1 && 2 * m * n * k >= splitThreshold
        let body = {
            if split {
                splitAcrossCores(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                    b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            } else {
                call(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                    b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
        }
        if Profiler.enabled {
            Profiler.countProduct(m: m, n: n, k: k)
            Profiler.measure("gemm \(transA ? "T" : "N")\(transB ? "T" : "N") m\(m) n\(n) k\(k)", body)
        } else {
            body()
        }
    }

    /// One block of C per worker: column blocks when C is at least as wide as tall, row
    /// blocks otherwise. Each block is an independent single-threaded sgemm.
    private static func splitAcrossCores(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let (pa, pb, pc) = (UncheckedSendable(a), UncheckedSendable(b), UncheckedSendable(c))
        let byColumns = n >= m
        let extent = byColumns ? n : m
        let parts = min(Parallel.workers, extent)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            // Block edges rounded to multiples of 16 keep the kernels on full tiles.
            let start = part == 0 ? 0 : min(extent, (extent * part / parts + 8) / 16 * 16)
            let end = part == parts - 1 ? extent : min(extent, (extent * (part + 1) / parts + 8) / 16 * 16)
            guard end > start else { return }
            if byColumns {
                call(
                    transA: transA, transB: transB, m: m, n: end - start, k: k, alpha: alpha, a: pa.value, lda: lda,
                    b: transB ? pb.value + start * ldb : pb.value + start, ldb: ldb,
                    beta: beta, c: pc.value + start, ldc: ldc)
            } else {
                call(
                    transA: transA, transB: transB, m: end - start, n: n, k: k, alpha: alpha,
                    a: transA ? pa.value + start : pa.value + start * lda, lda: lda,
                    b: pb.value, ldb: ldb, beta: beta, c: pc.value + start * ldc, ldc: ldc)
            }
        }
    }

    /// One single-threaded product. A product with one column or one row of C is a
    /// matrix-vector product: OpenBLAS's sgemv reads the matrix once, 3–4× faster than its
    /// sgemm on those shapes (the bottleneck layers of a batch-1 inference). Two to eight
    /// columns go to Tinct's skinny kernels (Sources/CSkinnyGEMM), about 2× OpenBLAS there.
    @inline(__always)
    private static func call(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if n == 1 {
            // c (column, stride ldc) = alpha · op(A) · (column of op(B)) + beta · c
            let (rows, columns) = transA ? (k, m) : (m, k)
            cblas_sgemv(
                CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha,
                a, Int32(lda), b, Int32(transB ? 1 : ldb), beta, c, Int32(ldc))
            return
        }
        if m == 1 {
            // cᵀ (row) = alpha · op(B)ᵀ · (row of op(A))ᵀ + beta · cᵀ
            let (rows, columns) = transB ? (n, k) : (k, n)
            cblas_sgemv(
                CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(rows), Int32(columns), alpha,
                b, Int32(ldb), a, Int32(transA ? lda : 1), beta, c, 1)
            return
        }
        if !transB
            && tinct_skinny_gemm(transA ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0
        {
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

#if canImport(Glibc)
    import Glibc
#endif
