import Tensors

/// A stride-1 4×4 convolution (a PatchGAN's widest layer) by Winograd's minimal filtering
/// (`WinogradTransform`): the output in m×m tiles, T = N·⌈OH/m⌉·⌈OW/m⌉ of them, each from an
/// α×α window of x (zeros outside it).
///
/// Shapes (ξ runs over the α² transformed positions, q over the m² tile positions):
///
///     windows   P  (α², C, T)    gathered from x (N, C, H, W)
///     V = (Bᵀ⊗Bᵀ) · P            (α², C, T)     kept for the weight gradient
///     U = (G⊗G) · Wᵀ             (α², OC, C)    W (OC·C, 16) as stored
///     M[ξ] = U[ξ] · V[ξ]         (α², OC, T)    α² independent products, shared over the cores
///     Y = (Aᵀ⊗Aᵀ) · M            (m², OC, T)    scattered into y (N, OC, OH, OW), plus bias
///
/// Backward is the exact adjoint of those steps: dM = (Aᵀ⊗Aᵀ)ᵀ · dY, dV[ξ] = U[ξ]ᵀ · dM[ξ],
/// dP = (Bᵀ⊗Bᵀ)ᵀ · dV added back into dx window by window, dU[ξ] = dM[ξ] · V[ξ]ᵀ and
/// dW += dUᵀ · (G⊗G). The products are α²·OC·C·T multiply-adds against 16·OC·C·m²·T for the
/// direct convolution; the profile counts the direct convolution's operations for them, the
/// model's work whichever way it is computed. The results differ from the direct sum's by
/// rounding only (a few units in the sixth digit; the tests bound it against the definition).
public final class WinogradConvolution {
    let transform: WinogradTransform
    // Four working arrays, each holding in turn what the steps need at once:
    private var windowsOrTiles: Tensor?  // P (α², C, T), then Y (m², OC, T); backward: dY's tiles, then dV
    private var transformedInput: Tensor?  // V (α², C, T), kept for the weight gradient
    private var transformedWeights: Tensor?  // U (α², OC, C), then dU in backward
    private var products: Tensor?  // M (α², OC, T); backward: dM, then dP (α², C − start, T)
    private var forwardGeometry: ConvGeometry?
    /// Whether U is the last forward's weights transformed (false once a backward made it dU).
    private var weightsTransformed = false

    init(_ transform: WinogradTransform = .threeByThree) {
        self.transform = transform
    }

    /// Layers worth it: 4×4, stride 1, wide enough on both sides and at least one tile across.
    public static func applies(_ g: ConvGeometry, outChannels: Int) -> Bool {
        g.kh == 4 && g.kw == 4 && g.stride == 1 && g.c >= 32 && outChannels >= 32 && g.outH >= 3 && g.outW >= 3
    }

    /// The tile grid over one output plane.
    struct Tiling {
        let side: Int  // m
        let window: Int  // α
        let rows: Int  // ⌈OH/m⌉
        let columns: Int  // ⌈OW/m⌉
        let count: Int  // T = N · rows · columns

        init(_ g: ConvGeometry, _ transform: WinogradTransform) {
            side = transform.outputTile
            window = transform.window
            rows = (g.outH + side - 1) / side
            columns = (g.outW + side - 1) / side
            count = g.n * rows * columns
        }

        /// Tiles `t` along one axis whose element `t·m + offset` lies in `0..<size`.
        func valid(offset: Int, size: Int, tiles: Int) -> Range<Int> {
            let low = offset < 0 ? (side - 1 - offset) / side : 0
            let high = size - 1 - offset < 0 ? 0 : min(tiles, (size - 1 - offset) / side + 1)
            return low < high ? low..<high : 0..<0
        }
    }

    /// y = conv(x, W) + bias; keeps V and U for `backward`.
    func forward(
        _ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels oc: Int,
        _ g: ConvGeometry, into y: UnsafeMutablePointer<Float>
    ) {
        forwardGeometry = g
        let t = Tiling(g, transform)
        let a2 = t.window * t.window
        let m2 = t.side * t.side
        let p = scratch(&windowsOrTiles, max(a2 * g.c, m2 * oc) * t.count)
        let v = scratch(&transformedInput, a2 * g.c * t.count)
        let u = scratch(&transformedWeights, a2 * oc * g.c)
        let mx = scratch(&products, a2 * max(oc, g.c) * t.count)
        let yp = p  // P is spent once V is made
        Profiler.measure("winograd windows") { Self.gather(x, .windows(g, t), t, into: p) }
        Profiler.countingProducts(as: 2 * oc * g.patchSize * g.columns) {
            transform.inputKron.withUnsafeBufferPointer { kron in
                GEMM.sgemm(
                    transA: false, transB: false, m: a2, n: g.c * t.count, k: a2, a: kron.baseAddress!, lda: a2,
                    b: p, ldb: g.c * t.count, c: v, ldc: g.c * t.count)
            }
            transformWeights(weights, outChannels: oc, channels: g.c, into: u)
            Self.eachPosition(a2) { xi in
                GEMM.sgemm(
                    transA: false, transB: false, m: oc, n: t.count, k: g.c, a: u + xi * oc * g.c, lda: g.c,
                    b: v + xi * g.c * t.count, ldb: t.count, c: mx + xi * oc * t.count, ldc: t.count,
                    splitAcrossCores: false)
            }
            transform.outputKron.withUnsafeBufferPointer { kron in
                GEMM.sgemm(
                    transA: false, transB: false, m: m2, n: oc * t.count, k: a2, a: kron.baseAddress!, lda: a2,
                    b: mx, ldb: oc * t.count, c: yp, ldc: oc * t.count)
            }
        }
        Profiler.measure("winograd tiles") {
            Self.scatter(yp, .tiles(g, outChannels: oc, t), t, adding: false, bias: bias, into: y)
        }
    }

    /// From dy (N, OC, OH, OW): dW = beta·dW + ∂/∂W (when `weightGradient` is set) and dx for the
    /// channels from `startChannel` on (N, C − start, H, W), when `inputGradient` is set.
    func backward(
        _ dy: UnsafePointer<Float>, weights: UnsafePointer<Float>, outChannels oc: Int, _ g: ConvGeometry,
        startChannel start: Int, weightGradient: (data: UnsafeMutablePointer<Float>, beta: Float)?,
        inputGradient: UnsafeMutablePointer<Float>?
    ) {
        guard g == forwardGeometry, let v = transformedInput?.data, let u = transformedWeights?.data,
            let mx = products?.data, let yp = windowsOrTiles?.data
        else { preconditionFailure("WinogradConvolution.backward before forward") }
        let t = Tiling(g, transform)
        let a2 = t.window * t.window
        let m2 = t.side * t.side
        let channels = g.c - start
        if inputGradient != nil && !weightsTransformed {  // a second backward after one forward
            transformWeights(weights, outChannels: oc, channels: g.c, into: u)
        }
        Profiler.measure("winograd tiles") { Self.gather(dy, .tiles(g, outChannels: oc, t), t, into: yp) }
        let direct = 2 * oc * g.patchSize * g.columns
        let inputShare = direct / g.c * channels
        Profiler.countingProducts(as: (inputGradient == nil ? 0 : inputShare) + (weightGradient == nil ? 0 : direct)) {
            transform.outputKron.withUnsafeBufferPointer { kron in
                GEMM.sgemm(
                    transA: true, transB: false, m: a2, n: oc * t.count, k: m2, a: kron.baseAddress!, lda: a2,
                    b: yp, ldb: oc * t.count, c: mx, ldc: oc * t.count)
            }
            let dv = yp  // dY's tiles are spent once dM is made
            if inputGradient != nil {
                Self.eachPosition(a2) { xi in
                    GEMM.sgemm(
                        transA: true, transB: false, m: channels, n: t.count, k: oc, a: u + xi * oc * g.c + start,
                        lda: g.c, b: mx + xi * oc * t.count, ldb: t.count, c: dv + xi * channels * t.count,
                        ldc: t.count, splitAcrossCores: false)
                }
            }
            if let weightGradient {
                Self.eachPosition(a2) { xi in
                    GEMM.sgemm(
                        transA: false, transB: true, m: oc, n: g.c, k: t.count, a: mx + xi * oc * t.count,
                        lda: t.count, b: v + xi * g.c * t.count, ldb: t.count, c: u + xi * oc * g.c, ldc: g.c,
                        splitAcrossCores: false)
                }
                // In runs of rows: the kernel for few columns sums a whole block of rows at once.
                let weights = oc * g.c
                transform.weightKron.withUnsafeBufferPointer { kron in
                    for first in stride(from: 0, to: weights, by: Self.weightGradientRows) {
                        GEMM.sgemm(
                            transA: true, transB: false, m: min(Self.weightGradientRows, weights - first), n: 16,
                            k: a2, a: u + first, lda: weights, b: kron.baseAddress!, ldb: 16,
                            beta: weightGradient.beta, c: weightGradient.data + first * 16, ldc: 16)
                    }
                }
                weightsTransformed = false  // U now holds dU
            }
            if inputGradient != nil {
                transform.inputKron.withUnsafeBufferPointer { kron in
                    GEMM.sgemm(
                        transA: true, transB: false, m: a2, n: channels * t.count, k: a2, a: kron.baseAddress!,
                        lda: a2, b: dv, ldb: channels * t.count, c: mx, ldc: channels * t.count)
                }
            }
        }
        guard let dx = inputGradient else { return }
        let dp = mx  // dM is spent once dV and dU are made
        var gradientGeometry = g
        gradientGeometry.c = channels
        Profiler.measure("winograd windows") { Self.scatter(dp, .windows(gradientGeometry, t), t, adding: true, into: dx) }
    }

    /// U = (G⊗G) · Wᵀ, W (OC·C, 16) as stored.
    private func transformWeights(
        _ weights: UnsafePointer<Float>, outChannels oc: Int, channels c: Int, into u: UnsafeMutablePointer<Float>
    ) {
        transform.weightKron.withUnsafeBufferPointer { kron in
            GEMM.sgemm(
                transA: false, transB: true, m: kron.count / 16, n: oc * c, k: 16, a: kron.baseAddress!, lda: 16,
                b: weights, ldb: 16, c: u, ldc: oc * c)
        }
        weightsTransformed = true
    }

    /// Rows of dW per product of its transform: its working sums stay at 0.5 MB, not 16 floats
    /// per weight.
    static let weightGradientRows = 8192

    private func scratch(_ stored: inout Tensor?, _ count: Int) -> UnsafeMutablePointer<Float> {
        let tensor = Tensor.reuse(stored, shape: [count])
        stored = tensor
        return tensor.data
    }

    /// The α² products, a contiguous run of them per core, each product on one core.
    private static func eachPosition(_ count: Int, _ body: (Int) -> Void) {
        Parallel.forEachChunk(count, costPerItem: Parallel.alwaysShared) { range in
            for xi in range { body(xi) }
        }
    }

    /// Where the tiles read or write a (N, C, H, W) tensor: position (u, v) of tile (row, column)
    /// of an image is element (m·row + u + shift, m·column + v + shift) of its planes, for
    /// `positions` × `positions` positions — a window's α² of x (shift −P) or a tile's m² of y
    /// (shift 0).
    struct PlaneGrid {
        let n: Int, channels: Int, height: Int, width: Int
        let positions: Int
        let shift: Int

        static func windows(_ g: ConvGeometry, _ t: Tiling) -> PlaneGrid {
            PlaneGrid(n: g.n, channels: g.c, height: g.h, width: g.w, positions: t.window, shift: -g.padding)
        }

        static func tiles(_ g: ConvGeometry, outChannels: Int, _ t: Tiling) -> PlaneGrid {
            PlaneGrid(n: g.n, channels: outChannels, height: g.outH, width: g.outW, positions: t.side, shift: 0)
        }
    }

    /// out[(u·positions + v)][c][t] = the planes' element at position (u, v) of tile t, zero
    /// outside them: P from x, dY's tiles from dy.
    static func gather(
        _ planes: UnsafePointer<Float>, _ grid: PlaneGrid, _ t: Tiling, into out: UnsafeMutablePointer<Float>
    ) {
        let plane = grid.height * grid.width
        Parallel.forEachChunk(grid.channels, costPerItem: grid.positions * grid.positions * t.count) { range in
            for c in range {
                for u in 0..<grid.positions {
                    for v in 0..<grid.positions {
                        let rows = t.valid(offset: u + grid.shift, size: grid.height, tiles: t.rows)
                        let columns = t.valid(offset: v + grid.shift, size: grid.width, tiles: t.columns)
                        var target = out + ((u * grid.positions + v) * grid.channels + c) * t.count
                        for image in 0..<grid.n {
                            let source = planes + (image * grid.channels + c) * plane + (v + grid.shift)
                            for row in 0..<t.rows {
                                if rows.contains(row) {
                                    let line = source + (t.side * row + u + grid.shift) * grid.width
                                    for column in 0..<t.columns {
                                        target[column] = columns.contains(column) ? line[t.side * column] : 0
                                    }
                                } else {
                                    target.update(repeating: 0, count: t.columns)
                                }
                                target += t.columns
                            }
                        }
                    }
                }
            }
        }
    }

    /// Each value of `values` (laid out as `gather` writes them) back to its place in the
    /// planes, those outside dropped: added up, the planes cleared first (dx from dP: windows
    /// overlap), or written with `bias[c]` added (y from its tiles: each element once).
    static func scatter(
        _ values: UnsafePointer<Float>, _ grid: PlaneGrid, _ t: Tiling, adding: Bool, bias: UnsafePointer<Float>? = nil,
        into planes: UnsafeMutablePointer<Float>
    ) {
        let plane = grid.height * grid.width
        Parallel.forEachChunk(grid.channels, costPerItem: grid.positions * grid.positions * t.count) { range in
            for c in range {
                if adding {
                    for image in 0..<grid.n { (planes + (image * grid.channels + c) * plane).update(repeating: 0, count: plane) }
                }
                let shift = bias?[c] ?? 0
                for u in 0..<grid.positions {
                    for v in 0..<grid.positions {
                        let rows = t.valid(offset: u + grid.shift, size: grid.height, tiles: t.rows)
                        let columns = t.valid(offset: v + grid.shift, size: grid.width, tiles: t.columns)
                        let source = values + ((u * grid.positions + v) * grid.channels + c) * t.count
                        for image in 0..<grid.n {
                            let target = planes + (image * grid.channels + c) * plane + (v + grid.shift)
                            for row in rows {
                                let line = target + (t.side * row + u + grid.shift) * grid.width
                                let tiles = source + (image * t.rows + row) * t.columns
                                if adding {
                                    for column in columns { line[t.side * column] += tiles[column] }
                                } else {
                                    for column in columns { line[t.side * column] = tiles[column] + shift }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
