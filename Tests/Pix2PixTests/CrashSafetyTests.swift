import Foundation
import ImageCodecs
import NN
import Pix2Pix
import Tensors
import TestSupport
import Testing

/// `kill -9` of a real `tinct train` process at random moments — half of them while a
/// checkpoint is being written — several times in a row. After every kill the checkpoints on
/// disk all load, `tinct train --resume` starts from the newest of them, and the last resume
/// finishes with exactly the weights of an uninterrupted run.
///
/// Runs the `tinct` executable that `swift build` / `swift test` put beside the test runner
/// (or `TINCT_BINARY`, e.g. the release build).
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    static let steps = 30
    static let kills = 6

    /// A `tinct train --json` process writing its events to `log`.
    final class TrainProcess {
        let process = Process()
        let log: String

        init(binary: String, arguments: [String], log: String) throws {
            self.log = log
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["train"] + arguments + ["--json"]
            process.standardOutput = FileHandle(forWritingAtPath: log)
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        var events: [TrainingEvent] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(TrainingEvent.self, from: Data($0.utf8)) }
        }

        func killHard() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func temporaryFiles(in run: String) -> [String] {
        [run, "\(run)/checkpoints"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".tmp-") }
        }
    }

    /// Every checkpoint a resume could pick must load completely.
    static func checkCompleteCheckpoints(in run: String, context: String) throws -> Int? {
        let listed = TrainingCheckpoint.list(in: "\(run)/checkpoints")
        for (step, path) in listed {
            let file = try SafetensorsFile(contentsOf: path)
            let header = try TrainingCheckpoint.read(file, path: path)
            #expect(header.step == step, "\(context): \(path) holds step \(header.step)")
            for name in file.entries.keys { _ = try file.tensor(name) }
        }
        if FileManager.default.fileExists(atPath: "\(run)/best.safetensors") {
            _ = try TrainingCheckpoint.read(try SafetensorsFile(contentsOf: "\(run)/best.safetensors"), path: "best")
        }
        return listed.last?.step
    }

    static func waitUntil(_ deadline: Date, pollMicroseconds: UInt32 = 2_000, _ condition: () -> Bool) -> Bool {
        while Date() < deadline {
            if condition() { return true }
            usleep(pollMicroseconds)
        }
        return false
    }

    @Test(
        "kill -9 at random moments, resume each time: always from the last complete checkpoint; the end matches an uninterrupted run",
        .timeLimit(.minutes(3)))
    func killAndResume() throws {
        let binary = try #require(TinctExecutable.path, "no tinct executable beside the test runner; build it (swift build) or set TINCT_BINARY")
        let data = TrainingTests.temporaryFolder("crash-data")
        for (sub, count) in [("train", 3), ("val", 1)] {
            for i in 0..<count {
                let a = PairedDataTests.noise(width: 40, height: 40, seed: UInt64(7 * i + sub.count))
                try PairedDataTests.write(PairedDataTests.sideBySide(a, PairedDataTests.rotateChannels(a)), "\(data)/\(sub)/\(i).png")
            }
        }
        let run = TrainingTests.temporaryFolder("crash-run")
        let reference = TrainingTests.temporaryFolder("crash-reference")
        let logs = TrainingTests.temporaryFolder("crash-logs")
        func options(out: String) -> [String] {
            [
                "--data", data, "--mode", "pix2pix", "--out", out, "--size", "32", "--downs", "5", "--ngf", "4", "--ndf", "4",
                "--n-layers", "2", "--steps", String(Self.steps), "--checkpoint-every", "1", "--sample-every", "7", "--keep", "2",
                "--val-pictures", "1", "--seed", "11"
            ]
        }

        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(seed: seed)
        var midWrite = 0
        var resumedFrom: [Int] = []
        var expectedStart = 0
        for round in 0..<Self.kills {
            let context = "round \(round) (seed \(seed))"
            let arguments = round == 0 ? options(out: run) : ["--out", run, "--resume"]
            let process = try TrainProcess(binary: binary, arguments: arguments, log: "\(logs)/\(round).jsonl")
            let deadline = Date().addingTimeInterval(30)
            // Let the run get 1–3 checkpoints further (so every round makes progress and the
            // run cannot finish between kills), then kill: on even rounds as soon as a
            // temporary file shows a write in progress, on odd rounds 0–40 ms later.
            let target = expectedStart + 1 + Int(rng.next() % 3)
            let progressed = Self.waitUntil(deadline) { (TrainingCheckpoint.list(in: "\(run)/checkpoints").last?.step ?? -1) >= target }
            #expect(progressed, "\(context): no checkpoint at step \(target) within 30 s")
            if round % 2 == 0 {
                if Self.waitUntil(deadline, pollMicroseconds: 100, { !Self.temporaryFiles(in: run).isEmpty }) { midWrite += 1 }
            } else {
                usleep(UInt32(rng.next() % 40_000))
            }
            process.killHard()
            #expect(process.process.terminationReason == .uncaughtSignal, "\(context): the process ended before the kill")
            if case .started(let step, _, _, _, _)? = process.events.first(where: { $0.type == "started" }) {
                #expect(step == expectedStart, "\(context): resumed at step \(step), the newest complete checkpoint was \(expectedStart)")
                resumedFrom.append(step)
            }
            expectedStart = try #require(try Self.checkCompleteCheckpoints(in: run, context: context), "\(context): no checkpoint left")
        }

        let last = try TrainProcess(binary: binary, arguments: ["--out", run, "--resume"], log: "\(logs)/final.jsonl")
        last.process.waitUntilExit()
        #expect(last.process.terminationStatus == 0)
        let events = last.events
        if case .started(let step, _, _, _, _)? = events.first(where: { $0.type == "started" }) {
            #expect(step == expectedStart, "final resume started at \(step), newest complete checkpoint was \(expectedStart)")
        } else {
            Issue.record("final resume reported no start: \(events)")
        }
        #expect(events.last == .finished(step: Self.steps))
        #expect(Self.temporaryFiles(in: run).isEmpty, "partial files left: \(Self.temporaryFiles(in: run))")
        // The run's event log: a kill may tear at most one line per kill; the rest decode.
        let lines = try String(contentsOfFile: "\(run)/events.jsonl", encoding: .utf8).split(separator: "\n")
        let torn = lines.filter { (try? JSONDecoder().decode(TrainingEvent.self, from: Data($0.utf8))) == nil }
        #expect(torn.count <= Self.kills, "torn lines: \(torn)")
        #expect(lines.last.flatMap { try? JSONDecoder().decode(TrainingEvent.self, from: Data($0.utf8)) } == .finished(step: Self.steps))
        #expect(midWrite >= 1, "no kill landed during a write (seed \(seed))")

        // The same run without interruptions ends with bit-identical weights and optimizer state.
        let straight = try TrainProcess(binary: binary, arguments: options(out: reference), log: "\(logs)/reference.jsonl")
        straight.process.waitUntilExit()
        #expect(straight.process.terminationStatus == 0)
        let name = TrainingCheckpoint.fileName(step: Self.steps)
        let interrupted = try SafetensorsFile(contentsOf: "\(run)/checkpoints/\(name)")
        let uninterrupted = try SafetensorsFile(contentsOf: "\(reference)/checkpoints/\(name)")
        #expect(interrupted.entries.keys.sorted() == uninterrupted.entries.keys.sorted())
        for key in uninterrupted.entries.keys.sorted() {
            #expect(try interrupted.tensor(key).scalars == uninterrupted.tensor(key).scalars, "\(key) differs from the uninterrupted run")
        }
        print("crash safety: \(Self.kills) kills (\(midWrite) during a write), resumed from steps \(resumedFrom) then \(expectedStart), seed \(seed)")
    }
}
