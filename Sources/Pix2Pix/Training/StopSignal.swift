import Foundation

/// A thread-safe flag a training loop polls between steps (set by Ctrl-C, SIGTERM or the
/// dashboard's Stop button).
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    public init() {}

    public func stop(reason: String) {
        lock.lock()
        if self.reason == nil { self.reason = reason }
        lock.unlock()
    }

    /// The reason given to the first `stop`, or nil while running.
    public var requested: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }
}
