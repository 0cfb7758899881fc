import Tensors

/// SAGAN self-attention block (Zhang et al. 2018, arXiv:1805.08318).
///
/// With L = H·W and C' = C/8: q = Wq·x (C', L), k = Wk·x (C', L), v = Wv·x (C, L) (1×1
/// convolutions); energy = qᵀk (L, L); A = softmax over each row; out = v·Aᵀ (C, L);
/// y = γ·out + x. γ starts at 0 so the block begins as the identity.
/// Shapes: x, y (N, C, H, W); attention maps (N, L, L) are kept for backward.
public final class SelfAttention: Layer, ParameterGradientToggle {
    public let queryConv: Conv2d
    public let keyConv: Conv2d
    public let valueConv: Conv2d
    public let gamma: Parameter
    public var computesParameterGradients = true {
        didSet { [queryConv, keyConv, valueConv].forEach { $0.computesParameterGradients = computesParameterGradients } }
    }

    private var attention: Tensor?  // (N, L, L)
    private var outputs: Tensor?  // attention output before γ, (N, C, H, W)
    private var result: Tensor?
    private var q: Tensor?, k: Tensor?, v: Tensor?
    private var gradQ: Tensor?, gradK: Tensor?, gradV: Tensor?, gradInput: Tensor?
    private var gradEnergy: Tensor?  // (L, L) scratch

    public init(channels: Int) {
        precondition(channels >= 8, "SelfAttention: needs at least 8 channels, got \(channels)")
        queryConv = Conv2d(channels, channels / 8, kernel: 1)
        keyConv = Conv2d(channels, channels / 8, kernel: 1)
        valueConv = Conv2d(channels, channels, kernel: 1)
        gamma = Parameter(Tensor(zeros: [1]))
    }

    public var children: [(name: String, layer: any Module)] {
        [("query_conv", queryConv), ("key_conv", keyConv), ("value_conv", valueConv)]
    }
    public var parameters: [(name: String, parameter: Parameter)] { [("gamma", gamma)] }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "SelfAttention")
        let l = d.plane
        let c8 = queryConv.outChannels
        // Each conv owns its output buffer, so the three results stay valid together.
        let q = queryConv.forward(x)
        let k = keyConv.forward(x)
        let v = valueConv.forward(x)
        (self.q, self.k, self.v) = (q, k, v)
        let a = Tensor.reuse(attention, shape: [d.n, l, l])
        let out = Tensor.reuse(outputs, shape: x.shape)
        let y = Tensor.reuse(result, shape: x.shape)
        (attention, outputs, result) = (a, out, y)
        for n in 0..<d.n {
            let an = a.data + n * l * l
            GEMM.sgemm(
                transA: true, transB: false, m: l, n: l, k: c8,
                a: q.data + n * c8 * l, lda: l, b: k.data + n * c8 * l, ldb: l, c: an, ldc: l)
            softmaxRows(an, rows: l, columns: l)
            GEMM.sgemm(
                transA: false, transB: true, m: d.c, n: l, k: l,
                a: v.data + n * d.c * l, lda: l, b: an, ldb: l, c: out.data + n * d.c * l, ldc: l)
        }
        let g = gamma.value.data[0]
        for i in 0..<x.count { y.data[i] = g * out.data[i] + x.data[i] }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let a = attention, let out = outputs, let q, let k, let v else {
            preconditionFailure("SelfAttention.backward before forward")
        }
        precondition(dy.shape == out.shape, "SelfAttention.backward: gradient shape \(dy.shape)")
        let d = NCHW(dy, op: "SelfAttention.backward")
        let l = d.plane
        let c8 = queryConv.outChannels
        if computesParameterGradients { gamma.grad.data[0] += Float(TensorMath.dot(dy, out)) }
        let g = gamma.value.data[0]
        let dq = Tensor.reuse(gradQ, shape: q.shape)
        let dk = Tensor.reuse(gradK, shape: k.shape)
        let dv = Tensor.reuse(gradV, shape: v.shape)
        let dE = Tensor.reuse(gradEnergy, shape: [l, l])
        (gradQ, gradK, gradV, gradEnergy) = (dq, dk, dv, dE)
        for n in 0..<d.n {
            let an = a.data + n * l * l
            let dOut = dy.data + n * d.c * l  // dOut = γ·dy, γ applied through alpha
            GEMM.sgemm(
                transA: false, transB: false, m: d.c, n: l, k: l, alpha: g,
                a: dOut, lda: l, b: an, ldb: l, c: dv.data + n * d.c * l, ldc: l)
            GEMM.sgemm(
                transA: true, transB: false, m: l, n: l, k: d.c, alpha: g,
                a: dOut, lda: l, b: v.data + n * d.c * l, ldb: l, c: dE.data, ldc: l)
            softmaxBackwardRows(probabilities: an, gradient: dE.data, rows: l, columns: l)
            GEMM.sgemm(
                transA: false, transB: true, m: c8, n: l, k: l,
                a: k.data + n * c8 * l, lda: l, b: dE.data, ldb: l, c: dq.data + n * c8 * l, ldc: l)
            GEMM.sgemm(
                transA: false, transB: false, m: c8, n: l, k: l,
                a: q.data + n * c8 * l, lda: l, b: dE.data, ldb: l, c: dk.data + n * c8 * l, ldc: l)
        }
        let dx = Tensor.reuse(gradInput, shape: dy.shape)
        gradInput = dx
        dx.assign(from: dy)
        TensorMath.accumulate(queryConv.backward(dq), into: dx)
        TensorMath.accumulate(keyConv.backward(dk), into: dx)
        TensorMath.accumulate(valueConv.backward(dv), into: dx)
        return dx
    }
}

/// Row-wise softmax in place, max-subtracted for stability.
func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    let ptr = UncheckedSendable(p)
    Parallel.forEachChunk(rows, costPerItem: 3 * columns) { range in
        for r in range {
            let row = ptr.value + r * columns
            var top = -Float.infinity
            for j in 0..<columns { top = max(top, row[j]) }
            var total: Float = 0
            for j in 0..<columns {
                let e = _expf(row[j] - top)
                row[j] = e
                total += e
            }
            let inv = 1 / total
            for j in 0..<columns { row[j] *= inv }
        }
    }
}

/// Turns dL/dA into dL/dEnergy in place: dE = A ⊙ (dA − Σⱼ dA·A), row by row.
func softmaxBackwardRows(probabilities a: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    let (pa, pg) = (UncheckedSendable(a), UncheckedSendable(g))
    Parallel.forEachChunk(rows, costPerItem: 3 * columns) { range in
        for r in range {
            let ar = pa.value + r * columns
            let gr = pg.value + r * columns
            var inner: Float = 0
            for j in 0..<columns { inner += ar[j] * gr[j] }
            for j in 0..<columns { gr[j] = ar[j] * (gr[j] - inner) }
        }
    }
}
