import Tensors

/// Layers applied in order; children are named "0", "1", … like `torch.nn.Sequential`, so
/// parameterless layers (activations) still take up an index and state_dict keys match.
public final class Sequential: Layer, LayerContainer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    public var children: [(name: String, layer: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public func forward(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1.profiledForward($0) }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        layers.reversed().reduce(dy) { $1.profiledBackward($0) }
    }

}
