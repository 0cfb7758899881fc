/// Sizes of one 2-D convolution window sweep over an N×C×H×W input.
///
/// Shared by convolution, transposed convolution, im2col and col2im so that every op
/// derives output sizes the same way.
public struct ConvGeometry: Equatable, Sendable {
    /// Input batch, channels, height and width.
    public var n: Int, c: Int, h: Int, w: Int
    /// Kernel height and width.
    public var kh: Int, kw: Int
    /// Stride and zero padding, equal for both axes.
    public var stride: Int, padding: Int

    public init(n: Int, c: Int, h: Int, w: Int, kh: Int, kw: Int, stride: Int, padding: Int) {
        precondition(
            kh > 0 && kw > 0 && stride > 0 && padding >= 0,
            "ConvGeometry: kernel \(kh)×\(kw), stride \(stride), padding \(padding) invalid")
        (self.n, self.c, self.h, self.w) = (n, c, h, w)
        (self.kh, self.kw, self.stride, self.padding) = (kh, kw, stride, padding)
    }

    /// Output height: ⌊(H + 2P − KH) / S⌋ + 1.
    public var outH: Int { (h + 2 * padding - kh) / stride + 1 }
    /// Output width: ⌊(W + 2P − KW) / S⌋ + 1.
    public var outW: Int { (w + 2 * padding - kw) / stride + 1 }
    /// Rows of the column matrix: C·KH·KW.
    public var patchSize: Int { c * kh * kw }
    /// Output positions per image: OH·OW.
    public var outPlane: Int { outH * outW }
    /// Columns of the column matrix: N·OH·OW.
    public var columns: Int { n * outPlane }

    /// Output positions `o` along one axis for which `o·S − P + k` falls inside `0..<size`.
    @inlinable
    func validRange(kernelOffset k: Int, size: Int, outSize: Int) -> Range<Int> {
        let shift = padding - k  // input index = o·S − shift
        let low = shift > 0 ? (shift + stride - 1) / stride : 0
        let top = size - 1 + shift
        let high = top < 0 ? 0 : min(outSize, top / stride + 1)
        return low < high ? low..<high : 0..<0
    }
}
