import Tensors

/// A layer made of other layers; the profiler charges time to its leaves, not to it.
public protocol LayerContainer {}

extension Layer {
    /// `forward`, timed under this layer's type name when profiling (containers are not timed
    /// themselves, so nested time is not counted twice).
    @inline(__always)
    public func profiledForward(_ x: Tensor) -> Tensor {
        guard Profiler.enabled, !(self is LayerContainer) else { return forward(x) }
        return Profiler.measure("\(type(of: self)).forward") { forward(x) }
    }

    /// `backward`, timed like `profiledForward`.
    @inline(__always)
    public func profiledBackward(_ dy: Tensor) -> Tensor {
        guard Profiler.enabled, !(self is LayerContainer) else { return backward(dy) }
        return Profiler.measure("\(type(of: self)).backward") { backward(dy) }
    }
}
