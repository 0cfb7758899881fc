import Foundation
import Pix2Pix
import Testing

@testable import Server

#if canImport(Glibc)
    import Glibc
#endif

/// `tinct train-worker` on its own, driven as the server drives it: it stops after its step,
/// saves a checkpoint and exits 0 on SIGTERM and when the server goes away (no orphans).
@Suite("The training process (tinct train-worker)", .serialized)
struct TrainingWorkerTests {
    /// A running `tinct train-worker` and the server's ends of its pipes.
    final class Worker: @unchecked Sendable {
        let process = Process()
        let input = Pipe(), output = Pipe()
        let reports: LineReader

        init(job: TrainingJob) throws {
            TestConfiguration.requireTinctExecutable()
            process.executableURL = TestConfiguration.tinctExecutable
            process.arguments = ["train-worker"]
            (process.standardInput, process.standardOutput) = (input, output)
            try process.run()
            reports = LineReader(descriptor: output.fileHandleForReading.fileDescriptor)
            try input.fileHandleForWriting.write(contentsOf: TrainingLine.encode(job))
        }

        /// The next report; nil once the process closed its output.
        func next() -> TrainingReport? {
            reports.next().flatMap { TrainingLine.decode(TrainingReport.self, from: $0) }
        }

        /// Answers `go` to every request until `steps` have been taken; the events seen.
        func train(steps: Int) throws -> [TrainingEvent] {
            var events: [TrainingEvent] = []
            var asked = 0
            while let report = next() {
                switch report {
                case .askToStep:
                    asked += 1
                    if asked > steps { return events }
                    try input.fileHandleForWriting.write(contentsOf: TrainingLine.encode(TrainingInstruction.go))
                case .event(let event): events.append(event)
                default: break
                }
            }
            return events
        }

        /// The reports left until the process exits, answering `go` as the server would, and
        /// how it exited.
        func drain() -> (events: [TrainingEvent], exit: Int32, reason: Process.TerminationReason) {
            var events: [TrainingEvent] = []
            while let report = next() {
                switch report {
                case .event(let event): events.append(event)
                case .askToStep: try? input.fileHandleForWriting.write(contentsOf: TrainingLine.encode(TrainingInstruction.go))
                default: break
                }
            }
            process.waitUntilExit()
            return (events, process.terminationStatus, process.terminationReason)
        }
    }

    /// A tiny run on the fixture's `tiny` dataset that would go on for a long time.
    static func job(_ fixture: TrainingFixture) throws -> TrainingJob {
        let request = try JSONDecoder().decode(
            StartTrainingRequest.self,
            from: Data(#"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":100000,"checkpointEvery":100000}"#.utf8))
        let config = request.options.config(dataPath: "\(fixture.dataRoot)/tiny")
        return TrainingJob(folder: "\(fixture.runs)/run", config: config, resume: false, steps: nil, memoryCapBytes: 2 << 30)
    }

    @Test("SIGTERM: the step ends, a checkpoint is saved, exit status 0")
    func terminate() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let worker = try Worker(job: try Self.job(fixture))
        let taken = try await RawHTTPClient.onOwnThread { [worker] in try worker.train(steps: 3) }
        #expect(taken.first.map { if case .started = $0 { true } else { false } } == true, "\(taken)")
        #expect(kill(worker.process.processIdentifier, SIGTERM) == 0)
        // It waits for the answer to its fourth request; it stops at the first step that
        // begins after the signal is handled.
        try worker.input.fileHandleForWriting.write(contentsOf: TrainingLine.encode(TrainingInstruction.go))
        let (events, status, reason) = try await RawHTTPClient.onOwnThread { [worker] in worker.drain() }
        #expect(reason == .exit && status == 0)
        let stopped = events.last { if case .stopped = $0 { true } else { false } }
        guard case .stopped(let step, let why)? = stopped else {
            Issue.record("no stopped event: \(events)")
            return
        }
        #expect(why.contains("SIGTERM") && step >= 3, "\(why) at \(step)")
        #expect(TrainingCheckpoint.list(in: "\(fixture.runs)/run/checkpoints").map(\.step) == [step])
    }

    @Test("The server goes away (its end of the pipe closes): the process saves a checkpoint and exits")
    func serverGone() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let worker = try Worker(job: try Self.job(fixture))
        _ = try await RawHTTPClient.onOwnThread { [worker] in try worker.train(steps: 2) }
        try worker.input.fileHandleForWriting.close()
        let (events, status, reason) = try await RawHTTPClient.onOwnThread { [worker] in worker.drain() }
        #expect(reason == .exit && status == 0)
        #expect(events.last == .stopped(step: 2, reason: "the server went away"), "\(events)")
        #expect(TrainingCheckpoint.list(in: "\(fixture.runs)/run/checkpoints").map(\.step) == [2])
    }

    @Test("A stop answer carries the dashboard's reason into the run's own log")
    func stopAnswer() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let worker = try Worker(job: try Self.job(fixture))
        _ = try await RawHTTPClient.onOwnThread { [worker] in try worker.train(steps: 1) }
        try worker.input.fileHandleForWriting.write(contentsOf: TrainingLine.encode(TrainingInstruction.stop(reason: "stopped from the dashboard")))
        let (events, status, _) = try await RawHTTPClient.onOwnThread { [worker] in worker.drain() }
        #expect(status == 0 && events.last == .stopped(step: 1, reason: "stopped from the dashboard"), "\(events)")
        let log = try RunFolders(root: fixture.runs).events(ofFolder: "\(fixture.runs)/run")
        #expect(log.last == .stopped(step: 1, reason: "stopped from the dashboard"))
    }

    @Test("Without a job on its input, the command says what it is for and exits 2")
    func noJob() throws {
        TestConfiguration.requireTinctExecutable()
        let process = Process()
        process.executableURL = TestConfiguration.tinctExecutable
        process.arguments = ["train-worker"]
        let errors = Pipe()
        (process.standardInput, process.standardError) = (FileHandle.nullDevice, errors)
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2 && text.contains("no training job"), "\(text)")
    }
}
