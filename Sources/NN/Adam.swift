import CVectorLoops
import Tensors

/// Adam exactly as PyTorch's `torch.optim.Adam` (no weight decay, no amsgrad):
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε).
/// The elementwise loop is C (Sources/CVectorLoops), widened to the CPU's vectors.
public final class Adam {
    public struct Hyperparameters: Codable, Sendable, Equatable {
        public var lr: Float
        public var beta1: Float
        public var beta2: Float
        public var eps: Float
        /// pix2pix defaults: lr 2e-4, β₁ 0.5, β₂ 0.999, ε 1e-8.
        public init(lr: Float = 2e-4, beta1: Float = 0.5, beta2: Float = 0.999, eps: Float = 1e-8) {
            (self.lr, self.beta1, self.beta2, self.eps) = (lr, beta1, beta2, eps)
        }
    }

    public let parameters: [(name: String, parameter: Parameter)]
    public var hyper: Hyperparameters
    /// Number of steps taken (t in the bias corrections).
    public private(set) var step = 0
    /// First and second moment estimates, one per parameter, in `parameters` order.
    public let firstMoments: [Tensor]
    public let secondMoments: [Tensor]
    /// In data-parallel training, averages the gradients over the ranks before each update.
    public var gradientAverager: GradientAverager?

    public init(_ parameters: [(name: String, parameter: Parameter)], _ hyper: Hyperparameters = .init()) {
        self.parameters = parameters
        self.hyper = hyper
        firstMoments = parameters.map { Tensor(zeros: $0.parameter.shape) }
        secondMoments = parameters.map { Tensor(zeros: $0.parameter.shape) }
    }

    /// Applies one update from the accumulated gradients (it does not zero them).
    public func update() {
        gradientAverager?.average()
        step += 1
        let (b1, b2, eps) = (hyper.beta1, hyper.beta2, hyper.eps)
        let correction1 = 1 - pow(Double(b1), Double(step))
        let correction2Root = Float((1 - pow(Double(b2), Double(step))).squareRoot())
        let stepSize = Float(Double(hyper.lr) / correction1)
        for (index, (_, p)) in parameters.enumerated() {
            let (pv, pg) = (UncheckedSendable(p.value.data), UncheckedSendable(p.grad.data))
            let (pm, ps) = (UncheckedSendable(firstMoments[index].data), UncheckedSendable(secondMoments[index].data))
            Parallel.forEachChunk(p.value.count, costPerItem: 8) { range in
                tinct_adam_update(
                    pv.value + range.lowerBound, pg.value + range.lowerBound, pm.value + range.lowerBound,
                    ps.value + range.lowerBound, range.count, b1, b2, stepSize, correction2Root, eps)
            }
        }
    }

    /// Restores the step counter from a checkpoint (moments are restored through the tensors).
    public func restore(step: Int) { self.step = step }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
