import Foundation
import NN
import Pix2Pix
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A disk that fills up during training, made real without root: a child process (this test
/// binary again) lowers its own file-size limit (`RLIMIT_FSIZE`) below a checkpoint's size and
/// ignores `SIGXFSZ`, so the kernel fails its writes with `EFBIG` exactly as a full disk fails
/// them with `ENOSPC` — part-way through, after some bytes went out. A limit is per process,
/// which is why the write happens in a child: the other tests keep writing freely.
@Suite("Training on a full disk", .serialized)
struct CheckpointDiskFullTests {
    static let runVariable = "TINCT_DISK_FULL_RUN"
    static let limitVariable = "TINCT_DISK_FULL_LIMIT"
    static let eventPrefix = "DISK-FULL-EVENT "

    @Test("a failed checkpoint save is a clear failed event; the previous checkpoint stays listed and loads")
    func checkpointOnFullDisk() throws {
        let (run, config) = try TrainingTests.pausedRun("diskfull", steps: 6, pauseAt: 3)
        let checkpoints = "\(run)/checkpoints"
        let previous = try #require(TrainingCheckpoint.list(in: checkpoints).last)
        #expect(previous.step == 3)
        let previousBytes = try Data(contentsOf: URL(fileURLWithPath: previous.path))
        // Room for the event log to grow a few lines (and for config.json, rewritten at resume),
        // then it fills; far too little for a checkpoint.
        let logSize = try Data(contentsOf: URL(fileURLWithPath: "\(run)/events.jsonl")).count
        let configSize = try Data(contentsOf: URL(fileURLWithPath: "\(run)/config.json")).count
        let limit = max(logSize, configSize) + 600
        #expect(limit < previousBytes.count / 4)

        let (status, output) = try Self.runChild(run: run, limit: limit)
        #expect(status == 0, "the child crashed or failed (status \(status)):\n\(output.suffix(2000))")
        let events = output.split(separator: "\n").compactMap { line -> TrainingEvent? in
            guard line.hasPrefix(Self.eventPrefix) else { return nil }
            return try? JSONDecoder().decode(TrainingEvent.self, from: Data(line.dropFirst(Self.eventPrefix.count).utf8))
        }
        #expect(events.contains { $0.type == "started" }, "no events from the child:\n\(output.suffix(2000))")
        // The event log filled first: one warning, and the run went on.
        let warnings = events.compactMap { event -> String? in
            if case .warning(let message) = event { return message }
            return nil
        }
        #expect(warnings.contains { $0.contains("events.jsonl can no longer be written") && $0.contains("File too large") }, "\(warnings)")
        // Then the checkpoint of step 6 failed: the run stopped with a message that says what,
        // why, and what is left.
        let failures = events.compactMap { event -> (Int, String)? in
            if case .failed(let step, let message) = event { return (step, message) }
            return nil
        }
        let failure = try #require(failures.first, "no failed event: \(events)")
        #expect(failures.count == 1 && failure.0 == 6)
        #expect(failure.1.contains("checkpoint of step 6 could not be saved"), "\(failure.1)")
        #expect(failure.1.contains("File too large"), "\(failure.1)")
        #expect(failure.1.contains("checkpoint of step 3 is intact"), "\(failure.1)")
        #expect(!events.contains { $0.type == "checkpoint" })

        // Nothing partial is left or listed; the previous checkpoint is byte for byte the same and loads.
        #expect(TrainingCheckpoint.list(in: checkpoints).map(\.step) == [3])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: checkpoints).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: previous.path)) == previousBytes)
        let resumed = try Trainer(config: config, runDirectory: run, resume: true) { _ in }
        #expect(resumed.currentStep == 3)
        // The event log's cut-off line was ended, so the resumed run's events start on a line of their own.
        let log = try Data(contentsOf: URL(fileURLWithPath: "\(run)/events.jsonl"))
        #expect(log.last == UInt8(ascii: "\n"))
    }

    /// Runs `diskFullChild` in a fresh copy of this test binary with the file-size limit.
    static func runChild(run: String, limit: Int) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["--testing-library", "swift-testing", "--filter", "diskFullChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[runVariable] = run
        environment[limitVariable] = String(limit)
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
        return (status, String(decoding: output, as: UTF8.self))
    }

    /// The child's half, run only in the copy `checkpointOnFullDisk` starts with the variables
    /// set; everywhere else it is reported as skipped, not as passed.
    @Test(
        "(helper: resumes a run under a file-size limit when TINCT_DISK_FULL_RUN is set)",
        .enabled(if: ProcessInfo.processInfo.environment[runVariable] != nil, "runs only in the child process"))
    func diskFullChild() throws {
        let environment = ProcessInfo.processInfo.environment
        let run = try #require(environment[Self.runVariable])
        let limit = try #require(environment[Self.limitVariable].flatMap(Int.init))
        signal(SIGXFSZ, SIG_IGN)
        var fileSize = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
        guard setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &fileSize) == 0 else {
            Issue.record("setrlimit failed: \(errno)")
            return
        }
        let config = try #require(try? JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: "\(run)/config.json"))))
        let trainer = try Trainer(config: config, runDirectory: run, resume: true) { event in
            guard let line = try? JSONEncoder().encode(event) else { return }
            // Straight to the pipe (unbuffered): the parent reads the events even if this process dies.
            try? FileHandle.standardOutput.write(contentsOf: Data(Self.eventPrefix.utf8) + line + Data("\n".utf8))
        }
        try trainer.run(stop: StopSignal())
    }
}
