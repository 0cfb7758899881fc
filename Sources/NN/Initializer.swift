import Tensors

/// How a parameter's starting values are drawn. pix2pix uses `.normal(mean: 0, std: 0.02)`
/// for convolutions and `.normal(mean: 1, std: 0.02)` for batch-norm scales.
public enum Initializer: Sendable, Equatable {
    case zeros
    case ones
    case constant(Float)
    case normal(mean: Float = 0, std: Float)

    /// Overwrites `tensor` with fresh values from `rng`.
    public func fill(_ tensor: Tensor, rng: inout SeededGenerator) {
        switch self {
        case .zeros: tensor.zero()
        case .ones: tensor.fill(1)
        case .constant(let value): tensor.fill(value)
        case .normal(let mean, let std):
            for i in 0..<tensor.count { tensor.data[i] = mean + std * rng.nextNormal() }
        }
    }
}
