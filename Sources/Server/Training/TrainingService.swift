import Foundation
import Logging
import Pix2Pix

/// Owns the dashboard's training: at most one run at a time, checked before it starts
/// (options, dataset, memory and disk), trained in a process of its own under a memory cap
/// (`TrainingProcess`), so a run that crashes or runs out of memory ends alone, its state and
/// events kept and fanned out to every `/ws/train` client (`TrainingRunState`), and published
/// as a model on request (`ModelPublisher`).
public final class TrainingService: Sendable {
    let datasets: DatasetFolders
    let runs: RunFolders
    /// Most memory a run may need (`ServerConfiguration.trainingMemoryBudget`).
    let memoryBudget: Int
    /// The machine's memory available now (`TrainingMemory.availableMemoryBytes`; tests fake it).
    let availableMemory: @Sendable () -> Int?
    let state = TrainingRunState()
    /// Starts and follows the runs' processes.
    let process: TrainingProcess
    /// The memory cap of every run's process (`ServerConfiguration.trainingProcessMemoryCap`);
    /// nil: each run's own, from its estimate (`TrainingProcessMemoryCap`).
    let memoryCapOverride: Int?
    private let publisher: ModelPublisher
    private let logger: Logger

    /// - Parameter inference: told to rescan its models after a publish; its queue also tells
    ///   training to yield to the editor.
    public convenience init(configuration: ServerConfiguration, inference: InferenceService?, logger: Logger = Logger(label: "tinct.training")) {
        self.init(configuration: configuration, inference: inference, logger: logger, availableMemory: { TrainingMemory.availableMemoryBytes() })
    }

    init(configuration: ServerConfiguration, inference: InferenceService?, logger: Logger, availableMemory: @escaping @Sendable () -> Int?) {
        datasets = DatasetFolders(root: configuration.dataRoot)
        runs = RunFolders(root: configuration.runsDirectory)
        memoryBudget = configuration.trainingMemoryBudget
        self.availableMemory = availableMemory
        process = TrainingProcess(executable: configuration.trainingWorker, state: state, inference: inference, logger: logger)
        memoryCapOverride = configuration.trainingProcessMemoryCap
        publisher = ModelPublisher(runs: runs, modelsDirectory: configuration.modelsDirectory, inference: inference, logger: logger)
        self.logger = logger
    }

    // MARK: State and clients

    /// The current (or last) run's state.
    var currentStatus: TrainingStatus { state.current }

    /// Registers a client and returns the snapshot to send it first (see `TrainingRunState`).
    func subscribe(capacity: Int = 256) -> (snapshot: String, subscriber: TrainingSubscriber) {
        state.subscribe(capacity: capacity)
    }

    /// Forgets a client.
    func unsubscribe(_ subscriber: TrainingSubscriber) { state.unsubscribe(subscriber) }

    /// Number of connected clients.
    var subscriberCount: Int { state.subscriberCount }

    /// Messages queued for each connected client, largest first (for tests and logs).
    var subscriberBacklogs: [Int] { state.subscriberBacklogs }

    /// Records an event as the trainer would and sends it to every client (tests play a run's
    /// events this way without training).
    func receive(_ event: TrainingEvent) { state.receive(event) }

    // MARK: Control

    /// Starts a new run on `request.dataset`.
    /// - Throws: 400 naming the bad field, 409 while a run is active, 413/507 when it would
    ///   not fit in memory or on disk.
    func start(_ request: StartTrainingRequest) throws(APIError) -> TrainingStatus {
        if let problem = request.options.problems.first { throw .badField(problem.field, problem.problem) }
        let folder = try datasets.resolve(request.dataset)
        let pictures = ImageFolder.listPictures(under: folder).count
        guard pictures > 0 else {
            throw .badField("dataset", "\"\(request.dataset)\" holds no PNG or JPEG pictures")
        }
        try FileManager.default.createDirectoryOrFail(runs.root)
        let config = request.options.config(dataPath: folder)
        let memory = try checkResources(config, pictures: pictures)
        try process.checkExecutable()
        let name = runs.newName(dataset: request.dataset, mode: config.mode)
        let (status, stop) = try state.begin(run: name, dataset: datasets.displayName(of: folder), config: config, previous: [])
        launch(run: name, config: config, resume: false, steps: nil, memory: memory, stop: stop)
        return status
    }

    /// Continues run `request.run` from its latest checkpoint (its saved options win;
    /// `steps` may extend it).
    /// - Throws: 400/404 for a bad or unknown run, 409 while a run is active or when another
    ///   process is writing the run, 500 when its event log cannot be read.
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
        let memory = try checkResources(config, pictures: ImageFolder.listPictures(under: config.dataPath).count)
        try process.checkExecutable()
        // A long run's event log can be tens of megabytes: read it off the cooperative pool.
        let runs = self.runs
        let previous: [TrainingEvent]
        do {
            previous = try await OffPoolThread.run(named: "tinct-history") { try runs.events(ofFolder: folder) }
        } catch {
            logger.error("A run's event log could not be read", metadata: ["run": "\(request.run)", "error": "\(error)"])
            throw APIError(.internalServerError, "run: its event log could not be read (\(error.localizedDescription)); the run was not resumed")
        }
        var resumed = config
        if let steps = request.steps { resumed.steps = steps }
        let (status, stop) = try state.begin(
            run: request.run, dataset: datasets.displayName(of: config.dataPath), config: resumed, previous: previous
        ) { current in
            guard current.run != request.run, runs.isBusyElsewhere(folder: folder) else { return nil }
            return APIError(.conflict, "run: \"\(request.run)\" is being written by another process")
        }
        launch(run: request.run, config: config, resume: true, steps: request.steps, memory: memory, stop: stop)
        return status
    }

    /// Asks the active run to stop after its current step (it saves a checkpoint).
    /// - Throws: 409 when no run is active.
    func stop() throws(APIError) -> TrainingStatus {
        try state.requestStop(reason: "stopped from the dashboard")
    }

    /// Exports a run's checkpoint as a model (see `ModelPublisher`).
    func publish(_ request: PublishRequest) async throws(APIError) -> ModelInfo {
        try await publisher.publish(request)
    }

    /// Waits until no run is active (tests, shutdown).
    func waitUntilIdle() async { await state.waitUntilIdle() }

    /// How long a graceful shutdown waits for the active run to finish its step and save its
    /// checkpoint before it kills the run's process: far more than a step and a checkpoint of
    /// any run the memory budget admits take on a 2-core machine, so only a process that hangs
    /// (or is stopped) is killed.
    public static let shutdownGrace: Duration = .seconds(120)

    /// Stops the active run, if any, and waits for its checkpoint (graceful shutdown); a run
    /// whose process has not ended within `grace` is killed, keeping its last checkpoint, so
    /// a hung process cannot keep the server from exiting.
    public func shutdown(grace: Duration = shutdownGrace) async {
        state.stopIfActive(reason: "the server is shutting down")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilIdle() }
            group.addTask {
                // Cancelled (and so no kill) once the run has ended by itself.
                guard (try? await Task.sleep(for: grace)) != nil else { return }
                self.process.forceEnd(because: "it did not stop within \(grace.components.seconds) s of the server's shutdown")
            }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: Helpers

    /// Refuses a run whose estimated memory exceeds the budget (413, naming what to lower), so
    /// one request cannot exhaust the machine and end the server, or the memory available now
    /// (503: other programs hold it), and (507) a run whose checkpoints and samples would not
    /// fit on the disk.
    /// - Returns: the run's memory estimate.
    private func checkResources(_ config: TrainingConfig, pictures: Int) throws(APIError) -> TrainingMemory {
        let memory = TrainingMemory(config: config, pictures: pictures)
        if let refusal = memory.refusal(budgetBytes: memoryBudget) {
            logger.notice("Refused a training run", metadata: ["memory": "\(memory)", "budget": "\(memoryBudget)"])
            throw APIError(.contentTooLarge, "memory: \(refusal)")
        }
        if let available = availableMemory(), let refusal = memory.availabilityRefusal(availableBytes: available) {
            logger.notice("Refused a training run", metadata: ["memory": "\(memory)", "available": "\(available)"])
            throw APIError(.serviceUnavailable, "memory: \(refusal)")
        }
        if let free = TrainingMemory.freeDiskBytes(at: runs.root), let refusal = memory.diskRefusal(config: config, freeBytes: free) {
            throw APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), "disk: \(refusal)")
        }
        return memory
    }

    /// Starts the run's process, capped at its memory (`TrainingProcessMemoryCap`).
    private func launch(run: String, config: TrainingConfig, resume: Bool, steps: Int?, memory: TrainingMemory, stop: StopSignal) {
        let cap = memoryCapOverride ?? TrainingProcessMemoryCap.bytes(for: memory)
        logger.info("Training started", metadata: ["run": "\(run)", "resume": "\(resume)", "memoryCapMiB": "\(cap >> 20)"])
        process.start(TrainingJob(folder: "\(runs.root)/\(run)", config: config, resume: resume, steps: steps, memoryCapBytes: cap), stop: stop)
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
