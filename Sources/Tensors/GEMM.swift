import CBLAS
import CGEMMKernels

/// The one place that calls BLAS: C = alpha · op(A) · op(B) + beta · C, all row-major.
///
/// `op(A)` is M×K and `op(B)` is K×N; `lda`, `ldb`, `ldc` are row strides of the stored
/// matrices. `NaiveGEMM` computes the same thing with plain loops for tests.
///
/// Threading: OpenBLAS runs single-threaded and Tinct splits each large product into one
/// block of C per core itself (by columns, or by rows when C is tall), unless the caller
/// already runs one product per core (`splitAcrossCores: false`). OpenBLAS's own
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
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, splitAcrossCores mayShare: Bool = true
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size \(m)×\(n)×\(k)")
        // OpenBLAS's own threads are set before its first product, whichever path comes first:
        // its threaded kernels round differently, so a process whose first products ran on them
        // would not repeat another's results bit for bit (exact resume).
        _ = blasThreads
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
        let split = mayShare && splits(m: m, n: n, k: k)
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

    /// Whether `productWithGatheredRows` runs here: AVX-512, and not the numerics runs' naive twin.
    public static let gatheredRowsAvailable = NumericsEnvironment.gemmBackend == .blas && tinct_blocked_gemm_available() != 0

    /// C = op(A) · op(B) + beta · C on this core, row p of B as stored starting at `rowsOfB[p]`
    /// (K rows of N floats, or transposed N rows of K): one product over rows gathered from
    /// several places (the shifted planes of a convolution's taps). False, C untouched, where no
    /// kernel runs it — no AVX-512 (`gatheredRowsAvailable`), M < 8 or N < 32. A product that
    /// computes padding (the extra columns of padded-width rows) gives the shape of the operations
    /// that count (`counted`) for the profile's rate.
    public static func productWithGatheredRows(
        transA: Bool, transB: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
        rowsOfB: UnsafePointer<UnsafePointer<Float>?>, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        counted: (m: Int, n: Int, k: Int)? = nil
    ) -> Bool {
        guard gatheredRowsAvailable else { return false }
        let body = {
            tinct_blocked_gemm_rows(transA ? 1 : 0, transB ? 1 : 0, m, n, k, 1, a, lda, rowsOfB, beta, c, ldc) != 0
        }
        guard Profiler.enabled else { return body() }
        let shape = counted ?? (m, n, k)
        Profiler.countProduct(m: shape.m, n: shape.n, k: shape.k)
        return Profiler.measure("gemm rows \(transA ? "T" : "N")\(transB ? "T" : "N") m\(m) n\(n) k\(k)", body)
    }

    /// C = beta·C + Σᵢ op(Aᵢ)·op(Bᵢ) over `count` products of one shape (a convolution's weight
    /// gradient summed over the images of a batch; beta 0 overwrites C without reading it). C is
    /// split across the cores once, and each core runs every product on its block in order: one
    /// hand-off for all of them, and each element of C summed over the products in the same
    /// order as one product after another.
    public static func accumulate(
        count: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        a: (Int) -> UnsafePointer<Float>, lda: Int, b: (Int) -> UnsafePointer<Float>, ldb: Int,
        beta: Float = 1, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = blasThreads
        guard count > 1, NumericsEnvironment.gemmBackend == .blas, splits(m: m, n: n, k: k), m > 0, n > 0 else {
            for i in 0..<count {
                sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, a: a(i), lda: lda, b: b(i), ldb: ldb,
                    beta: i == 0 ? beta : 1, c: c, ldc: ldc)
            }
            return
        }
        let operands = UncheckedSendable((0..<count).map { (a($0), b($0)) })
        let body = {
            forEachBlockOfC(m: m, n: n) { byColumns, range in
                for (i, (ai, bi)) in operands.value.enumerated() {
                    callOnBlock(
                        byColumns, range, transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                        a: ai, lda: lda, b: bi, ldb: ldb, beta: i == 0 ? beta : 1, c: c, ldc: ldc)
                }
            }
        }
        if Profiler.enabled {
            for _ in 0..<count { Profiler.countProduct(m: m, n: n, k: k) }
            Profiler.measure("gemm \(transA ? "T" : "N")\(transB ? "T" : "N") m\(m) n\(n) k\(k)", body)
        } else {
            body()
        }
    }

    /// C = A·B (row-major, no transposes) on OpenBLAS's own sgemm and its own `threads`
    /// threads, bypassing Tinct's kernels and split: the benchmark's reference for what the
    /// machine's BLAS reaches. The engine never runs this; OpenBLAS goes back to its setting after.
    public static func openBLASReference(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        threads: Int
    ) {
        let setting = blasThreads ?? 1
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(Int32(setting)) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, c,
            Int32(n))
    }

    /// Whether a product is large enough to repay splitting it across the cores.
    private static func splits(m: Int, n: Int, k: Int) -> Bool {
        blasThreads == nil && Parallel.workers > 1 && 2 * m * n * k >= splitThreshold
    }

    /// One block of C per worker, each an independent single-threaded sgemm.
    private static func splitAcrossCores(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        forEachBlockOfC(m: m, n: n) { byColumns, range in
            callOnBlock(
                byColumns, range, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Calls `body` on every worker with its block of C: a range of columns when C is at least
    /// as wide as tall, of rows otherwise.
    static func forEachBlockOfC(m: Int, n: Int, _ body: (_ byColumns: Bool, _ range: Range<Int>) -> Void) {
        let byColumns = n >= m
        let extent = byColumns ? n : m
        let parts = min(Parallel.workers, extent)
        Parallel.run(parts) { part in
            // Block edges rounded to multiples of 16 keep the kernels on full tiles.
            let start = part == 0 ? 0 : min(extent, (extent * part / parts + 8) / 16 * 16)
            let end = part == parts - 1 ? extent : min(extent, (extent * (part + 1) / parts + 8) / 16 * 16)
            guard end > start else { return }
            body(byColumns, start..<end)
        }
    }

    /// The product restricted to one block of C's columns or rows.
    @inline(__always)
    private static func callOnBlock(
        _ byColumns: Bool, _ range: Range<Int>, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let start = range.lowerBound
        if byColumns {
            call(
                transA: transA, transB: transB, m: m, n: range.count, k: k, alpha: alpha, a: a, lda: lda,
                b: transB ? b + start * ldb : b + start, ldb: ldb, beta: beta, c: c + start, ldc: ldc)
        } else {
            call(
                transA: transA, transB: transB, m: range.count, n: n, k: k, alpha: alpha,
                a: transA ? a + start : a + start * lda, lda: lda, b: b, ldb: ldb, beta: beta, c: c + start * ldc, ldc: ldc)
        }
    }

    /// One single-threaded product. A product with one column or one row of C is a
    /// matrix-vector product: OpenBLAS's sgemv reads the matrix once, 3–4× faster than its
    /// sgemm on those shapes (the bottleneck layers of a batch-1 inference). Two to eight
    /// columns go to Tinct's skinny kernel, about 2× OpenBLAS there; on AVX-512 CPUs, 9 to 16
    /// columns with A transposed (a deep layer's weights read once) to the few-columns kernel,
    /// and the other products of 8 rows or more to Tinct's blocked kernel, which runs AVX-512
    /// even when OPENBLAS_CORETYPE holds OpenBLAS to older kernels (Sources/CGEMMKernels).
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
        if !transB && tinct_skinny_gemm(transA ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0 {
            return
        }
        if transA && !transB && tinct_few_columns_gemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0 {
            return
        }
        if tinct_blocked_gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0 {
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
