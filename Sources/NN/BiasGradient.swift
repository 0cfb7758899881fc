import Tensors

/// A convolution's bias gradient: for each channel, the sum of the output gradient over the
/// batch and the plane, added to `gradient`.
enum BiasGradient {
    static func accumulate(_ dy: Tensor, into gradient: Tensor) {
        let d = NCHW(dy, op: "bias gradient")
        for channel in 0..<d.c {
            var s: Float = 0
            for image in 0..<d.n {
                let plane = dy.data + (image * d.c + channel) * d.plane
                for i in 0..<d.plane { s += plane[i] }
            }
            gradient.data[channel] += s
        }
    }
}
