import Foundation

/// One connected dashboard tab's outgoing queue: bounded, so a slow client never makes the
/// server hold more than `capacity` messages for it.
///
/// The training thread pushes without waiting; the connection's writer task drains. When
/// the queue is full, the oldest progress message goes first (a newer one supersedes it);
/// only when none is queued does the oldest message of any kind go.
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
        if queue.count >= capacity {
            let victim = queue.firstIndex(where: \.isProgress) ?? 0
            queue.remove(at: victim)
            droppedCount += 1
        }
        queue.append(Queued(text: text, isProgress: isProgress))
        lock.unlock()
        wake.yield()
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
