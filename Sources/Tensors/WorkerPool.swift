import Dispatch
import Foundation
import Synchronization

/// The threads that run the engine's parallel loops (`Parallel.run`).
///
/// A layer hands work to the other cores several times (im2col, each product, batch norm,
/// activations), often for a few tens of microseconds each. Dispatch's workers sleep between
/// such loops and took ~45 µs to wake on the machines measured, so a loop of 2 × 50 µs took
/// ~95 µs instead of 50. These workers instead keep polling for the next loop for a short
/// while (`pollNanoseconds`, yielding the core to any other runnable thread as they go) and
/// only then sleep on a semaphore until work arrives.
///
/// One caller at a time: the caller claims iterations itself too and returns once every
/// iteration is done, whichever threads ran them (a worker that wakes late finds nothing left).
/// A call made while the pool is busy — from inside a loop, or from another thread (two
/// requests of the server at once) — runs on Dispatch instead.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker polls before it sleeps: longer than the gaps between the loops
    /// of a layer, short enough that an idle engine leaves the core to the server's threads.
    private static let pollNanoseconds: UInt64 = 50_000
    /// Polls between two looks at the clock, each followed by a yield of the core to any
    /// other thread that wants it.
    private static let pollsPerYield = 64

    /// One call of `run`: its iterations are claimed one by one from `next`.
    private final class Loop: @unchecked Sendable {
        /// The caller's `(Int) -> Void`, on its stack for the duration of `run`.
        private let body: UnsafeRawPointer
        private let iterations: Int
        private let next = Atomic<Int>(0)
        /// Iterations not yet finished; `run` returns when it reaches 0.
        let unfinished: Atomic<Int>

        init(body: UnsafeRawPointer, iterations: Int) {
            self.body = body
            self.iterations = iterations
            unfinished = Atomic(iterations)
        }

        /// Claims and runs iterations until none is left.
        func drain() {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= iterations { return }
                call(i)
                unfinished.wrappingSubtract(1, ordering: .releasing)
            }
        }

        /// Calls the body in a frame of its own, so that the reference it loads is released
        /// before the iteration counts as finished.
        @inline(never)
        private func call(_ i: Int) {
            body.assumingMemoryBound(to: ((Int) -> Void).self).pointee(i)
        }
    }

    /// Counts loops handed out; a worker looks for a new loop when it changes.
    private let generation = Atomic<Int>(0)
    private let current = Mutex<Loop?>(nil)
    private let sleepingWorkers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)

    init(workers: Int) {
        for _ in 0..<workers {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(0..<iterations)` on the workers and this thread; false (nothing run) when the
    /// pool is already running a loop.
    func run(_ iterations: Int, _ loopBody: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(loopBody) { escapable in
            var body = escapable
            withUnsafePointer(to: &body) { pointer in
                let loop = Loop(body: UnsafeRawPointer(pointer), iterations: iterations)
                current.withLock { $0 = loop }
                generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
                let sleeping = sleepingWorkers.load(ordering: .sequentiallyConsistent)
                for _ in 0..<sleeping { wake.signal() }
                loop.drain()
                while loop.unfinished.load(ordering: .acquiring) > 0 { sched_yield() }
                current.withLock { $0 = nil }
            }
        }
        return true
    }

    private func workerLoop() {
        var seen = 0
        while true {
            seen = waitForLoop(after: seen)
            if let loop = current.withLock({ $0 }) { loop.drain() }
        }
    }

    /// Polls for a loop newer than `seen`, then sleeps until one is handed out; returns its
    /// generation.
    private func waitForLoop(after seen: Int) -> Int {
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.pollNanoseconds
            repeat {
                for _ in 0..<Self.pollsPerYield {
                    let current = generation.load(ordering: .acquiring)
                    if current != seen { return current }
                }
                sched_yield()
            } while DispatchTime.now().uptimeNanoseconds < deadline
            sleepingWorkers.wrappingAdd(1, ordering: .sequentiallyConsistent)
            let current = generation.load(ordering: .sequentiallyConsistent)
            if current != seen {
                sleepingWorkers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                return current
            }
            wake.wait()
            sleepingWorkers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
