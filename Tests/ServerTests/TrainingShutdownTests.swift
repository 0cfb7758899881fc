import Foundation
import Hummingbird
import HummingbirdTesting
import Pix2Pix
import Testing

@testable import Server

#if canImport(Glibc)
    import Glibc
#endif

/// The server's graceful shutdown (Ctrl-C, SIGTERM) with a dashboard run active: the run
/// stops after its step and saves a checkpoint; a run whose process does not stop (here:
/// SIGSTOP) is killed once the grace period is over, so the server can still exit, and its
/// last checkpoint is kept. Over real sockets, with real `tinct train-worker` processes.
@Suite("Training at the server's shutdown", .serialized)
struct TrainingShutdownTests {
    /// Serves a fresh fixture with a long run started and checkpointed at step 2, then runs
    /// `body` with the client, the training service and the run's checkpoints folder.
    private func withLongRun(
        _ body: @escaping @Sendable (any TestClientProtocol, TrainingService, String) async throws -> Void
    ) async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let configuration = TrainingProcessTests.configuration(fixture)
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        let training = TrainingService(configuration: configuration, inference: inference)
        let app = try await buildApplication(configuration: configuration, inference: inference, training: training)
        try await app.test(.live) { client in
            let (_, checkpoints) = try await client.startLongRun(in: fixture)
            try await body(client, training, checkpoints)
        }
    }

    @Test("A healthy run stops at shutdown with a checkpoint of its last step; nothing is killed")
    func healthyRunStops() async throws {
        try await withLongRun { client, training, checkpoints in
            await training.shutdown()
            let final = try await client.trainingStatus()
            #expect(final.state == .stopped, "\(final)")
            #expect(final.message?.contains("killed") != true, "\(final)")
            #expect(TrainingCheckpoint.list(in: checkpoints).last?.step == final.step, "the stop saved the last step")
            #expect(training.process.processID == nil)
        }
    }

    @Test("A run whose process does not stop is killed after the grace period, keeping its checkpoint")
    func hungRunIsKilled() async throws {
        try await withLongRun { client, training, checkpoints in
            let pid = try #require(training.process.processID, "the run has no process of its own")
            #expect(kill(pid, SIGSTOP) == 0)
            let saved = try #require(TrainingCheckpoint.list(in: checkpoints).last?.step)

            let clock = ContinuousClock()
            let start = clock.now
            await training.shutdown(grace: .seconds(1))
            let waited = clock.now - start
            #expect(waited >= .seconds(1) && waited < .seconds(60), "shutdown took \(waited)")

            let final = try await client.trainingStatus()
            #expect(final.state == .failed, "\(final)")
            let message = final.message ?? ""
            #expect(message.hasPrefix("the server killed the training process (signal 9, SIGKILL) because it did not stop within 1 s"), "\(message)")
            #expect(!message.contains("out-of-memory"), "\(message)")
            #expect(message.contains("the checkpoint of step \(saved) is intact"), "\(message)")
            #expect(TrainingCheckpoint.list(in: checkpoints).last?.step == saved)
            #expect(training.process.processID == nil)
        }
    }
}
