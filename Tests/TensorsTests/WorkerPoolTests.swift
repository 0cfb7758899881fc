import Dispatch
import Synchronization
import Tensors
import Testing

/// `Parallel.run` on the engine's worker pool: every index exactly once, also for a loop inside
/// a loop and for several callers at once (both fall back to Dispatch while the pool is busy),
/// and after the workers have gone to sleep.
@Suite("Worker pool")
struct WorkerPoolTests {
    /// One shared count (an `Atomic` cannot sit in an array itself).
    private final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func add() { count.wrappingAdd(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    /// Runs `iterations` indices through `Parallel.run` and returns how often each ran.
    private func hits(_ iterations: Int) -> [Int] {
        let counts = (0..<iterations).map { _ in Counter() }
        Parallel.run(iterations) { counts[$0].add() }
        return counts.map(\.value)
    }

    @Test("every index runs exactly once", arguments: [0, 1, 2, 3, 7, 100, 1000])
    func everyIndexOnce(iterations: Int) {
        for _ in 0..<50 { #expect(hits(iterations) == Array(repeating: 1, count: iterations)) }
    }

    @Test("a loop inside a loop runs every inner index once per outer index")
    func nested() {
        let counts = (0..<(8 * 16)).map { _ in Counter() }
        Parallel.run(8) { outer in
            Parallel.run(16) { inner in counts[outer * 16 + inner].add() }
        }
        #expect(counts.allSatisfy { $0.value == 1 })
    }

    @Test("callers on several threads at once each get all their indices")
    func concurrentCallers() {
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for round in 0..<200 where hits(5 + round % 7) != Array(repeating: 1, count: 5 + round % 7) {
                failures.add()
            }
        }
        #expect(failures.value == 0)
    }

    @Test("loops after the workers have gone to sleep still run everywhere and finish")
    func afterSleep() async throws {
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(20))  // longer than the workers poll
            #expect(hits(64) == Array(repeating: 1, count: 64))
        }
    }

    /// The loop's writes are visible to the caller when `run` returns.
    @Test("results written by the workers are visible after the loop")
    func visibility() {
        let values = UnsafeMutablePointer<Int>.allocate(capacity: 4096)
        defer { values.deallocate() }
        let pointer = UncheckedSendable(values)
        for round in 1...20 {
            Parallel.run(4096) { pointer.value[$0] = $0 * round }
            var wrong = 0
            for i in 0..<4096 where values[i] != i * round { wrong += 1 }
            #expect(wrong == 0)
        }
    }
}
