import CVectorLoops

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
    /// matrix is then one copy instead of a gather from every other input column (in C: the
    /// lines are short, and Swift's per-line overhead cost more than the copies).
    private static func fillStride2(_ columns: UnsafeMutablePointer<Float>, from input: UnsafePointer<Float>, _ g: ConvGeometry) {
        let (src, matrix) = (UncheckedSendable(input), UncheckedSendable(columns))
        forEachPlane(g) { plane, tapLines, scratch in
            tinct_im2col_stride2_plane(
                src.value + plane * g.h * g.w, g.h, g.w, g.kh, g.kw, g.padding, g.outH, g.outW, scratch,
                matrix.value + tapLines, g.columns)
        }
    }

    /// im2col for the int16 product (`GEMM.int16Product(_:n:pairsOfB:…)`) of a stride-2
    /// convolution with an even kernel width: the column matrix as ⌈K/2⌉ rows of 32-bit words,
    /// each holding two consecutive rows' entries as levels, round(entry · levels / largest)
    /// clamped to ±levels (`Int16Weights.inputLevels`), largest ≥ the input's largest magnitude.
    /// Half the bytes of the float matrix, and the product copies them without converting.
    public static func im2colInt16(
        _ input: UnsafePointer<Float>, _ g: ConvGeometry, largest: Float, into pairs: UnsafeMutablePointer<Int32>
    ) {
        precondition(g.stride == 2 && g.kw % 2 == 0, "im2colInt16: stride 2 and an even kernel width only")
        let levels = Int16Weights.inputLevels
        let inverseStep = largest > 0 ? levels / largest : 0
        let (src, matrix) = (UncheckedSendable(input), UncheckedSendable(pairs))
        Profiler.measure("im2col int16") {
            forEachPlane(g, extraScratch: 2 * g.outW) { plane, _, scratch in
                let (n, c) = (plane / g.c, plane % g.c)
                let pairLines = c * (g.kh * g.kw / 2) * g.columns + n * g.outPlane
                tinct_im2col_stride2_plane_int16(
                    src.value + plane * g.h * g.w, g.h, g.w, g.kh, g.kw, g.padding, g.outH, g.outW, scratch,
                    inverseStep, levels, matrix.value + pairLines, g.columns)
            }
        }
    }

    /// Shares the (n, c) input planes out among the cores and calls `body(plane, tapLines,
    /// scratch)` for each: its index n·C + c, where its first tap's lines start in the column
    /// matrix, and a scratch of one plane and `extraScratch` floats. Each worker owns whole
    /// planes, hence disjoint stretches of the column matrix and of the input.
    private static func forEachPlane(
        _ g: ConvGeometry, extraScratch: Int = 0,
        _ body: (_ plane: Int, _ tapLines: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void
    ) {
        Parallel.forEachChunk(g.n * g.c, costPerItem: g.kh * g.kw * g.outPlane) { planes in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: g.h * g.w + extraScratch)
            defer { scratch.deallocate() }
            for plane in planes {
                let (n, c) = (plane / g.c, plane % g.c)
                body(plane, c * g.kh * g.kw * g.columns + n * g.outPlane, scratch)
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
        let (matrix, dst) = (UncheckedSendable(columns), UncheckedSendable(input))
        forEachPlane(g) { plane, tapLines, _ in
            tinct_col2im_plane(
                matrix.value + tapLines, g.columns, g.h, g.w, g.kh, g.kw, g.stride, g.padding, g.outH, g.outW,
                base?.value[plane % g.c] ?? 0, dst.value + plane * g.h * g.w)
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
        let (matrix, dst) = (UncheckedSendable(columns), UncheckedSendable(input))
        forEachPlane(g) { plane, tapLines, scratch in
            tinct_col2im_stride2_plane(
                matrix.value + tapLines, g.columns, g.h, g.w, g.kh, g.kw, g.padding, g.outH, g.outW,
                base?.value[plane % g.c] ?? 0, scratch, dst.value + plane * g.h * g.w)
        }
    }
}
