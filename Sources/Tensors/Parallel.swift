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
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                box.value(start..<end)
            }
        }
    }
}

/// Wraps a value that is shared across `concurrentPerform` workers which touch disjoint data.
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
