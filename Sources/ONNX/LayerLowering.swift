import NN
import Pix2Pix
import Tensors

/// Turns Tinct layers, in evaluation, into ONNX nodes. Each case computes exactly what the
/// layer's `forward` computes once the network is in evaluation mode (as `GeneratorModel`
/// keeps it); a layer type with no case here stops the export with its state_dict path
/// rather than producing a graph that computes something else.
extension GraphBuilder {
    /// Appends the nodes computing `layer` on `input`; returns its output.
    /// - Parameter path: the layer's state_dict path (`model.model.1`), which names its
    ///   weights and its output in the graph.
    func lower(_ layer: any Layer, _ input: GraphValue, path: String) throws(ONNXExportError) -> GraphValue {
        switch layer {
        case let block as UNetBlock:
            return try lowerUNetBlock(block, input, path: path)
        case let sequential as Sequential:
            return try lowerSequence(sequential.layers, input, path: path)
        case let conv as Conv2d:
            return lowerConvolution(conv, input, path: path)
        case let deconv as ConvTranspose2d:
            return lowerTransposedConvolution(deconv, input, path: path)
        case let norm as BatchNorm2d:
            return lowerBatchNorm(norm, input, path: path)
        case let norm as InstanceNorm2d:
            // Affine-free: scale 1 and shift 0 per channel, which ONNX's operator requires as inputs.
            let scale = weight(Array(repeating: 1, count: input.channels), shape: [input.channels], named: "\(path).scale")
            let shift = weight(Array(repeating: 0, count: input.channels), shape: [input.channels], named: "\(path).shift")
            let y = node("InstanceNormalization", [input.name, scale, shift], attributes: [Attribute.float("epsilon", norm.eps)], named: path)
            return GraphValue(name: y, channels: input.channels)
        case is ReLU:
            return GraphValue(name: node("Relu", [input.name], named: path), channels: input.channels)
        case let leaky as LeakyReLU:
            let y = node("LeakyRelu", [input.name], attributes: [Attribute.float("alpha", leaky.function.slope)], named: path)
            return GraphValue(name: y, channels: input.channels)
        case is Tanh:
            return GraphValue(name: node("Tanh", [input.name], named: path), channels: input.channels)
        case is Sigmoid:
            return GraphValue(name: node("Sigmoid", [input.name], named: path), channels: input.channels)
        case is Dropout:
            // Identity in evaluation, as in Tinct's and PyTorch's eval().
            return input
        case let attention as SelfAttention:
            return try lowerSelfAttention(attention, input, path: path)
        default:
            throw .unsupportedLayer(path: path, type: String(describing: type(of: layer)))
        }
    }

    /// Layers applied in order, the i-th named `path.i` as in `Sequential`'s state_dict.
    func lowerSequence(_ layers: some Sequence<any Layer>, _ input: GraphValue, path: String, firstIndex: Int = 0)
        throws(ONNXExportError) -> GraphValue
    {
        var x = input
        for (offset, layer) in layers.enumerated() {
            x = try lower(layer, x, path: "\(path).\(firstIndex + offset)")
        }
        return x
    }

    /// The U-Net level: every block but the outermost concatenates the activated input
    /// (LeakyReLU(x), its first layer's output — see `UNetBlock`) with the inner path's output.
    private func lowerUNetBlock(_ block: UNetBlock, _ input: GraphValue, path: String) throws(ONNXExportError) -> GraphValue {
        let sequencePath = "\(path).model"
        let layers = block.model.layers
        if block.isOutermost { return try lowerSequence(layers, input, path: sequencePath) }
        guard let first = layers.first else { throw .unsupportedUse(path: sequencePath, reason: "an empty U-Net block") }
        let activated = try lower(first, input, path: "\(sequencePath).0")
        let inner = try lowerSequence(layers.dropFirst(), activated, path: sequencePath, firstIndex: 1)
        let y = node("Concat", [activated.name, inner.name], attributes: [Attribute.int("axis", 1)], named: "\(path).skip")
        return GraphValue(name: y, channels: activated.channels + inner.channels)
    }

    private func lowerConvolution(_ conv: Conv2d, _ input: GraphValue, path: String) -> GraphValue {
        var inputs = [input.name, weight(conv.weight.value, named: "\(path).weight")]
        if let bias = conv.bias { inputs.append(weight(bias.value, named: "\(path).bias")) }
        let y = node("Conv", inputs, attributes: Self.convolutionAttributes(kernel: conv.kernel, stride: conv.stride, padding: conv.padding), named: path)
        return GraphValue(name: y, channels: conv.outChannels)
    }

    /// ONNX's ConvTranspose takes the weight as PyTorch and Tinct store it, (C, OC, K, K); with
    /// no output padding its output side is (H − 1)·S − 2P + K, as `ConvTranspose2d`'s.
    private func lowerTransposedConvolution(_ deconv: ConvTranspose2d, _ input: GraphValue, path: String) -> GraphValue {
        var inputs = [input.name, weight(deconv.weight.value, named: "\(path).weight")]
        if let bias = deconv.bias { inputs.append(weight(bias.value, named: "\(path).bias")) }
        let attributes = Self.convolutionAttributes(kernel: deconv.kernel, stride: deconv.stride, padding: deconv.padding)
        let y = node("ConvTranspose", inputs, attributes: attributes, named: path)
        return GraphValue(name: y, channels: deconv.outChannels)
    }

    /// Batch norm on running statistics is ONNX's BatchNormalization (inference form). A model
    /// that normalizes with the picture's own statistics (`evaluationUsesBatchStatistics`,
    /// pix2pix's test-time behaviour) becomes InstanceNormalization with the same scale and
    /// shift: statistics over H·W of each picture — Tinct's over N·H·W for a batch of one,
    /// which is how Tinct colorizes, and independent of how a serving stack batches pictures.
    private func lowerBatchNorm(_ norm: BatchNorm2d, _ input: GraphValue, path: String) -> GraphValue {
        let scale = weight(norm.weight.value, named: "\(path).weight")
        let shift = weight(norm.bias.value, named: "\(path).bias")
        let epsilon = Attribute.float("epsilon", norm.eps)
        let y: String
        if norm.evaluationUsesBatchStatistics || norm.isTraining {
            y = node("InstanceNormalization", [input.name, scale, shift], attributes: [epsilon], named: path)
        } else {
            let mean = weight(norm.runningMean.value, named: "\(path).running_mean")
            let variance = weight(norm.runningVar.value, named: "\(path).running_var")
            y = node("BatchNormalization", [input.name, scale, shift, mean, variance], attributes: [epsilon], named: path)
        }
        return GraphValue(name: y, channels: input.channels)
    }

    /// Square kernel, equal strides and padding on every side, as Tinct's layers have.
    static func convolutionAttributes(kernel: Int, stride: Int, padding: Int) -> [Onnx_AttributeProto] {
        [
            Attribute.ints("kernel_shape", [kernel, kernel]), Attribute.ints("strides", [stride, stride]),
            Attribute.ints("pads", [padding, padding, padding, padding])
        ]
    }
}
