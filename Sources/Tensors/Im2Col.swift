/// im2col and col2im: the layout changes that turn convolution into one GEMM.
///
/// Column matrix layout: (C·KH·KW) × (N·OH·OW), row `(c·KH + i)·KW + j`, column
/// `n·OH·OW + oh·OW + ow`, holding `x[n, c, oh·S − P + i, ow·S − P + j]` (zero outside).
public enum Im2Col {
    /// Fills `columns` from the N×C×H×W tensor at `input`.
    public static func im2col(
        _ input: UnsafePointer<Float>, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>
    ) {
        Profiler.measure("im2col") { fill(columns, from: input, g) }
    }

    private static func fill(_ columns: UnsafeMutablePointer<Float>, from input: UnsafePointer<Float>, _ g: ConvGeometry) {
        if g.stride == 2 { return fillStride2(columns, from: input, g) }
        let (oh, ow, plane, inPlane) = (g.outH, g.outW, g.outPlane, g.h * g.w)
        let rowLength = g.columns
        let src = UncheckedSendable(input)
        let dst = UncheckedSendable(columns)
        Parallel.forEachChunk(g.patchSize, costPerItem: rowLength) { rows in
            for row in rows {
                let j = row % g.kw
                let i = (row / g.kw) % g.kh
                let c = row / (g.kw * g.kh)
                let owRange = g.validRange(kernelOffset: j, size: g.w, outSize: ow)
                let ohRange = g.validRange(kernelOffset: i, size: g.h, outSize: oh)
                let rowBase = dst.value + row * rowLength
                for n in 0..<g.n {
                    let outBase = rowBase + n * plane
                    let inBase = src.value + (n * g.c + c) * inPlane
                    for y in 0..<oh {
                        let line = outBase + y * ow
                        guard ohRange.contains(y), !owRange.isEmpty else {
                            line.update(repeating: 0, count: ow)
                            continue
                        }
                        let inLine = inBase + (y * g.stride - g.padding + i) * g.w
                        zeroOutside(owRange, of: line, width: ow)
                        let offset = j - g.padding
                        if g.stride == 1 {
                            (line + owRange.lowerBound).update(
                                from: inLine + owRange.lowerBound + offset, count: owRange.count)
                        } else {
                            for x in owRange { line[x] = inLine[x * g.stride + offset] }
                        }
                    }
                }
            }
        }
    }

    /// im2col for stride 2, the adjoint of `scatterStride2`: each input plane is split once into
    /// its four phase planes, where a tap's entries are contiguous, and every line of the column
    /// matrix is then one copy instead of a gather from every other input column.
    private static func fillStride2(_ columns: UnsafeMutablePointer<Float>, from input: UnsafePointer<Float>, _ g: ConvGeometry) {
        let (src, ow) = (UncheckedSendable(input), g.outW)
        PhaseTap.forEachPlane(g, columns: columns) { plane, phases, scratch, taps in
            phases.split(src.value + plane * g.h * g.w, into: scratch)
            taps { tap in
                for y in 0..<g.outH {
                    let line = tap.columnLines + y * ow
                    guard tap.rows.contains(y), !tap.columns.isEmpty else {
                        line.update(repeating: 0, count: ow)
                        continue
                    }
                    zeroOutside(tap.columns, of: line, width: ow)
                    let source = tap.phaseLine(y) + tap.columns.lowerBound
                    (line + tap.columns.lowerBound).update(from: source, count: tap.columns.count)
                }
            }
        }
    }

    /// Zeroes the entries of a column-matrix line left and right of the valid range.
    private static func zeroOutside(_ valid: Range<Int>, of line: UnsafeMutablePointer<Float>, width: Int) {
        if valid.lowerBound > 0 { line.update(repeating: 0, count: valid.lowerBound) }
        if valid.upperBound < width { (line + valid.upperBound).update(repeating: 0, count: width - valid.upperBound) }
    }

    /// Sums each column entry into the input position it was read from, over a start value per
    /// channel: `input[n, c, …] = base[c] + Σ columns[…]` (0 without `base`; a transposed
    /// convolution's bias). Every input element is written, so `input` needs no clearing.
    public static func col2im(
        _ columns: UnsafePointer<Float>, _ g: ConvGeometry, into input: UnsafeMutablePointer<Float>,
        channelBase base: UnsafePointer<Float>? = nil
    ) {
        Profiler.measure("col2im") { scatter(columns, g, into: input, base: base.map(UncheckedSendable.init)) }
    }

    private static func scatter(
        _ columns: UnsafePointer<Float>, _ g: ConvGeometry, into input: UnsafeMutablePointer<Float>,
        base: UncheckedSendable<UnsafePointer<Float>>?
    ) {
        if g.stride == 2 { return scatterStride2(columns, g, into: input, base: base) }
        let (oh, ow, plane, inPlane) = (g.outH, g.outW, g.outPlane, g.h * g.w)
        let rowLength = g.columns
        let src = UncheckedSendable(columns)
        let dst = UncheckedSendable(input)
        // Each worker owns whole (n, c) planes of the input, so no two write the same element.
        Parallel.forEachChunk(g.n * g.c, costPerItem: g.kh * g.kw * plane) { planes in
            for nc in planes {
                let n = nc / g.c
                let c = nc % g.c
                let inBase = dst.value + nc * inPlane
                inBase.update(repeating: base?.value[c] ?? 0, count: inPlane)
                for i in 0..<g.kh {
                    let ohRange = g.validRange(kernelOffset: i, size: g.h, outSize: oh)
                    for j in 0..<g.kw {
                        let owRange = g.validRange(kernelOffset: j, size: g.w, outSize: ow)
                        if owRange.isEmpty { continue }
                        let row = (c * g.kh + i) * g.kw + j
                        let colBase = src.value + row * rowLength + n * plane
                        let offset = j - g.padding
                        for y in ohRange {
                            let inLine = inBase + (y * g.stride - g.padding + i) * g.w
                            let line = colBase + y * ow
                            if g.stride == 1 {
                                for x in owRange { inLine[x + offset] += line[x] }
                            } else {
                                for x in owRange { inLine[x * g.stride + offset] += line[x] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// col2im for stride 2, the 4×4 stride-2 layers of every pix2pix network. A tap's entries
    /// land on every other input column, a scatter the compiler cannot vectorise; here each
    /// tap adds its line into one of four phase planes (the input's even/odd rows × even/odd
    /// columns), where the entries are contiguous, and one interleaving pass per input plane
    /// then writes the phases, over the channel's start value, into the input.
    private static func scatterStride2(
        _ columns: UnsafePointer<Float>, _ g: ConvGeometry, into input: UnsafeMutablePointer<Float>,
        base: UncheckedSendable<UnsafePointer<Float>>?
    ) {
        let (dst, ow) = (UncheckedSendable(input), g.outW)
        PhaseTap.forEachPlane(g, columns: UnsafeMutablePointer(mutating: columns)) { plane, phases, scratch, taps in
            scratch.update(repeating: 0, count: g.h * g.w)
            taps { tap in
                if tap.columns.isEmpty { return }
                for y in tap.rows {
                    let target = tap.phaseLine(y)
                    let line = tap.columnLines + y * ow
                    for x in tap.columns { target[x] += line[x] }
                }
            }
            phases.interleave(scratch, over: base?.value[plane % g.c] ?? 0, into: dst.value + plane * g.h * g.w)
        }
    }
}
