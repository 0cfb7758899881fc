import Tensors

/// The transposed product of a 4×4, stride-2, padding-1 convolution — a `Conv2d`'s input
/// gradient — without a column matrix.
///
/// Each output position (iy, ix) of the larger plane takes taps from two kernel rows and two
/// kernel columns only, chosen by its phase (iy mod 2, ix mod 2): the product splits into four
/// 2×2 stride-1 convolutions of the smaller plane, one per phase. Each is one product
/// (`GEMM.productWithGatheredRows`) whose B rows are the smaller plane of every source channel,
/// zero-padded by one and shifted for each of the phase's four taps: no im2col and no col2im.
/// A padded row is `OW + 2` wide, so a product's columns run over the padded width and the two
/// extra columns of each row are computed and dropped (6 % more work at OW 32, which is why
/// small planes keep the column path: `applies`). Taken only where that kernel runs (AVX-512,
/// not the numerics runs' naive twin).
///
/// Shapes: weights (OC, C, 4, 4); `source` (N, OC, OH, OW); `out` (N, C − start, H, W) where
/// (OH, OW) is the geometry's output plane over (H, W).
///
/// A `ConvTranspose2d`'s forward is the same product, but there it measured no faster in training
/// steps and 10–13 % slower in float inference (its weights re-ordered on every call), so it keeps
/// the column path.
public enum SubPixelTransposedConvolution {
    /// The smallest output width (of the stride-2 convolution) that takes this path.
    static let minimumPlaneWidth = 16
    /// The fewest channels of the larger plane computed that take this path: with fewer, the
    /// phase products have too few rows to fill the kernel's register block (a generator's last
    /// layer, 2 or 3 channels, ran 9 ms against 1 ms on the column path in a lineart-256 step).
    public static let minimumChannels = 16

    /// Whether the transposed product of convolution `g`, computing `channels` channels of its
    /// input plane, is one this handles and repays.
    public static func applies(_ g: ConvGeometry, channels: Int) -> Bool {
        GEMM.gatheredRowsAvailable && g.kh == 4 && g.kw == 4 && g.stride == 2 && g.padding == 1 && g.outW >= minimumPlaneWidth
            && channels >= minimumChannels
    }

    /// For each phase of an axis, its two taps: the kernel index and the offset of the smaller
    /// plane's position it reads (position a of the phase reads source a + offset).
    private static let taps: [[(kernel: Int, offset: Int)]] = [[(1, 0), (3, -1)], [(0, 1), (2, 0)]]

    /// Floats of scratch `apply` needs: the weights by tap, the phase products.
    static func scratchCount(_ g: ConvGeometry, sourceChannels oc: Int, channels: Int, startChannel start: Int) -> Int {
        16 * oc * channels + g.n * 4 * (channels - start) * phaseSize(g, ParityPlaneConvolution.Layout(g))
    }

    /// A phase product's size per channel: the larger plane's rows of one parity (the more
    /// numerous, even ones), each a padded row wide.
    private static func phaseSize(_ g: ConvGeometry, _ layout: ParityPlaneConvolution.Layout) -> Int {
        (g.h + 1) / 2 * layout.width
    }

    /// out[n, c − start, …] = Σ over oc and taps of weights[oc, c, ky, kx] · source[n, oc, …],
    /// for c in start..<C, from the source as `ParityPlaneConvolution.pad` writes it (`padded`);
    /// `scratch` holds `scratchCount` floats (overwritten).
    static func apply(
        weights: UnsafePointer<Float>, sourceChannels oc: Int, channels: Int, startChannel start: Int,
        padded: UnsafePointer<Float>, _ g: ConvGeometry,
        scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        precondition(start >= 0 && applies(g, channels: channels - start), "SubPixelTransposedConvolution: \(g)")
        // The smaller plane padded as the parity planes are: OW + 2 wide, a row above and two below.
        let layout = ParityPlaneConvolution.Layout(g)
        let (width, plane, phaseSize) = (layout.width, layout.plane, phaseSize(g, layout))
        let tapped = scratch
        let phases = tapped + 16 * oc * channels
        Profiler.measure("sub-pixel taps") { transposeTaps(weights, oc: oc, channels: channels, into: tapped) }
        let kept = channels - start
        let (paddedData, tapData, phaseData) = (
            UncheckedSendable(UnsafePointer(padded)), UncheckedSendable(UnsafePointer(tapped)), UncheckedSendable(phases)
        )
        Profiler.measure("sub-pixel products") {
            Parallel.forEachChunk(g.n * 4, costPerItem: Parallel.alwaysShared) { items in
                var rowsOfB = [UnsafePointer<Float>?](repeating: nil, count: 4 * oc)
                for item in items {
                    let (image, phase) = item.quotientAndRemainder(dividingBy: 4)
                    let (py, px) = phase.quotientAndRemainder(dividingBy: 2)
                    let columns = (g.h - py + 1) / 2 * width
                    let weightsOfPhase = tapData.value + phase * 4 * oc * channels + start
                    let target = phaseData.value + item * kept * phaseSize
                    // Depth index tap·OC + o: tap (t, u) of the phase, source channel o.
                    let shifted = (0..<4).map { tap in
                        paddedData.value + image * oc * plane + (Self.taps[py][tap / 2].offset + 1) * width
                            + Self.taps[px][tap % 2].offset + 1
                    }
                    for tap in 0..<4 {
                        for o in 0..<oc { rowsOfB[tap * oc + o] = shifted[tap] + o * plane }
                    }
                    let useful = (g.h - py + 1) / 2 * ((g.w - px + 1) / 2)  // the phase's positions
                    let ran = rowsOfB.withUnsafeBufferPointer {
                        GEMM.productWithGatheredRows(
                            transA: true, m: kept, n: columns, k: 4 * oc, a: weightsOfPhase, lda: channels,
                            rowsOfB: $0.baseAddress!, beta: 0, c: target, ldc: phaseSize, counted: (kept, useful, 4 * oc))
                    }
                    precondition(ran, "SubPixelTransposedConvolution: the gathered-rows kernel declined \(g)")
                }
            }
        }
        Profiler.measure("sub-pixel interleave") {
            interleave(phaseData.value, g, kept: kept, width: width, phaseSize: phaseSize, into: out)
        }
    }

    /// tapped[phase·4 + tap, oc, c] = weights[oc, c, ky, kx] for the phase's taps (ky, kx) in
    /// order: one (4·OC, C) matrix per phase.
    private static func transposeTaps(
        _ weights: UnsafePointer<Float>, oc: Int, channels: Int, into tapped: UnsafeMutablePointer<Float>
    ) {
        let (src, dst) = (UncheckedSendable(weights), UncheckedSendable(tapped))
        Parallel.forEachChunk(16 * oc, costPerItem: channels) { range in
            for row in range {
                let (slot, o) = row.quotientAndRemainder(dividingBy: oc)
                let (phase, tap) = slot.quotientAndRemainder(dividingBy: 4)
                let ky = taps[phase / 2][tap / 2].kernel
                let kx = taps[phase % 2][tap % 2].kernel
                let from = src.value + o * channels * 16 + ky * 4 + kx
                let to = dst.value + row * channels
                for c in 0..<channels { to[c] = from[c * 16] }
            }
        }
    }

    /// Writes each output row from the two phases of its row parity, alternating columns.
    private static func interleave(
        _ phases: UnsafeMutablePointer<Float>, _ g: ConvGeometry, kept: Int, width: Int, phaseSize: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        let (src, dst) = (UncheckedSendable(phases), UncheckedSendable(out))
        let evenColumns = (g.w + 1) / 2
        let oddColumns = g.w / 2
        Parallel.forEachChunk(g.n * kept, costPerItem: g.h * g.w) { range in
            for planeIndex in range {
                let (image, c) = planeIndex.quotientAndRemainder(dividingBy: kept)
                let target = dst.value + planeIndex * g.h * g.w
                for iy in 0..<g.h {
                    let py = iy & 1
                    let rowOffset = c * phaseSize + (iy >> 1) * width
                    let even = src.value + ((image * 4 + py * 2) * kept) * phaseSize + rowOffset
                    let odd = src.value + ((image * 4 + py * 2 + 1) * kept) * phaseSize + rowOffset
                    let line = target + iy * g.w
                    for b in 0..<oddColumns {
                        line[2 * b] = even[b]
                        line[2 * b + 1] = odd[b]
                    }
                    if evenColumns > oddColumns { line[g.w - 1] = even[evenColumns - 1] }
                }
            }
        }
    }
}
