/// im2col and col2im: the layout changes that turn convolution into one GEMM.
///
/// Column matrix layout: (C·KH·KW) × (N·OH·OW), row `(c·KH + i)·KW + j`, column
/// `n·OH·OW + oh·OW + ow`, holding `x[n, c, oh·S − P + i, ow·S − P + j]` (zero outside).
public enum Im2Col {
    /// Fills `columns` from the N×C×H×W tensor at `input`.
    public static func im2col(
        _ input: UnsafePointer<Float>, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>
    ) {
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
                        if owRange.lowerBound > 0 { line.update(repeating: 0, count: owRange.lowerBound) }
                        if owRange.upperBound < ow {
                            (line + owRange.upperBound).update(repeating: 0, count: ow - owRange.upperBound)
                        }
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

    /// Adds each column entry back to the input position it was read from:
    /// `input[n, c, …] += columns[…]`. Callers zero `input` first when they want a plain result.
    public static func col2imAccumulate(
        _ columns: UnsafePointer<Float>, _ g: ConvGeometry, into input: UnsafeMutablePointer<Float>
    ) {
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
}
