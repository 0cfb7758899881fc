import Tensors

/// A differentiable building block with an explicit forward/backward pair.
///
/// `forward` computes the output and keeps what `backward` needs (its cache); `backward`
/// takes dLoss/dOutput for that same forward, adds parameter gradients into each
/// `Parameter.grad`, and returns dLoss/dInput. A layer's returned tensors are its own
/// buffers, reused by its next call: read them before calling the layer again.
///
/// Parameters and buffers are named like PyTorch's `state_dict` keys: a layer lists its own
/// under `parameters`/`buffers` and its sub-layers under `children`; full names are derived
/// by walking the tree (see `namedParameters()`), never kept in a parallel list.
public protocol Layer: Module {
    func forward(_ x: Tensor) -> Tensor
    func backward(_ dy: Tensor) -> Tensor
}

/// A node of a network tree: owns parameters and buffers and names its sub-modules.
/// Networks with several outputs (multi-scale discriminators) are modules but not layers.
public protocol Module: AnyObject {
    /// Named sub-modules, in state_dict order.
    var children: [(name: String, layer: any Module)] { get }
    /// This layer's own trainable tensors (not its children's).
    var parameters: [(name: String, parameter: Parameter)] { get }
    /// This layer's own persistent state (not its children's).
    var buffers: [(name: String, buffer: Buffer)] { get }
}

extension Module {
    public var children: [(name: String, layer: any Module)] { [] }
    public var parameters: [(name: String, parameter: Parameter)] { [] }
    public var buffers: [(name: String, buffer: Buffer)] { [] }

    /// Visits this layer and all descendants, depth first, with their dotted path.
    public func visit(prefix: String = "", _ body: (String, any Module) -> Void) {
        body(prefix, self)
        for (name, child) in children {
            child.visit(prefix: prefix.isEmpty ? name : "\(prefix).\(name)", body)
        }
    }

    /// Every parameter of the tree with its full state_dict name.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var result: [(String, Parameter)] = []
        visit { path, layer in
            for (name, p) in layer.parameters { result.append((path.isEmpty ? name : "\(path).\(name)", p)) }
        }
        return result
    }

    /// Every buffer of the tree with its full state_dict name.
    public func namedBuffers() -> [(name: String, buffer: Buffer)] {
        var result: [(String, Buffer)] = []
        visit { path, layer in
            for (name, b) in layer.buffers { result.append((path.isEmpty ? name : "\(path).\(name)", b)) }
        }
        return result
    }

    /// Zeroes every parameter gradient in the tree.
    public func zeroGrad() {
        for (_, p) in namedParameters() { p.zeroGrad() }
    }

    /// Switches training-dependent layers (batch norm, dropout, spectral norm) in the tree.
    public func setTraining(_ training: Bool) {
        visit { _, layer in (layer as? TrainingModeDependent)?.isTraining = training }
    }

    /// Turns parameter-gradient accumulation on or off in the whole tree. Off is used when
    /// only the input gradient is wanted (the generator's GAN loss through D).
    public func setComputesParameterGradients(_ on: Bool) {
        visit { _, layer in (layer as? ParameterGradientToggle)?.computesParameterGradients = on }
    }

    /// Makes every convolution of the tree multiply by its weights as they are now, quantized to
    /// 16 bits (`Int16Weights`), or (off) by its float weights again: for a model that only infers.
    /// Later changes to the weights do not reach the quantized copy; call this again after them.
    /// Where the CPU lacks AVX-512 VNNI nothing changes.
    public func useInt16Products(_ on: Bool) {
        visit { _, layer in (layer as? Int16ProductSelection)?.useInt16Products(on) }
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.parameter.value.count } }
}

/// A layer whose forward differs between training and evaluation.
public protocol TrainingModeDependent: AnyObject {
    var isTraining: Bool { get set }
}

/// A layer that can skip accumulating its parameter gradients.
public protocol ParameterGradientToggle: AnyObject {
    var computesParameterGradients: Bool { get set }
}

/// A layer whose input gradient can be skipped, or limited to its last input channels (a
/// network's first layer: the input needs no gradient, or only part of it does).
public protocol InputGradientSelection: AnyObject {
    /// When false, `backward` skips dx and returns an empty tensor.
    var computesInputGradient: Bool { get set }
    /// dx covers input channels `inputGradientStartChannel..<C` only (0: all of them).
    var inputGradientStartChannel: Int { get set }
}

/// A layer whose forward can multiply by a quantized snapshot of its weights (`Int16Weights`).
public protocol Int16ProductSelection: AnyObject {
    /// Snapshots the weights now (on, where the CPU runs the int16 product) or drops the snapshot.
    func useInt16Products(_ on: Bool)
}
