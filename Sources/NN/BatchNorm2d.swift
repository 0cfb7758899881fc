import CVectorLoops
import Tensors

/// Batch normalization over N·H·W per channel (PyTorch `nn.BatchNorm2d`, affine, tracking
/// running statistics).
///
/// Training: normalizes with the batch mean and biased variance and updates
/// running_mean/running_var with `momentum` (running_var takes the unbiased variance).
/// Evaluation: normalizes with the running statistics.
/// Shapes: x, y (N, C, H, W); weight, bias, running_mean, running_var (C).
public final class BatchNorm2d: Layer, TrainingModeDependent, ParameterGradientToggle {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let batchesTracked: Buffer  // scalar, int64 in checkpoints
    public let eps: Float
    public var momentum: Float
    public var isTraining = true
    public var computesParameterGradients = true
    /// Normalize with the batch's own statistics in evaluation too (running statistics are
    /// then left untouched). pix2pix tests this way; it keeps a generator trained with small
    /// batches from drifting when its running averages lag behind its weights.
    public var evaluationUsesBatchStatistics = false
    /// Synchronized batch norm for data-parallel training: in training mode the statistics
    /// (and in backward the two gradient sums) are taken over the global batch of all ranks,
    /// so each rank normalizes its slice exactly as one process would the whole batch.
    /// Every rank's forward and backward are then collective calls. Nil: this process's batch.
    public var collective: (any Collective)?

    private var normalized: Tensor?  // x̂ = (x − mean) · invStd, kept for backward
    /// 1/√(var + ε) per normalized plane group, kept for backward. A tensor (owned, stable
    /// memory) so that the parallel loops may write it through its pointer.
    private var invStd: Tensor?
    private var output: Tensor?
    private var gradInput: Tensor?
    private var usedBatchStatistics = true
    private var synchronizedLastForward = false

    public init(_ channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        weight = Parameter(Tensor(repeating: 1, shape: [channels]))
        bias = Parameter(Tensor(zeros: [channels]))
        runningMean = Buffer(Tensor(zeros: [channels]))
        runningVar = Buffer(Tensor(repeating: 1, shape: [channels]))
        batchesTracked = Buffer(Tensor(zeros: []), storedAs: .int64)
        self.eps = eps
        self.momentum = momentum
    }

    public var channels: Int { weight.shape[0] }

    public var parameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }
    public var buffers: [(name: String, buffer: Buffer)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", batchesTracked)]
    }

    public func forward(_ x: Tensor) -> Tensor {
        let d = NCHW(x, op: "BatchNorm2d")
        precondition(d.c == channels, "BatchNorm2d: input has \(d.c) channels, layer expects \(channels)")
        let xhat = Tensor.reuse(normalized, shape: x.shape)
        let y = Tensor.reuse(output, shape: x.shape)
        normalized = xhat
        output = y
        let inverse = Tensor.reuse(invStd, shape: [d.c])
        invStd = inverse
        usedBatchStatistics = isTraining || evaluationUsesBatchStatistics
        let m = d.n * d.plane
        let global = isTraining ? collective.flatMap { $0.size > 1 ? globalStatistics(x, d, over: $0) : nil } : nil
        synchronizedLastForward = global != nil
        let (px, ph, py) = (UncheckedSendable(x.data), UncheckedSendable(xhat.data), UncheckedSendable(y.data))
        let stats = UncheckedSendable(inverse.data)
        let training = usedBatchStatistics
        let updatesRunning = isTraining
        let (rm, rv) = (UncheckedSendable(runningMean.value.data), UncheckedSendable(runningVar.value.data))
        let (gamma, beta) = (UncheckedSendable(weight.value.data), UncheckedSendable(bias.value.data))
        let (eps, momentum) = (self.eps, self.momentum)
        Parallel.forEachChunk(d.c, costPerItem: 4 * m) { channels in
            for c in channels {
                let mean: Float
                let variance: Float
                if let global {
                    (mean, variance) = (global.mean[c], global.variance[c])
                    rm.value[c] = (1 - momentum) * rm.value[c] + momentum * mean
                    rv.value[c] = (1 - momentum) * rv.value[c] + momentum * global.unbiased[c]
                } else if training {
                    let mu = Self.channelSum(px.value, channel: c, d, centeredOn: nil) / Double(m)
                    let s2 = Self.channelSum(px.value, channel: c, d, centeredOn: mu)
                    mean = Float(mu)
                    variance = Float(s2 / Double(m))
                    let unbiased = m > 1 ? Float(s2 / Double(m - 1)) : variance
                    if updatesRunning {
                        rm.value[c] = (1 - momentum) * rm.value[c] + momentum * mean
                        rv.value[c] = (1 - momentum) * rv.value[c] + momentum * unbiased
                    }
                } else {
                    mean = rm.value[c]
                    variance = rv.value[c]
                }
                let inv = 1 / (variance + eps).squareRoot()
                stats.value[c] = inv
                let (g, b) = (gamma.value[c], beta.value[c])
                for n in 0..<d.n {
                    let offset = (n * d.c + c) * d.plane
                    for i in 0..<d.plane {
                        let h = (px.value[offset + i] - mean) * inv
                        ph.value[offset + i] = h
                        py.value[offset + i] = h * g + b
                    }
                }
            }
        }
        if updatesRunning { batchesTracked.value.data[0] += 1 }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let xhat = normalized else { preconditionFailure("BatchNorm2d.backward before forward") }
        precondition(dy.shape == xhat.shape, "BatchNorm2d.backward: gradient shape \(dy.shape)")
        let d = NCHW(dy, op: "BatchNorm2d.backward")
        let dx = Tensor.reuse(gradInput, shape: dy.shape)
        gradInput = dx
        let m = Float(d.n * d.plane)
        let (pdy, ph, pdx) = (UncheckedSendable(dy.data), UncheckedSendable(xhat.data), UncheckedSendable(dx.data))
        guard let inverse = invStd else { preconditionFailure("backward before forward") }
        let stats = UncheckedSendable(inverse.data)
        let (gamma, dGamma, dBeta) = (UncheckedSendable(weight.value.data), UncheckedSendable(weight.grad.data), UncheckedSendable(bias.grad.data))
        let batchStats = usedBatchStatistics
        let paramGrads = computesParameterGradients
        if synchronizedLastForward, let collective {
            return synchronizedBackward(dy, d, over: collective)
        }
        Parallel.forEachChunk(d.c, costPerItem: 4 * d.n * d.plane) { channels in
            for c in channels {
                let (sumDy, sumDyXhat) = Self.gradientSums(pdy.value, ph.value, channel: c, d)
                if paramGrads {
                    dGamma.value[c] += sumDyXhat
                    dBeta.value[c] += sumDy
                }
                let scale = gamma.value[c] * stats.value[c]
                for n in 0..<d.n {
                    let o = (n * d.c + c) * d.plane
                    if batchStats {
                        let meanDy = sumDy / m
                        let meanDyXhat = sumDyXhat / m
                        for i in 0..<d.plane {
                            pdx.value[o + i] = scale * (pdy.value[o + i] - meanDy - ph.value[o + i] * meanDyXhat)
                        }
                    } else {
                        for i in 0..<d.plane { pdx.value[o + i] = scale * pdy.value[o + i] }
                    }
                }
            }
        }
        return dx
    }
}

// Synchronized statistics (see `collective`). The sums are taken in the same order and
// precision as the single-process path, then added over ranks in Double: the result differs
// from one process's only by the order of that last addition.
extension BatchNorm2d {
    /// Per-channel mean, biased and unbiased variance over the global batch (two collective
    /// sums: Σx, then Σ(x − mean)², as the single-process path's two passes).
    fileprivate func globalStatistics(_ x: Tensor, _ d: NCHW, over collective: any Collective)
        -> (mean: [Float], variance: [Float], unbiased: [Float])
    {
        let count = Double(d.n * d.plane * collective.size)
        let sums = collective.sum(channelSums(x, d, centeredOn: nil))
        let means = sums.map { $0 / count }
        let squares = collective.sum(channelSums(x, d, centeredOn: means))
        let unbiasedCount = max(count - 1, 1)
        return (
            means.map { Float($0) }, squares.map { Float($0 / count) },
            squares.map { count > 1 ? Float($0 / unbiasedCount) : Float($0 / count) }
        )
    }

    /// Per channel, over this rank's N·H·W, in Double: Σx, or Σ(x − mean)² given the means.
    private func channelSums(_ x: Tensor, _ d: NCHW, centeredOn means: [Double]?) -> [Double] {
        var result = [Double](repeating: 0, count: d.c)
        let px = UncheckedSendable(x.data)
        result.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer.baseAddress!)
            Parallel.forEachChunk(d.c, costPerItem: 2 * d.n * d.plane) { channels in
                for c in channels { out.value[c] = Self.channelSum(px.value, channel: c, d, centeredOn: means?[c]) }
            }
        }
        return result
    }

    /// Σx, or Σ(x − mean)² given the mean, over the batch and the plane of channel `c`, in
    /// Double: each plane summed by the vector loop (a fixed order), the planes added in turn.
    /// One definition for the single-process and the synchronized statistics.
    fileprivate static func channelSum(_ x: UnsafeMutablePointer<Float>, channel c: Int, _ d: NCHW, centeredOn mean: Double?) -> Double {
        var s = 0.0
        for n in 0..<d.n {
            s += tinct_sum_double(x + (n * d.c + c) * d.plane, d.plane, mean ?? 0, mean == nil ? 0 : 1)
        }
        return s
    }

    /// Σdy and Σdy·x̂ over the batch and the plane of channel `c` — summed in one order
    /// for both backward paths (each plane by the vector loop, the planes added in turn).
    fileprivate static func gradientSums(_ dy: UnsafeMutablePointer<Float>, _ xhat: UnsafeMutablePointer<Float>, channel c: Int, _ d: NCHW)
        -> (dy: Float, dyXhat: Float)
    {
        var sumDy: Float = 0
        var sumDyXhat: Float = 0
        for n in 0..<d.n {
            let o = (n * d.c + c) * d.plane
            var planeDy: Float = 0
            var planeDyXhat: Float = 0
            tinct_gradient_sums(dy + o, xhat + o, d.plane, &planeDy, &planeDyXhat)
            sumDy += planeDy
            sumDyXhat += planeDyXhat
        }
        return (sumDy, sumDyXhat)
    }

    /// Backward of a synchronized forward: Σdy and Σdy·x̂ per channel are summed over ranks
    /// before dx; the parameter gradients keep this rank's own sums (the optimizer's gradient
    /// averaging combines them).
    fileprivate func synchronizedBackward(_ dy: Tensor, _ d: NCHW, over collective: any Collective) -> Tensor {
        guard let xhat = normalized, let inverse = invStd else { preconditionFailure("BatchNorm2d.backward before forward") }
        let dx = Tensor.reuse(gradInput, shape: dy.shape)
        gradInput = dx
        let (pdy, ph, pdx) = (UncheckedSendable(dy.data), UncheckedSendable(xhat.data), UncheckedSendable(dx.data))
        let local = Tensor(zeros: [2 * d.c])  // Σdy, then Σdy·x̂, per channel
        let sums = UncheckedSendable(local.data)
        Parallel.forEachChunk(d.c, costPerItem: 2 * d.n * d.plane) { channels in
            for c in channels {
                let (sumDy, sumDyXhat) = Self.gradientSums(pdy.value, ph.value, channel: c, d)
                (sums.value[c], sums.value[d.c + c]) = (sumDy, sumDyXhat)
            }
        }
        if computesParameterGradients {
            let (dGamma, dBeta) = (weight.grad, bias.grad)
            for c in 0..<d.c {
                dGamma.data[c] += local.data[d.c + c]
                dBeta.data[c] += local.data[c]
            }
        }
        collective.sum(local.data, count: local.count)
        let m = Float(d.n * d.plane * collective.size)
        let (gamma, stats) = (UncheckedSendable(weight.value.data), UncheckedSendable(inverse.data))
        Parallel.forEachChunk(d.c, costPerItem: 2 * d.n * d.plane) { channels in
            for c in channels {
                let scale = gamma.value[c] * stats.value[c]
                let meanDy = sums.value[c] / m
                let meanDyXhat = sums.value[d.c + c] / m
                for n in 0..<d.n {
                    let o = (n * d.c + c) * d.plane
                    for i in 0..<d.plane {
                        pdx.value[o + i] = scale * (pdy.value[o + i] - meanDy - ph.value[o + i] * meanDyXhat)
                    }
                }
            }
        }
        return dx
    }
}
