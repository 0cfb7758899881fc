/// Convolution to one output channel — a PatchGAN's last layer — without im2col, through
/// "tap planes": one plane per kernel tap (i, j), as large as an input plane.
///
/// Through im2col that layer writes a column matrix of C·KH·KW × N·OH·OW floats (12.8 MB in
/// `lineart-128`'s discriminator, 29 MB in `pix2pix-256`'s) and reads it back for a product with
/// a single row, then does the same twice more in backward: memory-bound work. Here each image
/// takes small products instead, all over its input planes as they lie (T = KH·KW taps, HW = H·W):
/// - forward: taps (T × HW) = wᵀ (T × C) · x (C × HW), then each output sums its T taps, each
///   read at the input position that tap sees;
/// - backward: dy is scattered into the tap planes (tap (i, j)'s plane holds each output's
///   gradient at the input position that tap read, zero elsewhere); then dw (C × T) += x ·
///   tapsᵀ and dx (C × HW) = w (C × T) · taps.
/// The im2col + GEMM path of `Conv2d` computes the same sums in another order; tests compare
/// the two.
public enum SingleChannelConvolution {
    /// Floats of scratch the calls need: N tap planes of KH·KW × H·W.
    public static func scratchCount(_ g: ConvGeometry) -> Int { g.n * g.kh * g.kw * g.h * g.w }

    /// y (N, 1, OH, OW) = `bias` + Σ_c,i,j w[c, i, j] · x[n, c, oy·S − P + i, ox·S − P + j]
    /// (zero outside the input). Shapes: x (N, C, H, W) as `g` says, w (1, C, KH, KW);
    /// `scratch` holds `scratchCount(g)` floats.
    public static func forward(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: Float, _ g: ConvGeometry,
        scratch taps: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        let (oh, ow, inPlane, tapCount) = (g.outH, g.outW, g.h * g.w, g.kh * g.kw)
        let (px, pw, pt, py) = (UncheckedSendable(x), UncheckedSendable(weight), UncheckedSendable(taps), UncheckedSendable(y))
        let columnRanges = (0..<g.kw).map { g.validRange(kernelOffset: $0, size: g.w, outSize: ow) }
        // One image per item (a batch of one splits its product across the cores instead).
        Parallel.forEachChunk(g.n, costPerItem: 2 * tapCount * g.c * inPlane) { images in
            for n in images {
                // taps[n] (T × HW) = wᵀ (T × C) · x[n] (C × HW); w is stored C × T.
                GEMM.sgemm(
                    transA: true, transB: false, m: tapCount, n: inPlane, k: g.c, a: pw.value, lda: tapCount,
                    b: px.value + n * g.c * inPlane, ldb: inPlane, c: pt.value + n * tapCount * inPlane, ldc: inPlane,
                    splitAcrossCores: g.n == 1)
                for oy in 0..<oh {
                    let out = py.value + (n * oh + oy) * ow
                    out.update(repeating: bias, count: ow)
                    for i in 0..<g.kh {
                        let iy = oy * g.stride - g.padding + i
                        guard iy >= 0 && iy < g.h else { continue }
                        for j in 0..<g.kw {
                            let line = pt.value + (n * tapCount + i * g.kw + j) * inPlane + iy * g.w + j - g.padding
                            for ox in columnRanges[j] { out[ox] += line[ox * g.stride] }
                        }
                    }
                }
            }
        }
    }

    /// The gradients of `forward` for the output gradient dy (N, 1, OH, OW): adds
    /// Σ_n,oy,ox dy · x[n, c, oy·S − P + i, ox·S − P + j] to `weightGradient` (1, C, KH, KW)
    /// and writes dx (N, C, H, W) = Σ w · dy into `inputGradient`; either may be nil.
    /// `scratch` holds `scratchCount(g)` floats.
    public static func backward(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        _ g: ConvGeometry, scratch taps: UnsafeMutablePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>?, inputGradient: UnsafeMutablePointer<Float>?
    ) {
        let (oh, ow, inPlane, tapCount) = (g.outH, g.outW, g.h * g.w, g.kh * g.kw)
        let (pdy, pt) = (UncheckedSendable(dy), UncheckedSendable(taps))
        let columnRanges = (0..<g.kw).map { g.validRange(kernelOffset: $0, size: g.w, outSize: ow) }
        // Tap (i, j)'s plane of image n: dy[n][oy][ox] at (oy·S − P + i, ox·S − P + j), else 0.
        Parallel.forEachChunk(g.n * tapCount, costPerItem: inPlane) { planes in
            for index in planes {
                let (n, tap) = (index / tapCount, index % tapCount)
                let (i, j) = (tap / g.kw, tap % g.kw)
                let plane = pt.value + index * inPlane
                plane.update(repeating: 0, count: inPlane)
                for oy in 0..<oh {
                    let iy = oy * g.stride - g.padding + i
                    guard iy >= 0 && iy < g.h else { continue }
                    let (line, gradients) = (plane + iy * g.w + j - g.padding, pdy.value + (n * oh + oy) * ow)
                    for ox in columnRanges[j] { line[ox * g.stride] = gradients[ox] }
                }
            }
        }
        if let weightGradient {
            // dw (C × T) += Σ_n x[n] (C × HW) · taps[n]ᵀ (HW × T)
            GEMM.accumulate(
                count: g.n, transA: false, transB: true, m: g.c, n: tapCount, k: inPlane,
                a: { x + $0 * g.c * inPlane }, lda: inPlane, b: { UnsafePointer(taps + $0 * tapCount * inPlane) },
                ldb: inPlane, c: weightGradient, ldc: tapCount)
        }
        if let inputGradient {
            let (pw, pdx) = (UncheckedSendable(weight), UncheckedSendable(inputGradient))
            Parallel.forEachChunk(g.n, costPerItem: 2 * tapCount * g.c * inPlane) { images in
                for n in images {
                    // dx[n] (C × HW) = w (C × T) · taps[n] (T × HW)
                    GEMM.sgemm(
                        transA: false, transB: false, m: g.c, n: inPlane, k: tapCount, a: pw.value, lda: tapCount,
                        b: pt.value + n * tapCount * inPlane, ldb: inPlane, c: pdx.value + n * g.c * inPlane, ldc: inPlane,
                        splitAcrossCores: g.n == 1)
                }
            }
        }
    }
}
