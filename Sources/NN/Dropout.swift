import Tensors

/// Dropout (PyTorch `nn.Dropout`): in training, zeroes each element with probability `p`
/// and scales survivors by 1/(1−p); identity in evaluation. The mask comes from the layer's
/// own seeded generator so runs are reproducible and resumable.
public final class Dropout: Layer, TrainingModeDependent {
    public let p: Float
    public var isTraining = true
    /// Generator for masks; saved with checkpoints via `rng.state` by the trainer.
    public var rng: SeededGenerator
    /// The scaled mask of the last training forward: 0 or 1/(1−p) per element.
    public private(set) var mask: Tensor?
    private var output: Tensor?
    private var gradInput: Tensor?
    private var maskedLastForward = false
    /// In data-parallel training, which items of the global batch this rank's input holds:
    /// the mask is drawn for the whole global batch and this rank keeps its items' part, so
    /// the ranks together apply exactly one process's mask. Nil: the input is the whole batch.
    public var batchSlice: BatchSlice?

    public init(p: Float = 0.5, seed: UInt64 = 0) {
        precondition(p >= 0 && p < 1, "Dropout: p must be in [0, 1), got \(p)")
        self.p = p
        self.rng = SeededGenerator(seed: seed)
    }

    public func forward(_ x: Tensor) -> Tensor {
        guard isTraining, p > 0 else {
            maskedLastForward = false
            return x
        }
        let m = Tensor.reuse(mask, shape: x.shape)
        mask = m
        let keep = 1 / (1 - p)
        let perItem = x.shape.dropFirst().reduce(1, *)
        // Drawn from a local copy, not through the stored property draw by draw.
        var generator = rng
        defer { rng = generator }
        if let batchSlice { Self.skipDraws(batchSlice.first * perItem, from: &generator) }
        let values = m.data
        for i in 0..<m.count { values[i] = generator.nextUniform() < p ? 0 : keep }
        if let batchSlice {
            Self.skipDraws((batchSlice.globalCount - batchSlice.first - x.shape[0]) * perItem, from: &generator)
        }
        return apply(mask: m, to: x)
    }

    /// Draws `count` uniforms that other ranks' items use.
    private static func skipDraws(_ count: Int, from generator: inout SeededGenerator) {
        for _ in 0..<max(count, 0) { _ = generator.nextUniform() }
    }

    /// Forward with a given 0/1 mask (tests compare against PyTorch with the same mask).
    public func forward(_ x: Tensor, keepMask: Tensor) -> Tensor {
        precondition(keepMask.shape == x.shape, "Dropout: mask shape \(keepMask.shape) for input \(x.shape)")
        let m = Tensor.reuse(mask, shape: x.shape)
        mask = m
        TensorMath.scale(keepMask, by: 1 / (1 - p), into: m)
        return apply(mask: m, to: x)
    }

    private func apply(mask m: Tensor, to x: Tensor) -> Tensor {
        maskedLastForward = true
        let y = Tensor.reuse(output, shape: x.shape)
        output = y
        for i in 0..<x.count { y.data[i] = x.data[i] * m.data[i] }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard maskedLastForward, let m = mask else { return dy }
        precondition(dy.shape == m.shape, "Dropout.backward: gradient shape \(dy.shape)")
        let dx = Tensor.reuse(gradInput, shape: dy.shape)
        gradInput = dx
        for i in 0..<dy.count { dx.data[i] = dy.data[i] * m.data[i] }
        return dx
    }
}
