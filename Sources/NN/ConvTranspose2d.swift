import Tensors

/// 2-D transposed convolution (PyTorch `nn.ConvTranspose2d`, no output padding), built from
/// the same two paths as `Conv2d`'s input gradient: a GEMM with the weight transposed, then
/// col2im.
///
/// Shapes: x (N, C, H, W) → y (N, OC, (H−1)·S − 2P + K, …); weight (C, OC, K, K); bias (OC).
/// The column geometry is the convolution that maps y back onto x.
public final class ConvTranspose2d: Layer, ParameterGradientToggle {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public var computesParameterGradients = true

    private var geometry: ConvGeometry?  // over the output y
    private var inputCM: Tensor?  // x as (C, N·H·W); x itself when N = 1
    private var inputCMScratch: Tensor?
    private var columns: Tensor?  // (OC·K·K, N·H·W)
    private var output: Tensor?
    private var gradCM: Tensor?
    private var gradInput: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true) {
        precondition(inChannels > 0 && outChannels > 0, "ConvTranspose2d: channels must be positive")
        weight = Parameter(Tensor(zeros: [inChannels, outChannels, kernel, kernel]))
        self.bias = bias ? Parameter(Tensor(zeros: [outChannels])) : nil
        self.stride = stride
        self.padding = padding
    }

    public var inChannels: Int { weight.shape[0] }
    public var outChannels: Int { weight.shape[1] }
    public var kernel: Int { weight.shape[2] }

    public var parameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "ConvTranspose2d")
        precondition(d.c == inChannels, "ConvTranspose2d: input has \(d.c) channels, layer expects \(inChannels)")
        let oh = (d.h - 1) * stride - 2 * padding + kernel
        let ow = (d.w - 1) * stride - 2 * padding + kernel
        precondition(oh > 0 && ow > 0, "ConvTranspose2d: input \(x.shape) gives an empty output")
        let g = ConvGeometry(n: d.n, c: outChannels, h: oh, w: ow, kh: kernel, kw: kernel, stride: stride, padding: padding)
        precondition(g.outH == d.h && g.outW == d.w, "ConvTranspose2d: geometry mismatch for \(x.shape)")
        geometry = g
        let xCM: Tensor
        if d.n == 1 {
            xCM = x
        } else {
            xCM = Tensor.reuse(inputCMScratch, shape: [d.c, d.n * d.plane])
            inputCMScratch = xCM
            Layout.batchToChannelMajor(x.data, n: d.n, c: d.c, plane: d.plane, into: xCM.data)
        }
        inputCM = xCM
        let cols = Tensor.reuse(columns, shape: [g.patchSize, g.columns])
        columns = cols
        GEMM.sgemm(
            transA: true, transB: false, m: g.patchSize, n: g.columns, k: inChannels,
            a: weight.value.data, lda: g.patchSize, b: xCM.data, ldb: g.columns,
            c: cols.data, ldc: g.columns)
        let y = Tensor.reuse(output, shape: [d.n, outChannels, oh, ow])
        output = y
        if let bias {
            for n in 0..<d.n {
                for oc in 0..<outChannels {
                    (y.data + (n * outChannels + oc) * oh * ow).update(repeating: bias.value.data[oc], count: oh * ow)
                }
            }
        } else {
            y.zero()
        }
        Im2Col.col2imAccumulate(cols.data, g, into: y.data)
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let g = geometry, let xCM = inputCM, let cols = columns else {
            preconditionFailure("ConvTranspose2d.backward before forward")
        }
        precondition(dy.shape == [g.n, outChannels, g.h, g.w], "ConvTranspose2d.backward: gradient shape \(dy.shape)")
        Im2Col.im2col(dy.data, g, into: cols.data)  // cols now holds im2col(dY)
        if computesParameterGradients {
            GEMM.sgemm(
                transA: false, transB: true, m: inChannels, n: g.patchSize, k: g.columns,
                a: xCM.data, lda: g.columns, b: cols.data, ldb: g.columns,
                beta: 1, c: weight.grad.data, ldc: g.patchSize)
            if let bias {
                Profiler.measure("bias gradient") {
                    let plane = g.h * g.w
                    for n in 0..<g.n {
                        for oc in 0..<outChannels {
                            let p = dy.data + (n * outChannels + oc) * plane
                            var s: Float = 0
                            for i in 0..<plane { s += p[i] }
                            bias.grad.data[oc] += s
                        }
                    }
                }
            }
        }
        let dx = Tensor.reuse(gradInput, shape: [g.n, inChannels, g.outH, g.outW])
        gradInput = dx
        let target = g.n == 1 ? dx : Tensor.reuse(gradCM, shape: [inChannels, g.columns])
        if g.n > 1 { gradCM = target }
        GEMM.sgemm(
            transA: false, transB: false, m: inChannels, n: g.columns, k: g.patchSize,
            a: weight.value.data, lda: g.patchSize, b: cols.data, ldb: g.columns,
            c: target.data, ldc: g.columns)
        if g.n > 1 {
            Layout.channelMajorToBatch(target.data, n: g.n, c: inChannels, plane: g.outPlane, into: dx.data)
        }
        return dx
    }
}
