import CVectorLoops
import Foundation
import NN
import Tensors
import TestSupport
import Testing

/// Adam's elementwise loop runs as C widened to the CPU's vectors (Sources/CVectorLoops): it
/// must give exactly the bits of the scalar formula Adam.swift documents, at every length
/// (vector bodies and their scalar tails) and over several steps, so exact resume and the
/// PyTorch checks do not depend on the CPU.
@Suite("Adam's vector loop")
struct AdamVectorLoopTests {
    @Test("Bit for bit the scalar update, on lengths around the vector widths", arguments: [1, 3, 15, 16, 17, 63, 64, 1000, 4099])
    func matchesScalarUpdate(count: Int) {
        let hyper = Adam.Hyperparameters(lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8)
        var rng = SeededGenerator(seed: UInt64(count))
        let parameter = Parameter(Tensor((0..<count).map { _ in rng.nextNormal() }, shape: [count]))
        var (p, m, s) = (
            Array(UnsafeBufferPointer(start: parameter.value.data, count: count)), [Float](repeating: 0, count: count), [Float](repeating: 0, count: count)
        )
        let adam = Adam([("p", parameter)], hyper)
        for step in 1...4 {
            // Gradients over many scales, with zeros.
            let gradients = (0..<count).map { i in i % 11 == 0 ? 0 : rng.nextNormal() * Float(pow(10, Double(i % 7) - 4)) }
            for i in 0..<count { parameter.grad.data[i] = gradients[i] }
            adam.update()
            let correction1 = 1 - pow(Double(hyper.beta1), Double(step))
            let correction2Root = Float((1 - pow(Double(hyper.beta2), Double(step))).squareRoot())
            let stepSize = Float(Double(hyper.lr) / correction1)
            for i in 0..<count {
                let g = gradients[i]
                m[i] = m[i] + (g - m[i]) * (1 - hyper.beta1)
                s[i] = hyper.beta2 * s[i] + (1 - hyper.beta2) * g * g
                p[i] -= stepSize * m[i] / (s[i].squareRoot() / correction2Root + hyper.eps)
            }
            let mismatches = (0..<count).filter {
                parameter.value.data[$0].bitPattern != p[$0].bitPattern || adam.firstMoments[0].data[$0].bitPattern != m[$0].bitPattern
                    || adam.secondMoments[0].data[$0].bitPattern != s[$0].bitPattern
            }
            #expect(
                mismatches.isEmpty,
                "step \(step), \(String(cString: tinct_vector_loops_level())) loop: \(mismatches.count) of \(count) differ, first at \(mismatches.first ?? -1)")
        }
    }
}
