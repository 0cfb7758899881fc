import Tensors

/// pix2pixHD's feature-matching loss: Σᵢ weight · L1(fakeᵢ, realᵢ) over discriminator
/// intermediate features, real features treated as constants.
public enum FeatureMatching {
    /// Returns the weighted loss and one gradient per fake feature (into `gradients` when
    /// given and of the right shapes).
    public static func loss(fake: [Tensor], real: [Tensor], weight: Float, gradients: [Tensor]? = nil) -> (value: Float, gradients: [Tensor]) {
        precondition(fake.count == real.count, "FeatureMatching: \(fake.count) fake and \(real.count) real features")
        var total: Float = 0
        var grads: [Tensor] = []
        for (i, (f, r)) in zip(fake, real).enumerated() {
            let part = Loss.l1(f, r, gradient: gradients?[i])
            TensorMath.scale(part.gradient, by: weight, into: part.gradient)
            total += weight * part.value
            grads.append(part.gradient)
        }
        return (total, grads)
    }
}
