import Tensors

/// A trainable tensor and the gradient accumulated for it.
///
/// Backward passes add (`+=`) into `grad`; `zeroGrad()` is an explicit step of the training
/// loop, as in PyTorch.
public final class Parameter: @unchecked Sendable {
    /// Current value.
    public let value: Tensor
    /// Accumulated dLoss/dValue, same shape as `value`.
    public let grad: Tensor

    public init(_ value: Tensor) {
        self.value = value
        self.grad = Tensor(zeros: value.shape)
    }

    public var shape: [Int] { value.shape }

    public func zeroGrad() { grad.zero() }
}

/// Element type of a tensor as stored in a checkpoint.
public enum StoredType: String, Sendable, Codable {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int64 = "I64"
    /// Symmetric 8-bit: each slice along the first dimension is stored as round(v / scale)
    /// with its own float32 scale (max |v| / 127) in a companion tensor `<name>#scale`.
    /// For shipping models small; not for training state.
    case int8 = "I8"
}

/// Persistent, non-trained layer state (BatchNorm running statistics, spectral-norm vectors).
/// Held as float32 in memory; `storedAs` records the checkpoint dtype (PyTorch keeps
/// `num_batches_tracked` as int64).
public final class Buffer: @unchecked Sendable {
    public let value: Tensor
    public let storedAs: StoredType

    public init(_ value: Tensor, storedAs: StoredType = .float32) {
        self.value = value
        self.storedAs = storedAs
    }
}
