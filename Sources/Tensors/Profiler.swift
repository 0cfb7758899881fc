import Foundation

/// Optional per-layer-type timing of forward and backward passes (`tinct bench --profile`).
/// Off by default; when off, the cost is one branch per layer call.
public enum Profiler {
    nonisolated(unsafe) public static var enabled = false
    nonisolated(unsafe) private static var totals: [String: (seconds: Double, calls: Int)] = [:]
    /// Floating-point operations of the matrix products run since the last reset (2·M·N·K each).
    nonisolated(unsafe) public private(set) static var productFlops = 0
    /// Products of different images run on several cores at once: each is charged its own
    /// wall time, under this lock.
    private static let lock = NSLock()

    /// Runs `body`, charging its wall time to `name` when profiling is on.
    @inline(__always)
    public static func measure<T>(_ name: @autoclosure () -> String, _ body: () -> T) -> T {
        guard enabled else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        let key = name()
        let spent = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.lock()
        totals[key, default: (0, 0)].seconds += spent
        totals[key, default: (0, 0)].calls += 1
        lock.unlock()
        return result
    }

    /// Adds one product's 2·M·N·K operations to `productFlops` (profiling on only).
    @inline(__always)
    public static func countProduct(m: Int, n: Int, k: Int) {
        guard enabled else { return }
        lock.lock()
        productFlops += 2 * m * n * k
        lock.unlock()
    }

    /// Runs `body`, products computing another route to one result (a convolution by
    /// Winograd's transforms), and counts for `productFlops` the operations `flops` of the
    /// products it stands for instead of its own: the rate stays work done over time taken.
    @inline(__always)
    public static func countingProducts<T>(as flops: Int, _ body: () -> T) -> T {
        guard enabled else { return body() }
        lock.lock()
        let before = productFlops
        lock.unlock()
        let result = body()
        lock.lock()
        productFlops = before + flops
        lock.unlock()
        return result
    }

    public static func reset() {
        totals = [:]
        productFlops = 0
    }

    /// One line of a report: what was timed, its total wall time, how often it ran.
    public typealias Row = (name: String, seconds: Double, calls: Int)

    /// (name, seconds, calls), most expensive first.
    public static var report: [Row] {
        totals.map { ($0.key, $0.value.seconds, $0.value.calls) }.sorted { $0.1 > $1.1 }
    }
}
