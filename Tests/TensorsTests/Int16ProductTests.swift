import CGEMMKernels
import Tensors
import TestSupport
import Testing

/// The int16 product (Sources/CGEMMKernels/int16_gemm.c, `GEMM.int16Product`) against the exact
/// product in Double: each element of C may differ only by what rounding the operands to their
/// levels can cause, Σₚ |a|·δb + |b|·δa + δa·δb with δa half a step of the row's scale (its
/// largest / 2047) and δb half a step of B's (its largest / 4095), plus float32 rounding of the
/// scaling. A swapped pair of depths, a wrong panel offset or a lost depth block breaks that
/// bound by orders of magnitude. Without AVX-512 VNNI the product declines, C untouched.
@Suite("Int16 product")
struct Int16ProductTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var m: Int, n: Int, k: Int
        var transposed = false
        var split = true
        var addingToC = false
        var givenLargest = false
        var testDescription: String {
            "m\(m) n\(n) k\(k)\(transposed ? " Aᵀ" : "")\(split ? "" : " one core")\(addingToC ? " +C" : "")"
                + (givenLargest ? " largest given" : "")
        }
    }

    @Test(
        "each element within the rounding bound of the exact product",
        arguments: [
            Case(m: 8, n: 16, k: 2), Case(m: 13, n: 37, k: 19), Case(m: 32, n: 700, k: 144),
            Case(m: 64, n: 130, k: 513, transposed: true), Case(m: 200, n: 1, k: 300, transposed: true),
            Case(m: 256, n: 4, k: 1000), Case(m: 48, n: 800, k: 64, transposed: true, givenLargest: true),
            Case(m: 40, n: 900, k: 77, split: false, addingToC: true), Case(m: 512, n: 49, k: 260, addingToC: true)
        ])
    func withinRoundingBound(_ t: Case) {
        let pad = 3
        let lda = (t.transposed ? t.m : t.k) + pad
        let ldb = t.n + pad
        let ldc = t.n + pad
        let a = Tensor.randomNormal([(t.transposed ? t.k : t.m) * lda], seed: 11)
        let b = Tensor.randomNormal([t.k * ldb], seed: 12)
        for i in stride(from: 0, to: b.count, by: 5) { b.data[i] = 0 }  // zeros, as padding gives
        let c = t.addingToC ? Tensor.randomNormal([t.m * ldc], seed: 13) : Tensor(repeating: .nan, shape: [t.m * ldc])
        let before = c.copy()
        let weights = Int16Weights(a.data, transposed: t.transposed, rows: t.m, depth: t.k, lda: lda)
        func aEntry(_ i: Int, _ p: Int) -> Double { Double(t.transposed ? a.data[p * lda + i] : a.data[i * lda + p]) }
        var bLargest: Double = 0
        for p in 0..<t.k { for j in 0..<t.n { bLargest = max(bLargest, abs(Double(b.data[p * ldb + j]))) } }
        let ran = GEMM.int16Product(
            weights, n: t.n, b: b.data, ldb: ldb, largestInB: t.givenLargest ? Float(bLargest) * 1.5 : nil,
            addingToC: t.addingToC, c: c.data, ldc: ldc, splitAcrossCores: t.split)
        #expect(ran == Int16Weights.available)
        guard ran else {
            for i in 0..<c.count where !(c.data[i] == before.data[i] || c.data[i].isNaN && before.data[i].isNaN) {
                Issue.record("a declined product changed C at \(i)")
                break
            }
            return
        }
        let bHalfStep = bLargest * (t.givenLargest ? 1.5 : 1) / 4095 / 2
        var worstShare = 0.0
        var anyRounding = false
        for i in 0..<t.m {
            var rowLargest = 0.0
            for p in 0..<t.k { rowLargest = max(rowLargest, abs(aEntry(i, p))) }
            let aHalfStep = rowLargest / 2047 / 2
            for j in 0..<t.n {
                var exact = t.addingToC ? Double(before.data[i * ldc + j]) : 0
                var bound = 0.0
                var magnitude = 0.0
                for p in 0..<t.k {
                    let (x, y) = (aEntry(i, p), Double(b.data[p * ldb + j]))
                    exact += x * y
                    bound += abs(x) * bHalfStep + abs(y) * aHalfStep + aHalfStep * bHalfStep
                    magnitude += abs(x * y)
                }
                let slack = 1e-5 * (magnitude + bound + abs(exact))  // float32 scaling and sums
                let error = abs(Double(c.data[i * ldc + j]) - exact)
                if error.isNaN || error > bound + slack {
                    Issue.record("C[\(i)][\(j)] = \(c.data[i * ldc + j]), exact \(exact), bound \(bound)")
                    return
                }
                worstShare = max(worstShare, error / (bound + slack))
                anyRounding = anyRounding || error > 1e-6 * magnitude
            }
            for j in t.n..<ldc where !(c.data[i * ldc + j].isNaN && before.data[i * ldc + j].isNaN) {
                #expect(c.data[i * ldc + j] == before.data[i * ldc + j], "padding of C changed at row \(i)")
            }
        }
        #expect(anyRounding || t.k < 4, "no rounding seen: the float product ran, not the int16 one")
        #expect(worstShare <= 1)
    }

    @Test("a weight snapshot does not follow later changes to the floats")
    func snapshot() {
        let a = Tensor.randomNormal([16 * 40], seed: 3)
        let b = Tensor.randomNormal([40 * 32], seed: 4)
        let weights = Int16Weights(a.data, transposed: false, rows: 16, depth: 40, lda: 40)
        let first = Tensor(zeros: [16 * 32])
        let second = Tensor(zeros: [16 * 32])
        guard GEMM.int16Product(weights, n: 32, b: b.data, ldb: 32, c: first.data, ldc: 32) else {
            #expect(!Int16Weights.available)
            return
        }
        for i in 0..<a.count { a.data[i] *= 2 }
        _ = GEMM.int16Product(weights, n: 32, b: b.data, ldb: 32, c: second.data, ldc: 32)
        #expect(first.scalars == second.scalars)
    }

    @Test("a NaN weight is quantized as 0, the rest of its row as without it")
    func nanWeight() {
        let a = Tensor.randomNormal([16 * 40], seed: 6)
        let b = Tensor.randomNormal([40 * 32], seed: 7)
        let zeroed = a.copy()
        (a.data[5 * 40 + 7], zeroed.data[5 * 40 + 7]) = (.nan, 0)
        let withNaN = Tensor(zeros: [16 * 32])
        let withZero = Tensor(zeros: [16 * 32])
        for (weights, c) in [(a, withNaN), (zeroed, withZero)] {
            let quantized = Int16Weights(weights.data, transposed: false, rows: 16, depth: 40, lda: 40)
            #expect(GEMM.int16Product(quantized, n: 32, b: b.data, ldb: 32, c: c.data, ldc: 32) == Int16Weights.available)
        }
        #expect(withNaN.scalars == withZero.scalars)
    }

    @Test("largest magnitude passes over NaN and finds the largest in every position")
    func largestMagnitude() {
        for count in [0, 1, 15, 16, 17, 100] {
            for position in 0..<max(count, 1) {
                let x = Tensor(repeating: 0.5, shape: [max(count, 1)])
                if count > 0 { x.data[position] = -3 }
                if count > 2 { x.data[(position + 1) % count] = .nan }
                let expected: Float = count == 0 ? 0 : 3
                #expect(tinct_largest_magnitude(x.data, count) == expected, "count \(count) at \(position)")
            }
        }
    }
}

/// The column matrix written straight as quantized pairs of rows (`Im2Col.im2colInt16`) against
/// the float column matrix quantized here, and the product on it against the product quantizing
/// the float matrix itself: the same levels, so the same bits.
@Suite("Int16 column pairs")
struct Int16ColumnPairsTests {
    static func level(_ x: Float, _ inverseStep: Float) -> Int32 {
        Int32(max(-Int16Weights.inputLevels, min(Int16Weights.inputLevels, (x * inverseStep).rounded(.toNearestOrEven))))
    }

    @Test(
        "pairs equal the float column matrix's levels; the product on them equals the product on the floats",
        arguments: [(1, 3, 8, 8, 1), (2, 5, 13, 9, 1), (3, 2, 16, 20, 0), (1, 4, 7, 7, 2)])
    func pairs(n: Int, c: Int, h: Int, w: Int, padding: Int) {
        let g = ConvGeometry(n: n, c: c, h: h, w: w, kh: 4, kw: 4, stride: 2, padding: padding)
        let x = Tensor.randomNormal([n * c * h * w], seed: UInt64(h * w))
        let largest = x.largestMagnitude * 1.25
        let columns = Tensor(zeros: [g.patchSize * g.columns])
        Im2Col.im2col(x.data, g, into: columns.data)
        var pairs = [Int32](repeating: 0x5555, count: g.patchSize / 2 * g.columns)
        pairs.withUnsafeMutableBufferPointer { Im2Col.im2colInt16(x.data, g, largest: largest, into: $0.baseAddress!) }
        let inverseStep = Int16Weights.inputLevels / largest
        var mismatches = 0
        for p in 0..<(g.patchSize / 2) {
            for j in 0..<g.columns {
                let low = Self.level(columns.data[2 * p * g.columns + j], inverseStep)
                let high = Self.level(columns.data[(2 * p + 1) * g.columns + j], inverseStep)
                let word = pairs[p * g.columns + j]
                if Int32(Int16(truncatingIfNeeded: word)) != low || word >> 16 != high { mismatches += 1 }
            }
        }
        #expect(mismatches == 0, "\(mismatches) words differ")

        let m = 24
        let a = Tensor.randomNormal([m * g.patchSize], seed: 5)
        let weights = Int16Weights(a.data, transposed: false, rows: m, depth: g.patchSize, lda: g.patchSize)
        let fromFloats = Tensor(zeros: [m * g.columns])
        let fromPairs = Tensor(zeros: [m * g.columns])
        let ranFloats = GEMM.int16Product(
            weights, n: g.columns, b: columns.data, ldb: g.columns, largestInB: largest, c: fromFloats.data, ldc: g.columns)
        let ranPairs = pairs.withUnsafeBufferPointer {
            GEMM.int16Product(
                weights, n: g.columns, pairsOfB: $0.baseAddress!, ldb: g.columns, largestInB: largest, c: fromPairs.data,
                ldc: g.columns)
        }
        #expect(ranFloats == Int16Weights.available && ranPairs == Int16Weights.available)
        #expect(fromPairs.scalars == fromFloats.scalars)
    }
}
