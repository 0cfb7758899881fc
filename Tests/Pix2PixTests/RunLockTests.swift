import Foundation
import Pix2Pix
import Testing

/// One writer per run folder, and a crashed writer blocks nothing.
@Suite("Run folder lock")
struct RunLockTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("Held while a writer lives, free once it is gone; a lock file alone holds nothing")
    func lifecycle() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(!RunLock.isHeld(folder: folder))
        var writer = RunLock(folder: folder)
        #expect(writer != nil)
        #expect(RunLock.isHeld(folder: folder))
        #expect(RunLock(folder: folder) == nil, "a second writer got the lock")
        writer = nil
        #expect(FileManager.default.fileExists(atPath: "\(folder)/.lock"))
        #expect(!RunLock.isHeld(folder: folder))
        #expect(RunLock(folder: folder) != nil)
    }

    @Test("A process killed while holding the lock leaves the folder free at once")
    func killedWriter() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Another process takes the lock as a trainer would, then is killed with SIGKILL.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX); time.sleep(30)",
            "\(folder)/.lock"
        ]
        try holder.run()
        var held = false
        for _ in 0..<200 where !held {
            held = RunLock.isHeld(folder: folder)
            if !held { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(held, "flock never took the lock")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        var free = false
        for _ in 0..<200 where !free {
            free = !RunLock.isHeld(folder: folder)
            if !free { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(free, "the folder stayed locked after its writer was killed")
    }
}
