import CVectorLoops
import Tensors
import TestSupport
import Testing

/// Batch norm's sums run in C widened to the CPU's vectors (Sources/CVectorLoops) in an order
/// fixed by the source: eight running sums over i mod 8, the tail into the first, combined
/// pairwise. Written out here in Swift, that order must give the same bits at every length.
@Suite("Batch norm's vector sums")
struct VectorSumTests {
    static func combine<T: FloatingPoint>(_ a: [T]) -> T { ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])) }

    static func lanesDouble(_ x: [Float], mean: Double?) -> Double {
        var lanes = [Double](repeating: 0, count: 8)
        let whole = x.count / 8 * 8
        for i in 0..<x.count {
            let v = mean.map { (Double(x[i]) - $0) * (Double(x[i]) - $0) } ?? Double(x[i])
            lanes[i < whole ? i % 8 : 0] += v
        }
        return combine(lanes)
    }

    @Test("Σx and Σ(x − mean)² in Double, bit for bit the written-out order", arguments: [1, 7, 8, 9, 64, 1023, 4096])
    func doubleSums(count: Int) {
        let x = Tensor.randomNormal([count], std: 3, seed: UInt64(count))
        let values = Array(UnsafeBufferPointer(start: x.data, count: count))
        let plain = tinct_sum_double(x.data, count, 0, 0)
        let squared = tinct_sum_double(x.data, count, 0.25, 1)
        #expect(plain.bitPattern == Self.lanesDouble(values, mean: nil).bitPattern, "\(plain)")
        #expect(squared.bitPattern == Self.lanesDouble(values, mean: 0.25).bitPattern, "\(squared)")
        #expect(abs(plain - values.reduce(0.0) { $0 + Double($1) }) <= 1e-9 * Double(count) * 3)
    }

    @Test("Σdy and Σdy·x̂ in Float, bit for bit the written-out order", arguments: [1, 7, 8, 9, 64, 1023, 4096])
    func gradientSums(count: Int) {
        let dy = Tensor.randomNormal([count], seed: UInt64(count))
        let xhat = Tensor.randomNormal([count], seed: UInt64(count) + 1)
        var (plain, products) = ([Float](repeating: 0, count: 8), [Float](repeating: 0, count: 8))
        let whole = count / 8 * 8
        for i in 0..<count {
            plain[i < whole ? i % 8 : 0] += dy.data[i]
            products[i < whole ? i % 8 : 0] += dy.data[i] * xhat.data[i]
        }
        var (sumDy, sumDyXhat): (Float, Float) = (0, 0)
        tinct_gradient_sums(dy.data, xhat.data, count, &sumDy, &sumDyXhat)
        #expect(sumDy.bitPattern == Self.combine(plain).bitPattern, "\(sumDy)")
        #expect(sumDyXhat.bitPattern == Self.combine(products).bitPattern, "\(sumDyXhat)")
    }
}
