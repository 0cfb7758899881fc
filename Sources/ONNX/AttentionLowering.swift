import NN

/// SAGAN self-attention (`SelfAttention`) as standard ONNX operators.
///
/// With L = H·W and C' = C/8: q, k (N, C', L) and v (N, C, L) from 1×1 convolutions;
/// energy = qᵀk (N, L, L); A = softmax over the last axis; out = v·Aᵀ (N, C, L), reshaped
/// back to x's shape; y = γ·out + x.
extension GraphBuilder {
    func lowerSelfAttention(_ attention: SelfAttention, _ input: GraphValue, path: String) throws(ONNXExportError) -> GraphValue {
        let c = input.channels
        let c8 = attention.queryConv.outChannels
        let q = try lower(attention.queryConv, input, path: "\(path).query_conv")
        let k = try lower(attention.keyConv, input, path: "\(path).key_conv")
        let v = try lower(attention.valueConv, input, path: "\(path).value_conv")
        // Reshape's 0 copies N from the input; -1 is L.
        let flat = { (value: GraphValue, channels: Int, name: String) in
            self.node("Reshape", [value.name, self.int64s([0, Int64(channels), -1], named: "\(name).shape")], named: name)
        }
        let qFlat = flat(q, c8, "\(path).q")
        let kFlat = flat(k, c8, "\(path).k")
        let vFlat = flat(v, c, "\(path).v")
        let transpose = [Attribute.ints("perm", [0, 2, 1])]
        let qT = node("Transpose", [qFlat], attributes: transpose, named: "\(path).q_t")
        let energy = node("MatMul", [qT, kFlat], named: "\(path).energy")
        let weights = node("Softmax", [energy], attributes: [Attribute.int("axis", -1)], named: "\(path).attention")
        let weightsT = node("Transpose", [weights], attributes: transpose, named: "\(path).attention_t")
        let out = node("MatMul", [vFlat, weightsT], named: "\(path).out")
        let inputShape = node("Shape", [input.name], named: "\(path).input_shape")
        let outImage = node("Reshape", [out, inputShape], named: "\(path).out_image")
        let gamma = weight(attention.gamma.value, named: "\(path).gamma")
        let scaled = node("Mul", [outImage, gamma], named: "\(path).scaled")
        return GraphValue(name: node("Add", [scaled, input.name], named: path), channels: c)
    }
}
