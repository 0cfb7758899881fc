import Dispatch
import Foundation
import Pix2Pix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The training process's side of a dashboard run (`tinct train-worker`, started by
/// `TrainingProcess`): reads its `TrainingJob` from standard input, trains, and reports on
/// standard output (`TrainingWorkerProtocol.swift`). Whatever ends this process — a trap on a
/// failed allocation, its memory cap, the kernel's OOM killer — ends only the run; the server
/// reads how it ended and reports it.
///
/// It stops after the current step, saving a checkpoint, when the server says `stop`, on
/// SIGTERM, and when the server goes away (its end of the pipe closes), so a server that
/// dies leaves no training process behind.
public enum TrainingWorker {
    /// Runs the job the server sends and returns the exit status: 0 when the run ended as the
    /// trainer decided (finished, stopped, or failed with its own `failed` event), 1 when it
    /// threw (reported as `failure` first), 2 when no job came.
    public static func run() -> Int32 {
        // The server coordinates Ctrl-C in its terminal (it stops the run itself), and a write
        // to a server that is gone must be an error here, not a silent death.
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let channel = WorkerChannel(input: STDIN_FILENO, output: STDOUT_FILENO)
        guard let job = channel.readJob() else {
            FileHandle.standardError.write(Data("tinct train-worker: no training job on standard input (the server starts this command)\n".utf8))
            return 2
        }
        if let cap = job.memoryCapBytes, let problem = limitDataSegment(to: cap) {
            channel.send(.failure(message: problem))
            return 1
        }
        let stop = StopSignal()
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        signal(SIGTERM, SIG_IGN)
        terminate.setEventHandler { stop.stop(reason: "the training process was asked to stop (SIGTERM)") }
        terminate.resume()
        defer { terminate.cancel() }
        watchForHangUp(of: STDIN_FILENO, stop: stop)
        do {
            let trainer = try Trainer(config: job.config, runDirectory: job.folder, resume: job.resume, steps: job.steps) { event in
                channel.send(.event(event))
            }
            trainer.beforeEachStep = {
                switch channel.askToStep() {
                case .go?: break
                case .stop(let reason)?: stop.stop(reason: reason)
                case nil: stop.stop(reason: "the server went away")
                }
            }
            channel.send(.ready(step: trainer.currentStep, totalSteps: trainer.config.steps))
            try trainer.run(stop: stop)
            return 0
        } catch {
            channel.send(.failure(message: "\(error)"))
            return 1
        }
    }

    /// Caps the process's data segment — the heap and every private writable mapping, which
    /// is where tensors live — at `bytes` (`RLIMIT_DATA`, counted as memory is mapped, not as
    /// it is touched, so the cap is met by a failed allocation before the machine runs short).
    /// - Returns: why the cap could not be set, or nil.
    static func limitDataSegment(to bytes: Int) -> String? {
        var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_DATA.rawValue)
        #else
            let resource = RLIMIT_DATA
        #endif
        guard setrlimit(resource, &limit) == 0 else {
            return "the training process could not cap its memory at \(bytes >> 20) MiB (\(String(cString: strerror(errno))))"
        }
        return nil
    }

    /// Stops the run when the other end of `descriptor` closes (the server exited or was
    /// killed): a thread waits for the hang-up without reading, so the answers the trainer
    /// reads between steps are left for it.
    static func watchForHangUp(of descriptor: Int32, stop: StopSignal) {
        let thread = Thread {
            var entry = pollfd(fd: descriptor, events: 0, revents: 0)
            while true {
                let ready = poll(&entry, 1, -1)
                if ready < 0, errno == EINTR { continue }
                if ready != 0 { break }
            }
            stop.stop(reason: "the server went away")
        }
        thread.name = "tinct-worker-watch"
        thread.start()
    }
}

/// The worker's ends of the pipes: reports go out whole, one line per write; instructions
/// come in one line at a time.
final class WorkerChannel: @unchecked Sendable {
    private let output: Int32
    private let input: LineReader
    private let lock = NSLock()

    init(input: Int32, output: Int32) {
        self.output = output
        self.input = LineReader(descriptor: input)
    }

    /// The job, the first line the server sends.
    func readJob() -> TrainingJob? {
        input.next().flatMap { TrainingLine.decode(TrainingJob.self, from: $0) }
    }

    /// Asks to take a step and waits for the answer; nil when the server is gone.
    func askToStep() -> TrainingInstruction? {
        guard send(.askToStep) else { return nil }
        while let line = input.next() {
            if let instruction = TrainingLine.decode(TrainingInstruction.self, from: line) { return instruction }
        }
        return nil
    }

    /// Writes `report` as one line; false when it could not be written (the server is gone).
    @discardableResult
    func send(_ report: TrainingReport) -> Bool {
        guard let line = try? TrainingLine.encode(report) else { return false }
        return lock.withLock {
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(output, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { return false }
                    offset += written
                }
                return true
            }
        }
    }
}
