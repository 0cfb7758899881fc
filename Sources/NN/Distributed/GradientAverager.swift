import Tensors

/// Averages the accumulated gradients of a set of parameters over all ranks, through one
/// flattened buffer so that a step costs one all-reduce per network, whatever its number of
/// layers. Each rank's loss is the mean over its own slice of the batch; the mean over the
/// global batch is the mean of those, so the gradient to apply is the ranks' average.
public final class GradientAverager {
    public let collective: any Collective
    private let parameters: [Parameter]
    /// All gradients, one after the other in `parameters` order.
    private var flat: [Float]

    public init(_ parameters: [(name: String, parameter: Parameter)], over collective: any Collective) {
        self.collective = collective
        self.parameters = parameters.map(\.parameter)
        flat = [Float](repeating: 0, count: self.parameters.reduce(0) { $0 + $1.grad.count })
    }

    /// Bytes each rank contributes to one all-reduce.
    public var bytesPerReduce: Int { flat.count * MemoryLayout<Float>.size }

    /// Replaces every gradient with its average over the ranks.
    public func average() {
        let scale = 1 / Float(collective.size)
        flat.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            for p in parameters {
                (buffer.baseAddress! + offset).update(from: p.grad.data, count: p.grad.count)
                offset += p.grad.count
            }
            collective.sum(buffer.baseAddress!, count: buffer.count)
            offset = 0
            for p in parameters {
                for i in 0..<p.grad.count { p.grad.data[i] = buffer[offset + i] * scale }
                offset += p.grad.count
            }
        }
    }
}
