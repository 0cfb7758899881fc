import NN
import Tensors

/// Everything that defines a pix2pix-family model and its optimization; saved inside every
/// checkpoint so a checkpoint alone rebuilds its networks. Defaults are the papers'.
public struct ModelConfig: Codable, Sendable, Equatable {
    public var generator: GeneratorConfig
    public var discriminator: DiscriminatorConfig
    /// Adversarial objective (pix2pix: vanilla).
    public var ganLoss: GANLoss
    /// λ_L1, weight of the L1 reconstruction loss (pix2pix: 100).
    public var lambdaL1: Float
    /// λ_FM, weight of pix2pixHD's feature-matching loss; 0 turns it off (pix2pixHD: 10).
    public var lambdaFeatureMatching: Float
    /// Adam settings shared by G and D (pix2pix: lr 2e-4, β₁ 0.5, β₂ 0.999).
    public var adam: Adam.Hyperparameters

    public init(
        generator: GeneratorConfig = .init(), discriminator: DiscriminatorConfig = .init(),
        ganLoss: GANLoss = .vanilla, lambdaL1: Float = 100, lambdaFeatureMatching: Float = 0,
        adam: Adam.Hyperparameters = .init()
    ) {
        precondition(
            discriminator.inputChannels == generator.inputChannels + generator.outputChannels,
            "ModelConfig: the discriminator sees input and output stacked: \(generator.inputChannels + generator.outputChannels) channels")
        (self.generator, self.discriminator, self.ganLoss) = (generator, discriminator, ganLoss)
        (self.lambdaL1, self.lambdaFeatureMatching, self.adam) = (lambdaL1, lambdaFeatureMatching, adam)
    }
}

/// pix2pix's weight initialization (`init_type normal`, gain 0.02): convolution weights
/// N(0, 0.02), biases 0, batch-norm scales N(1, 0.02), shifts 0. Self-attention γ stays 0.
public enum Pix2PixInitialization {
    public static func apply(to network: any Module, rng: inout SeededGenerator) {
        network.visit { _, module in
            switch module {
            case let conv as Conv2d:
                Initializer.normal(std: 0.02).fill(conv.weight.value, rng: &rng)
                conv.bias?.value.zero()
            case let conv as ConvTranspose2d:
                Initializer.normal(std: 0.02).fill(conv.weight.value, rng: &rng)
                conv.bias?.value.zero()
            case let conv as SpectralNormConv2d:
                Initializer.normal(std: 0.02).fill(conv.weightOrig.value, rng: &rng)
                conv.conv.bias?.value.zero()
            case let norm as BatchNorm2d:
                Initializer.normal(mean: 1, std: 0.02).fill(norm.weight.value, rng: &rng)
                norm.bias.value.zero()
            default:
                break
            }
        }
    }
}
