import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Pix2Pix
import Testing

@testable import Server

#if canImport(Glibc)
    import Glibc
#endif

/// Dashboard runs train in a process of their own (`tinct train-worker`): a run whose process
/// is killed, or outgrows its memory cap, fails alone — the server keeps answering and
/// colorizing, the run says why, and it resumes from its last checkpoint. Over real sockets.
@Suite("Training in a process of its own", .serialized)
struct TrainingProcessTests {
    /// A fixture whose configuration also serves the colorization test models.
    static func configuration(_ fixture: TrainingFixture) -> ServerConfiguration {
        var configuration = fixture.configuration
        configuration.modelsDirectory = ModelFixtures.directory
        return configuration
    }

    @Test("SIGKILL to a run's process: the server answers and colorizes, the run fails saying why, and resumes from its checkpoint")
    func killedProcess() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let configuration = Self.configuration(fixture)
        let inference = InferenceService(modelsDirectory: configuration.modelsDirectory, limits: configuration.limits)
        let training = TrainingService(configuration: configuration, inference: inference)
        let app = try await buildApplication(configuration: configuration, inference: inference, training: training)
        try await app.test(.live) { client in
            let (run, checkpoints) = try await client.startLongRun(in: fixture)
            let pid = try #require(training.process.processID, "the run has no process of its own")
            #expect(pid != getpid())
            #expect(kill(pid, SIGKILL) == 0)

            let final = try await client.waitForIdle()
            let saved = try #require(TrainingCheckpoint.list(in: checkpoints).last?.step)
            #expect(final.state == .failed, "\(final)")
            let message = final.message ?? ""
            #expect(message.contains("killed (signal 9, SIGKILL)") && message.contains("out-of-memory"), "\(message)")
            #expect(message.contains("the checkpoint of step \(saved) is intact"), "\(message)")
            #expect(training.process.processID == nil)

            // The server is whole: health, a colorization, the run list.
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 64, height: 48))
            try await client.colorize(ModelFixtures.body(image: image)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/api/runs", method: .get) { response in
                let runs = try JSONDecoder().decode([RunInfo].self, from: Data(String(buffer: response.body).utf8))
                #expect(runs.map(\.name) == [run] && runs.first?.step == saved && runs.first?.active == false)
            }

            // Resume continues from the checkpoint that was intact.
            try await client.postJSON("/api/train/resume", #"{"run":"\#(run)","steps":\#(saved + 2)}"#) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            let resumed = try await client.waitForIdle()
            #expect(resumed.state == .finished && resumed.step == saved + 2, "\(resumed)")
            let events = try training.runs.events(ofFolder: "\(fixture.runs)/\(run)")
            let starts = events.compactMap { event -> Int? in
                if case .started(let step, _, _, _, _) = event { return step }
                return nil
            }
            #expect(starts == [0, saved], "\(starts)")
        }
    }

    @Test("A run's process that outgrows its memory cap fails alone; the server answers and colorizes")
    func memoryCap() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        var configuration = Self.configuration(fixture)
        // Far below what any run needs: the process's first large allocation fails.
        configuration.trainingProcessMemoryCap = 8 << 20
        let app = try await buildApplication(configuration: configuration)
        try await app.test(.live) { client in
            let body = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":50}"#
            try await client.postJSON("/api/train/start", body) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            let final = try await client.waitForIdle()
            #expect(final.state == .failed, "\(final)")
            let message = final.message ?? ""
            #expect(message.contains("memory cap of 8 MiB"), "\(message)")
            #expect(message.contains("no checkpoint was saved yet"), "\(message)")
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 64, height: 48))
            try await client.colorize(ModelFixtures.body(image: image)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
        }
    }

    @Test("Without a tinct executable to train in, a start is refused with 500 and nothing is written")
    func missingExecutable() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        var configuration = fixture.configuration
        configuration.trainingWorker = URL(fileURLWithPath: "\(fixture.base)/no-such-tinct")
        let app = try await buildApplication(configuration: configuration)
        try await app.test(.router) { client in
            try await client.postJSON("/api/train/start", #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions)}"#) { response in
                #expect(response.status == .internalServerError)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("training: ") && message.contains("no-such-tinct"), "\(message)")
            }
            #expect(try await client.trainingStatus().state == .idle)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.runs).isEmpty)
    }

    @Test("How a process ended, as the dashboard is told")
    func endMessages() {
        typealias End = TrainingProcessEnd
        #expect(End(termination: .exit(0)).failureMessage == nil)
        #expect(End(termination: .exit(1), reportedFailure: "no readable pictures").failureMessage == "no readable pictures")
        let killed = End(termination: .signal(SIGKILL), memoryCapBytes: 3 << 30, lastCheckpointStep: 40).failureMessage ?? ""
        #expect(killed.hasPrefix("the training process was killed (signal 9, SIGKILL)"))
        #expect(killed.contains("(its cap was 3072 MiB)") && killed.hasSuffix("the checkpoint of step 40 is intact; resume the run from the dashboard"))
        let crashed =
            End(termination: .signal(SIGILL), errorLine: "Fatal error: Could not allocate memory.\n", memoryCapBytes: 1 << 30)
            .failureMessage ?? ""
        #expect(crashed.hasPrefix("the training process crashed (signal 4, SIGILL): “Fatal error: Could not allocate memory.”"))
        #expect(crashed.contains("memory cap of 1024 MiB") && crashed.contains("no checkpoint was saved yet"))
        let exited = End(termination: .exit(3), errorLine: "OpenBLAS : Program is Terminated.", lastCheckpointStep: 2).failureMessage ?? ""
        #expect(exited.hasPrefix("the training process exited with status 3: “OpenBLAS : Program is Terminated.”"))
        #expect(End(termination: .notStarted("EACCES")).failureMessage?.contains("could not be started (EACCES)") == true)
    }
}
