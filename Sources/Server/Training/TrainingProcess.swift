import Foundation
import Logging
import Pix2Pix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs each dashboard run in a process of its own — the `tinct` executable as
/// `tinct train-worker` (`TrainingWorker`) — so nothing that happens to a run (a trap on a
/// failed allocation, its memory cap, the kernel's OOM killer) can take the server with it.
///
/// One OS thread per run starts the process at lowered CPU priority, hands it the
/// `TrainingJob`, and relays what it reports into `TrainingRunState`, which fans it out to the
/// dashboard as an in-process run's events were. Before each step it lets the editor's
/// interactive colorizations go first, and answers with a stop once one is requested. When
/// the process ends, however it ends, the run's end is settled (`TrainingProcessEnd`).
final class TrainingProcess: @unchecked Sendable {
    /// The `tinct` executable; nil when none is configured (runs are refused).
    let executable: URL?
    let state: TrainingRunState
    /// Whose interactive colorizations a step waits for; nil in tests without inference.
    let inference: InferenceService?
    let logger: Logger
    private let lock = NSLock()
    private var running: Process?
    /// Why the server killed the running process itself (`forceEnd(because:)`), for its end message.
    private var killedBecause: String?

    /// Longest a training step waits for interactive colorizations before going on anyway.
    static let maxYieldSeconds = 2.0

    init(executable: URL?, state: TrainingRunState, inference: InferenceService?, logger: Logger) {
        (self.executable, self.state, self.inference, self.logger) = (executable, state, inference, logger)
        // Writing to a training process that has just died must be an error, not a SIGPIPE
        // that ends the server.
        signal(SIGPIPE, SIG_IGN)
    }

    /// The active run's process id, while it runs (tests end it with a signal).
    var processID: Int32? { lock.withLock { running?.processIdentifier } }

    /// Ends the running process, if any, with SIGKILL — for a process that does not stop
    /// when asked; `reason` completes the run's `failed` message ("the server killed it
    /// because …"). Its last checkpoint stays as it was.
    func forceEnd(because reason: String) {
        let pid = lock.withLock { () -> Int32? in
            guard let process = running, process.isRunning else { return nil }
            killedBecause = reason
            return process.processIdentifier
        }
        guard let pid else { return }
        logger.warning("Killing the training process", metadata: ["pid": "\(pid)", "why": "\(reason)"])
        kill(pid, SIGKILL)
    }

    /// Refuses to begin a run that could not be started at all.
    /// - Throws: 500 saying which executable is missing.
    func checkExecutable() throws(APIError) {
        guard let executable else {
            throw APIError(.internalServerError, "training: no tinct executable is configured to train in (ServerConfiguration.trainingWorker)")
        }
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw APIError(.internalServerError, "training: the tinct executable \(executable.path) cannot be run, so no run can start")
        }
    }

    /// Starts the run's thread, which starts the process and follows it to its end.
    func start(_ job: TrainingJob, stop: StopSignal) {
        let thread = Thread { self.supervise(job, stop: stop) }
        thread.name = "tinct-training"
        thread.qualityOfService = .utility
        thread.start()
    }

    /// The body of the run's thread.
    private func supervise(_ job: TrainingJob, stop: StopSignal) {
        // The process inherits this thread's priority, its BLAS threads included.
        Self.lowerThreadPriority()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["train-worker"]
        let (toChild, fromChild, errors) = (Pipe(), Pipe(), Pipe())
        (process.standardInput, process.standardOutput, process.standardError) = (toChild, fromChild, errors)
        do {
            try process.run()
        } catch {
            finish(TrainingProcessEnd(termination: .notStarted(error.localizedDescription)), job: job)
            return
        }
        lock.withLock { running = process }
        logger.info("Training process started", metadata: ["pid": "\(process.processIdentifier)", "run": "\(job.folder)"])
        let errorOutput = TrainingProcessErrors()
        let errorsRead = errorOutput.follow(errors.fileHandleForReading.fileDescriptor, logger: logger)
        let input = toChild.fileHandleForWriting
        send(job, to: input)
        var failure: String?
        let reports = LineReader(descriptor: fromChild.fileHandleForReading.fileDescriptor)
        while let line = reports.next() {
            switch TrainingLine.decode(TrainingReport.self, from: line) {
            case .ready(let step, let total)?: state.trainerReady(step: step, totalSteps: total)
            case .event(let event)?: state.receive(event)
            case .askToStep?: send(answer(stop: stop), to: input)
            case .failure(let message)?: failure = message
            case nil: logger.notice("The training process wrote a line that is not a report", metadata: ["bytes": "\(line.count)"])
            }
        }
        try? input.close()
        process.waitUntilExit()
        errorsRead.wait()
        let killedBecause = lock.withLock {
            running = nil
            defer { self.killedBecause = nil }
            return self.killedBecause
        }
        let termination: TrainingProcessEnd.Termination =
            process.terminationReason == .exit ? .exit(process.terminationStatus) : .signal(process.terminationStatus)
        finish(
            TrainingProcessEnd(
                termination: termination, reportedFailure: failure, errorLine: errorOutput.crashLine,
                memoryCapBytes: job.memoryCapBytes, killedByServerBecause: killedBecause), job: job)
    }

    /// What a step may do: stop when asked, else go once the editor's interactive work is
    /// done (waiting at most `maxYieldSeconds`).
    private func answer(stop: StopSignal) -> TrainingInstruction {
        if let reason = stop.requested { return .stop(reason: reason) }
        inference?.waitWhileInteractiveWork(until: Date().addingTimeInterval(Self.maxYieldSeconds))
        return stop.requested.map { .stop(reason: $0) } ?? .go
    }

    /// Writes one line to the process; a process that is gone is noticed by its end of file.
    private func send(_ value: some Encodable, to input: FileHandle) {
        guard let line = try? TrainingLine.encode(value) else { return }
        try? input.write(contentsOf: line)
    }

    /// Settles the run's end and logs it.
    private func finish(_ end: TrainingProcessEnd, job: TrainingJob) {
        var end = end
        end.lastCheckpointStep = TrainingCheckpoint.list(in: "\(job.folder)/checkpoints").last?.step
        let message = end.failureMessage
        let final = state.finish(failure: message)
        logger.info(
            "Training ended",
            metadata: [
                "run": "\(final.run ?? "?")", "state": "\(final.state.rawValue)", "process": "\(end.termination)"
            ])
        if let message, end.reportedFailure == nil { logger.error("The training process failed", metadata: ["why": "\(message)"]) }
    }

    /// Lowers the calling thread's CPU priority (nice 10 on Linux) so the editor's requests and
    /// inference thread win when both want a core; a process started from it inherits it.
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
}

/// What a training process writes to standard error: logged as it comes, and the first line
/// that explains a crash (`…: Fatal error: …` from the Swift runtime, `OpenBLAS : Program is
/// Terminated…`) kept for the run's `failed` message — the first, because the backtrace that
/// follows quotes memory that may hold the same words.
final class TrainingProcessErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var explanation: String?

    /// Reads `descriptor` to its end on a thread of its own; the semaphore is signalled then.
    func follow(_ descriptor: Int32, logger: Logger) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let lines = LineReader(descriptor: descriptor, maxLineBytes: 64 << 10, keepsLastLine: true)
            while let line = lines.next() {
                let text = String(decoding: line, as: UTF8.self)
                logger.notice("training process: \(text)")
                if Self.explains(text) { self.lock.withLock { self.explanation = self.explanation ?? text } }
            }
            done.signal()
        }
        thread.name = "tinct-training-stderr"
        thread.start()
        return done
    }

    /// Whether `line` says why a process stopped.
    static func explains(_ line: String) -> Bool {
        let lowered = line.lowercased()
        return ["fatal error", "precondition failed", "assertion failed", "openblas", "out of memory", "cannot allocate"]
            .contains { lowered.contains($0) }
    }

    /// The first line that explains a crash, if any came.
    var crashLine: String? { lock.withLock { explanation } }
}

extension ServerConfiguration {
    /// This process's executable, to start training processes from: on Linux `/proc/self/exe`,
    /// which stays the file the server was started from even when a rebuild replaces it on disk.
    public static var currentExecutable: URL? {
        #if os(Linux)
            URL(fileURLWithPath: "/proc/self/exe")
        #else
            Bundle.main.executableURL
        #endif
    }
}
