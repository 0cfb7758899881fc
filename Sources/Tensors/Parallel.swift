import Dispatch

/// Splits loops over both cores. The chunk count equals the worker count so that each
/// worker gets one contiguous range (good locality, no per-item dispatch overhead).
public enum Parallel {
    /// Number of workers used by `forEachChunk` and the split products; defaults to the
    /// machine's active cores, or `TINCT_WORKERS` (see `NumericsEnvironment`).
    nonisolated(unsafe) public static var workers =
        NumericsEnvironment.positiveInteger("TINCT_WORKERS") ?? max(1, ProcessInfoCores.count)

    /// Total work (`count * costPerItem`) below which `forEachChunk` stays on one core.
    public static let minimumSharedWork = 32_768
    /// A `costPerItem` that shares out even a single item per worker (each item is a whole
    /// product or more).
    public static let alwaysShared = minimumSharedWork

    /// Calls `body(range)` for disjoint ranges covering `0..<count`, in parallel when the
    /// total work (`count * costPerItem`) is large enough to repay the hand-off.
    @inlinable
    public static func forEachChunk(
        _ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        let chunks = min(workers, count)
        if chunks <= 1 || count * costPerItem < minimumSharedWork {
            if count > 0 { body(0..<count) }
            return
        }
        run(chunks) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            body(start..<end)
        }
    }

    /// Calls `body(i)` for every `i` in `0..<iterations` on all cores (this thread included)
    /// and returns when all are done: on the engine's worker pool, or on Dispatch while the
    /// pool runs another loop (a loop inside a loop, or two callers at once).
    public static func run(_ iterations: Int, _ body: (Int) -> Void) {
        if let pool, pool.run(iterations, body) { return }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
        }
    }

    /// Started on first use, with a thread for each worker but this one.
    private static let pool: WorkerPool? = workers > 1 ? WorkerPool(workers: workers - 1) : nil
}

/// Wraps a value that is shared across parallel workers which touch disjoint data.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}

/// Number of online processors, read once.
public enum ProcessInfoCores {
    public static let count: Int = {
        #if os(Linux)
            return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
            return Int(sysconf(_SC_NPROCESSORS_ONLN))
        #endif
    }()
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
