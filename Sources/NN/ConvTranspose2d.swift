import Tensors

/// 2-D transposed convolution (PyTorch `nn.ConvTranspose2d`, no output padding), built from
/// the same two paths as `Conv2d`'s input gradient: a GEMM with the weight transposed, then
/// col2im.
///
/// Shapes: x (N, C, H, W) → y (N, OC, (H−1)·S − 2P + K, …); weight (C, OC, K, K); bias (OC).
/// The column geometry is the convolution that maps y back onto x.
public final class ConvTranspose2d: Layer, ParameterGradientToggle, Int16ProductSelection {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public var computesParameterGradients = true

    /// The weights the forward multiplies by instead of `weight`, when set (`useInt16Products`).
    private var int16Weights: Int16Weights?
    private var geometry: ConvGeometry?  // over the output y
    private var inputBlocks: Tensor?  // x as (C, N·H·W) for batches over small planes, else x itself (`ImageBlock`)
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
        let xBlocks: Tensor
        if ImageBlock.needChannelMajor(n: d.n, plane: d.plane) {
            xBlocks = Tensor.reuse(inputCMScratch, shape: [d.c, d.n * d.plane])
            inputCMScratch = xBlocks
            Layout.batchToChannelMajor(x.data, n: d.n, c: d.c, plane: d.plane, into: xBlocks.data)
        } else {
            xBlocks = x
        }
        inputBlocks = xBlocks
        let cols = Tensor.reuse(columns, shape: [g.patchSize, g.columns])
        columns = cols
        ImageBlock.forEach(ImageBlock.blocks(n: d.n, channels: d.c, plane: d.plane)) { block, splits in
            if let int16Weights,
                GEMM.int16Product(
                    int16Weights, n: block.count, b: xBlocks.data + block.offset, ldb: block.rowStride,
                    c: cols.data + block.firstColumn, ldc: g.columns, splitAcrossCores: splits)
            {
                return
            }
            GEMM.sgemm(
                transA: true, transB: false, m: g.patchSize, n: block.count, k: inChannels,
                a: weight.value.data, lda: g.patchSize, b: xBlocks.data + block.offset, ldb: block.rowStride,
                c: cols.data + block.firstColumn, ldc: g.columns, splitAcrossCores: splits)
        }
        let y = Tensor.reuse(output, shape: [d.n, outChannels, oh, ow])
        output = y
        Im2Col.col2im(cols.data, g, into: y.data, channelBase: bias.map { UnsafePointer($0.value.data) })
        return y
    }

    public func useInt16Products(_ on: Bool) {
        let rows = weight.value.count / inChannels  // OC·K·K
        int16Weights =
            on && Int16Weights.available
            ? Int16Weights(weight.value.data, transposed: true, rows: rows, depth: inChannels, lda: rows) : nil
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let g = geometry, let xBlocks = inputBlocks, let cols = columns else {
            preconditionFailure("ConvTranspose2d.backward before forward")
        }
        precondition(dy.shape == [g.n, outChannels, g.h, g.w], "ConvTranspose2d.backward: gradient shape \(dy.shape)")
        Im2Col.im2col(dy.data, g, into: cols.data)  // cols now holds im2col(dY)
        let blocks = ImageBlock.blocks(n: g.n, channels: inChannels, plane: g.outPlane)
        if computesParameterGradients {
            let weightGradient = weight.gradientForAccumulation()
            GEMM.accumulate(
                count: blocks.count, transA: false, transB: true, m: inChannels, n: g.patchSize, k: blocks[0].count,
                a: { UnsafePointer(xBlocks.data + blocks[$0].offset) }, lda: blocks[0].rowStride,
                b: { UnsafePointer(cols.data + blocks[$0].firstColumn) }, ldb: g.columns,
                beta: weightGradient.beta, c: weightGradient.tensor.data, ldc: g.patchSize)
            if let bias {
                Profiler.measure("bias gradient") { BiasGradient.accumulate(dy, into: bias.grad) }
            }
        }
        let dx = Tensor.reuse(gradInput, shape: [g.n, inChannels, g.outH, g.outW])
        gradInput = dx
        let channelMajorOutput = ImageBlock.needChannelMajor(n: g.n, plane: g.outPlane)
        let target = channelMajorOutput ? Tensor.reuse(gradCM, shape: [inChannels, g.columns]) : dx
        if channelMajorOutput { gradCM = target }
        ImageBlock.forEach(blocks) { block, splits in
            GEMM.sgemm(
                transA: false, transB: false, m: inChannels, n: block.count, k: g.patchSize,
                a: weight.value.data, lda: g.patchSize, b: cols.data + block.firstColumn, ldb: g.columns,
                c: target.data + block.offset, ldc: block.rowStride, splitAcrossCores: splits)
        }
        if channelMajorOutput {
            Layout.channelMajorToBatch(target.data, n: g.n, c: inChannels, plane: g.outPlane, into: dx.data)
        }
        return dx
    }
}
