import CVectorLoops
import Tensors

/// An elementwise nonlinearity y = f(x) whose derivative can be written from x and y.
public protocol ActivationFunction {
    func value(_ x: Float) -> Float
    /// dy/dx given the input and the output at that point.
    func derivative(x: Float, y: Float) -> Float
    /// y[i] = value(x[i]) for i in `range`.
    func values(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ range: Range<Int>)
    /// dx[i] = dy[i] · derivative(x[i], y[i]) for i in `range`.
    func inputGradients(
        x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        into dx: UnsafeMutablePointer<Float>, _ range: Range<Int>)
}

/// The loops are requirements with these defaults so that each function's witness is compiled
/// for that function, `value` and `derivative` inlined and vectorised. Called from the generic
/// `Activation` layer instead, the loop went through the protocol once per element, which made
/// the elementwise layers ~20 % of an inference (`tinct bench --profile`).
extension ActivationFunction {
    public func values(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        for i in range { y[i] = value(x[i]) }
    }

    public func inputGradients(
        x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        into dx: UnsafeMutablePointer<Float>, _ range: Range<Int>
    ) {
        for i in range { dx[i] = dy[i] * derivative(x: x[i], y: y[i]) }
    }
}

/// Applies an `ActivationFunction` elementwise, out of place (input and output are both kept
/// for backward). Shapes: any; y has x's shape.
public final class Activation<F: ActivationFunction>: Layer {
    public let function: F
    private var input: Tensor?
    private var output: Tensor?
    private var gradInput: Tensor?

    public init(_ function: F) { self.function = function }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        let y = Tensor.reuse(output, shape: x.shape)
        output = y
        let (px, py, f) = (UncheckedSendable(x.data), UncheckedSendable(y.data), function)
        Parallel.forEachChunk(x.count, costPerItem: 2) { r in f.values(px.value, into: py.value, r) }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input, let y = output else { preconditionFailure("Activation.backward before forward") }
        precondition(dy.shape == x.shape, "Activation.backward: gradient shape \(dy.shape) for input \(x.shape)")
        let dx = Tensor.reuse(gradInput, shape: x.shape)
        gradInput = dx
        let (px, py, pdy, pdx, f) = (UncheckedSendable(x.data), UncheckedSendable(y.data), UncheckedSendable(dy.data), UncheckedSendable(dx.data), function)
        Parallel.forEachChunk(x.count, costPerItem: 2) { r in
            f.inputGradients(x: px.value, y: py.value, dy: pdy.value, into: pdx.value, r)
        }
        return dx
    }
}

/// max(0, x). The loops are C widened to the CPU's vectors (`tinct_relu`), the same bits.
public struct ReLUFunction: ActivationFunction {
    public init() {}
    @inlinable public func value(_ x: Float) -> Float { x > 0 ? x : 0 }
    @inlinable public func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : 0 }

    public func values(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        tinct_relu(x + range.lowerBound, y + range.lowerBound, range.count)
    }

    public func inputGradients(
        x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        into dx: UnsafeMutablePointer<Float>, _ range: Range<Int>
    ) {
        tinct_rectifier_gradient(x + range.lowerBound, dy + range.lowerBound, dx + range.lowerBound, range.count, 0)
    }
}

/// x for x > 0, slope·x otherwise (pix2pix uses slope 0.2). The loops are C widened to the
/// CPU's vectors (`tinct_leaky_relu`), the same bits.
public struct LeakyReLUFunction: ActivationFunction {
    public let slope: Float
    public init(slope: Float = 0.2) { self.slope = slope }
    @inlinable public func value(_ x: Float) -> Float { x > 0 ? x : slope * x }
    @inlinable public func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : slope }

    public func values(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        tinct_leaky_relu(x + range.lowerBound, y + range.lowerBound, range.count, slope)
    }

    public func inputGradients(
        x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        into dx: UnsafeMutablePointer<Float>, _ range: Range<Int>
    ) {
        tinct_rectifier_gradient(x + range.lowerBound, dy + range.lowerBound, dx + range.lowerBound, range.count, slope)
    }
}

/// tanh(x); derivative 1 − y². The forward loop is C widened to the CPU's vectors
/// (`tinct_tanh`, its own double-precision tanh rounded once to float).
public struct TanhFunction: ActivationFunction {
    public init() {}
    @inlinable public func value(_ x: Float) -> Float { Float(_tanh(Double(x))) }
    @inlinable public func derivative(x: Float, y: Float) -> Float { 1 - y * y }

    public func values(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        tinct_tanh(x + range.lowerBound, y + range.lowerBound, range.count)
    }
}

/// 1 / (1 + e^−x); derivative y(1 − y).
public struct SigmoidFunction: ActivationFunction {
    public init() {}
    @inlinable public func value(_ x: Float) -> Float { Float(1 / (1 + _exp(-Double(x)))) }
    @inlinable public func derivative(x: Float, y: Float) -> Float { y * (1 - y) }
}

public typealias ReLU = Activation<ReLUFunction>
public typealias LeakyReLU = Activation<LeakyReLUFunction>
public typealias Tanh = Activation<TanhFunction>
public typealias Sigmoid = Activation<SigmoidFunction>

extension Activation where F == ReLUFunction { public convenience init() { self.init(ReLUFunction()) } }
extension Activation where F == TanhFunction { public convenience init() { self.init(TanhFunction()) } }
extension Activation where F == SigmoidFunction { public convenience init() { self.init(SigmoidFunction()) } }
extension Activation where F == LeakyReLUFunction {
    public convenience init(slope: Float = 0.2) { self.init(LeakyReLUFunction(slope: slope)) }
}
