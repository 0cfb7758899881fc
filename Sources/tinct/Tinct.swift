import ArgumentParser

/// The `tinct` command line: one subcommand per user task. Only argument parsing lives here;
/// each subcommand hands its work to the library targets.
@main
struct Tinct: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tinct",
        abstract: "Line-art and photo colorization with an in-process pix2pix engine.",
        subcommands: [
            ServeCommand.self, ColorizeCommand.self, TrainCommand.self, TestCommand.self, ExportCommand.self,
            BenchCommand.self, ImportTorchCommand.self, TrainWorkerCommand.self,
            ExportONNXCommand.self, RunGeneratorCommand.self
        ]
    )
}
