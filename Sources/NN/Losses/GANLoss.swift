import Tensors

/// The adversarial objective, chosen per run (pix2pix: vanilla; pix2pixHD: LSGAN; SAGAN: hinge).
public enum GANLoss: String, Codable, Sendable, CaseIterable {
    /// Binary cross-entropy on logits.
    case vanilla
    /// Least squares (Mao et al. 2017).
    case lsgan
    /// Hinge (Lim & Ye 2017; SAGAN).
    case hinge

    /// Loss of the discriminator's `prediction` when it should call its input real or fake.
    public func discriminatorLoss(_ prediction: Tensor, real: Bool, gradient: Tensor? = nil) -> LossValue {
        switch self {
        case .vanilla: Loss.bceWithLogits(prediction, target: real ? 1 : 0, gradient: gradient)
        case .lsgan: Loss.mse(prediction, target: real ? 1 : 0, gradient: gradient)
        case .hinge: real ? Loss.hingeReal(prediction, gradient: gradient) : Loss.hingeFake(prediction, gradient: gradient)
        }
    }

    /// The generator's loss for the discriminator's `prediction` on generated images.
    public func generatorLoss(_ prediction: Tensor, gradient: Tensor? = nil) -> LossValue {
        switch self {
        case .vanilla: Loss.bceWithLogits(prediction, target: 1, gradient: gradient)
        case .lsgan: Loss.mse(prediction, target: 1, gradient: gradient)
        case .hinge: Loss.hingeGenerator(prediction, gradient: gradient)
        }
    }
}
