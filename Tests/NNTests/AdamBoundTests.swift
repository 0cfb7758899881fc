import Foundation
import NN
import Tensors
import TestSupport
import Testing

/// `AdamBound` (TestSupport) sets the tolerance of the whole-model 10-step check; it must be a
/// true bound on Adam's steps and a tight one.
@Suite("Adam's largest step")
struct AdamBoundTests {
    /// Runs `gradients.count` Adam steps on one parameter per sequence; returns each step's |Δp|/lr.
    static func stepRatios(_ gradients: [[Float]], hyper: Adam.Hyperparameters) -> [[Double]] {
        let count = gradients[0].count
        let parameter = Parameter(Tensor(zeros: [count]))
        let adam = Adam([("p", parameter)], hyper)
        var ratios = Array(repeating: [Double](), count: count)
        for step in gradients {
            let before = parameter.value.copy()
            for i in 0..<count { parameter.grad.data[i] = step[i] }
            adam.update()
            for i in 0..<count { ratios[i].append(Double(abs(parameter.value.data[i] - before.data[i]) / hyper.lr)) }
        }
        return ratios
    }

    @Test(
        "No gradient sequence moves a weight further than the bound, and the bound is reached",
        arguments: [(Float(0.5), Float(0.999)), (0.9, 0.999), (0.5, 0.9)])
    func bound(beta1: Float, beta2: Float) {
        // ε so small it only keeps 0/0 (a run of zero gradients) at 0.
        let hyper = Adam.Hyperparameters(lr: 1e-3, beta1: beta1, beta2: beta2, eps: 1e-30)
        let steps = 10
        var rng = SeededGenerator(seed: 7)
        // 200 random sequences with scales from 1e-8 to 1e2, sign flips and zeros.
        var sequences: [[Float]] = (0..<200).map { _ in
            (0..<steps).map { _ in
                let scale = Float.random(in: -8...2, using: &rng)
                return rng.nextNormal() * pow(10, scale) * (Float.random(in: 0...1, using: &rng) < 0.1 ? 0 : 1)
            }
        }
        // The Cauchy–Schwarz equality case for the last step: g_j ∝ (β₁/β₂)^(t−j).
        sequences.append((1...steps).map { j in Float(pow(Double(beta1 / beta2), Double(steps - j))) })
        let gradients = (0..<steps).map { step in sequences.map { $0[step] } }
        let ratios = Self.stepRatios(gradients, hyper: hyper)
        for step in 1...steps {
            let bound = AdamBound.maxStepRatio(step: step, beta1: beta1, beta2: beta2)
            #expect(ratios.allSatisfy { $0[step - 1].isFinite })
            let largest = ratios.map { $0[step - 1] }.max()!
            #expect(largest <= bound * (1 + 1e-4), "step \(step): \(largest) > \(bound)")
        }
        let attained = ratios.last!.last!
        let bound = AdamBound.maxStepRatio(step: steps, beta1: beta1, beta2: beta2)
        #expect(abs(attained - bound) <= 1e-3 * bound, "equality case: \(attained) vs bound \(bound)")
        let total = (1...steps).reduce(0.0) { $0 + AdamBound.maxStepRatio(step: $1, beta1: beta1, beta2: beta2) }
        #expect(abs(Double(AdamBound.maxDisplacement(steps: steps, lr: 1e-3, beta1: beta1, beta2: beta2)) - 1e-3 * total) < 1e-7)
    }
}
