/// A dense float32 tensor: contiguous, row-major, NCHW for images.
///
/// `Tensor` is a reference type on purpose: layers keep their outputs and gradient buffers
/// between steps and reuse them (see `Tensor.reuse`), so a training step does not allocate.
/// The element buffer is owned by the tensor and freed with it.
public final class Tensor: @unchecked Sendable {
    /// Extent of each dimension, outermost first (for images: N, C, H, W).
    public let shape: [Int]
    /// Number of elements: the product of `shape`.
    public let count: Int
    /// The elements, row-major. Valid for the lifetime of the tensor.
    public let data: UnsafeMutablePointer<Float>

    /// A tensor of the given shape filled with zeros.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.data = .allocate(capacity: max(count, 1))
        data.initialize(repeating: 0, count: max(count, 1))
    }

    /// A tensor of the given shape filled with `value`.
    public convenience init(repeating value: Float, shape: [Int]) {
        self.init(zeros: shape)
        if value != 0 { data.update(repeating: value, count: count) }
    }

    /// A tensor holding `values` in row-major order; `values.count` must match the shape.
    public convenience init(_ values: [Float], shape: [Int]) {
        self.init(zeros: shape)
        precondition(values.count == count, "Tensor: \(values.count) values do not fill shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    deinit { data.deallocate() }

    /// Element `index` in row-major order. Prefer this over `data[index]` on a temporary:
    /// the tensor stays alive for the access, whereas `makeTensor().data[i]` may read freed
    /// memory once the temporary is released.
    public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "Tensor index \(index) out of range for \(shape)")
            return data[index]
        }
        set {
            precondition(index >= 0 && index < count, "Tensor index \(index) out of range for \(shape)")
            data[index] = newValue
        }
    }

    /// The elements as an array (a copy).
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The elements as a mutable buffer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: data, count: count)
    }

    /// A new tensor with the same shape and elements.
    public func copy() -> Tensor {
        let result = Tensor(zeros: shape)
        result.data.update(from: data, count: count)
        return result
    }

    /// Overwrites every element with `other`'s; the shapes must hold the same number of elements.
    public func assign(from other: Tensor) {
        precondition(other.count == count, "assign: \(other.shape) into \(shape)")
        data.update(from: other.data, count: count)
    }

    /// Sets every element to zero.
    public func zero() { data.update(repeating: 0, count: count) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// A tensor with the same elements and a new shape of equal element count (a copy).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "reshape \(shape) to \(newShape): counts differ")
        let result = Tensor(zeros: newShape)
        result.data.update(from: data, count: count)
        return result
    }

    /// Returns `existing` when it already has `shape`, otherwise a new zeroed tensor.
    /// Layers call this for their output and gradient buffers so that steady-state steps
    /// allocate nothing. The contents of a reused buffer are stale: callers overwrite them.
    public static func reuse(_ existing: Tensor?, shape: [Int]) -> Tensor {
        if let existing, existing.shape == shape { return existing }
        return Tensor(zeros: shape)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(preview)\(count > 8 ? ", …" : "")]"
    }
}

/// Image-tensor dimensions, named once: N (batch), C (channels), H (height), W (width).
public struct NCHW: Equatable, Sendable {
    public var n: Int, c: Int, h: Int, w: Int
    public init(_ n: Int, _ c: Int, _ h: Int, _ w: Int) { (self.n, self.c, self.h, self.w) = (n, c, h, w) }
    /// Reads the dimensions of a rank-4 tensor; traps with `op`'s name otherwise.
    public init(_ t: Tensor, op: String) {
        precondition(t.rank == 4, "\(op): expected an N×C×H×W tensor, got shape \(t.shape)")
        self.init(t.shape[0], t.shape[1], t.shape[2], t.shape[3])
    }
    public var shape: [Int] { [n, c, h, w] }
    /// Elements in one H×W plane.
    public var plane: Int { h * w }
}
