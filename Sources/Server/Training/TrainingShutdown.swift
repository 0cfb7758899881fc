import ServiceLifecycle

/// Stops the dashboard's training run when the server shuts down gracefully (Ctrl-C,
/// SIGTERM), waiting for the checkpoint it saves — as `tinct train` does on a signal.
struct TrainingShutdown: Service {
    let training: TrainingService

    func run() async throws {
        // Returns when shutdown begins (or throws if the group is cancelled outright).
        try? await gracefulShutdown()
        await training.shutdown()
    }
}
