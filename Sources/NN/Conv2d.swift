import Tensors

/// 2-D convolution as im2col + GEMM (PyTorch `nn.Conv2d`, no dilation/groups).
///
/// Shapes: x (N, C, H, W) → y (N, OC, OH, OW); weight (OC, C, KH, KW); bias (OC).
/// Forward: cols (C·KH·KW, N·OH·OW) = im2col(x); y = W · cols (+ bias).
/// Backward: dW += dY · colsᵀ; dcols = Wᵀ · dY; dx = col2im(dcols). A 4×4 stride-2 layer over a
/// large plane reads cols as shifted views of x's parity planes instead (forward and dW,
/// `ParityPlaneConvolution`) and computes dx as four phase products
/// (`SubPixelTransposedConvolution`): no column matrix. A wide 4×4 stride-1 layer (a
/// PatchGAN's widest) runs on Winograd's transforms (`WinogradConvolution`).
/// The GEMMs run per image, the images shared out among the cores, or over the whole batch
/// (`ImageBlock`); the weight gradient sums the images' products (`GEMM.accumulate`).
/// A layer with one output channel (a PatchGAN's last) skips the column matrix and sums in
/// place (`SingleChannelConvolution`).
public final class Conv2d: Layer, ParameterGradientToggle, InputGradientSelection {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public var computesParameterGradients = true
    /// When false, `backward` skips dx (the first layer of a network needs none) and
    /// returns an empty tensor.
    public var computesInputGradient = true
    /// The first input channel whose gradient `backward` computes: dx covers channels
    /// `inputGradientStartChannel..<C` only, shape (N, C − start, H, W). A discriminator's
    /// first layer, in the generator's update, needs the gradient of the generated channels
    /// alone, not of the condition stacked before them (0: every channel).
    public var inputGradientStartChannel = 0

    /// The weights the forward multiplies by instead of `weight`, when set (`useInt16Products`).
    var int16Weights: Int16Weights?
    /// The column matrix as the int16 product's pairs of rows (see Conv2d+Int16.swift).
    var columnPairs: [Int32] = []
    private var geometry: ConvGeometry?
    private var columns: Tensor?  // (C·KH·KW, N·OH·OW), kept for backward
    /// False after a forward that wrote `columnPairs` or `parityPlanes` instead of `columns`.
    private var columnsMatchForward = false
    /// x's parity planes, kept for backward by a forward on them (`ParityPlaneConvolution`).
    private var parityPlanes: Tensor?
    private var planesMatchForward = false
    /// That forward's padded-width products, then the backward's padded dY (`paddedPlanes`).
    private var paddedRows: Tensor?
    private var directInput: Tensor?  // x, kept for backward when there is one output channel
    private var tapPlanes: Tensor?  // (N·KH·KW·H·W) scratch of the one-channel path
    private var output: Tensor?
    private var channelMajor: Tensor?  // (OC, N·OH·OW) scratch for batches over small planes
    private var gradColumns: Tensor?  // dcols, or the weights by tap and phase products of `SubPixelTransposedConvolution`
    private var gradInput: Tensor?
    private var winograd: WinogradConvolution?
    private var winogradMatchesForward = false

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true) {
        precondition(inChannels > 0 && outChannels > 0, "Conv2d: channels must be positive")
        weight = Parameter(Tensor(zeros: [outChannels, inChannels, kernel, kernel]))
        self.bias = bias ? Parameter(Tensor(zeros: [outChannels])) : nil
        self.stride = stride
        self.padding = padding
    }

    public var inChannels: Int { weight.shape[1] }
    public var outChannels: Int { weight.shape[0] }
    public var kernel: Int { weight.shape[2] }

    public var parameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "Conv2d")
        precondition(d.c == inChannels, "Conv2d: input has \(d.c) channels, layer expects \(inChannels)")
        let g = ConvGeometry(n: d.n, c: d.c, h: d.h, w: d.w, kh: kernel, kw: kernel, stride: stride, padding: padding)
        precondition(g.outH > 0 && g.outW > 0, "Conv2d: input \(x.shape) too small for kernel \(kernel)")
        geometry = g
        if outChannels == 1 { return forwardToOneChannel(x, g) }
        let y = Tensor.reuse(output, shape: [d.n, outChannels, g.outH, g.outW])
        output = y
        winogradMatchesForward = false
        if int16Weights == nil, WinogradConvolution.applies(g, outChannels: outChannels) {
            forwardByWinograd(x, g, into: y)
            return y
        }
        if int16Weights == nil, ParityPlaneConvolution.applies(g, outChannels: outChannels) {
            forwardOnParityPlanes(x, g, into: y)
            return y
        }
        planesMatchForward = false
        let channelMajorOutput = ImageBlock.needChannelMajor(n: d.n, plane: g.outPlane)
        let target = channelMajorOutput ? Tensor.reuse(channelMajor, shape: [outChannels, g.columns]) : y
        if channelMajorOutput { channelMajor = target }
        let largestInput = int16Weights.map { _ in x.largestMagnitude }  // cols holds x's entries and zeros
        if let int16Weights, let largestInput, forwardOnColumnPairs(x, g, int16Weights, largestInput, into: target) {
            columnsMatchForward = false
        } else {
            forwardOnColumns(x, g, largestInput: largestInput, into: target)
        }
        if channelMajorOutput {
            Layout.channelMajorToBatch(target.data, n: d.n, c: outChannels, plane: g.outPlane, into: y.data)
        }
        return y
    }

    /// y by Winograd's transforms (`WinogradConvolution`), which keeps what backward needs.
    private func forwardByWinograd(_ x: Tensor, _ g: ConvGeometry, into y: Tensor) {
        let route = winograd ?? WinogradConvolution()
        winograd = route
        route.forward(
            x.data, weights: weight.value.data, bias: bias.map { UnsafePointer($0.value.data) },
            outChannels: outChannels, g, into: y.data)
        winogradMatchesForward = true
        planesMatchForward = false
        columnsMatchForward = false
    }

    /// y as W times the column matrix read from x's parity planes, kept for backward
    /// (`ParityPlaneConvolution`).
    private func forwardOnParityPlanes(_ x: Tensor, _ g: ConvGeometry, into y: Tensor) {
        let planes = Tensor.reuse(parityPlanes, shape: [ParityPlaneConvolution.planesCount(g)])
        parityPlanes = planes
        let scratch = paddedPlanes(g)
        ParityPlaneConvolution.split(x.data, g, into: planes.data)
        ParityPlaneConvolution.forward(
            weights: weight.value.data, outChannels: outChannels, bias: bias.map { UnsafePointer($0.value.data) },
            planes: planes.data, g, scratch: scratch.data, into: y.data)
        planesMatchForward = true
        columnsMatchForward = false
    }

    /// The forward's padded-width products on parity planes, then the backward's padded dY.
    private func paddedPlanes(_ g: ConvGeometry) -> Tensor {
        let planes = Tensor.reuse(paddedRows, shape: [ParityPlaneConvolution.paddedCount(g, channels: outChannels)])
        paddedRows = planes
        return planes
    }

    /// y's blocks (`target`) as W · im2col(x), the column matrix kept for backward; by the int16
    /// weights where set (B quantized on steps of `largestInput`), else the float ones.
    private func forwardOnColumns(_ x: Tensor, _ g: ConvGeometry, largestInput: Float?, into target: Tensor) {
        let cols = Tensor.reuse(columns, shape: [g.patchSize, g.columns])
        columns = cols
        columnsMatchForward = true
        Im2Col.im2col(x.data, g, into: cols.data)
        ImageBlock.forEach(ImageBlock.blocks(n: g.n, channels: outChannels, plane: g.outPlane)) { block, splits in
            let out = target.data + block.offset
            prefillBias(out, block)
            if let int16Weights {
                if GEMM.int16Product(
                    int16Weights, n: block.count, b: cols.data + block.firstColumn, ldb: g.columns,
                    largestInB: largestInput, addingToC: bias != nil, c: out, ldc: block.rowStride, splitAcrossCores: splits)
                {
                    return
                }
                prefillBias(out, block)
            }
            GEMM.sgemm(
                transA: false, transB: false, m: outChannels, n: block.count, k: g.patchSize,
                a: weight.value.data, lda: g.patchSize, b: cols.data + block.firstColumn, ldb: g.columns,
                beta: bias == nil ? 0 : 1, c: out, ldc: block.rowStride, splitAcrossCores: splits)
        }
    }

    /// Bias is folded into the products: each output row of a block starts as its channel's bias,
    /// then the product is added (beta 1). Nothing without a bias (the products overwrite).
    func prefillBias(_ out: UnsafeMutablePointer<Float>, _ block: ImageBlock) {
        guard let bias else { return }
        for oc in 0..<outChannels {
            (out + oc * block.rowStride).update(repeating: bias.value.data[oc], count: block.count)
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let g = geometry else { preconditionFailure("Conv2d.backward before forward") }
        precondition(dy.shape == [g.n, outChannels, g.outH, g.outW], "Conv2d.backward: gradient shape \(dy.shape)")
        if outChannels == 1 { return backwardFromOneChannel(dy, g) }
        if winogradMatchesForward, let winograd { return backwardByWinograd(dy, g, winograd) }
        guard planesMatchForward || columnsMatchForward else {
            preconditionFailure("Conv2d.backward before forward, or after an int16 forward (inference only)")
        }
        let dyBlocks: Tensor
        if ImageBlock.needChannelMajor(n: g.n, plane: g.outPlane) {
            dyBlocks = Tensor.reuse(channelMajor, shape: [outChannels, g.columns])
            channelMajor = dyBlocks
            Layout.batchToChannelMajor(dy.data, n: g.n, c: outChannels, plane: g.outPlane, into: dyBlocks.data)
        } else {
            dyBlocks = dy
        }
        let blocks = ImageBlock.blocks(n: g.n, channels: outChannels, plane: g.outPlane)
        let start = inputGradientStartChannel
        precondition(start >= 0 && start < g.c, "Conv2d: input gradient from channel \(start) of \(g.c)")
        let subPixel = computesInputGradient && SubPixelTransposedConvolution.applies(g, channels: g.c - start)
        // dY padded once, for the weight gradient on parity planes and the sub-pixel input gradient.
        var paddedGradient: Tensor?
        if (planesMatchForward && computesParameterGradients) || subPixel {
            let padded = paddedPlanes(g)
            ParityPlaneConvolution.pad(dy.data, planes: g.n * outChannels, g, into: padded.data)
            paddedGradient = padded
        }
        if computesParameterGradients {
            let weightGradient = weight.gradientForAccumulation()
            if planesMatchForward, let planes = parityPlanes, let padded = paddedGradient {
                Profiler.measure("parity-plane weight gradient") {
                    ParityPlaneConvolution.accumulateWeightGradient(
                        paddedGradient: padded.data, outChannels: outChannels, planes: planes.data, g,
                        beta: weightGradient.beta, into: weightGradient.tensor.data)
                }
            } else if let cols = columns {
                GEMM.accumulate(
                    count: blocks.count, transA: false, transB: true, m: outChannels, n: g.patchSize,
                    k: blocks[0].count, a: { UnsafePointer(dyBlocks.data + blocks[$0].offset) },
                    lda: blocks[0].rowStride, b: { UnsafePointer(cols.data + blocks[$0].firstColumn) }, ldb: g.columns,
                    beta: weightGradient.beta, c: weightGradient.tensor.data, ldc: g.patchSize)
            }
            if let bias {
                Profiler.measure("bias gradient") { BiasGradient.accumulate(dy, into: bias.grad) }
            }
        }
        // The channels whose gradient is computed, as a geometry of their own: their rows of
        // Wᵀ are the columns of W from channel `start` on.
        var gradientGeometry = g
        gradientGeometry.c = g.c - start
        let dx = Tensor.reuse(gradInput, shape: [g.n, gradientGeometry.c, g.h, g.w])
        gradInput = dx
        guard computesInputGradient else { return dx }
        if subPixel, let padded = paddedGradient {
            let count = SubPixelTransposedConvolution.scratchCount(
                g, sourceChannels: outChannels, channels: g.c, startChannel: start)
            let scratch = Tensor.reuse(gradColumns, shape: [count])
            gradColumns = scratch
            SubPixelTransposedConvolution.apply(
                weights: weight.value.data, sourceChannels: outChannels, channels: g.c, startChannel: start,
                padded: padded.data, g, scratch: scratch.data, into: dx.data)
            return dx
        }
        let dcols = Tensor.reuse(gradColumns, shape: [gradientGeometry.patchSize, g.columns])
        gradColumns = dcols
        ImageBlock.forEach(blocks) { block, splits in
            GEMM.sgemm(
                transA: true, transB: false, m: gradientGeometry.patchSize, n: block.count, k: outChannels,
                a: weight.value.data + start * g.kh * g.kw, lda: g.patchSize, b: dyBlocks.data + block.offset,
                ldb: block.rowStride, c: dcols.data + block.firstColumn, ldc: g.columns, splitAcrossCores: splits)
        }
        Im2Col.col2im(dcols.data, gradientGeometry, into: dx.data)
        return dx
    }

    private func backwardByWinograd(_ dy: Tensor, _ g: ConvGeometry, _ route: WinogradConvolution) -> Tensor {
        let start = inputGradientStartChannel
        precondition(start >= 0 && start < g.c, "Conv2d: input gradient from channel \(start) of \(g.c)")
        let dx = Tensor.reuse(gradInput, shape: [g.n, g.c - start, g.h, g.w])
        gradInput = dx
        var weightGradient: (data: UnsafeMutablePointer<Float>, beta: Float)?
        if computesParameterGradients {
            let gradient = weight.gradientForAccumulation()
            weightGradient = (gradient.tensor.data, gradient.beta)
            if let bias {
                Profiler.measure("bias gradient") { BiasGradient.accumulate(dy, into: bias.grad) }
            }
        }
        route.backward(
            dy.data, weights: weight.value.data, outChannels: outChannels, g, startChannel: start,
            weightGradient: weightGradient, inputGradient: computesInputGradient ? dx.data : nil)
        return dx
    }

    private func forwardToOneChannel(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
        directInput = x
        let y = Tensor.reuse(output, shape: [g.n, 1, g.outH, g.outW])
        output = y
        let scratch = oneChannelScratch(g)
        SingleChannelConvolution.forward(
            x.data, weight: weight.value.data, bias: bias?.value.data[0] ?? 0, g, scratch: scratch.data, into: y.data)
        return y
    }

    /// With one output channel, dy (N, 1, OH, OW) is already channel-major.
    /// The tap planes of `SingleChannelConvolution`, kept between calls.
    private func oneChannelScratch(_ g: ConvGeometry) -> Tensor {
        let scratch = Tensor.reuse(tapPlanes, shape: [SingleChannelConvolution.scratchCount(g)])
        tapPlanes = scratch
        return scratch
    }

    /// Computes every input channel's gradient; from `inputGradientStartChannel` on, the last
    /// channels' are returned in a tensor of their own (a one-filter discriminator, ndf 1).
    private func backwardFromOneChannel(_ dy: Tensor, _ g: ConvGeometry) -> Tensor {
        guard let x = directInput else { preconditionFailure("Conv2d.backward before forward") }
        if computesParameterGradients, let bias {
            var s: Float = 0
            for i in 0..<dy.count { s += dy.data[i] }
            bias.grad.data[0] += s
        }
        let dx = Tensor.reuse(gradInput, shape: [g.n, g.c, g.h, g.w])
        gradInput = dx
        SingleChannelConvolution.backward(
            x.data, weight: weight.value.data, outputGradient: dy.data, g, scratch: oneChannelScratch(g).data,
            weightGradient: computesParameterGradients ? weight.grad.data : nil,
            inputGradient: computesInputGradient ? dx.data : nil)
        let start = inputGradientStartChannel
        guard start > 0 else { return dx }
        precondition(start < g.c, "Conv2d: input gradient from channel \(start) of \(g.c)")
        let channels = g.c - start
        let part = Tensor(zeros: [g.n, channels, g.h, g.w])
        let plane = g.h * g.w
        for n in 0..<g.n {
            (part.data + n * channels * plane).update(from: dx.data + (n * g.c + start) * plane, count: channels * plane)
        }
        return part
    }
}
