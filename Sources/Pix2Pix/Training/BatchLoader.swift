import Foundation
import NN
import Tensors

/// A batch of training samples stacked into network tensors.
public struct TrainingBatch: @unchecked Sendable {
    public let step: Int
    /// (N, inC, S, S) and (N, outC, S, S).
    public let input: Tensor
    public let target: Tensor
}

/// Produces the batch for each step deterministically from (seed, step) alone — the picture
/// order of an epoch is a seeded shuffle, each sample's augmentation and hints come from a
/// generator seeded by (seed, step, slot) — so a resumed run sees exactly the batches an
/// uninterrupted run would. A background thread prepares the next batches ahead of the
/// engine (bounded to `lookahead`). In data-parallel training each rank's loader makes only
/// its `slice` of every global batch, each item exactly as the whole batch's loader would.
public final class BatchLoader: @unchecked Sendable {
    public let examples: any TrainingExamples
    /// The global batch size.
    private let batchSize: Int
    /// The global slots this loader makes.
    private let slots: Range<Int>
    private let seed: UInt64
    private let lookahead: Int
    private let condition = NSCondition()
    private var ready: [Int: TrainingBatch] = [:]
    private var nextToMake: Int
    private var inFlight: Int?
    private var lastRequested = Int.min
    private var stopped = false
    private var madeAhead = 0
    private var secondsAhead = 0.0

    public init(
        examples: any TrainingExamples, batchSize: Int, seed: UInt64, firstStep: Int, lookahead: Int = 3,
        slice: BatchSlice? = nil
    ) {
        precondition(examples.count > 0, "BatchLoader: no examples")
        precondition(slice.map { $0.globalCount == batchSize } ?? true, "BatchLoader: slice of another batch size")
        self.examples = examples
        self.batchSize = batchSize
        self.slots = slice?.slots ?? 0..<batchSize
        self.seed = seed
        self.lookahead = lookahead
        self.nextToMake = firstStep
        let thread = Thread { [weak self] in self?.produce() }
        thread.name = "tinct-batch-loader"
        thread.start()
    }

    /// Colorization batches from pictures.
    public convenience init(pictures: ImageFolder, maker: SampleMaker, batchSize: Int, seed: UInt64, firstStep: Int, lookahead: Int = 3) {
        self.init(
            examples: ColorizationExamples(pictures: pictures, maker: maker), batchSize: batchSize, seed: seed,
            firstStep: firstStep, lookahead: lookahead)
    }

    deinit { stop() }

    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The batch for `step`: prepared ahead when steps are consumed in order, otherwise made
    /// here (and the loader moves on to the steps after it).
    public func batch(for step: Int) -> TrainingBatch {
        condition.lock()
        lastRequested = step
        while inFlight == step && ready[step] == nil { condition.wait() }
        if let b = ready.removeValue(forKey: step) {
            condition.broadcast()
            condition.unlock()
            return b
        }
        ready = ready.filter { $0.key > step }
        if nextToMake <= step { nextToMake = step + 1 }
        condition.broadcast()
        condition.unlock()
        return makeBatch(step)
    }

    /// The batches the background thread has made so far and the seconds it took for them.
    public var preparedAhead: (batches: Int, seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        return (madeAhead, secondsAhead)
    }

    private func produce() {
        while true {
            condition.lock()
            while !stopped && ready.count >= lookahead { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let step = nextToMake
            nextToMake += 1
            inFlight = step
            condition.unlock()
            let started = ProcessInfo.processInfo.systemUptime
            let b = makeBatch(step)
            let elapsed = ProcessInfo.processInfo.systemUptime - started
            condition.lock()
            madeAhead += 1
            secondsAhead += elapsed
            inFlight = nil
            if step > lastRequested { ready[step] = b }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Index of the example used at `slot` of `step`: position step·B + slot of a sequence of
    /// epochs, each a seeded permutation of all examples.
    func pictureIndex(step: Int, slot: Int) -> Int {
        let n = examples.count
        let position = step * batchSize + slot
        let epoch = position / n
        var rng = SeededGenerator(seed: Self.mix(seed, UInt64(epoch), 0xE90C))
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        return order[position % n]
    }

    func makeBatch(_ step: Int) -> TrainingBatch {
        let s = examples.size
        let inC = examples.inputChannels
        let outC = examples.outputChannels
        let input = Tensor(zeros: [slots.count, inC, s, s])
        let target = Tensor(zeros: [slots.count, outC, s, s])
        for (row, slot) in slots.enumerated() {
            var rng = SeededGenerator(seed: Self.mix(seed, UInt64(step), UInt64(slot)))
            let sample = examples.trainingPlanes(at: pictureIndex(step: step, slot: slot), rng: &rng)
            sample.input.withUnsafeBufferPointer { (input.data + row * inC * s * s).update(from: $0.baseAddress!, count: $0.count) }
            sample.target.withUnsafeBufferPointer { (target.data + row * outC * s * s).update(from: $0.baseAddress!, count: $0.count) }
        }
        return TrainingBatch(step: step, input: input, target: target)
    }

    /// Combines seeds into one (SplitMix64 finalizer over a running hash).
    public static func mix(_ values: UInt64...) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for v in values {
            h = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        return h
    }
}
