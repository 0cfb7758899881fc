import NN
import Tensors

/// One level of the U-Net: downsample, run the inner block, upsample, and (except at the
/// outermost level) concatenate the block's input with its output — the skip connection.
///
/// Layer order follows pix2pix's `UnetSkipConnectionBlock` so that state_dict keys match:
/// outermost  [down, inner, ReLU, up, Tanh]
/// innermost  [LeakyReLU, down, ReLU, up, norm]
/// middle     [LeakyReLU, down, norm, inner, ReLU, up, norm, (Dropout)]
/// A self-attention block, when asked for, is appended after the last of these.
///
/// The skip connection carries LeakyReLU(x), not x: the reference applies that LeakyReLU in
/// place, so `torch.cat([x, model(x)])` sees the activated tensor. Tinct reproduces that so
/// PyTorch-trained weights behave the same here.
/// Shapes: x (N, outer, H, W) → (N, 2·outer, H, W) (outermost: (N, out, H, W)).
public final class UNetBlock: Layer, LayerContainer {
    public let model: Sequential
    public let isOutermost: Bool
    private var output: Tensor?
    private var gradInput: Tensor?
    private var gradInner: Tensor?
    private var inputChannels = 0

    init(
        outer: Int, inner: Int, input: Int? = nil, sub: UNetBlock? = nil, outermost: Bool = false,
        innermost: Bool = false, dropout: Bool = false, attention: Bool = false, norm: NormKind
    ) {
        let inputChannels = input ?? outer
        let bias = norm.convolutionsNeedBias
        let down = Conv2d(inputChannels, inner, kernel: 4, stride: 2, padding: 1, bias: bias)
        var layers: [any Layer]
        if outermost {
            guard let sub else { preconditionFailure("UNetBlock: the outermost block needs an inner block") }
            layers = [down, sub, ReLU(), ConvTranspose2d(inner * 2, outer, kernel: 4, stride: 2, padding: 1), Tanh()]
        } else if innermost {
            layers = [
                LeakyReLU(slope: 0.2), down, ReLU(),
                ConvTranspose2d(inner, outer, kernel: 4, stride: 2, padding: 1, bias: bias),
                norm.makeLayer(channels: outer)
            ]
        } else {
            guard let sub else { preconditionFailure("UNetBlock: a middle block needs an inner block") }
            layers = [
                LeakyReLU(slope: 0.2), down, norm.makeLayer(channels: inner), sub, ReLU(),
                ConvTranspose2d(inner * 2, outer, kernel: 4, stride: 2, padding: 1, bias: bias),
                norm.makeLayer(channels: outer)
            ]
            if dropout { layers.append(Dropout(p: 0.5)) }
        }
        if attention { layers.append(SelfAttention(channels: outer)) }
        model = Sequential(layers)
        isOutermost = outermost
    }

    public var children: [(name: String, layer: any Module)] { [("model", model)] }

    public func forward(_ x: Tensor) -> Tensor {
        if isOutermost { return model.forward(x) }
        let layers = model.layers
        let activated = layers[0].profiledForward(x)
        let inner = layers.dropFirst().reduce(activated) { $1.profiledForward($0) }
        let d = NCHW(activated, op: "UNetBlock")
        inputChannels = d.c
        let y = Tensor.reuse(output, shape: [d.n, d.c + inner.shape[1], d.h, d.w])
        output = y
        ChannelConcat.forward(activated, inner, into: y)
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        if isOutermost { return model.backward(dy) }
        let d = NCHW(dy, op: "UNetBlock.backward")
        let skip = Tensor.reuse(gradInput, shape: [d.n, inputChannels, d.h, d.w])
        let inner = Tensor.reuse(gradInner, shape: [d.n, d.c - inputChannels, d.h, d.w])
        (gradInput, gradInner) = (skip, inner)
        ChannelConcat.backward(dy, channelsA: inputChannels, intoA: skip, intoB: inner)
        let layers = model.layers
        let throughInner = layers.dropFirst().reversed().reduce(inner) { $1.profiledBackward($0) }
        TensorMath.accumulate(throughInner, into: skip)
        return layers[0].profiledBackward(skip)
    }
}

/// pix2pix's U-Net generator: `downsamplings` nested `UNetBlock`s, filters ngf, 2·ngf, 4·ngf,
/// then 8·ngf for the rest. State_dict keys match PyTorch's `UnetGenerator`
/// (`model.model.0.weight`, …). Shapes: (N, in, S, S) → (N, out, S, S), S divisible by
/// 2^downsamplings; output in [−1, 1].
public final class UNetGenerator: Layer, LayerContainer {
    public let config: GeneratorConfig
    public let model: UNetBlock

    public init(_ config: GeneratorConfig) {
        self.config = config
        let ngf = config.ngf
        let depth = config.downsamplings
        func attention(_ level: Int) -> Bool { config.attentionDepths.contains(level) }
        var block = UNetBlock(
            outer: ngf * 8, inner: ngf * 8, innermost: true,
            attention: attention(depth - 1), norm: config.norm)
        for level in stride(from: depth - 2, through: 4, by: -1) {
            block = UNetBlock(
                outer: ngf * 8, inner: ngf * 8, sub: block, dropout: config.dropout,
                attention: attention(level), norm: config.norm)
        }
        block = UNetBlock(outer: ngf * 4, inner: ngf * 8, sub: block, attention: attention(3), norm: config.norm)
        block = UNetBlock(outer: ngf * 2, inner: ngf * 4, sub: block, attention: attention(2), norm: config.norm)
        block = UNetBlock(outer: ngf, inner: ngf * 2, sub: block, attention: attention(1), norm: config.norm)
        model = UNetBlock(
            outer: config.outputChannels, inner: ngf, input: config.inputChannels, sub: block,
            outermost: true, norm: config.norm)
        // The network's input needs no gradient.
        (model.model.layers[0] as? Conv2d)?.computesInputGradient = false
    }

    public var children: [(name: String, layer: any Module)] { [("model", model)] }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "UNetGenerator")
        precondition(d.c == config.inputChannels, "UNetGenerator: input has \(d.c) channels, model expects \(config.inputChannels)")
        let multiple = 1 << config.downsamplings
        precondition(
            d.h % multiple == 0 && d.w % multiple == 0,
            "UNetGenerator: input \(d.h)×\(d.w) must be a multiple of \(multiple) on both sides")
        return model.forward(x)
    }

    public func backward(_ dy: Tensor) -> Tensor { model.backward(dy) }
}
