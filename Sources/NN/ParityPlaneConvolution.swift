import Tensors

/// The forward and weight gradient of a 4×4, stride-2, padding-1 convolution over a large plane,
/// without a column matrix.
///
/// Tap (ky, kx) of output (oy, ox) reads input (2·oy + ky − 1, 2·ox + kx − 1): a position of one
/// of the input's four parity planes (even or odd rows × even or odd columns), at (oy, ox) shifted
/// by −1, 0 or +1 along each axis. The input is split once into its parity planes, each
/// zero-padded by one (`split`); then row (c, ky, kx) of the column matrix is a shifted view of
/// one of them, and the products read those views where they lie (`GEMM.productWithGatheredRows`):
/// y = W · B in the forward, dW += dY · Bᵀ in the backward. A padded row is `OW + 2` wide, so
/// the products' columns run over the padded width: the forward computes two extra columns per
/// output row and drops them, and the backward reads dY padded (`pad`, shared with
/// `SubPixelTransposedConvolution`), two zero columns per row there.
///
/// The planes take about as much memory as x, where the column matrix took four times as much.
/// Taken only where the gathered-rows kernel runs (AVX-512, not the numerics runs' naive twin).
public enum ParityPlaneConvolution {
    /// Whether a convolution `g` to `outChannels` channels takes this path.
    public static func applies(_ g: ConvGeometry, outChannels: Int) -> Bool {
        GEMM.gatheredRowsAvailable && g.kh == 4 && g.kw == 4 && g.stride == 2 && g.padding == 1
            && g.outW >= SubPixelTransposedConvolution.minimumPlaneWidth && outChannels >= 8 && g.c >= 2
    }

    /// Sizes of the padded parity planes and of the products' padded-width rows (also the padded
    /// output gradient of `SubPixelTransposedConvolution`: a plane of the same size).
    struct Layout {
        /// A padded row: OW + 2.
        let width: Int
        /// A padded parity plane: OH + 3 rows (one above, two below: every shifted read of the
        /// products, the extra columns' included, stays inside).
        let plane: Int
        /// Columns of the products per image: OH rows of `width`.
        let columns: Int
        init(_ g: ConvGeometry) {
            width = g.outW + 2
            plane = (g.outH + 3) * width
            columns = g.outH * width
        }
    }

    /// Floats of the parity planes of `g`'s input.
    static func planesCount(_ g: ConvGeometry) -> Int { g.n * g.c * 4 * Layout(g).plane }

    /// Floats of `channels` padded output planes (`pad`), which also hold the forward's products
    /// in padded-width rows.
    static func paddedCount(_ g: ConvGeometry, channels: Int) -> Int { g.n * channels * Layout(g).plane }

    /// Copies each (OH, OW) output plane (an output gradient: `planes` of them) into the middle of
    /// a zeroed padded plane, from row 1 and column 1. From its row 1, column 0 on, a padded plane
    /// is also the plane in padded-width rows, its two extra columns zero.
    static func pad(_ source: UnsafePointer<Float>, planes: Int, _ g: ConvGeometry, into padded: UnsafeMutablePointer<Float>) {
        let layout = Layout(g)
        let (src, dst) = (UncheckedSendable(source), UncheckedSendable(padded))
        Profiler.measure("padded planes") {
            Parallel.forEachChunk(planes, costPerItem: layout.plane) { range in
                for p in range {
                    let from = src.value + p * g.outPlane
                    let to = dst.value + p * layout.plane
                    to.update(repeating: 0, count: layout.width + 1)
                    for row in 0..<g.outH {
                        let line = to + (row + 1) * layout.width
                        (line + 1).update(from: from + row * g.outW, count: g.outW)
                        (line + g.outW + 1).update(repeating: 0, count: 2)  // this row's end, the next row's start
                    }
                    (to + (g.outH + 1) * layout.width + 1).update(repeating: 0, count: 2 * layout.width - 1)
                }
            }
        }
    }

    /// For a kernel index along an axis: the parity of the input position it reads and the shift
    /// of its position within that parity's plane.
    private static let taps: [(parity: Int, shift: Int)] = [(1, -1), (0, 0), (1, 0), (0, 1)]

    /// Splits each (H, W) input plane into its four parity planes, each at row 1 and column 1 of
    /// a zeroed padded plane: planes[n, c, 2·py + px] row a + 1, column b + 1 holds
    /// x[n, c, 2a + py, 2b + px].
    static func split(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into planes: UnsafeMutablePointer<Float>) {
        let layout = Layout(g)
        let (src, dst) = (UncheckedSendable(x), UncheckedSendable(planes))
        Profiler.measure("parity planes") {
            Parallel.forEachChunk(g.n * g.c, costPerItem: 4 * layout.plane) { range in
                for inputPlane in range {
                    let from = src.value + inputPlane * g.h * g.w
                    let to = dst.value + inputPlane * 4 * layout.plane
                    to.update(repeating: 0, count: 4 * layout.plane)
                    for iy in 0..<g.h {
                        let line = from + iy * g.w
                        let row = to + (iy & 1) * 2 * layout.plane + ((iy >> 1) + 1) * layout.width + 1
                        for ix in 0..<g.w { row[(ix & 1) * layout.plane + (ix >> 1)] = line[ix] }
                    }
                }
            }
        }
    }

    /// Row (c, ky, kx) of image `image`'s column matrix, as a view into the parity planes starting
    /// at column `first`: `count` rows from row `start`.
    private static func rows(
        image: Int, _ g: ConvGeometry, planes: UnsafePointer<Float>, first: Int, start: Int = 0, count: Int,
        into rowsOfB: inout [UnsafePointer<Float>?]
    ) {
        let layout = Layout(g)
        for index in 0..<count {
            let (c, tap) = (start + index).quotientAndRemainder(dividingBy: 16)
            let (y, x) = (taps[tap / 4], taps[tap % 4])
            rowsOfB[index] =
                planes + ((image * g.c + c) * 4 + y.parity * 2 + x.parity) * layout.plane + (y.shift + 1) * layout.width
                + x.shift + 1 + first
        }
    }

    /// y = W · B (+ bias) from the parity planes: weights (OC, C·16), y (N, OC, OH, OW); `scratch`
    /// holds `paddedCount(g, channels: OC)` floats (the padded-width products, then dropped into y).
    static func forward(
        weights: UnsafePointer<Float>, outChannels: Int, bias: UnsafePointer<Float>?, planes: UnsafePointer<Float>,
        _ g: ConvGeometry, scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        let layout = Layout(g)
        let (planeData, products, out) = (UncheckedSendable(planes), UncheckedSendable(scratch), UncheckedSendable(y))
        // One item per image, or with fewer images than cores each image's columns in parts.
        let parts = g.n >= Parallel.workers ? 1 : max(1, min(Parallel.workers, layout.columns / 64))
        Parallel.forEachChunk(g.n * parts, costPerItem: Parallel.alwaysShared) { items in
            var rowsOfB = [UnsafePointer<Float>?](repeating: nil, count: g.patchSize)
            for item in items {
                let (image, part) = item.quotientAndRemainder(dividingBy: parts)
                let first = layout.columns * part / parts / 16 * 16
                let end = part == parts - 1 ? layout.columns : layout.columns * (part + 1) / parts / 16 * 16
                rows(image: image, g, planes: planeData.value, first: first, count: g.patchSize, into: &rowsOfB)
                let target = products.value + image * outChannels * layout.columns + first
                let ran = rowsOfB.withUnsafeBufferPointer {
                    GEMM.productWithGatheredRows(
                        transA: false, m: outChannels, n: end - first, k: g.patchSize, a: weights, lda: g.patchSize,
                        rowsOfB: $0.baseAddress!, beta: 0, c: target, ldc: layout.columns,
                        counted: (outChannels, (end - first) * g.outW / layout.width, g.patchSize))
                }
                precondition(ran, "ParityPlaneConvolution: the gathered-rows kernel declined \(g)")
            }
        }
        Parallel.forEachChunk(g.n * outChannels, costPerItem: g.outPlane) { range in
            for outputPlane in range {
                let value = bias?[outputPlane % outChannels] ?? 0
                let from = products.value + outputPlane * layout.columns
                let to = out.value + outputPlane * g.outPlane
                for oy in 0..<g.outH {
                    for ox in 0..<g.outW { to[oy * g.outW + ox] = from[oy * layout.width + ox] + value }
                }
            }
        }
    }

    /// dW = beta · dW + Σ over images of dY · Bᵀ, from the parity planes: dY (N, OC, OH, OW) as
    /// `pad` writes it (`paddedGradient`: from row 1 of each padded plane, its padded-width rows
    /// with zeros in the extra columns, which add nothing), dW (OC, C·16).
    static func accumulateWeightGradient(
        paddedGradient: UnsafePointer<Float>, outChannels: Int, planes: UnsafePointer<Float>, _ g: ConvGeometry,
        beta: Float, into weightGradient: UnsafeMutablePointer<Float>
    ) {
        let layout = Layout(g)
        let rowsOfGradient = UncheckedSendable(paddedGradient + layout.width + 1)
        let (planeData, gradient) = (UncheckedSendable(planes), UncheckedSendable(weightGradient))
        // dW's columns split across the cores (at least 32 each, the kernel's least); each core
        // sums every image's product on its block.
        let parts = max(1, min(Parallel.workers, g.patchSize / 32))
        Parallel.run(parts) { part in
            let lower = part == 0 ? 0 : g.patchSize * part / parts / 16 * 16
            let upper = part == parts - 1 ? g.patchSize : g.patchSize * (part + 1) / parts / 16 * 16
            let block = lower..<upper
            var rowsOfB = [UnsafePointer<Float>?](repeating: nil, count: block.count)
            for image in 0..<g.n {
                rows(
                    image: image, g, planes: planeData.value, first: 0, start: block.lowerBound, count: block.count,
                    into: &rowsOfB)
                let ran = rowsOfB.withUnsafeBufferPointer {
                    GEMM.productWithGatheredRows(
                        transA: false, transB: true, m: outChannels, n: block.count, k: layout.columns,
                        a: rowsOfGradient.value + image * outChannels * layout.plane, lda: layout.plane,
                        rowsOfB: $0.baseAddress!, beta: image == 0 ? beta : 1,
                        c: gradient.value + block.lowerBound, ldc: g.patchSize,
                        counted: (outChannels, block.count, g.outPlane))
                }
                precondition(ran, "ParityPlaneConvolution: the gathered-rows kernel declined \(g)")
            }
        }
    }
}
