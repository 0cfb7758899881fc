import Foundation
import NN
import Tensors
import TestSupport
import Testing

/// Tanh's forward loop is Tinct's own double-precision tanh in C (`tinct_tanh`), rounded once
/// to float. Against the scalar `value` — the C library's tanh in Double, rounded to float —
/// it must be within one unit in the last place everywhere and equal almost everywhere, keep
/// NaN, ±∞ → ±1 and the sign of zero, over magnitudes from subnormal to beyond saturation.
@Suite("Tanh loop")
struct TanhLoopTests {
    @Test("Within one ulp of Float(tanh(Double(x))), equal on all but a few in a million")
    func matchesLibraryTanh() {
        var rng = SeededGenerator(seed: 11)
        // Every magnitude: random bit patterns (all exponents), plus a dense sweep of −12…12.
        var values: [Float] = (0..<200_000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)) }
        values += (0..<200_000).map { Float($0) / 200_000 * 24 - 12 }
        values += [0, -0.0, .infinity, -.infinity, .nan, 1e-3, -1e-3, 9.99, 10, 10.01, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        let x = Tensor(values, shape: [values.count])
        let y = Tanh().forward(x)
        var differing = 0
        var worst: UInt32 = 0
        for (i, v) in values.enumerated() {
            let expected = TanhFunction().value(v)
            if expected.isNaN {
                #expect(y.data[i].isNaN, "tanh(\(v)) = \(y.data[i])")
                continue
            }
            #expect(expected.sign == y.data[i].sign, "tanh(\(v)) = \(y.data[i]), expected \(expected)")
            let distance = expected.bitPattern > y.data[i].bitPattern ? expected.bitPattern - y.data[i].bitPattern : y.data[i].bitPattern - expected.bitPattern
            worst = max(worst, distance)
            if distance != 0 { differing += 1 }
        }
        #expect(worst <= 1, "largest difference \(worst) ulp")
        #expect(differing <= values.count / 100_000, "\(differing) of \(values.count) differ")
        #expect(y.data[values.count - 10] == 1 && y.data[values.count - 9] == -1, "±∞ → ±1")
    }
}
