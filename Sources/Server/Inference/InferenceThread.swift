import Foundation

/// How urgently a job should run. Interactive jobs (the editor) always go before background
/// ones (batch colorization, validation previews during training).
public enum InferencePriority: Int, Sendable, Comparable {
    case background = 0
    case interactive = 1

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a job did not run.
public enum InferenceQueueError: Error, Equatable, Sendable {
    /// The queue is full (in jobs or bytes), or the job could not start within the queue's
    /// deadline (it waited that long, or the work ahead of it would take longer).
    case busy
    /// The service is shutting down.
    case stopped
}

/// One dedicated OS thread that runs inference jobs in order, off Swift's cooperative pool.
///
/// A 10–200 ms BLAS call on the cooperative pool (one thread per core, two here) would stall
/// half the server; here async callers just suspend on a continuation. The queue is ordered
/// by priority, then arrival, and bounded as serving systems bound theirs (a maximum queue
/// delay, as Triton's and TorchServe's): a burst waits its turn rather than being refused,
/// but a job that cannot start within `maxQueueDelay` — because the work ahead of it, at the
/// recent average job time, would take longer, or because it has waited that long — is
/// answered "busy" instead of growing latency without limit. `maxQueued` jobs and
/// `maxQueuedBytes` of their inputs bound the memory held for waiting clients.
///
/// The thread starts with the first job and ends after `idleTimeout` without one, so an idle
/// server (or a test that built an application) holds no thread.
///
/// `State` is confined to the thread (it holds the non-thread-safe colorizers), which is why
/// the class can be `@unchecked Sendable`: every other field is guarded by `condition`.
final class InferenceThread<State>: @unchecked Sendable {
    /// A queued unit of work: `run` executes it on the thread and resumes its continuation;
    /// `cancel` resumes the continuation with an error instead.
    private struct Job {
        let id: UInt64
        let priority: InferencePriority
        let enqueuedAt: ContinuousClock.Instant
        /// Input bytes the job holds while it waits.
        let bytes: Int
        let run: (inout State) -> Void
        let cancel: (any Error) -> Void
    }

    /// Jobs allowed to wait while one runs.
    let maxQueued: Int
    /// Input bytes the waiting jobs may hold together.
    let maxQueuedBytes: Int
    /// Longest a job may wait before it starts.
    let maxQueueDelay: Duration
    /// How long the thread waits for work before it ends.
    let idleTimeout: TimeInterval
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var pendingBytes = 0
    /// Running average of recent jobs' durations (nil before the first one finishes).
    private var averageJobDuration: Duration?
    private var runningPriority: InferencePriority?
    private var nextID: UInt64 = 0
    private var thread: Thread?
    private var stopped = false
    private var state: State

    init(
        maxQueued: Int, maxQueuedBytes: Int = .max, maxQueueDelay: Duration = .seconds(3600), idleTimeout: TimeInterval = 30,
        state: State
    ) {
        precondition(maxQueued >= 0, "InferenceThread: maxQueued must not be negative")
        self.maxQueued = maxQueued
        self.maxQueuedBytes = maxQueuedBytes
        self.maxQueueDelay = maxQueueDelay
        self.idleTimeout = idleTimeout
        self.state = state
    }

    /// Number of jobs waiting (not counting the one running).
    var queuedCount: Int { condition.withLock { pending.count } }

    /// Whether a job is running now.
    var isRunning: Bool { condition.withLock { runningPriority != nil } }

    /// Whether an interactive job is running or waiting: long background work (training)
    /// can check this between steps and yield the CPU to the editor.
    var hasInteractiveWork: Bool { condition.withLock { interactiveWorkLocked } }

    /// Blocks the calling thread while an interactive job is running or waiting, until
    /// `deadline` at the latest: background work (a training step) yields the CPU to the
    /// editor this way. Woken when a job ends or leaves the queue, so it polls nothing.
    func waitWhileInteractiveWork(until deadline: Date) {
        condition.withLock {
            while interactiveWorkLocked {
                if !condition.wait(until: deadline) { return }
            }
        }
    }

    /// `hasInteractiveWork`, with `condition` held.
    private var interactiveWorkLocked: Bool {
        runningPriority == .interactive || pending.contains { $0.priority == .interactive }
    }

    /// Runs `work` on the inference thread and returns its result.
    /// - Throws: `InferenceQueueError.busy` when the queue is full, `.stopped` after `stop()`,
    ///   `CancellationError` when the calling task is cancelled while the job waits, or what
    ///   `work` throws.
    func run<T: Sendable>(
        priority: InferencePriority, bytes: Int = 0,
        _ work: @escaping @Sendable (inout State) throws -> T
    ) async throws -> T {
        let id = condition.withLock {
            nextID += 1
            return nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let job = Job(
                    id: id, priority: priority, enqueuedAt: .now, bytes: bytes,
                    run: { state in continuation.resume(with: Result { try work(&state) }) },
                    cancel: { continuation.resume(throwing: $0) }
                )
                if let refusal = enqueue(job) { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            cancel(id: id)
        }
    }

    /// Stops taking jobs, fails those waiting, and lets the thread end after its current job.
    func stop() {
        let dropped = condition.withLock {
            stopped = true
            let dropped = pending
            pending.removeAll()
            pendingBytes = 0
            condition.broadcast()
            return dropped
        }
        for job in dropped { job.cancel(InferenceQueueError.stopped) }
    }

    /// Adds `job` in priority order; returns the error to fail it with when it cannot wait.
    private func enqueue(_ job: Job) -> (any Error)? {
        if Task.isCancelled { return CancellationError() }
        return condition.withLock { () -> (any Error)? in
            if stopped { return InferenceQueueError.stopped }
            let idle = pending.isEmpty && runningPriority == nil
            if !idle {
                if pending.count >= maxQueued || pendingBytes + job.bytes > maxQueuedBytes { return InferenceQueueError.busy }
                // The jobs ahead (those of at least this priority) and the running one.
                let ahead = pending.count { $0.priority >= job.priority } + (runningPriority == nil ? 0 : 1)
                if let average = averageJobDuration, average * ahead > maxQueueDelay { return InferenceQueueError.busy }
            }
            pendingBytes += job.bytes
            let index = pending.lastIndex { $0.priority >= job.priority }.map { $0 + 1 } ?? 0
            pending.insert(job, at: index)
            startThreadIfNeeded()
            condition.signal()
            return nil
        }
    }

    /// Removes a job that has not started yet and fails it with `CancellationError`.
    private func cancel(id: UInt64) {
        let job = condition.withLock { () -> Job? in
            guard let index = pending.firstIndex(where: { $0.id == id }) else { return nil }
            pendingBytes -= pending[index].bytes
            condition.broadcast()  // `waitWhileInteractiveWork` may be waiting for it
            return pending.remove(at: index)
        }
        job?.cancel(CancellationError())
    }

    /// Starts the thread on first use; called with `condition` held.
    private func startThreadIfNeeded() {
        guard thread == nil else { return }
        let thread = Thread { [self] in loop() }
        thread.name = "tinct-inference"
        thread.stackSize = 16 << 20
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: idleTimeout)
            while pending.isEmpty && !stopped {
                if !condition.wait(until: deadline) { break }
            }
            if pending.isEmpty {
                thread = nil
                condition.unlock()
                return
            }
            let job = pending.removeFirst()
            pendingBytes -= job.bytes
            if ContinuousClock.now - job.enqueuedAt > maxQueueDelay {
                condition.broadcast()  // it leaves the queue unrun: wake `waitWhileInteractiveWork`
                condition.unlock()
                job.cancel(InferenceQueueError.busy)
                continue
            }
            runningPriority = job.priority
            condition.unlock()
            let started = ContinuousClock.now
            job.run(&state)
            let took = ContinuousClock.now - started
            condition.withLock {
                runningPriority = nil
                averageJobDuration = averageJobDuration.map { $0 * 0.8 + took * 0.2 } ?? took
                condition.broadcast()  // `waitWhileInteractiveWork` may be waiting for it
            }
        }
    }
}
