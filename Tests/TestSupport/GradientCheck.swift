import NN
import Tensors

/// Finite-difference gradient checking.
///
/// The scalar checked is L = Σ y ⊙ w with a fixed random w, so dL/dy = w. Analytical
/// gradients from `backward(w)` are compared against central differences
/// (L(θ+ε) − L(θ−ε)) / 2ε computed in float32 with the loss summed in Double.
public struct GradientCheck: Sendable {
    public var epsilon: Float = 1e-2
    public var absoluteTolerance: Float = 5e-3
    public var relativeTolerance: Float = 2e-2
    /// Elements probed per tensor (a spread-out subset for large tensors).
    public var probes = 24

    public init() {}

    /// Checks dL/dx and dL/dθ for every parameter of `layer` at `x`. Returns failure messages
    /// (empty when all agree).
    public func check(_ layer: any Layer, input x: Tensor, seed: UInt64 = 7) -> [String] {
        check(
            forward: { layer.forward($0) }, backward: { layer.backward($0) }, zeroGrad: { layer.zeroGrad() },
            parameters: layer.namedParameters(), input: x, seed: seed)
    }

    /// The same for any forward/backward pair.
    public func check(
        forward: (Tensor) -> Tensor, backward: (Tensor) -> Tensor, zeroGrad: () -> Void,
        parameters: [(name: String, parameter: Parameter)], input x: Tensor, checkInput: Bool = true, seed: UInt64 = 7
    ) -> [String] {
        let y0 = forward(x)
        let w = Tensor.randomNormal(y0.shape, seed: seed)
        func loss() -> Double { TensorMath.dot(forward(x), w) }
        zeroGrad()
        _ = forward(x)
        let dx = backward(w).copy()
        let paramGrads = parameters.map { $0.parameter.grad.copy() }
        var failures: [String] = []
        func probe(_ t: Tensor, _ analytic: Tensor, _ what: String) {
            failures += check(scalar: loss, input: t, gradient: analytic, what: what)
        }
        if checkInput { probe(x, dx, "dx") }
        for ((name, p), g) in zip(parameters, paramGrads) { probe(p.value, g, "d\(name)") }
        return failures
    }

    /// Checks `analytic` = dL/dx for a scalar function `value` (a loss) at probes of `x`, by
    /// central differences of `value` itself. `x` is restored after each probe.
    public func check(scalar value: () -> Double, input x: Tensor, gradient analytic: Tensor, what: String) -> [String] {
        precondition(x.count == analytic.count, "GradientCheck: \(what) gradient shape \(analytic.shape) for \(x.shape)")
        var failures: [String] = []
        let stride = max(1, x.count / probes)
        for i in Swift.stride(from: 0, to: x.count, by: stride) {
            let saved = x.data[i]
            x.data[i] = saved + epsilon
            let plus = value()
            x.data[i] = saved - epsilon
            let minus = value()
            x.data[i] = saved
            let numeric = Float((plus - minus) / Double(2 * epsilon))
            let a = analytic.data[i]
            if abs(numeric - a) > absoluteTolerance + relativeTolerance * max(abs(numeric), abs(a)) {
                failures.append("\(what)[\(i)]: analytic \(a), numeric \(numeric)")
            }
        }
        return failures
    }
}

extension GradientCheck {
    /// How many elements of `t` a check probes.
    public func probeCount(_ t: Tensor) -> Int {
        let stride = max(1, t.count / probes)
        return (t.count + stride - 1) / stride
    }

    /// A checker with its step and tolerances set in one expression.
    public init(epsilon: Float, absoluteTolerance: Float, relativeTolerance: Float, probes: Int = 24) {
        self.init()
        (self.epsilon, self.absoluteTolerance, self.relativeTolerance, self.probes) = (epsilon, absoluteTolerance, relativeTolerance, probes)
    }
}
