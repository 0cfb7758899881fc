import Foundation

/// One connected dashboard tab's outgoing queue: bounded, so a slow client never makes the
/// server hold more than `capacity` messages for it.
///
/// The training thread pushes without waiting; the connection's writer takes one message at
/// a time. A progress message replaces the one still queued, if any (progress is a snapshot:
/// only the newest matters to a tab that lags), so at most one progress message waits. When
/// the queue is still full, the oldest message goes.
final class TrainingSubscriber: @unchecked Sendable {
    /// A queued message and whether it may be dropped in favour of a newer one.
    private struct Queued {
        let text: String
        let isProgress: Bool
    }

    let capacity: Int
    private let lock = NSLock()
    private var queue: [Queued] = []
    private var closed = false
    private var droppedCount = 0
    /// Wakes the writer; holds at most one pending wake-up.
    let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(capacity: Int = 256) {
        self.capacity = max(2, capacity)
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `text` for the client; never blocks.
    func push(_ text: String, isProgress: Bool = false) {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return
        }
        if isProgress, let stale = queue.firstIndex(where: \.isProgress) {
            queue.remove(at: stale)
            droppedCount += 1
        }
        if queue.count >= capacity {
            queue.removeFirst()
            droppedCount += 1
        }
        queue.append(Queued(text: text, isProgress: isProgress))
        lock.unlock()
        wake.yield()
    }

    /// Takes the oldest queued message, if any.
    func next() -> String? {
        lock.lock()
        defer { lock.unlock() }
        return queue.isEmpty ? nil : queue.removeFirst().text
    }

    /// Takes everything queued so far, oldest first.
    func drain() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let texts = queue.map(\.text)
        queue.removeAll(keepingCapacity: true)
        return texts
    }

    /// Messages dropped because the client was slow (for logs and tests).
    var dropped: Int {
        lock.lock()
        defer { lock.unlock() }
        return droppedCount
    }

    /// Number of messages waiting.
    var pending: Int {
        lock.lock()
        defer { lock.unlock() }
        return queue.count
    }

    /// Stops accepting messages and ends `wakeUps`.
    func close() {
        lock.lock()
        closed = true
        queue.removeAll()
        lock.unlock()
        wake.finish()
    }
}
