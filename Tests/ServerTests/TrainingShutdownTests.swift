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
    /// Starts a long run and waits for its checkpoint of step 2; returns the run's name and
    /// its checkpoints folder.
    private func startRun(_ client: some TestClientProtocol, fixture: TrainingFixture) async throws -> (run: String, checkpoints: String) {
        let body = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":100000,"checkpointEvery":2}"#
        let run = try await client.postJSON("/api/train/start", body) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try JSONDecoder().decode(TrainingStatus.self, from: Data(String(buffer: response.body).utf8)).run ?? ""
        }
        let checkpoints = "\(fixture.runs)/\(run)/checkpoints"
        let deadline = Date().addingTimeInterval(120)
        while (TrainingCheckpoint.list(in: checkpoints).last?.step ?? 0) < 2, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return (run, checkpoints)
    }

    @Test("A healthy run stops at shutdown with a checkpoint of its last step; nothing is killed")
    func healthyRunStops() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let configuration = TrainingProcessTests.configuration(fixture)
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        let training = TrainingService(configuration: configuration, inference: inference)
        let app = try await buildApplication(configuration: configuration, inference: inference, training: training)
        try await app.test(.live) { client in
            let (_, checkpoints) = try await startRun(client, fixture: fixture)
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
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let configuration = TrainingProcessTests.configuration(fixture)
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        let training = TrainingService(configuration: configuration, inference: inference)
        let app = try await buildApplication(configuration: configuration, inference: inference, training: training)
        try await app.test(.live) { client in
            let (_, checkpoints) = try await startRun(client, fixture: fixture)
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
