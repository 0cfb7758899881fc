import CGEMMKernels
import Tensors
import TestSupport
import Testing

/// Tinct's blocked product kernel (Sources/CGEMMKernels/blocked_gemm.c) called directly, against
/// the naive twin: every transpose, strides wider than the matrices, sizes that cross its copied
/// blocks (256 depths, 128 rows, 768 columns) and end inside register blocks (8 rows, 16 and
/// 48 columns), B read in place (at most 32 rows, B not transposed: whole panels from B, a
/// ragged last panel copied, in the first column block and past it), few columns run as the
/// transposed product, shallow depth blocks (at most 64, swept row block by row block) over
/// several row and column blocks, and C full of NaN under beta 0, which must be overwritten,
/// not scaled. On a CPU without AVX-512 the kernel must decline
/// every product and leave C as it was (`GEMM.sgemm` then runs OpenBLAS).
@Suite("Blocked product kernel")
struct BlockedGEMMTests {
    static let available = tinct_blocked_gemm_available() != 0

    @Test(
        "the blocked kernel equals the naive twin for every transpose, edge and block boundary",
        arguments: [
            (8, 32, 1), (9, 33, 5), (16, 48, 256), (17, 97, 257), (23, 50, 40), (32, 1000, 300), (33, 100, 20),
            (130, 800, 300), (137, 1601, 16), (300, 100, 64)
        ])
    func blockedProduct(m: Int, n: Int, k: Int) {
        for transA in [false, true] {
            for transB in [false, true] {
                for beta: Float in [0, 0.3] {
                    let ran = Self.compare(transA: transA, transB: transB, m: m, n: n, k: k, beta: beta)
                    #expect(ran == Self.available, "transA \(transA) transB \(transB) beta \(beta)")
                }
            }
        }
    }

    /// C with 9 to 31 columns is taken only with A transposed and 64 rows or more (as Cᵀ);
    /// otherwise, and under 8 rows, the kernel declines and C stays as it was.
    @Test("few columns run transposed with A transposed; other narrow or short products are declined")
    func fewColumns() {
        for (m, n, k) in [(64, 9, 20), (200, 31, 513), (129, 16, 7)] {
            for transB in [false, true] {
                let ran = Self.compare(transA: true, transB: transB, m: m, n: n, k: k, beta: 0.3)
                #expect(ran == Self.available, "m \(m) n \(n) k \(k) transB \(transB)")
                #expect(!Self.compare(transA: false, transB: transB, m: m, n: n, k: k, beta: 0.3))
            }
        }
        #expect(!Self.compare(transA: false, transB: false, m: 7, n: 300, k: 30, beta: 0))
        #expect(!Self.compare(transA: true, transB: true, m: 7, n: 300, k: 30, beta: 0))
    }

    /// B given by a pointer to each of its stored rows (`tinct_blocked_gemm_rows`), transposed or
    /// not: its rows copied to scattered places in reverse order, the product must equal the naive
    /// twin's on B itself, across the copied blocks' edges (16-line transposed tiles and their
    /// remainders included); under 8 rows or 32 columns, or without AVX-512, it is declined.
    @Test("B as gathered rows equals the naive twin on B", arguments: [(8, 32, 1), (17, 97, 257), (33, 800, 300), (9, 40, 35)])
    func gatheredRows(m: Int, n: Int, k: Int) {
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            for beta: Float in [0, 0.3] {
                // B as stored: K rows of N, or transposed N rows of K.
                let (rows, columns) = transB ? (n, k) : (k, n)
                let ran = Self.compare(transA: transA, transB: transB, m: m, n: n, k: k, beta: beta) { a, lda, b, ldb, c, ldc in
                    Self.withScatteredRows(of: b, ldb: ldb, rows: rows, columns: columns) { rowsOfB in
                        tinct_blocked_gemm_rows(
                            transA ? 1 : 0, transB ? 1 : 0, m, n, k, 0.7, a, lda, rowsOfB, beta, c, ldc) != 0
                    }
                }
                #expect(ran == Self.available, "transA \(transA) transB \(transB) beta \(beta)")
            }
        }
        for (m, n) in [(7, 300), (40, 31)] {
            #expect(
                !Self.compare(transA: true, transB: false, m: m, n: n, k: 5, beta: 0) { a, lda, b, ldb, c, ldc in
                    Self.withScatteredRows(of: b, ldb: ldb, rows: 5, columns: n) { rows in
                        tinct_blocked_gemm_rows(1, 0, m, n, 5, 0.7, a, lda, rows, 0, c, ldc) != 0
                    }
                })
        }
    }

    /// Calls `body` with pointers to copies of B's rows, laid out last row first with a gap of 5
    /// floats between them.
    static func withScatteredRows(
        of b: UnsafePointer<Float>, ldb: Int, rows: Int, columns: Int,
        _ body: (UnsafePointer<UnsafePointer<Float>?>) -> Bool
    ) -> Bool {
        let stride = columns + 5
        let copies = Tensor(zeros: [rows * stride])
        var pointers = [UnsafePointer<Float>?](repeating: nil, count: rows)
        for p in 0..<rows {
            let place = copies.data + (rows - 1 - p) * stride
            place.update(from: b + p * ldb, count: columns)
            pointers[p] = UnsafePointer(place)
        }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// A product kernel called on (a, lda, b, ldb, c, ldc) with alpha 0.7, the shape, transposes
    /// and beta given to `compare`; true when it took the product.
    typealias Kernel = (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Bool

    /// Runs the blocked kernel (or `kernel`) and the naive twin on one product (strides padded
    /// by 3) and checks C, its padding included; returns whether the kernel took the product. A
    /// declined product must leave C untouched.
    static func compare(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, beta: Float, kernel: Kernel? = nil
    ) -> Bool {
        let pad = 3
        let (lda, ldb, ldc) = ((transA ? m : k) + pad, (transB ? k : n) + pad, n + pad)
        let a = Tensor.randomNormal([(transA ? k : m) * lda], seed: 1)
        let b = Tensor.randomNormal([(transB ? n : k) * ldb], seed: 2)
        let c = beta == 0 ? Tensor(repeating: .nan, shape: [m * ldc]) : Tensor.randomNormal([m * ldc], seed: 3)
        let expected = c.copy()
        let before = c.copy()
        let ran =
            kernel?(a.data, lda, b.data, ldb, c.data, ldc)
            ?? (tinct_blocked_gemm(
                transA ? 1 : 0, transB ? 1 : 0, m, n, k, 0.7, a.data, lda, b.data, ldb, beta, c.data, ldc) != 0)
        guard ran else {
            for i in 0..<(m * ldc) where !same(c.data[i], before.data[i]) {
                Issue.record("a declined product changed C at \(i)")
                break
            }
            return false
        }
        NaiveGEMM.sgemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a.data, lda: lda,
            b: b.data, ldb: ldb, beta: beta, c: expected.data, ldc: ldc)
        var worst: Float = 0
        var paddingChanged = 0
        for i in 0..<m {
            for j in 0..<n {
                let difference = abs(c.data[i * ldc + j] - expected.data[i * ldc + j])
                worst = difference.isNaN ? .infinity : max(worst, difference)
            }
            for j in n..<ldc where !same(c.data[i * ldc + j], before.data[i * ldc + j]) { paddingChanged += 1 }
        }
        #expect(worst < 1e-3, "transA \(transA) transB \(transB) m \(m) n \(n) k \(k) beta \(beta): off by \(worst)")
        #expect(paddingChanged == 0, "C's padding changed in \(paddingChanged) places")
        return true
    }

    /// Equal, or both NaN.
    static func same(_ x: Float, _ y: Float) -> Bool { x == y || (x.isNaN && y.isNaN) }
}
