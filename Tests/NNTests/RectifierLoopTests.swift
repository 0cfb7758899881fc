import NN
import Tensors
import TestSupport
import Testing

/// ReLU's and LeakyReLU's loops are C widened to the CPU's vectors: the layer's output and
/// input gradient must be, bit for bit, the scalar `value` and `dy · derivative`, on lengths
/// around the vector widths, with zeros, negative zeros, infinities and NaN among the inputs.
@Suite("Rectifier loops")
struct RectifierLoopTests {
    static func input(_ count: Int) -> Tensor {
        let x = Tensor.randomNormal([count], seed: UInt64(count))
        let specials: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 1e-40, -1e-40]
        for (i, v) in specials.enumerated() where i < count { x.data[(i * 7) % count] = v }
        return x
    }

    func check<F: ActivationFunction>(_ function: F, count: Int) {
        let layer = Activation(function)
        let x = Self.input(count)
        let y = layer.forward(x)
        let dy = Tensor.randomNormal([count], seed: UInt64(count) + 9)
        let dx = layer.backward(dy)
        let wrongValues = (0..<count).filter { y.data[$0].bitPattern != function.value(x.data[$0]).bitPattern }
        let wrongGradients = (0..<count).filter {
            dx.data[$0].bitPattern != (dy.data[$0] * function.derivative(x: x.data[$0], y: y.data[$0])).bitPattern
        }
        #expect(wrongValues.isEmpty, "\(F.self) \(count): values differ at \(wrongValues.prefix(5))")
        #expect(wrongGradients.isEmpty, "\(F.self) \(count): gradients differ at \(wrongGradients.prefix(5))")
    }

    @Test("ReLU and LeakyReLU, bit for bit the scalar functions", arguments: [1, 7, 16, 17, 100, 4099])
    func rectifiers(count: Int) {
        check(ReLUFunction(), count: count)
        check(LeakyReLUFunction(slope: 0.2), count: count)
        check(LeakyReLUFunction(slope: 0), count: count)
    }
}
