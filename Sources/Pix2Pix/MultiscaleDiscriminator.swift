import NN
import Tensors

/// pix2pixHD's multi-scale discriminator: `scales` PatchGANs, the k-th seeing the input
/// average-pooled (3×3, stride 2, padding excluded) k times. With one scale it is exactly
/// pix2pix's discriminator, with the same state_dict keys; with more, keys are prefixed
/// `scale0.`, `scale1.`, ….
public final class MultiscaleDiscriminator: Module {
    public let config: DiscriminatorConfig
    public let discriminators: [PatchDiscriminator]
    private let pools: [AvgPool2d]

    public init(_ config: DiscriminatorConfig, rng: inout SeededGenerator) {
        self.config = config
        var nets: [PatchDiscriminator] = []
        for _ in 0..<config.scales { nets.append(PatchDiscriminator(config, rng: &rng)) }
        discriminators = nets
        pools = (1..<max(config.scales, 1)).map { _ in AvgPool2d(kernel: 3, stride: 2, padding: 1) }
    }

    public var children: [(name: String, layer: any Module)] {
        if discriminators.count == 1 { return discriminators[0].children }
        return discriminators.enumerated().map { ("scale\($0.offset)", $0.element) }
    }

    /// Whether backward returns dLoss/dInput (set true only for the generator's update).
    public var computesInputGradient: Bool = true {
        didSet { discriminators.forEach { $0.computesInputGradient = computesInputGradient } }
    }

    /// The first input channel whose gradient backward returns: (N, C − start, H, W), the
    /// gradient of the generated channels stacked after the condition (0: every channel).
    public var inputGradientStartChannel = 0 {
        didSet { discriminators.forEach { $0.inputGradientStartChannel = inputGradientStartChannel } }
    }

    /// Predictions and features per scale, finest first.
    public func forward(_ x: Tensor) -> [(prediction: Tensor, features: [Tensor])] {
        var input = x
        var results: [(Tensor, [Tensor])] = []
        for (k, net) in discriminators.enumerated() {
            if k > 0 { input = pools[k - 1].forward(input) }
            results.append(net.forward(input))
        }
        return results
    }

    /// Backpropagates per-scale prediction gradients (and optional feature gradients);
    /// returns dLoss/dInput when `computesInputGradient`, else nil.
    @discardableResult
    public func backward(_ dPredictions: [Tensor], featureGradients: [[Tensor]]? = nil) -> Tensor? {
        precondition(dPredictions.count == discriminators.count, "MultiscaleDiscriminator.backward: one gradient per scale")
        var carried: Tensor?
        for k in stride(from: discriminators.count - 1, through: 0, by: -1) {
            // A pooled scale's input gradient only flows on to the finer scales' input gradient,
            // so without that (the discriminator's update) no scale computes one.
            discriminators[k].computesInputGradient = computesInputGradient
            let dx = discriminators[k].backward(dPredictions[k], featureGradients: featureGradients?[k])
            guard computesInputGradient else { continue }
            // input_{k+1} = pool_k(input_k), so its gradient flows back through pool k.
            if let finer = carried { TensorMath.accumulate(pools[k].backward(finer), into: dx) }
            carried = dx
        }
        return computesInputGradient ? carried : nil
    }
}
