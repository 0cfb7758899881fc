import Foundation
import NN
import Tensors
import TestSupport
import Testing

/// The data-parallel pieces of the engine against one process holding the whole batch, with
/// the ranks played by threads of this process (`ThreadRanks`); the same code runs over MPI
/// under `mpirun` (Tests/MPI/test_data_parallel.py).
@Suite("Data-parallel layers")
struct DataParallelLayerTests {
    /// N·b pictures in one layer, or b in each of N synchronized layers.
    static let (ranks, perRank, channels) = (2, 2, 3)

    @Test("synchronized batch norm: each rank's slice normalized as the whole batch; averaged gradients equal one process's")
    func synchronizedBatchNorm() {
        let global = Self.ranks * Self.perRank
        let x = Tensor.randomNormal([global, Self.channels, 5, 3], seed: 11)
        let dy = Tensor.randomNormal([global, Self.channels, 5, 3], seed: 12)
        let whole = BatchNorm2d(Self.channels)
        whole.weight.value.update { 0.5 + Float($0) }
        let y = whole.forward(x).copy()
        let dx = whole.backward(dy).copy()

        let group = ThreadRanks(size: Self.ranks)
        let results = group.run { rank in
            let layer = BatchNorm2d(Self.channels)
            layer.weight.value.update { 0.5 + Float($0) }
            layer.collective = rank
            let averager = GradientAverager(layer.parameters, over: rank)
            let rows = (rank.rank * Self.perRank)..<((rank.rank + 1) * Self.perRank)
            let yr = layer.forward(x.rows(rows)).copy()
            // Each rank's loss is the mean over its own pictures: its output gradient is N
            // times the whole batch's (whose loss is the mean over all N·b).
            let slice = dy.rows(rows)
            let dyr = slice.sameShape { slice.data[$0] * Float(Self.ranks) }
            let dxr = layer.backward(dyr).copy()
            averager.average()
            return (yr, dxr, layer)
        }
        for (r, (yr, dxr, layer)) in results.enumerated() {
            let rows = (r * Self.perRank)..<((r + 1) * Self.perRank)
            #expect(TensorMath.maxAbsDifference(yr, y.rows(rows)) < 1e-5)
            let slice = dx.rows(rows)
            let expectedDx = slice.sameShape { slice.data[$0] * Float(Self.ranks) }
            #expect(TensorMath.maxAbsDifference(dxr, expectedDx) < 1e-4)
            #expect(TensorMath.maxAbsDifference(layer.weight.grad, whole.weight.grad) < 1e-4)
            #expect(TensorMath.maxAbsDifference(layer.bias.grad, whole.bias.grad) < 1e-4)
            #expect(TensorMath.maxAbsDifference(layer.runningMean.value, whole.runningMean.value) < 1e-6)
            #expect(TensorMath.maxAbsDifference(layer.runningVar.value, whole.runningVar.value) < 1e-6)
        }
        // Unsynchronized, a slice's own statistics differ: the comparison above can fail.
        let alone = BatchNorm2d(Self.channels)
        alone.weight.value.update { 0.5 + Float($0) }
        #expect(TensorMath.maxAbsDifference(alone.forward(x.rows(0..<Self.perRank)), y.rows(0..<Self.perRank)) > 0.01)
    }

    @Test("dropout with a batch slice applies that slice of the whole batch's mask")
    func slicedDropout() {
        let global = Self.ranks * Self.perRank
        let x = Tensor(repeating: 1, shape: [global, 4, 3, 3])
        let whole = Dropout(p: 0.5, seed: 9)
        let mask = whole.forward(x).copy()
        for r in 0..<Self.ranks {
            let part = Dropout(p: 0.5, seed: 9)
            part.batchSlice = BatchSlice(rank: r, ranks: Self.ranks, globalCount: global)
            let rows = (r * Self.perRank)..<((r + 1) * Self.perRank)
            #expect(part.forward(x.rows(rows)).scalars == mask.rows(rows).scalars)
            // The generator ends where the whole batch's does: the next draws agree too.
            #expect(part.rng == whole.rng)
        }
    }

    @Test("a batch splits only into equal parts", arguments: [(0, 2, 4, true), (1, 2, 4, true), (2, 2, 4, false), (0, 3, 4, false), (0, 2, 0, false)])
    func batchSlices(rank: Int, ranks: Int, global: Int, valid: Bool) {
        let slice = BatchSlice(rank: rank, ranks: ranks, globalCount: global)
        #expect((slice != nil) == valid)
        if let slice { #expect(slice.slots == (rank * global / ranks)..<((rank + 1) * global / ranks)) }
    }
}

/// `size` ranks as threads of this process: each collective call waits until every rank has
/// made it, then all get the same sum.
final class ThreadRanks: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var round = 0
    private var total: [Double] = []
    private var result: [Double] = []

    init(size: Int) { self.size = size }

    func sum(_ values: [Double]) -> [Double] {
        condition.lock()
        defer { condition.unlock() }
        let myRound = round
        total = arrived == 0 ? values : zip(total, values).map(+)
        arrived += 1
        if arrived == size {
            (result, arrived, round) = (total, 0, round + 1)
            condition.broadcast()
        } else {
            while round == myRound { condition.wait() }
        }
        return result
    }

    /// Runs `body` on one thread per rank and returns the results in rank order.
    func run<T>(_ body: @escaping (ThreadRank) -> T) -> [T] {
        let results = UncheckedSendable(UnsafeMutablePointer<T?>.allocate(capacity: size))
        results.value.initialize(repeating: nil, count: size)
        let done = DispatchGroup()
        for r in 0..<size {
            done.enter()
            let rank = ThreadRank(rank: r, group: self)
            let box = UncheckedSendable(body)
            Thread {
                results.value[r] = box.value(rank)
                done.leave()
            }.start()
        }
        done.wait()
        defer { results.value.deallocate() }
        return (0..<size).map { results.value[$0]! }
    }
}

/// One of `ThreadRanks`' ranks.
final class ThreadRank: Collective, @unchecked Sendable {
    let rank: Int
    let group: ThreadRanks
    var size: Int { group.size }

    init(rank: Int, group: ThreadRanks) { (self.rank, self.group) = (rank, group) }

    func sum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let total = group.sum((0..<count).map { Double(values[$0]) })
        for i in 0..<count { values[i] = Float(total[i]) }
    }

    func sum(_ values: UnsafeMutablePointer<Double>, count: Int) {
        let total = group.sum(Array(UnsafeBufferPointer(start: values, count: count)))
        for i in 0..<count { values[i] = total[i] }
    }
}

extension Tensor {
    /// A copy of items `rows` along the first dimension.
    func rows(_ rows: Range<Int>) -> Tensor {
        let per = count / shape[0]
        let t = Tensor(zeros: [rows.count] + shape.dropFirst())
        t.data.update(from: data + rows.lowerBound * per, count: rows.count * per)
        return t
    }

    /// A tensor of this shape whose element i is `value(i)`.
    func sameShape(_ value: (Int) -> Float) -> Tensor {
        let t = Tensor(zeros: shape)
        for i in 0..<count { t.data[i] = value(i) }
        return t
    }

    /// Sets element i to `value(i)`.
    func update(_ value: (Int) -> Float) {
        for i in 0..<count { data[i] = value(i) }
    }
}
