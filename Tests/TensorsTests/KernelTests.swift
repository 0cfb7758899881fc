import Tensors
import TestSupport
import Testing

@Suite("Tensor kernels")
struct KernelTests {
    /// The last two shapes are large enough to be split across cores (by columns, by rows).
    @Test(
        "BLAS sgemm equals the naive twin for every transpose combination",
        arguments: [(7, 5, 3), (33, 17, 65), (1, 9, 4), (70, 301, 150), (301, 70, 150)])
    func gemm(m: Int, n: Int, k: Int) {
        for transA in [false, true] {
            for transB in [false, true] {
                let a = Tensor.randomNormal([m * k], seed: 1)
                let b = Tensor.randomNormal([k * n], seed: 2)
                let c1 = Tensor.randomNormal([m * n], seed: 3)
                let c2 = c1.copy()
                let (lda, ldb) = (transA ? m : k, transB ? k : n)
                GEMM.sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a.data, lda: lda,
                    b: b.data, ldb: ldb, beta: 0.3, c: c1.data, ldc: n)
                NaiveGEMM.sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a.data, lda: lda,
                    b: b.data, ldb: ldb, beta: 0.3, c: c2.data, ldc: n)
                #expect(TensorMath.maxAbsDifference(c1, c2) < 1e-3, "transA \(transA) transB \(transB)")
            }
        }
    }

    /// Products with one column or one row of C run as matrix-vector products, with two to
    /// eight columns on the skinny kernel, with 8 to 64 rows over many columns on the blocked
    /// kernel (AVX-512) or OpenBLAS: every transpose
    /// combination, leading dimensions wider than the matrices (a block inside a larger one),
    /// rows and depths that are not whole vectors, sizes split across cores (by rows for few
    /// columns, by columns for one row or few rows), and C full of NaN under beta 0, which must
    /// be overwritten, not scaled.
    @Test(
        "one-column, one-row, few-column and few-row products equal the naive twin",
        arguments: [
            (9, 1, 4), (1, 9, 4), (1, 1, 5), (5000, 1, 600), (1, 5000, 600),
            (37, 2, 33), (64, 3, 16), (19, 4, 48), (100, 5, 7), (48, 6, 64), (33, 7, 129), (130, 8, 32),
            (5000, 4, 300), (8, 256, 5), (16, 800, 37), (64, 1600, 20), (24, 1040, 3), (32, 4800, 40)
        ])
    func matrixVector(m: Int, n: Int, k: Int) {
        let pad = 3
        for transA in [false, true] {
            for transB in [false, true] {
                let (lda, ldb, ldc) = ((transA ? m : k) + pad, (transB ? k : n) + pad, n + pad)
                let a = Tensor.randomNormal([(transA ? k : m) * lda], seed: 1)
                let b = Tensor.randomNormal([(transB ? n : k) * ldb], seed: 2)
                for beta: Float in [0, 0.3] {
                    let c1 = beta == 0 ? Tensor(repeating: .nan, shape: [m * ldc]) : Tensor.randomNormal([m * ldc], seed: 3)
                    let c2 = c1.copy()
                    GEMM.sgemm(
                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a.data, lda: lda,
                        b: b.data, ldb: ldb, beta: beta, c: c1.data, ldc: ldc)
                    NaiveGEMM.sgemm(
                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a.data, lda: lda,
                        b: b.data, ldb: ldb, beta: beta, c: c2.data, ldc: ldc)
                    for i in 0..<m {
                        for j in 0..<n {
                            let (x, y) = (c1.data[i * ldc + j], c2.data[i * ldc + j])
                            #expect(abs(x - y) < 1e-3, "transA \(transA) transB \(transB) beta \(beta) at \(i),\(j)")
                        }
                        for j in n..<ldc {  // the padding of C stays untouched
                            let (x, y) = (c1.data[i * ldc + j], c2.data[i * ldc + j])
                            #expect(x == y || (x.isNaN && y.isNaN), "padding changed at \(i),\(j)")
                        }
                    }
                }
            }
        }
    }

    /// A sum of products into one C (a weight gradient over the images of a batch) equals the
    /// naive products one after another, on sizes that stay on one core and that are split by
    /// columns and by rows.
    @Test(
        "accumulated products equal the naive twin one after another",
        arguments: [(7, 5, 3), (64, 1024, 300), (1024, 64, 300)])
    func accumulatedProducts(m: Int, n: Int, k: Int) {
        let count = 3
        for transA in [false, true] {
            for transB in [false, true] {
                let (lda, ldb) = (transA ? m : k, transB ? k : n)
                let a = (0..<count).map { Tensor.randomNormal([m * k], seed: UInt64(10 + $0)) }
                let b = (0..<count).map { Tensor.randomNormal([k * n], seed: UInt64(20 + $0)) }
                let c1 = Tensor.randomNormal([m * n], seed: 3)
                let c2 = c1.copy()
                GEMM.accumulate(
                    count: count, transA: transA, transB: transB, m: m, n: n, k: k,
                    a: { UnsafePointer(a[$0].data) }, lda: lda, b: { UnsafePointer(b[$0].data) }, ldb: ldb,
                    c: c1.data, ldc: n)
                for i in 0..<count {
                    NaiveGEMM.sgemm(
                        transA: transA, transB: transB, m: m, n: n, k: k, a: a[i].data, lda: lda,
                        b: b[i].data, ldb: ldb, beta: 1, c: c2.data, ldc: n)
                }
                #expect(TensorMath.maxAbsDifference(c1, c2) < 2e-3, "transA \(transA) transB \(transB)")
            }
        }
    }

    /// col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for all x, c. Stride 2
    /// takes its own path (phase planes), checked here on odd and even sizes.
    @Test("col2im is the adjoint of im2col", arguments: [(3, 1, 1), (4, 2, 1), (1, 1, 0), (3, 2, 0), (4, 1, 1), (2, 2, 0), (4, 3, 1), (5, 2, 3)])
    func adjoint(kernel: Int, stride: Int, padding: Int) {
        for (n, c, h, w) in [(1, 2, 5, 7), (3, 3, 8, 8), (2, 1, 9, 4)] {
            let g = ConvGeometry(n: n, c: c, h: h, w: w, kh: kernel, kw: kernel, stride: stride, padding: padding)
            let x = Tensor.randomNormal([n, c, h, w], seed: 4)
            let cols = Tensor(zeros: [g.patchSize, g.columns])
            Im2Col.im2col(x.data, g, into: cols.data)
            let probe = Tensor.randomNormal(cols.shape, seed: 5)
            let back = Tensor(repeating: .nan, shape: x.shape)  // col2im writes every element
            Im2Col.col2im(probe.data, g, into: back.data)
            let lhs = TensorMath.dot(cols, probe)
            let rhs = TensorMath.dot(x, back)
            #expect(abs(lhs - rhs) < 1e-3 * max(1, abs(lhs)), "k\(kernel) s\(stride) p\(padding) \(n)x\(c)x\(h)x\(w)")
            // Over a start value per channel (a transposed convolution's bias) it adds that value.
            let base = Tensor.randomNormal([c], seed: 7)
            let based = Tensor(repeating: .nan, shape: x.shape)
            Im2Col.col2im(probe.data, g, into: based.data, channelBase: base.data)
            var wrong = 0
            for i in 0..<x.count where abs(based.data[i] - (back.data[i] + base.data[(i / (h * w)) % c])) > 1e-5 { wrong += 1 }
            #expect(wrong == 0, "base: k\(kernel) s\(stride) p\(padding) \(n)x\(c)x\(h)x\(w)")
        }
    }

    /// Every entry of the column matrix against its definition, on both paths (stride 1, and
    /// stride 2's phase planes) with odd and even sizes, paddings wider than the kernel reach,
    /// and a buffer full of NaN so that an entry left unwritten fails.
    @Test(
        "im2col writes every entry as defined",
        arguments: [(4, 2, 1), (3, 2, 0), (5, 2, 3), (1, 2, 0), (2, 2, 2), (3, 1, 1), (4, 1, 2)])
    func im2colDefinition(kernel: Int, stride: Int, padding: Int) {
        for (n, c, h, w) in [(1, 2, 5, 7), (2, 3, 8, 8), (2, 1, 9, 4), (1, 1, 1, 3)] {
            let g = ConvGeometry(n: n, c: c, h: h, w: w, kh: kernel, kw: kernel, stride: stride, padding: padding)
            guard g.outH > 0, g.outW > 0 else { continue }
            let x = Tensor.randomNormal([n, c, h, w], seed: 6)
            let cols = Tensor(repeating: .nan, shape: [g.patchSize, g.columns])
            Im2Col.im2col(x.data, g, into: cols.data)
            var wrong = 0
            for row in 0..<g.patchSize {
                let (ci, i, j) = (row / (kernel * kernel), (row / kernel) % kernel, row % kernel)
                for column in 0..<g.columns {
                    let (image, oy, ox) = (column / g.outPlane, (column % g.outPlane) / g.outW, column % g.outW)
                    let (iy, ix) = (oy * stride - padding + i, ox * stride - padding + j)
                    let inside = iy >= 0 && iy < h && ix >= 0 && ix < w
                    let expected = inside ? x.data[((image * c + ci) * h + iy) * w + ix] : 0
                    if cols.data[row * g.columns + column] != expected { wrong += 1 }
                }
            }
            #expect(wrong == 0, "k\(kernel) s\(stride) p\(padding) \(n)x\(c)x\(h)x\(w)")
        }
    }

    @Test("im2col picks the right input pixels")
    func im2colValues() {
        // 1×1×3×3 input 1…9, kernel 2, stride 1, padding 0: 4 output positions.
        let x = Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
        let g = ConvGeometry(n: 1, c: 1, h: 3, w: 3, kh: 2, kw: 2, stride: 1, padding: 0)
        let cols = Tensor(zeros: [4, 4])
        Im2Col.im2col(x.data, g, into: cols.data)
        #expect(cols.scalars == [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9])
    }

    @Test("layout transposes are inverse")
    func layout() {
        let x = Tensor.randomNormal([3, 4, 5], seed: 6)
        let cm = Tensor(zeros: [4, 15])
        let back = Tensor(zeros: [3, 4, 5])
        Layout.batchToChannelMajor(x.data, n: 3, c: 4, plane: 5, into: cm.data)
        #expect(cm.data[1 * 15 + 2 * 5 + 3] == x.data[(2 * 4 + 1) * 5 + 3])
        Layout.channelMajorToBatch(cm.data, n: 3, c: 4, plane: 5, into: back.data)
        #expect(back.scalars == x.scalars)
    }

    @Test("the seeded generator is reproducible and restorable")
    func generator() {
        var a = SeededGenerator(seed: 9)
        _ = (0..<10).map { _ in a.next() }
        var b = a
        #expect((0..<5).map { _ in a.nextNormal() } == (0..<5).map { _ in b.nextNormal() })
        var c = SeededGenerator(seed: 9)
        var d = SeededGenerator(seed: 10)
        #expect(c.next() != d.next())
        var stats = SeededGenerator(seed: 1)
        let samples = (0..<20000).map { _ in Double(stats.nextNormal()) }
        let mean = samples.reduce(0, +) / 20000
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }

    @Test("tensor reuse keeps buffers of the same shape")
    func reuse() {
        let t = Tensor(zeros: [2, 3])
        #expect(Tensor.reuse(t, shape: [2, 3]) === t)
        #expect(Tensor.reuse(t, shape: [3, 2]) !== t)
    }
}
