import NN
import Tensors

/// pix2pix's PatchGAN discriminator (`NLayerDiscriminator`): 4×4 convolutions, LeakyReLU 0.2,
/// stride 2 for the first `nLayers` stages then stride 1, ending in a one-channel map of
/// per-patch logits. State_dict keys match PyTorch's (`model.0.weight`, …); spectral norm
/// turns `weight` into `weight_orig`/`weight_u`/`weight_v` as `torch.nn.utils.spectral_norm`.
///
/// The output of every LeakyReLU stage is an intermediate feature for pix2pixHD's feature
/// matching loss. Shapes: (N, C, H, W) → (N, 1, H/2^nLayers − 2, …).
public final class PatchDiscriminator: Module {
    public let model: Sequential
    /// Indices in `model.layers` whose outputs are the intermediate features.
    let featureIndices: [Int]
    private let firstConvolution: any Layer & InputGradientSelection

    init(_ config: DiscriminatorConfig, rng: inout SeededGenerator) {
        let ndf = config.ndf
        let bias = config.norm.convolutionsNeedBias
        var layers: [any Layer] = []
        var features: [Int] = []
        func conv(_ input: Int, _ output: Int, stride: Int, bias: Bool) -> any Layer & InputGradientSelection {
            let c = Conv2d(input, output, kernel: 4, stride: stride, padding: 1, bias: bias)
            return config.spectralNorm ? SpectralNormConv2d(c, rng: &rng) : c
        }
        let first = conv(config.inputChannels, ndf, stride: 2, bias: true)
        layers += [first, LeakyReLU(slope: 0.2)]
        features.append(layers.count - 1)
        var multiplier = 1
        for n in 1...config.nLayers {
            let previous = multiplier
            multiplier = min(1 << n, 8)
            layers.append(conv(ndf * previous, ndf * multiplier, stride: n < config.nLayers ? 2 : 1, bias: bias))
            layers.append(config.norm.makeLayer(channels: ndf * multiplier))
            layers.append(LeakyReLU(slope: 0.2))
            if config.attention && n == 1 { layers.append(SelfAttention(channels: ndf * multiplier)) }
            features.append(layers.count - 1)
        }
        layers.append(conv(ndf * multiplier, 1, stride: 1, bias: true))
        model = Sequential(layers)
        featureIndices = features
        firstConvolution = first
    }

    public var children: [(name: String, layer: any Module)] { [("model", model)] }

    /// Whether backward computes the gradient with respect to the input (only the generator's
    /// update needs it).
    var computesInputGradient: Bool {
        get { firstConvolution.computesInputGradient }
        set { firstConvolution.computesInputGradient = newValue }
    }

    /// The first input channel whose gradient backward returns: its result is (N, C − start,
    /// H, W), the gradient of the input's last channels.
    var inputGradientStartChannel: Int {
        get { firstConvolution.inputGradientStartChannel }
        set { firstConvolution.inputGradientStartChannel = newValue }
    }

    /// Runs the network; returns the logits map and the intermediate features (layer buffers,
    /// valid until the next forward).
    func forward(_ x: Tensor) -> (prediction: Tensor, features: [Tensor]) {
        var features: [Tensor] = []
        var h = x
        for (index, layer) in model.layers.enumerated() {
            h = layer.profiledForward(h)
            if featureIndices.contains(index) { features.append(h) }
        }
        return (h, features)
    }

    /// Backpropagates dLoss/dPrediction plus, optionally, a gradient for each feature.
    func backward(_ dPrediction: Tensor, featureGradients: [Tensor]? = nil) -> Tensor {
        var g = dPrediction
        for (index, layer) in model.layers.enumerated().reversed() {
            if let featureGradients, let k = featureIndices.firstIndex(of: index) {
                TensorMath.accumulate(featureGradients[k], into: g)
            }
            g = layer.profiledBackward(g)
        }
        return g
    }
}
