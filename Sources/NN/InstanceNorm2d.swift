import Tensors

/// Instance normalization (PyTorch `nn.InstanceNorm2d` with affine=False and no running
/// statistics, as pix2pix's `--norm instance`): each (n, c) plane is normalized by its own
/// mean and biased variance, in training and evaluation alike.
/// Shapes: x, y (N, C, H, W).
public final class InstanceNorm2d: Layer {
    public let eps: Float
    private var normalized: Tensor?
    /// 1/√(var + ε) per normalized plane group, kept for backward. A tensor (owned, stable
    /// memory) so that the parallel loops may write it through its pointer.
    private var invStd: Tensor?
    private var gradInput: Tensor?

    public init(eps: Float = 1e-5) { self.eps = eps }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "InstanceNorm2d")
        let y = Tensor.reuse(normalized, shape: x.shape)
        normalized = y
        let inverse = Tensor.reuse(invStd, shape: [d.n * d.c])
        invStd = inverse
        let (px, py) = (UncheckedSendable(x.data), UncheckedSendable(y.data))
        let stats = UncheckedSendable(inverse.data)
        let eps = self.eps
        Parallel.forEachChunk(d.n * d.c, costPerItem: 3 * d.plane) { planes in
            for p in planes {
                let src = px.value + p * d.plane
                let dst = py.value + p * d.plane
                var s = 0.0
                for i in 0..<d.plane { s += Double(src[i]) }
                let mean = s / Double(d.plane)
                var s2 = 0.0
                for i in 0..<d.plane {
                    let t = Double(src[i]) - mean
                    s2 += t * t
                }
                let inv = Float(1 / (s2 / Double(d.plane) + Double(eps)).squareRoot())
                stats.value[p] = inv
                let meanF = Float(mean)
                for i in 0..<d.plane { dst[i] = (src[i] - meanF) * inv }
            }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let xhat = normalized else { preconditionFailure("InstanceNorm2d.backward before forward") }
        precondition(dy.shape == xhat.shape, "InstanceNorm2d.backward: gradient shape \(dy.shape)")
        let d = NCHW(dy, op: "InstanceNorm2d.backward")
        let dx = Tensor.reuse(gradInput, shape: dy.shape)
        gradInput = dx
        let (pdy, ph, pdx) = (UncheckedSendable(dy.data), UncheckedSendable(xhat.data), UncheckedSendable(dx.data))
        guard let inverse = invStd else { preconditionFailure("backward before forward") }
        let stats = UncheckedSendable(inverse.data)
        let m = Float(d.plane)
        Parallel.forEachChunk(d.n * d.c, costPerItem: 3 * d.plane) { planes in
            for p in planes {
                let o = p * d.plane
                var sumDy: Float = 0
                var sumDyXhat: Float = 0
                for i in 0..<d.plane {
                    sumDy += pdy.value[o + i]
                    sumDyXhat += pdy.value[o + i] * ph.value[o + i]
                }
                let (meanDy, meanDyXhat, inv) = (sumDy / m, sumDyXhat / m, stats.value[p])
                for i in 0..<d.plane {
                    pdx.value[o + i] = inv * (pdy.value[o + i] - meanDy - ph.value[o + i] * meanDyXhat)
                }
            }
        }
        return dx
    }
}
