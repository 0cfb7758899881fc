import CGEMMKernels
import Synchronization

/// A layer's weights as op(A) of a product, quantized row by row to 16-bit levels and packed for
/// `GEMM.int16Product` (Sources/CGEMMKernels/int16_gemm.c): a snapshot of the floats it was made
/// from, which later changes to them do not reach.
///
/// For inference only: the product rounds each weight to 1/2047 of its row's largest and each
/// input to 1/4095 of the input's largest magnitude, and runs twice as many multiply-adds per
/// instruction as float32 on CPUs with AVX-512 VNNI.
public final class Int16Weights: @unchecked Sendable {
    /// Whether the int16 product runs here: the CPU has AVX-512 VNNI, and the environment leaves
    /// the products to the kernels (`TINCT_GEMM` unset) and does not ask for float32 inference
    /// (`TINCT_INFERENCE_PRODUCTS`; see `NumericsEnvironment`).
    public static let available =
        tinct_int16_gemm_available() != 0 && NumericsEnvironment.gemmBackend == .blas
        && NumericsEnvironment.inferenceProducts == .int16

    /// The levels B takes in the product: ±this many steps of its largest magnitude / this.
    public static let inputLevels = Float(TINCT_INT16_INPUT_LEVELS)

    /// M and K of op(A).
    public let rows: Int
    public let depth: Int
    let packed: [Int32]
    let rowScales: [Float]

    /// op(A) = A (rows × depth, row stride `lda`), or with `transposed` Aᵀ of A stored depth × rows.
    public init(_ a: UnsafePointer<Float>, transposed: Bool, rows: Int, depth: Int, lda: Int) {
        precondition(rows > 0 && depth > 0, "Int16Weights: empty matrix \(rows)×\(depth)")
        self.rows = rows
        self.depth = depth
        var rowScales = [Float](repeating: 0, count: rows)
        packed = [Int32](unsafeUninitializedCapacity: tinct_int16_weights_words(rows, depth)) { words, count in
            rowScales.withUnsafeMutableBufferPointer { scales in
                tinct_int16_pack_weights(
                    transposed ? 1 : 0, rows, depth, a, lda, words.baseAddress!, scales.baseAddress!)
            }
            count = words.count
        }
        self.rowScales = rowScales
    }
}

extension GEMM {
    /// C = W · B (or C += W · B with `addingToC`), row-major, for W quantized as `Int16Weights`
    /// (M×K) and B of K×N floats (row stride `ldb`), quantized with one scale: `largestInB` when
    /// given (at least B's largest magnitude: a convolution's input, 1/4 the bytes of its column
    /// matrix), else each core's block's own.
    /// Split across the cores like `sgemm` unless `splitAcrossCores` is false. Returns false where
    /// the product does not run (`Int16Weights.available`; C untouched),
    /// or memory ran out (C may be partly written): the caller then runs `sgemm` with the float
    /// weights, from C as it was.
    public static func int16Product(
        _ weights: Int16Weights, n: Int, b: UnsafePointer<Float>, ldb: Int, largestInB: Float? = nil,
        addingToC: Bool = false,
        c: UnsafeMutablePointer<Float>, ldc: Int, splitAcrossCores mayShare: Bool = true
    ) -> Bool {
        int16Product(weights, n: n, c: c, ldc: ldc, splitAcrossCores: mayShare) { rows, columns, packed, scales in
            tinct_int16_gemm(
                rows.count, columns.count, weights.depth, packed, scales, b + columns.lowerBound, ldb, largestInB ?? -1,
                c + rows.lowerBound * ldc + columns.lowerBound, ldc, addingToC ? 1 : 0) != 0
        }
    }

    /// The same with B already quantized on steps of `largestInB` / `Int16Weights.inputLevels`
    /// into ⌈K/2⌉ rows of N words, row stride `ldb` (`Im2Col.im2colInt16`).
    public static func int16Product(
        _ weights: Int16Weights, n: Int, pairsOfB: UnsafePointer<Int32>, ldb: Int, largestInB: Float,
        addingToC: Bool = false, c: UnsafeMutablePointer<Float>, ldc: Int, splitAcrossCores mayShare: Bool = true
    ) -> Bool {
        int16Product(weights, n: n, c: c, ldc: ldc, splitAcrossCores: mayShare) { rows, columns, packed, scales in
            tinct_int16_gemm_pairs(
                rows.count, columns.count, weights.depth, packed, scales, pairsOfB + columns.lowerBound, ldb,
                largestInB, c + rows.lowerBound * ldc + columns.lowerBound, ldc, addingToC ? 1 : 0) != 0
        }
    }

    /// Runs `product(rows, columns, packed rows of W, their scales)` on C's blocks, one per core
    /// when the product is large enough; false when the product does not run or a block failed.
    private static func int16Product(
        _ weights: Int16Weights, n: Int, c: UnsafeMutablePointer<Float>, ldc: Int, splitAcrossCores mayShare: Bool,
        _ product: (Range<Int>, Range<Int>, UnsafePointer<Int32>, UnsafePointer<Float>) -> Bool
    ) -> Bool {
        guard Int16Weights.available else { return false }
        let (m, k) = (weights.rows, weights.depth)
        if n == 0 { return true }
        func body() -> Bool {
            weights.packed.withUnsafeBufferPointer { packed in
                weights.rowScales.withUnsafeBufferPointer { scales in
                    let pairs = (k + 1) / 2
                    func block(rows: Range<Int>, columns: Range<Int>) -> Bool {
                        product(
                            rows, columns, packed.baseAddress! + rows.lowerBound * pairs, scales.baseAddress! + rows.lowerBound)
                    }
                    guard mayShare, Parallel.workers > 1, 2 * m * n * k >= splitThreshold else {
                        return block(rows: 0..<m, columns: 0..<n)
                    }
                    let failed = Atomic<Bool>(false)
                    forEachBlockOfC(m: m, n: n) { byColumns, range in
                        let done = byColumns ? block(rows: 0..<m, columns: range) : block(rows: range, columns: 0..<n)
                        if !done { failed.store(true, ordering: .relaxed) }
                    }
                    return !failed.load(ordering: .relaxed)
                }
            }
        }
        guard Profiler.enabled else { return body() }
        Profiler.countProduct(m: m, n: n, k: k)
        return Profiler.measure("int16 gemm m\(m) n\(n) k\(k)", body)
    }
}

extension Tensor {
    /// The largest magnitude among the elements (NaNs passed over); 0 for an empty tensor.
    public var largestMagnitude: Float { tinct_largest_magnitude(data, count) }
}
