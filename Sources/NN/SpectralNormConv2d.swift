import Tensors

/// A `Conv2d` whose weight is divided by its largest singular value σ (Miyato et al. 2018),
/// as PyTorch's `torch.nn.utils.spectral_norm` does: parameters `weight_orig`, `bias`;
/// buffers `weight_u` (OC), `weight_v` (C·K·K) holding the power-iteration vectors.
///
/// Each training forward runs one power iteration (v ← normalize(Wᵀu), u ← normalize(Wv)),
/// then σ = uᵀWv and the convolution uses W/σ. Evaluation reuses the stored u, v.
/// Backward treats u, v as constants: dW_orig = dW/σ − (⟨dW, W_orig⟩/σ²)·u·vᵀ.
public final class SpectralNormConv2d: Layer, TrainingModeDependent, ParameterGradientToggle, InputGradientSelection {
    public let conv: Conv2d
    public let weightOrig: Parameter
    public let u: Buffer
    public let v: Buffer
    public var isTraining = true
    public var computesParameterGradients = true { didSet { conv.computesParameterGradients = computesParameterGradients } }
    public var computesInputGradient: Bool {
        get { conv.computesInputGradient }
        set { conv.computesInputGradient = newValue }
    }
    public var inputGradientStartChannel: Int {
        get { conv.inputGradientStartChannel }
        set { conv.inputGradientStartChannel = newValue }
    }
    private var sigma: Float = 1
    private let eps: Float = 1e-12

    /// Wraps a convolution; `rng` draws the initial u and v as PyTorch does (normal, normalized).
    public init(_ conv: Conv2d, rng: inout SeededGenerator) {
        self.conv = conv
        weightOrig = Parameter(conv.weight.value.copy())
        let rows = conv.outChannels
        let columns = conv.weight.value.count / rows
        u = Buffer(Tensor(zeros: [rows]))
        v = Buffer(Tensor(zeros: [columns]))
        for b in [u, v] {
            for i in 0..<b.value.count { b.value.data[i] = rng.nextNormal() }
            normalize(b.value)
        }
    }

    public var parameters: [(name: String, parameter: Parameter)] {
        [("weight_orig", weightOrig)] + (conv.bias.map { [("bias", $0)] } ?? [])
    }
    public var buffers: [(name: String, buffer: Buffer)] { [("weight_u", u), ("weight_v", v)] }

    private var rows: Int { conv.outChannels }
    private var columns: Int { conv.weight.value.count / rows }

    private func normalize(_ t: Tensor) {
        let norm = Float(TensorMath.dot(t, t).squareRoot())
        TensorMath.scale(t, by: 1 / max(norm, eps), into: t)
    }

    public func forward(_ x: Tensor) -> Tensor {
        let w = weightOrig.value.data
        let (pu, pv) = (u.value.data, v.value.data)
        if isTraining {
            // v = normalize(Wᵀ u); u = normalize(W v)
            GEMM.sgemm(
                transA: true, transB: false, m: columns, n: 1, k: rows,
                a: w, lda: columns, b: pu, ldb: 1, c: pv, ldc: 1)
            normalize(v.value)
            GEMM.sgemm(
                transA: false, transB: false, m: rows, n: 1, k: columns,
                a: w, lda: columns, b: pv, ldb: 1, c: pu, ldc: 1)
            normalize(u.value)
        }
        var s = 0.0
        for r in 0..<rows {
            var wv = 0.0
            for c in 0..<columns { wv += Double(w[r * columns + c]) * Double(pv[c]) }
            s += Double(pu[r]) * wv
        }
        sigma = Float(s)
        TensorMath.scale(weightOrig.value, by: 1 / sigma, into: conv.weight.value)
        return conv.forward(x)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        conv.weight.zeroGrad()
        let dx = conv.backward(dy)
        guard computesParameterGradients else { return dx }
        let dW = conv.weight.grad
        let inner = Float(TensorMath.dot(dW, weightOrig.value))
        let (pu, pv) = (u.value.data, v.value.data)
        let scale = 1 / sigma
        let correction = inner / (sigma * sigma)
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                weightOrig.grad.data[i] += dW.data[i] * scale - correction * pu[r] * pv[c]
            }
        }
        return dx
    }
}
