import Foundation
import Logging
import Pix2Pix

#if canImport(Glibc)
import Glibc
#endif

/// Owns the dashboard's training: at most one run at a time, on its own thread at lowered
/// priority (never on the request handlers' cooperative pool), with the run's events kept in
/// memory and fanned out to every connected `/ws/train` client.
///
/// A lock rather than an actor: the trainer reports from its own thread and must never wait
/// for the server, and every operation here is short (no training work happens under it).
public final class TrainingService: @unchecked Sendable {
    let datasets: DatasetFolders
    let runs: RunFolders
    let modelsDirectory: String
    /// Most memory a run may need (`ServerConfiguration.trainingMemoryBudget`).
    let memoryBudget: Int
    /// Told to rescan its models after a publish; its queue also tells training to yield.
    let inference: InferenceService?
    private let logger: Logger

    private let lock = NSLock()
    private var status = TrainingStatus()
    private var history = TrainingHistory()
    private var subscribers: [ObjectIdentifier: TrainingSubscriber] = [:]
    private var stopSignal: StopSignal?
    private var thread: Thread?
    /// Signalled when a run's thread ends (for `waitUntilIdle`).
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// Longest a training step waits for interactive colorizations before going on anyway.
    static let maxYieldSeconds = 2.0

    public init(configuration: ServerConfiguration, inference: InferenceService?, logger: Logger = Logger(label: "tinct.training")) {
        datasets = DatasetFolders(root: configuration.dataRoot)
        runs = RunFolders(root: configuration.runsDirectory)
        modelsDirectory = configuration.modelsDirectory
        memoryBudget = configuration.trainingMemoryBudget
        self.inference = inference
        self.logger = logger
    }

    // MARK: State

    /// The current (or last) run's state.
    var currentStatus: TrainingStatus { lock.withLock { status } }

    /// Registers a client and returns the snapshot to send it first, atomically, so it sees
    /// every event exactly once.
    func subscribe(capacity: Int = 256) -> (snapshot: String, subscriber: TrainingSubscriber) {
        let subscriber = TrainingSubscriber(capacity: capacity)
        let snapshot = lock.withLock {
            subscribers[ObjectIdentifier(subscriber)] = subscriber
            return TrainingServerMessage.snapshot(status: status, history: history.snapshot).json
        }
        return (snapshot, subscriber)
    }

    /// Forgets a client.
    func unsubscribe(_ subscriber: TrainingSubscriber) {
        _ = lock.withLock { subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) }
        subscriber.close()
    }

    /// Number of connected clients.
    var subscriberCount: Int { lock.withLock { subscribers.count } }

    /// Messages queued for each connected client, largest first (for tests and logs).
    var subscriberBacklogs: [Int] { lock.withLock { subscribers.values.map(\.pending).sorted(by: >) } }

    // MARK: Control

    /// Starts a new run on `request.dataset`.
    /// - Throws: 400 naming the bad field, 409 while a run is active.
    func start(_ request: StartTrainingRequest) throws(APIError) -> TrainingStatus {
        if let problem = request.options.problems.first { throw .badField(problem.field, problem.problem) }
        let folder = try datasets.resolve(request.dataset)
        let pictures = ImageFolder.listPictures(under: folder).count
        guard pictures > 0 else {
            throw .badField("dataset", "\"\(request.dataset)\" holds no PNG or JPEG pictures")
        }
        try FileManager.default.createDirectoryOrFail(runs.root)
        let config = request.options.config(dataPath: folder)
        try checkMemory(config, pictures: pictures)
        lock.lock()
        defer { lock.unlock() }
        try ensureIdle()
        let name = runs.newName(dataset: request.dataset, mode: config.mode)
        begin(run: name, dataset: datasets.displayName(of: folder), config: config, history: [])
        launch(run: name, config: config, resume: false, steps: nil)
        return status
    }

    /// Continues run `request.run` from its latest checkpoint (its saved options win;
    /// `steps` may extend it).
    /// - Throws: 400/404 for a bad or unknown run, 409 while a run is active or when another
    ///   process is writing the run.
    func resume(_ request: ResumeTrainingRequest) async throws(APIError) -> TrainingStatus {
        let folder = try runs.folder(of: request.run)
        if let steps = request.steps, let problem = TrainingOptions.option(named: "steps")?.problem(with: .integer(steps)) {
            throw .badField("steps", problem)
        }
        guard let config = runs.config(ofFolder: folder) else { throw .badField("run", "its config.json cannot be read") }
        guard !TrainingCheckpoint.list(in: "\(folder)/checkpoints").isEmpty else {
            throw .badField("run", "\"\(request.run)\" has no checkpoint to resume")
        }
        guard datasets.contains(path: config.dataPath) else {
            throw .badField("run", "its dataset \(config.dataPath) is not under the data root")
        }
        try checkMemory(config, pictures: ImageFolder.listPictures(under: config.dataPath).count)
        // A long run's event log can be tens of megabytes: read it off the cooperative pool.
        let runs = self.runs
        let previous: [TrainingEvent]
        do {
            previous = try await Self.onThread(named: "tinct-history") { runs.events(ofFolder: folder) }
        } catch {
            previous = []
        }
        return try beginResume(request, folder: folder, config: config, previous: previous)
    }

    /// The locked part of `resume`.
    private func beginResume(
        _ request: ResumeTrainingRequest, folder: String, config: TrainingConfig, previous: [TrainingEvent]
    ) throws(APIError) -> TrainingStatus {
        lock.lock()
        defer { lock.unlock() }
        try ensureIdle()
        if status.run != request.run, runs.isBusyElsewhere(folder: folder) {
            throw APIError(.conflict, "run: \"\(request.run)\" is being written by another process")
        }
        var resumed = config
        if let steps = request.steps { resumed.steps = steps }
        begin(run: request.run, dataset: datasets.displayName(of: config.dataPath), config: resumed, history: previous)
        launch(run: request.run, config: config, resume: true, steps: request.steps)
        return status
    }

    /// Refuses a run whose estimated memory exceeds the budget (413, naming what to lower), so
    /// one request cannot exhaust the machine and end the server.
    /// Also refuses (507) a run whose checkpoints and samples would not fit on the disk.
    private func checkMemory(_ config: TrainingConfig, pictures: Int) throws(APIError) {
        let memory = TrainingMemory(config: config, pictures: pictures)
        if let refusal = memory.refusal(budgetBytes: memoryBudget) {
            logger.notice("Refused a training run", metadata: ["memory": "\(memory)", "budget": "\(memoryBudget)"])
            throw APIError(.contentTooLarge, "memory: \(refusal)")
        }
        if let free = TrainingMemory.freeDiskBytes(at: runs.root), let refusal = memory.diskRefusal(config: config, freeBytes: free) {
            throw APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), "disk: \(refusal)")
        }
    }

    /// Asks the active run to stop after its current step (it saves a checkpoint).
    /// - Throws: 409 when no run is active.
    func stop() throws(APIError) -> TrainingStatus {
        lock.lock()
        defer { lock.unlock() }
        guard status.state.isActive, let stopSignal else { throw APIError(.conflict, "No training run is active.") }
        stopSignal.stop(reason: "stopped from the dashboard")
        if status.state != .starting { status.state = .stopping }
        broadcast(.status(status))
        return status
    }

    /// Exports a run's best (or latest) checkpoint as model `request.name` and makes the
    /// editor's model list show it.
    /// - Throws: 400/404 for bad names, 409 when the model exists and `replace` is not set.
    func publish(_ request: PublishRequest) async throws(APIError) -> ModelInfo {
        let folder = try runs.folder(of: request.run)
        guard ModelCatalog.isValidName(request.name) else { throw .badField("name", "must be 1–64 of A–Z a–z 0–9 _ -") }
        guard !ModelCatalog.isReservedName(request.name) else {
            throw .badField("name", "names starting with \"default-\" belong to the models that come with Tinct; choose another name")
        }
        let hasBest = FileManager.default.fileExists(atPath: "\(folder)/best.safetensors")
        // "auto" is the best checkpoint when validation has produced one, else the latest.
        let requested = request.checkpoint ?? "auto"
        let checkpoint: String
        switch requested == "auto" ? (hasBest ? "best" : "latest") : requested {
        case "best":
            guard hasBest else {
                throw .badField("checkpoint", "the run has no best checkpoint yet (no validation has run)")
            }
            checkpoint = "\(folder)/best.safetensors"
        case "latest":
            guard let latest = TrainingCheckpoint.list(in: "\(folder)/checkpoints").last else {
                throw .badField("run", "\"\(request.run)\" has no checkpoint yet")
            }
            checkpoint = latest.path
        default:
            throw .badField("checkpoint", "must be \"best\", \"latest\" or \"auto\"")
        }
        let target = "\(modelsDirectory)/\(request.name)"
        if FileManager.default.fileExists(atPath: target), request.replace != true {
            throw APIError(.conflict, "name: a model named \"\(request.name)\" already exists (send \"replace\": true to overwrite it)")
        }
        let exported: (mode: ModelMode, resolution: Int)
        do {
            exported = try await Self.onThread(named: "tinct-publish") {
                try Self.exportReplacing(checkpoint: checkpoint, into: target)
            }
        } catch {
            logger.error("Publish failed", metadata: ["run": "\(request.run)", "error": "\(error)"])
            throw APIError(.internalServerError, "checkpoint: could not be exported: \(error)")
        }
        await inference?.reloadModels()
        logger.info("Published a model", metadata: ["run": "\(request.run)", "model": "\(request.name)"])
        return ModelInfo(name: request.name, mode: exported.mode, resolution: exported.resolution,
                         path: "\(target)/generator.safetensors", modified: Date())
    }

    /// Exports into a fresh folder beside `target`, then puts it in `target`'s place, so a
    /// replaced model keeps nothing of the old one (no stale card) and a failed export leaves
    /// the old one whole. Names starting with "." are never listed as models.
    static func exportReplacing(checkpoint: String, into target: String) throws -> (mode: ModelMode, resolution: Int) {
        let files = FileManager.default
        let parent = (target as NSString).deletingLastPathComponent, name = (target as NSString).lastPathComponent
        let staging = "\(parent)/.publishing-\(name)-\(UUID().uuidString)"
        try files.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let model = try TrainingCheckpoint.exportGenerator(checkpoint: checkpoint, to: staging)
            if files.fileExists(atPath: target) {
                let old = "\(parent)/.replaced-\(name)-\(UUID().uuidString)"
                try files.moveItem(atPath: target, toPath: old)
                try files.moveItem(atPath: staging, toPath: target)
                try? files.removeItem(atPath: old)  // only leftovers; the new model is in place
            } else {
                try files.moveItem(atPath: staging, toPath: target)
            }
            return (model.mode, model.resolution)
        } catch {
            try? files.removeItem(atPath: staging)
            throw error
        }
    }

    /// Waits until no run is active (tests, shutdown).
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

    /// Stops the active run, if any, and waits for its checkpoint (graceful shutdown).
    public func shutdown() async {
        lock.withLock { stopSignal?.stop(reason: "the server is shutting down") }
        await waitUntilIdle()
    }

    // MARK: The run's thread

    /// 409 unless idle; called with the lock held.
    private func ensureIdle() throws(APIError) {
        if status.state.isActive {
            throw APIError(.conflict, "A training run (\(status.run ?? "?")) is already active; stop it first.")
        }
    }

    /// Resets the state for a run; called with the lock held.
    private func begin(run: String, dataset: String, config: TrainingConfig, history previous: [TrainingEvent]) {
        status = TrainingStatus(
            state: .starting, run: run, dataset: dataset, mode: config.mode, size: config.size, batch: config.batch,
            step: 0, totalSteps: config.steps)
        history.removeAll()
        for event in previous { history.append(event.forClients) }
        broadcast(.snapshot(status: status, history: history.snapshot))
    }

    /// Starts the thread that builds the trainer and runs it; called with the lock held.
    private func launch(run: String, config: TrainingConfig, resume: Bool, steps: Int?) {
        let stop = StopSignal()
        stopSignal = stop
        let folder = "\(runs.root)/\(run)"
        let thread = Thread { [self] in
            Self.lowerThreadPriority()
            train(folder: folder, config: config, resume: resume, steps: steps, stop: stop)
        }
        thread.name = "tinct-training"
        thread.stackSize = 16 << 20
        thread.qualityOfService = .utility
        self.thread = thread
        logger.info("Training started", metadata: ["run": "\(run)", "resume": "\(resume)"])
        thread.start()
    }

    /// The body of the training thread.
    private func train(folder: String, config: TrainingConfig, resume: Bool, steps: Int?, stop: StopSignal) {
        var failure: String?
        do {
            let trainer = try Trainer(config: config, runDirectory: folder, resume: resume, steps: steps) { [weak self] event in
                self?.receive(event)
            }
            let inference = self.inference
            trainer.beforeEachStep = {
                // Interactive colorizations go first: wait (briefly) while one is queued or running.
                guard let inference else { return }
                let deadline = Date().addingTimeInterval(Self.maxYieldSeconds)
                while inference.hasInteractiveWork && Date() < deadline && stop.requested == nil {
                    usleep(5_000)
                }
            }
            lock.withLock {
                if status.state == .starting { status.state = .running }
                status.step = trainer.currentStep
                status.totalSteps = trainer.config.steps
                broadcast(.status(status))
            }
            try trainer.run(stop: stop)
        } catch {
            failure = "\(error)"
        }
        finish(failure: failure)
    }

    /// Records an event from the trainer and sends it to every client; on the training thread
    /// (tests call it to play a run's events without training).
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
            broadcast(.event(status: status, event: event), isProgress: event.isProgress)
        }
    }

    /// Settles the final state when the run's thread ends; on the training thread.
    private func finish(failure: String?) {
        let (waiters, final) = lock.withLock { () -> ([CheckedContinuation<Void, Never>], TrainingStatus) in
            if let failure {
                let event = TrainingEvent.failed(step: status.step, message: failure)
                status.message = failure
                history.append(event)
                broadcast(.event(status: status, event: event))
            }
            let last = history.events.last { !$0.isProgress && $0.type != "warning" }
            status.state =
                switch last {
                case .finished?: .finished
                case .stopped?: .stopped
                default: failure == nil && last?.type != "failed" ? .stopped : .failed
                }
            status.etaSeconds = nil
            stopSignal = nil
            thread = nil
            broadcast(.status(status))
            defer { idleWaiters.removeAll() }
            return (idleWaiters, status)
        }
        logger.info("Training ended", metadata: ["run": "\(final.run ?? "?")", "state": "\(final.state.rawValue)"])
        for waiter in waiters { waiter.resume() }
    }

    /// Sends `message` to every client; called with the lock held.
    private func broadcast(_ message: TrainingServerMessage, isProgress: Bool = false) {
        guard !subscribers.isEmpty else { return }
        let text = message.json
        for subscriber in subscribers.values { subscriber.push(text, isProgress: isProgress) }
    }

    /// Lowers the calling thread's CPU priority (nice 10 on Linux) so the editor's requests and
    /// inference thread win when both want a core.
    static func lowerThreadPriority() {
        #if os(Linux)
        // Linux applies `setpriority` to one thread when given its id; Swift cannot call
        // gettid(2) directly, but /proc/thread-self links to /proc/<pid>/task/<tid>.
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
            let tid = link.split(separator: "/").last.flatMap({ id_t($0) })
        else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, 10)
        #endif
    }

    /// Runs `body` on a fresh thread and returns its result, keeping blocking file work off
    /// the cooperative pool.
    static func onThread<T: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = name
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

extension FileManager {
    /// Creates `path` (and parents) or throws a 500 saying which folder could not be made.
    func createDirectoryOrFail(_ path: String) throws(APIError) {
        do {
            try createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw APIError(.internalServerError, "The runs folder \(path) cannot be created: \(error.localizedDescription)")
        }
    }
}
