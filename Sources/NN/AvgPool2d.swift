import Tensors

/// Average pooling with padding left out of the count (PyTorch `nn.AvgPool2d(kernel,
/// stride, padding, count_include_pad=False)`); pix2pixHD downsamples discriminator inputs
/// with kernel 3, stride 2, padding 1.
/// Shapes: x (N, C, H, W) → y (N, C, OH, OW).
public final class AvgPool2d: Layer {
    public let kernel: Int, stride: Int, padding: Int
    private var geometry: ConvGeometry?
    private var output: Tensor?
    private var gradInput: Tensor?

    public init(kernel: Int = 3, stride: Int = 2, padding: Int = 1) {
        precondition(padding * 2 <= kernel, "AvgPool2d: padding must be at most half the kernel")
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
    }

    /// Valid input window along one axis for output position o: start and end (exclusive).
    @inline(__always) private func window(_ o: Int, size: Int) -> (Int, Int) {
        let start = o * stride - padding
        return (max(start, 0), min(start + kernel, size))
    }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "AvgPool2d")
        let g = ConvGeometry(n: d.n, c: d.c, h: d.h, w: d.w, kh: kernel, kw: kernel, stride: stride, padding: padding)
        geometry = g
        let y = Tensor.reuse(output, shape: [d.n, d.c, g.outH, g.outW])
        output = y
        for p in 0..<(d.n * d.c) {
            let src = x.data + p * d.plane
            let dst = y.data + p * g.outPlane
            for oy in 0..<g.outH {
                let (y0, y1) = window(oy, size: d.h)
                for ox in 0..<g.outW {
                    let (x0, x1) = window(ox, size: d.w)
                    var s: Float = 0
                    for iy in y0..<y1 { for ix in x0..<x1 { s += src[iy * d.w + ix] } }
                    dst[oy * g.outW + ox] = s / Float((y1 - y0) * (x1 - x0))
                }
            }
        }
        return y
    }

    /// The pool acts on each channel alone, so `dy` may hold the gradient of the output's last
    /// channels only (C′ ≤ C): dx is then (N, C′, H, W), those channels' input gradient.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let g = geometry else { preconditionFailure("AvgPool2d.backward before forward") }
        let channels = dy.shape.count == 4 ? dy.shape[1] : 0
        precondition(
            channels > 0 && channels <= g.c && dy.shape == [g.n, channels, g.outH, g.outW],
            "AvgPool2d.backward: gradient shape \(dy.shape)")
        let dx = Tensor.reuse(gradInput, shape: [g.n, channels, g.h, g.w])
        gradInput = dx
        dx.zero()
        for p in 0..<(g.n * channels) {
            let src = dy.data + p * g.outPlane
            let dst = dx.data + p * g.h * g.w
            for oy in 0..<g.outH {
                let (y0, y1) = window(oy, size: g.h)
                for ox in 0..<g.outW {
                    let (x0, x1) = window(ox, size: g.w)
                    let share = src[oy * g.outW + ox] / Float((y1 - y0) * (x1 - x0))
                    for iy in y0..<y1 { for ix in x0..<x1 { dst[iy * g.w + ix] += share } }
                }
            }
        }
        return dx
    }
}
