import Foundation

/// Counts, across all WebSocket connections of one server, the connections open and the
/// messages handed to `SocketSender` that have not reached the network yet — the server's
/// outgoing backlog. Tests read it to show a client that never reads cannot grow it.
final class SocketGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    private var pending = 0
    private var peak = 0
    private var stalled = 0

    /// Connections open now.
    var openConnections: Int { lock.withLock { open } }
    /// Messages waiting to be written now.
    var pendingMessages: Int { lock.withLock { pending } }
    /// Most messages ever waiting at once.
    var peakPendingMessages: Int { lock.withLock { peak } }
    /// Connections closed because a write stalled.
    var stalledConnections: Int { lock.withLock { stalled } }

    func connectionOpened() { lock.withLock { open += 1 } }
    func connectionClosed() { lock.withLock { open -= 1 } }
    func connectionStalled() { lock.withLock { stalled += 1 } }

    func messageQueued() {
        lock.withLock {
            pending += 1
            peak = max(peak, pending)
        }
    }

    func messageDone() { lock.withLock { pending -= 1 } }
}
