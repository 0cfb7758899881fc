import Foundation
import Testing

@testable import Pix2Pix

/// `best.safetensors` is the checkpoint just saved under a second name, not a second write.
@Suite("Checkpoint second names")
struct CheckpointSecondNameTests {
    @Test("the second name holds the checkpoint's bytes, replaces an older file, and outlives the first name")
    func secondName() throws {
        let folder = TrainingTests.temporaryFolder("second-name")
        let (checkpoint, best) = ("\(folder)/step-00000006.safetensors", "\(folder)/best.safetensors")
        try Data("old best".utf8).write(to: URL(fileURLWithPath: best))
        try Data("checkpoint of step 6".utf8).write(to: URL(fileURLWithPath: checkpoint))
        #expect(TrainingCheckpoint.linkSecondName(of: checkpoint, as: best))
        try FileManager.default.removeItem(atPath: checkpoint)
        #expect(try Data(contentsOf: URL(fileURLWithPath: best)) == Data("checkpoint of step 6".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["best.safetensors"])
    }

    @Test("without a file to link, nothing changes and the caller is told")
    func missingSource() throws {
        let folder = TrainingTests.temporaryFolder("second-name-missing")
        #expect(!TrainingCheckpoint.linkSecondName(of: "\(folder)/none.safetensors", as: "\(folder)/best.safetensors"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
