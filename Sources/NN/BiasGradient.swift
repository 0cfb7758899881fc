import CVectorLoops
import Tensors

/// A convolution's bias gradient: for each channel, the sum of the output gradient over the
/// batch and the plane, added to `gradient`. Summed in Double in a fixed order
/// (`tinct_sum_double`), channels shared over the cores.
enum BiasGradient {
    static func accumulate(_ dy: Tensor, into gradient: Tensor) {
        let d = NCHW(dy, op: "bias gradient")
        let (source, target) = (UncheckedSendable(dy.data), UncheckedSendable(gradient.data))
        Parallel.forEachChunk(d.c, costPerItem: d.n * d.plane) { channels in
            for channel in channels {
                var s = 0.0
                for image in 0..<d.n {
                    s += tinct_sum_double(source.value + (image * d.c + channel) * d.plane, d.plane, 0, 0)
                }
                target.value[channel] += Float(s)
            }
        }
    }
}
