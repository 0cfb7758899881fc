import Foundation
import Testing

@testable import Pix2Pix

/// The run folder's records that `Trainer` keeps through its own types: the event log and
/// the rotation of old checkpoints.
@Suite("Run records")
struct RunRecordsTests {
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-run-records-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("The event log appends one line per event, ends a torn last line, and reports a failure once")
    func eventLog() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/events.jsonl"
        try Data(#"{"type":"fin"#.utf8).write(to: URL(fileURLWithPath: path))  // torn by a crash
        let log = RunEventLog(path: path)
        #expect(log.append(.finished(step: 3)) == nil)
        #expect(log.append(.warning(message: "w")) == nil)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(try JSONDecoder().decode(TrainingEvent.self, from: Data(lines[1].utf8)) == .finished(step: 3))

        // A log that cannot be written: the first append says why, later ones stay quiet.
        let blocked = "\(folder)/blocked.jsonl"
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
        let failing = RunEventLog(path: blocked)
        #expect(failing.append(.finished(step: 1)) != nil)
        #expect(failing.append(.finished(step: 2)) == nil)
    }

    @Test("Rotation keeps the newest checkpoints and reports each one it could not delete")
    func rotation() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for step in [1, 2, 3, 4, 5] {
            _ = FileManager.default.createFile(atPath: "\(folder)/\(TrainingCheckpoint.fileName(step: step))", contents: Data())
        }
        struct Refused: Error {}
        var stuck = CheckpointRotation(folder: folder, keepLast: 2)
        stuck.remove = { path in
            if path.hasSuffix(TrainingCheckpoint.fileName(step: 1)) { throw Refused() } else { try FileManager.default.removeItem(atPath: path) }
        }
        let failures = stuck.removeOld()
        #expect(failures.count == 1)
        #expect(failures.first?.contains(TrainingCheckpoint.fileName(step: 1)) == true)
        #expect(TrainingCheckpoint.list(in: folder).map(\.step) == [1, 4, 5])
        #expect(CheckpointRotation(folder: folder, keepLast: 2).removeOld().isEmpty)
        #expect(TrainingCheckpoint.list(in: folder).map(\.step) == [4, 5])
    }
}
