import Foundation
import Pix2Pix

/// The dashboard's training state behind one lock: the current (or last) run's status, its
/// event history, the connected `/ws/train` clients, the active run's stop signal and the
/// tasks waiting for it to end. Every change of state is fanned out to the clients under the
/// same lock, so each client sees every event exactly once and in order.
///
/// A lock rather than an actor: the thread that follows the run's process (`TrainingProcess`)
/// reports from outside the concurrency pool and must never wait for it, and every operation
/// here is short (no training work happens under it).
final class TrainingRunState: @unchecked Sendable {
    private let lock = NSLock()
    private var status = TrainingStatus()
    private var history = TrainingHistory()
    private var subscribers = TrainingSubscribers()
    private var stopSignal: StopSignal?
    /// Resumed when the active run ends (`waitUntilIdle`).
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// The current (or last) run's state.
    var current: TrainingStatus { lock.withLock { status } }

    // MARK: Clients

    /// Registers a client and returns the snapshot to send it first, atomically, so it sees
    /// every event exactly once.
    func subscribe(capacity: Int) -> (snapshot: String, subscriber: TrainingSubscriber) {
        let subscriber = TrainingSubscriber(capacity: capacity)
        let snapshot = lock.withLock {
            subscribers.add(subscriber)
            return TrainingServerMessage.snapshot(status: status, history: history.snapshot).json
        }
        return (snapshot, subscriber)
    }

    /// Forgets a client.
    func unsubscribe(_ subscriber: TrainingSubscriber) {
        lock.withLock { subscribers.remove(subscriber) }
        subscriber.close()
    }

    /// Number of connected clients.
    var subscriberCount: Int { lock.withLock { subscribers.count } }

    /// Messages queued for each connected client, largest first.
    var subscriberBacklogs: [Int] { lock.withLock { subscribers.backlogs } }

    // MARK: A run's life

    /// Begins run `run`: resets the status, takes `previous` as its history (a resumed run's
    /// earlier events) and returns the run's stop signal.
    /// - Throws: 409 while a run is active, or what `refusal` says about the idle state.
    func begin(
        run: String, dataset: String, config: TrainingConfig, previous: [TrainingEvent],
        unless refusal: (TrainingStatus) -> APIError? = { _ in nil }
    ) throws(APIError) -> (TrainingStatus, StopSignal) {
        lock.lock()
        defer { lock.unlock() }
        if status.state.isActive {
            throw APIError(.conflict, "A training run (\(status.run ?? "?")) is already active; stop it first.")
        }
        if let refusal = refusal(status) { throw refusal }
        status = TrainingStatus(
            state: .starting, run: run, dataset: dataset, mode: config.mode, size: config.size, batch: config.batch,
            step: 0, totalSteps: config.steps)
        history.removeAll()
        for event in previous { history.append(event.forClients) }
        subscribers.broadcast(.snapshot(status: status, history: history.snapshot))
        let stop = StopSignal()
        stopSignal = stop
        return (status, stop)
    }

    /// The trainer is built: the run is running from `step` of `totalSteps`.
    func trainerReady(step: Int, totalSteps: Int) {
        lock.withLock {
            if status.state == .starting { status.state = .running }
            (status.step, status.totalSteps) = (step, totalSteps)
            subscribers.broadcast(.status(status))
        }
    }

    /// Records an event of the active run and sends it to every client.
    func receive(_ event: TrainingEvent) {
        let event = event.forClients
        lock.withLock {
            switch event {
            case .started(let step, let total, _, _, _):
                (status.step, status.totalSteps) = (step, total)
                if status.state == .starting { status.state = .running }
            case .progress(let step, let total, let rate, let eta, _, _):
                (status.step, status.totalSteps, status.imagesPerSecond, status.etaSeconds) = (step, total, rate, eta)
            case .sample(let step, _), .checkpoint(let step, _), .validation(let step, _, _):
                status.step = max(status.step, step)
            case .stopped(let step, let reason): (status.step, status.message) = (step, reason)
            case .finished(let step): status.step = step
            case .failed(let step, let message): (status.step, status.message) = (step, message)
            default: break
            }
            history.append(event)
            subscribers.broadcast(.event(status: status, event: event), isProgress: event.isProgress)
        }
    }

    /// Asks the active run to stop after its current step (it saves a checkpoint).
    /// - Throws: 409 when no run is active.
    func requestStop(reason: String) throws(APIError) -> TrainingStatus {
        lock.lock()
        defer { lock.unlock() }
        guard status.state.isActive, let stopSignal else { throw APIError(.conflict, "No training run is active.") }
        stopSignal.stop(reason: reason)
        if status.state != .starting { status.state = .stopping }
        subscribers.broadcast(.status(status))
        return status
    }

    /// Asks the active run, if any, to stop (shutdown).
    func stopIfActive(reason: String) {
        lock.withLock { stopSignal?.stop(reason: reason) }
    }

    /// Settles the final state when the run's process ends (`failure`: why it could not run
    /// on, as a `failed` event) and wakes the tasks waiting for it.
    func finish(failure: String?) -> TrainingStatus {
        let (waiters, final) = lock.withLock { () -> ([CheckedContinuation<Void, Never>], TrainingStatus) in
            if let failure {
                let event = TrainingEvent.failed(step: status.step, message: failure)
                status.message = failure
                history.append(event)
                subscribers.broadcast(.event(status: status, event: event))
            }
            status.state = Self.outcome(of: history.events)
            status.etaSeconds = nil
            stopSignal = nil
            subscribers.broadcast(.status(status))
            defer { idleWaiters.removeAll() }
            return (idleWaiters, status)
        }
        for waiter in waiters { waiter.resume() }
        return final
    }

    /// How a run ended, from its last event that is neither progress nor a warning: a run
    /// that ended without saying so (its thread returned early) counts as stopped.
    static func outcome(of events: [TrainingEvent]) -> TrainingStatus.State {
        let last = events.last { event in
            if event.isProgress { return false }
            if case .warning = event { return false }
            return true
        }
        return switch last {
        case .finished?: .finished
        case .failed?: .failed
        default: .stopped
        }
    }

    /// Waits until no run is active.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if status.state.isActive {
                idleWaiters.append(continuation)
                lock.unlock()
            } else {
                lock.unlock()
                continuation.resume()
            }
        }
    }
}
