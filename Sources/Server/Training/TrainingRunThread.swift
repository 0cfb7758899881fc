import Foundation
import Logging
import Pix2Pix

#if canImport(Glibc)
import Glibc
#endif

/// The OS thread one dashboard run trains on: never Swift's cooperative pool (a step takes
/// seconds of BLAS work), at lowered CPU priority, and yielding to the editor between steps.
/// It builds the `Trainer`, runs it and reports into `TrainingRunState`; an error that ends
/// the run becomes its `failed` event.
struct TrainingRunThread: Sendable {
    let state: TrainingRunState
    /// Whose interactive colorizations a step waits for; nil in tests without inference.
    let inference: InferenceService?
    let logger: Logger

    /// Longest a training step waits for interactive colorizations before going on anyway.
    static let maxYieldSeconds = 2.0

    /// Starts the thread for a run in `folder` (`resume` continues its latest checkpoint,
    /// `steps` may extend it).
    func start(folder: String, config: TrainingConfig, resume: Bool, steps: Int?, stop: StopSignal) {
        let thread = Thread {
            Self.lowerThreadPriority()
            train(folder: folder, config: config, resume: resume, steps: steps, stop: stop)
        }
        thread.name = "tinct-training"
        thread.stackSize = 16 << 20
        thread.qualityOfService = .utility
        thread.start()
    }

    /// The body of the thread.
    private func train(folder: String, config: TrainingConfig, resume: Bool, steps: Int?, stop: StopSignal) {
        var failure: String?
        do {
            let state = self.state
            let trainer = try Trainer(config: config, runDirectory: folder, resume: resume, steps: steps) { event in
                state.receive(event)
            }
            if let inference {
                // Interactive colorizations go first: wait (briefly) while one is queued or running.
                trainer.beforeEachStep = {
                    inference.waitWhileInteractiveWork(until: Date().addingTimeInterval(Self.maxYieldSeconds))
                }
            }
            state.trainerReady(step: trainer.currentStep, totalSteps: trainer.config.steps)
            try trainer.run(stop: stop)
        } catch {
            failure = "\(error)"
        }
        let final = state.finish(failure: failure)
        logger.info("Training ended", metadata: ["run": "\(final.run ?? "?")", "state": "\(final.state.rawValue)"])
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
}
