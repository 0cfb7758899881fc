import Foundation
import Pix2Pix
import Testing

@testable import Server

/// The jobs `TrainingService` hands to its parts: how a run's end is read from its events,
/// the event log read for a resume, and yielding to the editor without polling.
@Suite("Training service jobs")
struct TrainingServiceJobsTests {
    @Test("A run's outcome is its last event that is neither progress nor a warning")
    func outcome() {
        let progress = TrainingServicePartsTests.progress(5)
        #expect(TrainingRunState.outcome(of: [.finished(step: 5), .warning(message: "late")]) == .finished)
        #expect(TrainingRunState.outcome(of: [progress, .failed(step: 5, message: "x"), progress, .warning(message: "w")]) == .failed)
        #expect(TrainingRunState.outcome(of: [.stopped(step: 5, reason: "asked"), progress]) == .stopped)
        // A thread that returned without a word: stopped, not failed.
        #expect(TrainingRunState.outcome(of: [progress]) == .stopped)
        #expect(TrainingRunState.outcome(of: []) == .stopped)
    }

    @Test("A run's event log: none is an empty history, a torn line is skipped, an unreadable log is an error")
    func eventLogRead() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-log-read-\(UUID().uuidString)").path
        let folder = "\(root)/run"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runs = RunFolders(root: root)
        #expect(try runs.events(ofFolder: folder).isEmpty)
        let line = String(decoding: try JSONEncoder().encode(TrainingEvent.finished(step: 2)), as: UTF8.self)
        try Data("\(line)\n{\"type\":\"fin\n\(line)\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/events.jsonl"))
        #expect(try runs.events(ofFolder: folder) == [.finished(step: 2), .finished(step: 2)])
        try FileManager.default.removeItem(atPath: "\(folder)/events.jsonl")
        try FileManager.default.createDirectory(atPath: "\(folder)/events.jsonl", withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { try runs.events(ofFolder: folder) }
    }

    @Test("A run that does not fit in the memory available now is refused with 503 before anything is allocated")
    func availableMemory() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let training = TrainingService(
            configuration: fixture.configuration, inference: nil, logger: .init(label: "test"), availableMemory: { 64 << 20 })
        let request = try JSONDecoder().decode(
            StartTrainingRequest.self, from: Data(#"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":1}"#.utf8))
        #expect {
            _ = try training.start(request)
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.status == .serviceUnavailable && error.message.hasPrefix("memory: ") && error.message.contains("available now")
        }
        #expect(training.currentStatus.state == .idle)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.runs).isEmpty)
    }

    @Test("A training step waits while an interactive job runs and goes on when it ends, without polling")
    func yieldToInteractiveWork() async throws {
        let thread = InferenceThread<Int>(maxQueued: 4, state: 0)
        // Nothing interactive: no wait (a generous bound; the wait would be 30 s).
        let idleWait = try await RawHTTPClient.onOwnThread {
            let started = Date()
            thread.waitWhileInteractiveWork(until: Date().addingTimeInterval(30))
            return Date().timeIntervalSince(started)
        }
        #expect(idleWait < 10)
        let gate = DispatchSemaphore(value: 0)
        let job = Task { try await thread.run(priority: .interactive) { _ in gate.wait() } }
        while !thread.hasInteractiveWork { try await Task.sleep(for: .milliseconds(5)) }
        let waiter = Task {
            try await RawHTTPClient.onOwnThread {
                thread.waitWhileInteractiveWork(until: Date().addingTimeInterval(60))
                return thread.hasInteractiveWork
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        gate.signal()
        try await job.value
        let started = Date()
        #expect(try await waiter.value == false, "the step went on while the interactive job still ran")
        // Woken by the job's end, not by the 60 s deadline.
        #expect(Date().timeIntervalSince(started) < 30)
    }
}
