/// Convolution to one output channel — a PatchGAN's last layer — computed in place, without
/// im2col.
///
/// Through im2col that layer writes a column matrix of C·KH·KW × N·OH·OW floats (12.8 MB in
/// `lineart-128`'s discriminator, 29 MB in `pix2pix-256`'s), reads it back for a product with a
/// single row, then does the same twice more in backward: memory-bound work costing ~7 % of a
/// training step. Here each output, weight gradient and input gradient is summed straight from
/// the input and the output gradient. The im2col + GEMM path of `Conv2d` computes the same
/// sums in another order; tests compare the two.
public enum SingleChannelConvolution {
    /// y (N, 1, OH, OW) = `bias` + Σ_c,i,j w[c, i, j] · x[n, c, oy·S − P + i, ox·S − P + j]
    /// (zero outside the input). Shapes: x (N, C, H, W) as `g` says, w (1, C, KH, KW).
    public static func forward(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: Float, _ g: ConvGeometry,
        into y: UnsafeMutablePointer<Float>
    ) {
        let (oh, ow, inPlane) = (g.outH, g.outW, g.h * g.w)
        let (px, pw, py) = (UncheckedSendable(x), UncheckedSendable(weight), UncheckedSendable(y))
        let columnRanges = (0..<g.kw).map { g.validRange(kernelOffset: $0, size: g.w, outSize: ow) }
        // One output row per item: every output is summed by one worker, in c, i, j order.
        Parallel.forEachChunk(g.n * oh, costPerItem: g.patchSize * ow) { items in
            for item in items {
                let (n, oy) = (item / oh, item % oh)
                let out = py.value + item * ow
                out.update(repeating: bias, count: ow)
                for c in 0..<g.c {
                    let plane = px.value + (n * g.c + c) * inPlane
                    for i in 0..<g.kh {
                        let iy = oy * g.stride - g.padding + i
                        guard iy >= 0 && iy < g.h else { continue }
                        let line = plane + iy * g.w
                        for j in 0..<g.kw {
                            let w = pw.value[(c * g.kh + i) * g.kw + j]
                            let shift = j - g.padding
                            for ox in columnRanges[j] { out[ox] += w * line[ox * g.stride + shift] }
                        }
                    }
                }
            }
        }
    }

    /// The gradients of `forward` for the output gradient dy (N, 1, OH, OW): adds
    /// Σ_n,oy,ox dy · x[n, c, oy·S − P + i, ox·S − P + j] to `weightGradient` (1, C, KH, KW)
    /// and writes dx (N, C, H, W) = Σ w · dy into `inputGradient`; either may be nil.
    public static func backward(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        _ g: ConvGeometry, weightGradient: UnsafeMutablePointer<Float>?, inputGradient: UnsafeMutablePointer<Float>?
    ) {
        let (oh, ow, inPlane) = (g.outH, g.outW, g.h * g.w)
        let (px, pw, pdy) = (UncheckedSendable(x), UncheckedSendable(weight), UncheckedSendable(dy))
        let (pdw, pdx) = (UncheckedSendable(weightGradient), UncheckedSendable(inputGradient))
        let columnRanges = (0..<g.kw).map { g.validRange(kernelOffset: $0, size: g.w, outSize: ow) }
        // One input channel per item: its weights and its input planes belong to it alone.
        Parallel.forEachChunk(g.c, costPerItem: 2 * g.n * g.kh * g.kw * oh * ow) { channels in
            for c in channels {
                if let dx = pdx.value {
                    for n in 0..<g.n { (dx + (n * g.c + c) * inPlane).update(repeating: 0, count: inPlane) }
                }
                for i in 0..<g.kh {
                    for j in 0..<g.kw {
                        let index = (c * g.kh + i) * g.kw + j
                        let w = pw.value[index]
                        let shift = j - g.padding
                        var sum: Float = 0
                        for n in 0..<g.n {
                            let offset = (n * g.c + c) * inPlane
                            for oy in 0..<oh {
                                let iy = oy * g.stride - g.padding + i
                                guard iy >= 0 && iy < g.h else { continue }
                                let gradients = pdy.value + (n * oh + oy) * ow
                                let line = px.value + offset + iy * g.w
                                if pdw.value != nil {
                                    for ox in columnRanges[j] { sum += gradients[ox] * line[ox * g.stride + shift] }
                                }
                                if let dx = pdx.value {
                                    let gradientLine = dx + offset + iy * g.w
                                    for ox in columnRanges[j] { gradientLine[ox * g.stride + shift] += w * gradients[ox] }
                                }
                            }
                        }
                        pdw.value?[index] += sum
                    }
                }
            }
        }
    }
}
