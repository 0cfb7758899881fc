import ArgumentParser
import Server

/// `tinct train-worker`: the process `tinct serve` trains each dashboard run in, so a run that
/// crashes or runs out of memory ends alone. Hidden: it takes its job on standard input and
/// reports on standard output, in the lines `TrainingWorker` reads and writes; people train
/// with `tinct train`.
struct TrainWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-worker",
        abstract: "Train one dashboard run for tinct serve (started by the server, not by hand).",
        shouldDisplay: false)

    func run() throws {
        let status = TrainingWorker.run()
        if status != 0 { throw ExitCode(status) }
    }
}
